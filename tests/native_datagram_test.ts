/**
 * UDP on the native backend against python3 senders and receivers.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { isNativeLimit } from "../socket/native/mod.ts";
import {
  type Inet,
  loopback,
  nativeSocket,
  portOf,
  python,
  rejectsWith,
  sha256,
  throwsWith,
  udpSocket,
} from "./native_helpers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

for (const family of ["inet", "inet6"] as Inet[]) {
  Deno.test(`${family} UDP: datagrams to and from a python3 peer, whole and in order`, async () => {
    await using peer = python("native_peer.py", ["udp", family]);
    const { port } = await peer.read<{ port: number }>();
    using s = udpSocket(family);
    const me = portOf(s.getsockname());
    await peer.write({ op: "sendto", port: me, size: 1200, count: 3 });
    const { sha256: theirs } = await peer.read<{ sha256: string }>();
    const buf = new Uint8Array(2048);
    for (let i = 0; i < 3; i++) {
      const [n, from] = await s.recvfrom(buf, 0, { timeout: 5000 });
      assertEquals(n, 1200);
      assertEquals(await sha256(buf.subarray(0, n)), theirs);
      assertEquals(from.family, family);
      assertEquals([(from as { hostname: string }).hostname, portOf(from)], [
        loopback(family),
        port,
      ]);
    }
    const big = new Uint8Array(60000).map((_, i) => i * 31);
    assertEquals(await s.sendto(big, { hostname: loopback(family), port }), 60000);
    await peer.write({ op: "recvfrom" });
    const got = await peer.read<{ size: number; hex: string; port: number }>();
    assertEquals([got.size, got.port], [60000, me]);
    assertEquals(got.hex, hex(big));
  });
}

Deno.test("UDP: MSG_TRUNC and MSG_PEEK report the datagram honestly", async () => {
  using a = udpSocket();
  using b = udpSocket();
  await b.sendto(enc.encode("0123456789"), a.getsockname());
  const small = new Uint8Array(4);
  assertEquals(await a.recv(small, C.MSG_PEEK), 4);
  const peeked = await a.recvmsg([small], { flags: C.MSG_PEEK | C.MSG_TRUNC });
  assertEquals([peeked.bytes, peeked.flags & C.MSG_TRUNC], [10, C.MSG_TRUNC]);
  assertEquals(peeked.addr, b.getsockname());
  const parts = [new Uint8Array(3), new Uint8Array(3)];
  const r = await a.recvmsg(parts);
  assertEquals([r.bytes, r.flags], [6, C.MSG_TRUNC]);
  assertEquals(dec.decode(parts[0]) + dec.decode(parts[1]), "012345");
  await rejectsWith(() => a.recv(small, 0, { timeout: 0 }), "EAGAIN"); // the rest went with it
  await b.sendto(enc.encode("abcdef"), a.getsockname());
  assertEquals(await a.recv(small, C.MSG_TRUNC, { timeout: 2000 }), 6);
  assertEquals(dec.decode(small), "abcd");
  await b.sendto(new Uint8Array(0), a.getsockname());
  const empty = await a.recvfrom(small, 0, { timeout: 2000 });
  assertEquals(empty, [0, b.getsockname()]);
});

Deno.test("UDP: a full receive buffer drops the new datagrams, not the queued ones", async () => {
  using a = nativeSocket(C.AF_INET, C.SOCK_DGRAM);
  a.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 4096);
  assertEquals(a.getsockopt(C.SOL_SOCKET, C.SO_RCVBUF), 8192);
  a.bind({ hostname: "127.0.0.1", port: 0 });
  await using peer = python("native_peer.py", ["udp", "inet"]);
  await peer.read();
  for (let i = 0; i < 30; i++) {
    await peer.write({ op: "sendto", port: portOf(a.getsockname()), text: `d${i}` });
    await peer.read();
  }
  await new Promise((r) => setTimeout(r, 50));
  const seen: string[] = [];
  const buf = new Uint8Array(16);
  for (;;) {
    try {
      const n = await a.recv(buf, C.MSG_DONTWAIT);
      seen.push(dec.decode(buf.subarray(0, n)));
    } catch {
      break;
    }
  }
  // 8192 bytes of charge at 832 per small datagram: Linux keeps the first 10 (and one more
  // while the charge is still at the limit), then drops.
  assertEquals(seen, Array.from({ length: seen.length }, (_, i) => `d${i}`));
  assert(seen.length >= 9 && seen.length <= 12, `kept ${seen.length}`);
});

Deno.test("UDP: unbound sendto binds to the wildcard; connect sets the peer and filters", async () => {
  using a = udpSocket();
  using b = nativeSocket(C.AF_INET, C.SOCK_DGRAM);
  assertEquals(b.getsockname(), { family: "inet", hostname: "0.0.0.0", port: 0 });
  await b.sendto(enc.encode("first"), a.getsockname());
  const name = b.getsockname();
  assertEquals((name as { hostname: string }).hostname, "0.0.0.0");
  assert(portOf(name) > 0);
  const buf = new Uint8Array(16);
  const [, from] = await a.recvfrom(buf, 0, { timeout: 2000 });
  assertEquals(portOf(from), portOf(name));
  await a.connect(from);
  assertEquals(a.getpeername(), from);
  using stranger = udpSocket();
  await stranger.sendto(enc.encode("not for you"), a.getsockname());
  await b.sendto(enc.encode("for you"), a.getsockname());
  const [n, who] = await a.recvfrom(buf, 0, { timeout: 2000 });
  assertEquals([dec.decode(buf.subarray(0, n)), who], ["for you", from]);
  await rejectsWith(() => a.recv(buf, 0, { timeout: 50 }), "ETIMEDOUT");
  await a.send(enc.encode("reply"));
  assertEquals(await b.recv(buf, 0, { timeout: 2000 }), 5);
  using c = nativeSocket(C.AF_INET, C.SOCK_DGRAM);
  await c.connect(a.getsockname());
  assertEquals(c.getsockname(), {
    family: "inet",
    hostname: "127.0.0.1",
    port: portOf(c.getsockname()),
  });
});

Deno.test("UDP: errors Linux gives for the same calls", async () => {
  using s = nativeSocket(C.AF_INET, C.SOCK_DGRAM);
  await rejectsWith(() => s.send(new Uint8Array(1)), "EDESTADDRREQ");
  await rejectsWith(
    () => s.sendto(new Uint8Array(1), { hostname: "127.0.0.1", port: 0 }),
    "EINVAL",
  );
  await rejectsWith(
    () => s.sendto(new Uint8Array(1), { family: "inet6", hostname: "::1", port: 9 }),
    "EAFNOSUPPORT",
  );
  await rejectsWith(
    () => s.sendto(new Uint8Array(65508), { hostname: "127.0.0.1", port: 9 }),
    "EMSGSIZE",
  );
  await rejectsWith(
    () => s.sendto(new Uint8Array(70000), { hostname: "127.0.0.1", port: 9 }),
    "EMSGSIZE",
  );
  await rejectsWith(
    () => s.sendto(new Uint8Array(1), { hostname: "127.0.0.1", port: 9 }, C.MSG_OOB),
    "EOPNOTSUPP",
  );
  await rejectsWith(
    () => s.sendto(new Uint8Array(1), { hostname: "255.255.255.255", port: 9 }),
    "EACCES",
  );
  s.setsockopt(C.SOL_SOCKET, C.SO_BROADCAST, 1);
  assertEquals(await s.sendto(new Uint8Array(1), { hostname: "127.255.255.255", port: 9 }), 1);
  throwsWith(() => s.listen(), "EOPNOTSUPP");
  await rejectsWith(() => s.accept(), "EOPNOTSUPP");
  throwsWith(() => s.shutdown(C.SHUT_RD), "ENOTCONN");
  throwsWith(() => s.getpeername(), "ENOTCONN");
  throwsWith(() => s.bind({ hostname: "127.0.0.1", port: 0 }), "EINVAL");
  using t = nativeSocket(C.AF_INET, C.SOCK_DGRAM);
  throwsWith(() => t.bind(s.getsockname()), "EADDRINUSE");
  throwsWith(() => t.bind({ hostname: "192.0.2.1", port: 0 }), "EADDRNOTAVAIL");
  await rejectsWith(() => t.recv(new Uint8Array(1), C.MSG_ERRQUEUE), "EAGAIN");
  const err = await rejectsWith(
    () => t.sendto(new Uint8Array(1), s.getsockname(), C.MSG_MORE),
    "EOPNOTSUPP",
  );
  assert(isNativeLimit(err));
});

Deno.test("UDP: shutdown on a connected socket — SHUT_WR gives EPIPE, SHUT_RD drains then 0", async () => {
  using a = udpSocket("inet6");
  using b = udpSocket("inet6");
  await b.connect(a.getsockname());
  await a.connect(b.getsockname());
  await b.send(enc.encode("queued"));
  await new Promise((r) => setTimeout(r, 30));
  a.shutdown(C.SHUT_RD);
  const buf = new Uint8Array(16);
  assertEquals(await a.recv(buf), 6);
  assertEquals(await a.recv(buf), 0);
  b.shutdown(C.SHUT_WR);
  await rejectsWith(() => b.send(enc.encode("x")), "EPIPE");
  await rejectsWith(() => b.sendto(enc.encode("x"), a.getsockname()), "EPIPE");
});

Deno.test("UDP over IPv6: v4-mapped peers, IPV6_V6ONLY before bind only", async () => {
  using v4 = udpSocket("inet");
  using six = nativeSocket(C.AF_INET6, C.SOCK_DGRAM);
  six.bind({ hostname: "::", port: 0 });
  throwsWith(() => six.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1), "EINVAL");
  await six.sendto(enc.encode("via v4"), v4.getsockname()); // an AF_INET address on an AF_INET6 socket
  const buf = new Uint8Array(16);
  const [, from] = await v4.recvfrom(buf, 0, { timeout: 2000 });
  await v4.sendto(enc.encode("back"), from);
  const [n, who] = await six.recvfrom(buf, 0, { timeout: 2000 });
  assertEquals(dec.decode(buf.subarray(0, n)), "back");
  assertEquals(who, {
    family: "inet6",
    hostname: "::ffff:127.0.0.1",
    port: portOf(v4.getsockname()),
    flowinfo: 0,
    scopeId: 0,
  });
  using only = nativeSocket(C.AF_INET6, C.SOCK_DGRAM);
  only.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, true);
  assertEquals(only.getsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY), true);
  await rejectsWith(() => only.sendto(enc.encode("x"), v4.getsockname()), "ENETUNREACH");
  await rejectsWith(() => only.connect(v4.getsockname()), "EAFNOSUPPORT");
});

Deno.test("UDP options: set, read back, Linux's defaults and limits", () => {
  using s = nativeSocket(C.AF_INET, C.SOCK_DGRAM);
  assertEquals(s.getsockopt(C.SOL_SOCKET, C.SO_TYPE), C.SOCK_DGRAM);
  assertEquals(s.getsockopt(C.SOL_SOCKET, C.SO_PROTOCOL), C.IPPROTO_UDP);
  assertEquals(s.getsockopt(C.SOL_SOCKET, C.SO_BROADCAST), false);
  assertEquals(s.getsockopt(C.IPPROTO_IP, C.IP_TTL), 64);
  assertEquals(s.getsockopt(C.IPPROTO_IP, C.IP_MULTICAST_TTL), 1);
  assertEquals(s.getsockopt(C.IPPROTO_IP, C.IP_MULTICAST_LOOP), true);
  assertEquals(s.getsockopt(C.IPPROTO_IP, C.IP_MULTICAST_IF), "0.0.0.0");
  s.setsockopt(C.IPPROTO_IP, C.IP_TTL, 9);
  s.setsockopt(C.IPPROTO_IP, C.IP_MULTICAST_TTL, 3);
  s.setsockopt(C.IPPROTO_IP, C.IP_MULTICAST_LOOP, 0);
  s.setsockopt(C.SOL_SOCKET, C.SO_SNDBUF, 100000);
  s.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 1);
  s.bind({ hostname: "127.0.0.1", port: 0 }); // applied to the new socket here
  assertEquals(s.getsockopt(C.IPPROTO_IP, C.IP_TTL), 9);
  assertEquals(s.getsockopt(C.IPPROTO_IP, C.IP_MULTICAST_TTL), 3);
  assertEquals(s.getsockopt(C.IPPROTO_IP, C.IP_MULTICAST_LOOP), false);
  assertEquals(s.getsockopt(C.SOL_SOCKET, C.SO_SNDBUF), 200000);
  assertEquals(s.getsockopt(C.SOL_SOCKET, C.SO_RCVBUF), 2304);
  s.setsockopt(C.IPPROTO_IP, C.IP_TTL, -1);
  assertEquals(s.getsockopt(C.IPPROTO_IP, C.IP_TTL), 64);
  throwsWith(() => s.setsockopt(C.IPPROTO_IP, C.IP_TTL, 0), "EINVAL");
  throwsWith(() => s.setsockopt(C.IPPROTO_IP, C.IP_MULTICAST_TTL, 256), "EINVAL");
  throwsWith(() => s.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1), "ENOPROTOOPT");
  throwsWith(() => s.getsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY), "EOPNOTSUPP");
  throwsWith(() => s.setsockopt(C.IPPROTO_TCP, C.TCP_NODELAY, 1), "ENOPROTOOPT");
  for (const name of [C.SO_REUSEPORT, C.SO_PRIORITY]) {
    const err = throwsWith(() => s.setsockopt(C.SOL_SOCKET, name, 1), "ENOPROTOOPT");
    assert(isNativeLimit(err));
    assertMatch(err.message, /backend: "ffi"/);
  }
});

Deno.test("multicast: join 224.0.0.x on lo, receive a looped-back datagram, leave", async () => {
  const group = `224.0.0.${200 + Math.floor(Math.random() * 50)}`;
  using r = nativeSocket(C.AF_INET, C.SOCK_DGRAM);
  r.setsockopt(C.SOL_SOCKET, C.SO_REUSEADDR, 1);
  r.bind({ hostname: "0.0.0.0", port: 0 });
  const join = { multiaddr: group, interface: "127.0.0.1" };
  r.setsockopt(C.IPPROTO_IP, C.IP_ADD_MEMBERSHIP, join);
  throwsWith(() => r.setsockopt(C.IPPROTO_IP, C.IP_ADD_MEMBERSHIP, join), "EADDRINUSE");
  throwsWith(
    () =>
      r.setsockopt(C.IPPROTO_IP, C.IP_ADD_MEMBERSHIP, {
        multiaddr: "10.0.0.1",
        interface: "127.0.0.1",
      }),
    "EINVAL",
  );
  const port = portOf(r.getsockname());
  // A python3 sender out of lo…
  await using peer = python("native_peer.py", ["mcast-send", group, String(port), "from python"]);
  await peer.read();
  const buf = new Uint8Array(32);
  let [n] = await r.recvfrom(buf, 0, { timeout: 3000 });
  assertEquals(dec.decode(buf.subarray(0, n)), "from python");
  // …and a native one, with IP_MULTICAST_IF and IP_MULTICAST_LOOP.
  using s = nativeSocket(C.AF_INET, C.SOCK_DGRAM);
  s.setsockopt(C.IPPROTO_IP, C.IP_MULTICAST_IF, new Uint8Array([127, 0, 0, 1])); // an in_addr
  s.setsockopt(C.IPPROTO_IP, C.IP_MULTICAST_LOOP, 1);
  assertEquals(s.getsockopt(C.IPPROTO_IP, C.IP_MULTICAST_IF), "127.0.0.1");
  await s.sendto(enc.encode("from native"), { hostname: group, port });
  [n] = await r.recvfrom(buf, 0, { timeout: 3000 });
  assertEquals(dec.decode(buf.subarray(0, n)), "from native");
  r.setsockopt(C.IPPROTO_IP, C.IP_DROP_MEMBERSHIP, join);
  throwsWith(() => r.setsockopt(C.IPPROTO_IP, C.IP_DROP_MEMBERSHIP, join), "EADDRNOTAVAIL");
  await s.sendto(enc.encode("after leaving"), { hostname: group, port });
  await rejectsWith(() => r.recv(buf, 0, { timeout: 150 }), "ETIMEDOUT");
  const err = throwsWith(
    () => r.setsockopt(C.IPPROTO_IP, C.IP_ADD_MEMBERSHIP, { multiaddr: group, ifindex: 1 }),
    "ENOPROTOOPT",
  );
  assert(isNativeLimit(err));
  await peer.done();
});

Deno.test("multicast over IPv6: join and leave ff02::/16 (lo cannot carry IPv6 multicast)", () => {
  using r = nativeSocket(C.AF_INET6, C.SOCK_DGRAM);
  const group = { multiaddr: "ff02::1:3", ifindex: 0 };
  r.setsockopt(C.IPPROTO_IPV6, C.IPV6_JOIN_GROUP, group); // before bind: applied at bind
  r.bind({ hostname: "::", port: 0 });
  throwsWith(() => r.setsockopt(C.IPPROTO_IPV6, C.IPV6_JOIN_GROUP, group), "EADDRINUSE");
  throwsWith(
    () => r.setsockopt(C.IPPROTO_IPV6, C.IPV6_JOIN_GROUP, { multiaddr: "fd00::1" }),
    "EINVAL",
  );
  r.setsockopt(C.IPPROTO_IPV6, C.IPV6_LEAVE_GROUP, group);
  throwsWith(() => r.setsockopt(C.IPPROTO_IPV6, C.IPV6_LEAVE_GROUP, group), "EADDRNOTAVAIL");
  r.setsockopt(C.IPPROTO_IPV6, C.IPV6_MULTICAST_LOOP, 0);
  assertEquals(r.getsockopt(C.IPPROTO_IPV6, C.IPV6_MULTICAST_LOOP), false);
  throwsWith(
    () => r.setsockopt(C.IPPROTO_IPV6, C.IPV6_MULTICAST_LOOP, new Uint8Array([5, 0, 0, 0])),
    "EINVAL",
  );
  r.setsockopt(C.IPPROTO_IPV6, C.IPV6_MULTICAST_IF, 1);
  assertEquals(r.getsockopt(C.IPPROTO_IPV6, C.IPV6_MULTICAST_IF), 1);
  assert(
    isNativeLimit(
      throwsWith(() => r.setsockopt(C.IPPROTO_IPV6, C.IPV6_MULTICAST_HOPS, 2), "ENOPROTOOPT"),
    ),
  );
});

Deno.test("UDP: timeouts and aborts leave the socket usable; close ends a pending recv with EBADF", async () => {
  using a = udpSocket();
  using b = udpSocket();
  const buf = new Uint8Array(8);
  await rejectsWith(() => a.recv(buf, 0, { timeout: 30 }), "ETIMEDOUT");
  const ac = new AbortController();
  const p = a.recvfrom(buf, 0, { signal: ac.signal });
  ac.abort(new Error("stop"));
  await p.then(() => assert(false), (e) => assertEquals(String(e), "Error: stop"));
  await b.sendto(enc.encode("ok"), a.getsockname());
  assertEquals(await a.recv(buf, 0, { timeout: 2000 }), 2);
  const pending = a.recv(buf);
  a.close();
  a.close();
  await rejectsWith(() => pending, "EBADF");
  await rejectsWith(() => a.recv(buf), "EBADF");
});

Deno.test("UDP: the async iterator yields datagrams and ends at close", async () => {
  const a = udpSocket("inet6");
  using b = udpSocket("inet6");
  await b.sendto(enc.encode("one"), a.getsockname());
  await b.sendto(enc.encode("two"), a.getsockname());
  const seen: string[] = [];
  for await (const item of a) {
    const [data] = item as [Uint8Array, unknown];
    seen.push(dec.decode(data));
    if (seen.length === 2) setTimeout(() => a.close(), 10);
  }
  assertEquals(seen, ["one", "two"]);
});
