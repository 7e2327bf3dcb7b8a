/**
 * socket(2), TCP and unix stream calls on the native backend give the
 * kernel's errno (see tests/native_errno_harness.ts; the cases of
 * tests/fixtures/native_errno.py of the same names).
 */
import { linux as C } from "../constants/mod.ts";
import {
  type Case,
  compareWithKernel,
  connected,
  create,
  deadPort,
  DG,
  I,
  I6,
  listener,
  LONG,
  mreq,
  nbTwice,
  opened,
  scratch,
  sock,
  ST,
  U,
  un,
  unixListener,
  v4,
  v6,
  x,
} from "./native_errno_harness.ts";
import { portOf } from "./native_helpers.ts";

const CASES: Record<string, Case> = {
  // socket(2)
  "socket(AF_INET, SOCK_STREAM, IPPROTO_UDP)": () => create(I, ST, 17),
  "socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP)": () => create(I, DG, 6),
  "socket(AF_INET6, SOCK_STREAM, IPPROTO_UDP)": () => create(I6, ST, 17),
  "socket(AF_INET, SOCK_RDM, 0)": () => create(I, C.SOCK_RDM, 0),
  "socket(AF_INET, 0, 0)": () => create(I, 0, 0),
  "socket(AF_INET, SOCK_RAW, 0)": () => create(I, C.SOCK_RAW, 0),
  "socket(9999, SOCK_STREAM, 0)": () => create(9999, ST, 0),
  "socket(-1, SOCK_STREAM, 0)": () => create(-1, ST, 0),
  "socket(AF_INET, 99, 0)": () => create(I, 99, 0),
  "socket(AF_INET, 11, 0)": () => create(I, 11, 0),
  "socket(AF_INET, SOCK_STREAM | 0x100, 0)": () => create(I, ST | 0x100, 0),
  "socket(9999, 99, 0)": () => create(9999, 99, 0),
  "socket(AF_INET, SOCK_STREAM, 300)": () => create(I, ST, 300),
  "socket(AF_INET, SOCK_STREAM, -1)": () => create(I, ST, -1),
  "socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 6)": () =>
    create(I, ST | C.SOCK_NONBLOCK | C.SOCK_CLOEXEC, 6),
  "socket(AF_INET6, SOCK_DGRAM, 0)": () => create(I6, DG, 0),
  "socket(AF_UNIX, SOCK_STREAM, 1)": () => create(U, ST, 1),
  "socket(AF_UNIX, SOCK_STREAM, 2)": () => create(U, ST, 2),
  "socket(AF_UNIX, SOCK_STREAM, -1)": () => create(U, ST, -1),
  "socket(AF_UNIX, 0, 0)": () => create(U, 0, 0),
  // TCP
  "tcp: listen() on a UDP socket": () => sock(I, DG).listen(),
  "tcp: accept() on a UDP socket": () => sock(I, DG).accept(),
  "tcp: accept() before listen()": () => sock().accept(),
  "tcp: accept() bound, not listening": () => {
    const s = sock();
    s.bind(v4("127.0.0.1", 0));
    return s.accept();
  },
  "tcp: recv() before connect()": () => sock().recv(new Uint8Array(1)),
  "tcp: send() before connect()": () => sock().send(x),
  "tcp: sendto() before connect()": () => sock().sendto(x, v4("127.0.0.1", 9)),
  "tcp: recv() on a listener": () => listener().recv(new Uint8Array(1)),
  "tcp: send() on a listener": () => listener().send(x),
  "tcp: connect() on a listener": () => {
    const l = listener();
    return l.connect(l.getsockname());
  },
  "tcp: connect() twice": async () => {
    const c = await connected();
    await c.connect(c.getpeername());
  },
  "tcp: connect() twice, wrong family": async () => (await connected()).connect(v6("::1", 9)),
  "tcp: sendto() when connected ignores the address": async () =>
    (await connected()).sendto(x, v4("127.0.0.1", 9)),
  "tcp: bind() twice": () => {
    const s = sock();
    s.bind(v4("127.0.0.1", 0));
    s.bind(v4("127.0.0.1", 0));
  },
  "tcp: listen() when connected": async () => (await connected()).listen(),
  "tcp: listen() twice": () => listener().listen(3),
  "tcp: shutdown() unconnected": () => sock().shutdown(C.SHUT_WR),
  "tcp: shutdown(3)": async () => (await connected()).shutdown(3),
  "tcp: shutdown(3) unconnected": () => sock().shutdown(3),
  "tcp: send() after shutdown(SHUT_WR)": async () => {
    const c = await connected();
    c.shutdown(C.SHUT_WR);
    await c.send(x);
  },
  "tcp: getpeername() unconnected": () => sock().getpeername(),
  "tcp: getpeername() on a listener": () => listener().getpeername(),
  "tcp: connect() refused": () => sock().connect(v4("127.0.0.1", deadPort())),
  "tcp: connect() to port 0": () => sock().connect(v4("127.0.0.1", 0)),
  "tcp6: connect() v4-mapped with IPV6_V6ONLY": () => {
    const l = listener();
    const s = sock(I6);
    s.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1);
    return s.connect(v6("::ffff:127.0.0.1", portOf(l.getsockname())));
  },
  "tcp6: IPV6_V6ONLY after bind()": () => {
    const s = sock(I6);
    s.bind(v6("::1", 0));
    s.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1);
  },
  "tcp6: bind() v4-mapped with IPV6_V6ONLY": () => {
    const s = sock(I6);
    s.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1);
    s.bind(v6("::ffff:127.0.0.1", 0));
  },
  "tcp: bind() an AF_INET6 address": () => sock().bind(v6("::1", 0)),
  "tcp6: bind() an AF_INET address": () => sock(I6).bind(v4("127.0.0.1", 0)),
  "tcp: bind() a short AF_UNIX address": () => sock().bind(un("/tmp/x")),
  "tcp: bind() a long AF_UNIX address": () => sock().bind(un(LONG)),
  "tcp6: bind() a long AF_UNIX address": () => sock(I6).bind(un(LONG)),
  "tcp: connect() an AF_INET6 address": () => sock().connect(v6("::1", 9)),
  "tcp6: connect() an AF_INET address": () => sock(I6).connect(v4("127.0.0.1", 9)),
  "tcp: bind()+listen() on a port in use": () => {
    const l = listener();
    const s = sock();
    s.bind(l.getsockname());
    s.listen();
  },
  "tcp: bind()+listen() on an address not local": () => {
    const s = sock();
    s.bind(v4("192.0.2.1", 0));
    s.listen();
  },
  "tcp: IP_ADD_MEMBERSHIP": () =>
    sock().setsockopt(C.IPPROTO_IP, C.IP_ADD_MEMBERSHIP, mreq("224.0.0.9")),
  "tcp: setsockopt(SO_TYPE)": () => sock().setsockopt(C.SOL_SOCKET, C.SO_TYPE, 1),
  "tcp: setsockopt(TCP_NODELAY) with 2 bytes": () =>
    sock().setsockopt(C.IPPROTO_TCP, C.TCP_NODELAY, new Uint8Array([1, 0])),
  "tcp: getsockopt(IPV6_V6ONLY) on AF_INET": () => sock().getsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY),
  "tcp: setsockopt(IPV6_V6ONLY) on AF_INET": () =>
    sock().setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1),
  "tcp: recv(MSG_ERRQUEUE)": async () =>
    (await connected()).recv(new Uint8Array(1), C.MSG_ERRQUEUE),
  "tcp: non-blocking connect() twice": () => nbTwice(() => listener().getsockname(), false),
  "tcp: non-blocking connect() refused, then connect()": () =>
    nbTwice(() => v4("127.0.0.1", deadPort()), false),
  "tcp: non-blocking connect() refused, SO_ERROR, then connect()": () =>
    nbTwice(() => v4("127.0.0.1", deadPort()), true),
  // unix
  "unix: listen() unbound": () => sock(U).listen(),
  "unix: bind() an existing file": () => sock(U).bind({ path: `${scratch}/file` }),
  "unix: bind() in a missing directory": () => sock(U).bind({ path: `${scratch}/none/x.sock` }),
  "unix: bind() twice": () => {
    const s = sock(U);
    s.bind({ path: `${scratch}/b1.sock` });
    s.bind({ path: `${scratch}/b2.sock` });
  },
  "unix: bind() an AF_INET address": () => sock(U).bind(v4("127.0.0.1", 0)),
  "unix: connect() a missing path": () => sock(U).connect({ path: `${scratch}/none.sock` }),
  "unix: connect() a regular file": () => sock(U).connect({ path: `${scratch}/file` }),
  "unix: connect() an AF_INET address": () => sock(U).connect(v4("127.0.0.1", 9)),
  "unix: connect() on a listener": () => {
    const addr = unixListener("l1.sock");
    return opened[opened.length - 1].connect(addr);
  },
  "unix: connect() twice": async () => {
    const addr = unixListener("l2.sock");
    const s = sock(U);
    await s.connect(addr);
    await s.connect(addr);
  },
  "unix: accept() unlistened": () => sock(U).accept(),
  "unix: recv() unconnected": () => sock(U).recv(new Uint8Array(1)),
  "unix: send() unconnected": () => sock(U).send(x),
  "unix: shutdown() unconnected": () => sock(U).shutdown(C.SHUT_RDWR),
  "unix: getpeername() unconnected": () => sock(U).getpeername(),
  "unix: sendto() unconnected": () => sock(U).sendto(x, { path: `${scratch}/file` }),
  "unix: sendto() connected": async () => {
    const addr = unixListener("l3.sock");
    const s = sock(U);
    await s.connect(addr);
    await s.sendto(x, addr);
  },
  "unix: TCP_NODELAY": () => sock(U).setsockopt(C.IPPROTO_TCP, C.TCP_NODELAY, 1),
  "unix: SO_KEEPALIVE": () => sock(U).setsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE, 1),
};

Deno.test("errno table: socket(), TCP and unix refusals equal the kernel's (python3)", () =>
  compareWithKernel(CASES, (name) => !/^(udp|value:)/.test(name)));
