/**
 * Connection set-up on the native backend: connect (timeouts, aborts,
 * non-blocking, refusals), listen, accept, bind-then-connect, dual stack.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { isNativeLimit } from "../socket/native/mod.ts";
import {
  nativeSocket,
  portOf,
  python,
  rejectsWith,
  tcpListener,
  throwsWith,
} from "./native_helpers.ts";

const enc = new TextEncoder();

Deno.test("accept: a timed-out accept loses no connection; non-blocking gives EAGAIN", async () => {
  using listener = tcpListener("inet6");
  await rejectsWith(() => listener.accept({ timeout: 40 }), "ETIMEDOUT");
  await rejectsWith(() => listener.accept({ timeout: 0 }), "EAGAIN");
  using c = nativeSocket(C.AF_INET6, C.SOCK_STREAM);
  await c.connect(listener.getsockname());
  const [conn, peer] = await listener.accept({ timeout: 2000 });
  using _conn = conn;
  assertEquals(peer, c.getsockname());
  assertEquals(peer.family, "inet6");
  assertEquals(conn.getsockopt(C.SOL_SOCKET, C.SO_ACCEPTCONN), false);
  assertEquals(listener.getsockopt(C.SOL_SOCKET, C.SO_ACCEPTCONN), true);
});

Deno.test("connect: a timeout against a full backlog, then the socket connects elsewhere", async () => {
  await using full = python("native_peer.py", ["tcp-full", "inet"]);
  const { port } = await full.read<{ port: number }>();
  using s = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  const t0 = performance.now();
  await rejectsWith(
    () => s.connect({ hostname: "127.0.0.1", port }, { timeout: 150 }),
    "ETIMEDOUT",
  );
  assert(performance.now() - t0 >= 140);
  throwsWith(() => s.getpeername(), "ENOTCONN");
  const ac = new AbortController();
  const pending = s.connect({ hostname: "127.0.0.1", port }, { signal: ac.signal });
  setTimeout(() => ac.abort(new Error("changed my mind")), 30);
  await assertRejects(() => pending, Error, "changed my mind");
  using listener = tcpListener();
  await s.connect(listener.getsockname(), { timeout: 2000 });
  const [conn] = await listener.accept();
  using _conn = conn;
  await s.send(enc.encode("ok"));
  assertEquals(await conn.recv(new Uint8Array(2)), 2);
});

Deno.test("connect: non-blocking gives EINPROGRESS, then EALREADY, then 0 once and EISCONN", async () => {
  await using full = python("native_peer.py", ["tcp-full", "inet"]);
  const { port } = await full.read<{ port: number }>();
  using s = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  await rejectsWith(
    () => s.connect({ hostname: "127.0.0.1", port }, { timeout: 0 }),
    "EINPROGRESS",
  );
  await rejectsWith(() => s.connect({ hostname: "127.0.0.1", port }, { timeout: 0 }), "EALREADY");
  await rejectsWith(() => s.recv(new Uint8Array(1), 0, { timeout: 0 }), "EAGAIN");
  s.close();
  using listener = tcpListener();
  using t = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  await rejectsWith(() => t.connect(listener.getsockname(), { timeout: 0 }), "EINPROGRESS");
  const [conn] = await listener.accept({ timeout: 2000 });
  using _conn = conn;
  await new Promise((r) => setTimeout(r, 20));
  assertEquals(t.getsockopt(C.SOL_SOCKET, C.SO_ERROR), 0);
  await t.connect(listener.getsockname()); // completes the non-blocking connect: 0
  await rejectsWith(() => t.connect(listener.getsockname()), "EISCONN");
});

Deno.test("connect: refused is ECONNREFUSED and the socket may try again", async () => {
  using listener = tcpListener();
  const port = portOf(listener.getsockname());
  listener.close();
  using s = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  await rejectsWith(() => s.connect({ hostname: "127.0.0.1", port }), "ECONNREFUSED");
  await rejectsWith(
    () => s.connect({ hostname: "127.0.0.1", port }, { timeout: 0 }),
    "EINPROGRESS",
  );
  await new Promise((r) => setTimeout(r, 30));
  assertEquals(s.getsockopt(C.SOL_SOCKET, C.SO_ERROR), 111); // ECONNREFUSED, taken
  await rejectsWith(() => s.connect({ hostname: "127.0.0.1", port }), "ECONNABORTED");
  await rejectsWith(() => s.connect({ hostname: "127.0.0.1", port: 0 }), "ECONNREFUSED");
  using again = tcpListener();
  await s.connect(again.getsockname());
  (await again.accept())[0].close();
});

Deno.test("listen: unbound picks a port on the wildcard; a port in use fails at listen()", () => {
  using a = nativeSocket(C.AF_INET6, C.SOCK_STREAM);
  a.listen();
  const name = a.getsockname();
  assertEquals(name.family, "inet6");
  assertEquals((name as { hostname: string }).hostname, "::");
  assert(portOf(name) > 0);
  a.listen(5); // listening again is allowed
  using b = nativeSocket(C.AF_INET6, C.SOCK_STREAM);
  b.bind({ hostname: "::", port: portOf(name) });
  assertEquals(b.getsockname(), { ...name }); // recorded, as given
  throwsWith(() => b.listen(), "EADDRINUSE");
  using c = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  c.bind({ hostname: "192.0.2.1", port: 0 });
  throwsWith(() => c.listen(), "EADDRNOTAVAIL");
});

Deno.test("shutdown(SHUT_RD) on a listener stops it: accept EINVAL; listen() again on the same port", async () => {
  using l = tcpListener();
  const name = l.getsockname();
  const waiting = l.accept();
  l.shutdown(C.SHUT_WR); // no effect on a listener
  l.shutdown(C.SHUT_RD);
  await rejectsWith(() => waiting, "EINVAL");
  await rejectsWith(() => l.accept(), "EINVAL");
  // Deno closes a listener with an accept in flight on its next turn.
  await new Promise((r) => setTimeout(r, 10));
  using c = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  await rejectsWith(() => c.connect(name), "ECONNREFUSED");
  l.listen(4);
  assertEquals(l.getsockname(), name);
  await c.connect(name);
  (await l.accept())[0].close();
});

Deno.test("bind then connect: from port 0 on the wildcard works; from a fixed port is a native limit", async () => {
  using listener = tcpListener();
  using a = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  a.bind({ hostname: "0.0.0.0", port: 0 });
  await a.connect(listener.getsockname());
  (await listener.accept())[0].close();
  using b = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  b.bind({ hostname: "127.0.0.1", port: 0 });
  await b.connect(listener.getsockname());
  assertEquals((b.getsockname() as { hostname: string }).hostname, "127.0.0.1");
  (await listener.accept())[0].close();
  using c = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  c.bind({ hostname: "127.0.0.1", port: 40000 + Math.floor(Math.random() * 20000) });
  const err = await rejectsWith(() => c.connect(listener.getsockname()), "EOPNOTSUPP");
  assert(isNativeLimit(err));
  assertMatch(err.message, /backend: "ffi"/);
});

Deno.test("IPv6 dual stack: a v4 client of a [::] listener is ::ffff:127.0.0.1", async () => {
  using l = nativeSocket(C.AF_INET6, C.SOCK_STREAM);
  l.bind({ hostname: "::", port: 0 });
  l.listen();
  using c = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  await c.connect({ hostname: "127.0.0.1", port: portOf(l.getsockname()) });
  const [conn, peer] = await l.accept();
  using _conn = conn;
  assertEquals(peer, {
    family: "inet6",
    hostname: "::ffff:127.0.0.1",
    port: portOf(c.getsockname()),
    flowinfo: 0,
    scopeId: 0,
  });
  using m = nativeSocket(C.AF_INET6, C.SOCK_STREAM);
  await m.connect({ hostname: "::ffff:127.0.0.1", port: portOf(l.getsockname()) });
  (await l.accept())[0].close();
  using v6only = nativeSocket(C.AF_INET6, C.SOCK_STREAM);
  v6only.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1);
  await rejectsWith(
    () => v6only.connect({ hostname: "::ffff:127.0.0.1", port: portOf(l.getsockname()) }),
    "ENETUNREACH",
  );
});

Deno.test("a failed non-blocking connect: recv reports it once, then reads end of stream", async () => {
  using listener = tcpListener();
  const port = portOf(listener.getsockname());
  listener.close();
  using s = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  await rejectsWith(
    () => s.connect({ hostname: "127.0.0.1", port }, { timeout: 0 }),
    "EINPROGRESS",
  );
  await new Promise((r) => setTimeout(r, 30));
  const buf = new Uint8Array(1);
  await rejectsWith(() => s.recv(buf), "ECONNREFUSED");
  assertEquals(await s.recv(buf), 0);
  await rejectsWith(() => s.send(buf), "EPIPE");
  await rejectsWith(() => s.connect({ hostname: "127.0.0.1", port }), "ECONNABORTED");
  await rejectsWith(() => s.recv(buf), "ENOTCONN"); // connect() reported it: the socket is reset
});
