/**
 * UDP calls, and option values read back, on the native backend equal the
 * kernel's (see tests/native_errno_harness.ts).
 */
import { linux as C } from "../constants/mod.ts";
import type { SocketError } from "../errno/mod.ts";
import {
  type Case,
  compareWithKernel,
  deadPort,
  DG,
  hex,
  I,
  I6,
  int,
  LONG,
  mreq,
  mreq6,
  pairTcp,
  sock,
  U,
  udp,
  un,
  v4,
  v6,
  x,
} from "./native_errno_harness.ts";

const CASES: Record<string, Case> = {
  // UDP
  "udp: send() unconnected": () => sock(I, DG).send(x),
  "udp: sendto() port 0": () => sock(I, DG).sendto(x, v4("127.0.0.1", 0)),
  "udp: sendto() 65508 bytes over IPv4": () =>
    sock(I, DG).sendto(new Uint8Array(65508), v4("127.0.0.1", 9)),
  "udp: sendto() 65536 bytes": () => sock(I, DG).sendto(new Uint8Array(65536), v4("127.0.0.1", 9)),
  "udp6: sendto() 65528 bytes over IPv6": () =>
    sock(I6, DG).sendto(new Uint8Array(65528), v6("::1", 9)),
  "udp: sendto(MSG_OOB)": () => sock(I, DG).sendto(x, v4("127.0.0.1", 9), C.MSG_OOB),
  "udp: sendto() an AF_INET6 address": () => sock(I, DG).sendto(x, v6("::1", 9)),
  "udp6: sendto() an AF_INET address": () => sock(I6, DG).sendto(x, v4("127.0.0.1", 9)),
  "udp6: sendto() a long AF_UNIX address": () => sock(I6, DG).sendto(x, un(LONG)),
  "udp: sendto() a long AF_UNIX address": () => sock(I, DG).sendto(x, un(LONG)),
  "udp: connect() an AF_INET6 address": () => sock(I, DG).connect(v6("::1", 9)),
  "udp6: connect() an AF_INET address": () => sock(I6, DG).connect(v4("127.0.0.1", 9)),
  "udp6: connect() an AF_INET address with IPV6_V6ONLY": () => {
    const s = sock(I6, DG);
    s.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1);
    return s.connect(v4("127.0.0.1", 9));
  },
  "udp6: sendto() v4-mapped with IPV6_V6ONLY": () => {
    const s = sock(I6, DG);
    s.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1);
    return s.sendto(x, v6("::ffff:127.0.0.1", 9));
  },
  "udp: connect() to port 0": () => sock(I, DG).connect(v4("127.0.0.1", 0)),
  "udp: connect() twice": async () => {
    const s = sock(I, DG);
    await s.connect(v4("127.0.0.1", 9));
    await s.connect(v4("127.0.0.1", 10));
  },
  "udp: bind() twice": () => udp().bind(v4("127.0.0.1", 0)),
  "udp: bind() a port in use": () => sock(I, DG).bind(udp().getsockname()),
  "udp: bind() an address not local": () => sock(I, DG).bind(v4("192.0.2.1", 0)),
  "udp: bind() an AF_INET6 address": () => sock(I, DG).bind(v6("::1", 0)),
  "udp: shutdown() bound, unconnected": () => udp().shutdown(C.SHUT_RD),
  "udp: shutdown(3) unconnected": () => sock(I, DG).shutdown(3),
  "udp: getpeername() unconnected": () => sock(I, DG).getpeername(),
  "udp: recv(MSG_ERRQUEUE)": () => udp().recv(new Uint8Array(1), C.MSG_ERRQUEUE),
  "udp: recv(MSG_DONTWAIT) unbound": () => sock(I, DG).recv(new Uint8Array(1), C.MSG_DONTWAIT),
  "udp: send() after shutdown(SHUT_WR)": async () => {
    const s = sock(I, DG);
    await s.connect(v4("127.0.0.1", 9));
    s.shutdown(C.SHUT_WR);
    await s.send(x);
  },
  "udp: sendto() 255.255.255.255 without SO_BROADCAST": () =>
    sock(I, DG).sendto(x, v4("255.255.255.255", 9)),
  "udp: IP_TTL 0": () => sock(I, DG).setsockopt(C.IPPROTO_IP, C.IP_TTL, 0),
  "udp: IP_MULTICAST_TTL 256": () => sock(I, DG).setsockopt(C.IPPROTO_IP, C.IP_MULTICAST_TTL, 256),
  "udp: IP_ADD_MEMBERSHIP twice": () => {
    const s = udp();
    s.setsockopt(C.IPPROTO_IP, C.IP_ADD_MEMBERSHIP, mreq("224.0.0.251"));
    s.setsockopt(C.IPPROTO_IP, C.IP_ADD_MEMBERSHIP, mreq("224.0.0.251"));
  },
  "udp: IP_DROP_MEMBERSHIP not joined": () =>
    udp().setsockopt(C.IPPROTO_IP, C.IP_DROP_MEMBERSHIP, mreq("224.0.0.251")),
  "udp: IP_ADD_MEMBERSHIP of a unicast address": () =>
    udp().setsockopt(C.IPPROTO_IP, C.IP_ADD_MEMBERSHIP, mreq("10.0.0.1")),
  "udp: IP_ADD_MEMBERSHIP with 4 bytes": () =>
    udp().setsockopt(C.IPPROTO_IP, C.IP_ADD_MEMBERSHIP, new Uint8Array([224, 0, 0, 9])),
  "udp: IPV6_JOIN_GROUP on AF_INET": () =>
    sock(I, DG).setsockopt(C.IPPROTO_IPV6, C.IPV6_JOIN_GROUP, mreq6("ff02::1:3")),
  "udp6: IPV6_JOIN_GROUP twice": () => {
    const s = udp(I6);
    s.setsockopt(C.IPPROTO_IPV6, C.IPV6_JOIN_GROUP, mreq6("ff02::1:3"));
    s.setsockopt(C.IPPROTO_IPV6, C.IPV6_JOIN_GROUP, mreq6("ff02::1:3"));
  },
  "udp6: IPV6_LEAVE_GROUP not joined": () =>
    udp(I6).setsockopt(C.IPPROTO_IPV6, C.IPV6_LEAVE_GROUP, mreq6("ff02::1:3")),
  "udp6: IPV6_JOIN_GROUP of a unicast address": () =>
    udp(I6).setsockopt(C.IPPROTO_IPV6, C.IPV6_JOIN_GROUP, mreq6("fd00::1")),
  "udp6: IPV6_MULTICAST_LOOP 5": () =>
    sock(I6, DG).setsockopt(C.IPPROTO_IPV6, C.IPV6_MULTICAST_LOOP, new Uint8Array([5, 0, 0, 0])),
  "udp6: IPV6_V6ONLY after bind()": () => udp(I6).setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1),
  "udp: TCP_NODELAY": () => sock(I, DG).setsockopt(C.IPPROTO_TCP, C.TCP_NODELAY, 1),
  // values read back
  "value: udp SO_RCVBUF after 100000": () => {
    const s = sock(I, DG);
    s.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 100000);
    return int(s, C.SOL_SOCKET, C.SO_RCVBUF);
  },
  "value: udp SO_RCVBUF after 1": () => {
    const s = sock(I, DG);
    s.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 1);
    return int(s, C.SOL_SOCKET, C.SO_RCVBUF);
  },
  "value: udp SO_SNDBUF after 1": () => {
    const s = sock(I, DG);
    s.setsockopt(C.SOL_SOCKET, C.SO_SNDBUF, 1);
    return int(s, C.SOL_SOCKET, C.SO_SNDBUF);
  },
  "value: udp SO_RCVBUF after 10**9": () => {
    const s = sock(I, DG);
    s.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 1e9);
    return int(s, C.SOL_SOCKET, C.SO_RCVBUF);
  },
  "value: udp SO_RCVBUF default": () => int(sock(I, DG), C.SOL_SOCKET, C.SO_RCVBUF),
  "value: udp IP_TTL default": () => int(sock(I, DG), C.IPPROTO_IP, C.IP_TTL),
  "value: udp IP_TTL after -1": () => {
    const s = sock(I, DG);
    s.setsockopt(C.IPPROTO_IP, C.IP_TTL, -1);
    return int(s, C.IPPROTO_IP, C.IP_TTL);
  },
  "value: udp IP_MULTICAST_TTL after -1": () => {
    const s = sock(I, DG);
    s.setsockopt(C.IPPROTO_IP, C.IP_MULTICAST_TTL, -1);
    return int(s, C.IPPROTO_IP, C.IP_MULTICAST_TTL);
  },
  "value: udp IP_MULTICAST_LOOP default": () => int(sock(I, DG), C.IPPROTO_IP, C.IP_MULTICAST_LOOP),
  "value: udp6 IPV6_MULTICAST_LOOP default": () =>
    int(sock(I6, DG), C.IPPROTO_IPV6, C.IPV6_MULTICAST_LOOP),
  "value: tcp SO_TYPE": () => int(sock(), C.SOL_SOCKET, C.SO_TYPE),
  "value: unix SO_PROTOCOL": () => int(sock(U), C.SOL_SOCKET, C.SO_PROTOCOL),
  "value: udp6 SO_PROTOCOL": () => int(sock(I6, DG), C.SOL_SOCKET, C.SO_PROTOCOL),
  "value: tcp SO_KEEPALIVE after 5": () => {
    const s = sock();
    s.setsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE, new Uint8Array([5, 0, 0, 0]));
    return int(s, C.SOL_SOCKET, C.SO_KEEPALIVE);
  },
  "value: tcp SO_TYPE in 1 byte": () => hex(sock().getsockopt(C.SOL_SOCKET, C.SO_TYPE, 1)),
  "value: tcp TCP_NODELAY in 8 bytes": () =>
    hex(sock().getsockopt(C.IPPROTO_TCP, C.TCP_NODELAY, 8)),
  "value: udp IP_TTL in 2 bytes": () => hex(sock(I, DG).getsockopt(C.IPPROTO_IP, C.IP_TTL, 2)),
  "value: tcp getsockname() unbound": () => {
    const a = sock().getsockname() as { hostname: string; port: number };
    return [a.hostname, a.port];
  },
  "value: tcp6 getsockname() unbound": () => {
    const a = sock(I6).getsockname() as { hostname: string; port: number };
    return [a.hostname, a.port];
  },
  "value: unix getsockname() unbound": () => (sock(U).getsockname() as { path: string }).path,
  "value: udp getsockname() after connect()": async () => {
    const s = sock(I, DG);
    await s.connect(v4("127.0.0.1", 9));
    return (s.getsockname() as { hostname: string }).hostname;
  },
  "value: udp6 getsockname() after connect() v4-mapped": async () => {
    const s = sock(I6, DG);
    await s.connect(v6("::ffff:127.0.0.1", 9));
    return (s.getsockname() as { hostname: string }).hostname;
  },
  "value: tcp recv() after the peer's FIN": async () => {
    const [c, a] = await pairTcp();
    a.shutdown(C.SHUT_WR);
    const buf = new Uint8Array(4);
    return hex(buf.subarray(0, await c.recv(buf)));
  },
  "value: tcp recv() after a refused non-blocking connect()": async () => {
    const s = sock();
    await s.connect(v4("127.0.0.1", deadPort()), { timeout: 0 }).catch(() => {});
    await new Promise((r) => setTimeout(r, 50));
    const buf = new Uint8Array(1);
    try {
      await s.recv(buf, 0, { timeout: 0 });
    } catch (err) {
      return [
        (err as SocketError).errno,
        hex(buf.subarray(0, await s.recv(buf, 0, { timeout: 0 }))),
      ];
    }
    return null;
  },
  "value: tcp recv(MSG_TRUNC) 3 of 5": async () => {
    const [c, a] = await pairTcp();
    await a.send(new TextEncoder().encode("hello"));
    await new Promise((r) => setTimeout(r, 50));
    const n = await c.recv(new Uint8Array(3), C.MSG_TRUNC);
    const rest = new Uint8Array(10);
    return [n, hex(rest.subarray(0, await c.recv(rest)))];
  },
};

Deno.test("errno table: UDP refusals and option values equal the kernel's (python3)", () =>
  compareWithKernel(CASES, (name) => /^(udp|value:)/.test(name)));
