/**
 * The life of an ffi Socket: close() (idempotent, EBADF afterwards even when
 * the number is reused, ending parked calls), close-on-exec descriptors,
 * timeouts, AbortSignal, SOCK_NONBLOCK, and async iteration over a listener.
 *
 * @module
 */
import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { type Socket, socket, socketpair } from "../mod.ts";
import { reactor } from "../socket/ffi/reactor.ts";
import {
  delay,
  fdLedger,
  isCloexec,
  portOf,
  rejectsWith,
  safetyWakeups,
  tcpListener,
  tcpPair,
  text,
  throwsWith,
  udpSocket,
  unixPair,
  until,
  utf8,
} from "./_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first lifecycle test", fds.start);

const T = { timeout: 5000 };
const ffi = { backend: "ffi" } as const;

Deno.test("close() is idempotent; the Socket then reports closed, fd -1 and EBADF", async () => {
  const s = socket(C.AF_INET, C.SOCK_DGRAM, 0, ffi);
  assertEquals(String(s), `Socket(fd=${s.fd}, AF_INET/SOCK_DGRAM/IPPROTO_UDP, ffi)`);
  s.close();
  s.close();
  s[Symbol.dispose]();
  assertEquals([s.closed, s.fd], [true, -1]);
  assertEquals(String(s), "Socket(closed, AF_INET/SOCK_DGRAM/IPPROTO_UDP, ffi)");
  throwsWith(() => s.getsockname(), "EBADF");
  await rejectsWith(() => s.recv(new Uint8Array(1)), "EBADF");
});

Deno.test("a closed Socket never touches its old descriptor number once a new socket has it", async () => {
  const stale = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
  const number = stale.fd;
  stale.close();
  using fresh = udpSocket("inet"); // the lowest free number: the one just released
  assertEquals(fresh.fd, number, "the kernel reused the number");
  const addr = fresh.getsockname();
  const buf = new Uint8Array(8);
  const data = utf8("x");
  const sync: [string, () => unknown][] = [
    ["bind", () => stale.bind({ hostname: "127.0.0.1", port: 0 })],
    ["listen", () => stale.listen()],
    ["shutdown", () => stale.shutdown(C.SHUT_RDWR)],
    ["setsockopt", () => stale.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 4096)],
    ["getsockopt", () => stale.getsockopt(C.SOL_SOCKET, C.SO_TYPE)],
    ["getsockname", () => stale.getsockname()],
    ["getpeername", () => stale.getpeername()],
  ];
  for (const [syscall, call] of sync) assertEquals(throwsWith(call, "EBADF").syscall, syscall);
  const async: [string, () => Promise<unknown>][] = [
    ["accept", () => stale.accept(T)],
    ["connect", () => stale.connect(addr, T)],
    ["send", () => stale.send(data, 0, T)],
    ["send", () => stale.sendAll(data, 0, T)],
    ["recv", () => stale.recv(buf, 0, T)],
    ["sendto", () => stale.sendto(data, addr, 0, T)],
    ["recvfrom", () => stale.recvfrom(buf, 0, T)],
    ["sendmsg", () => stale.sendmsg([data], { addr, ...T })],
    ["recvmsg", () => stale.recvmsg([buf], T)],
  ];
  for (const [syscall, call] of async) {
    assertEquals((await rejectsWith(call, "EBADF")).syscall, syscall);
  }
  stale.close();
  // The new socket is untouched: not closed, not shut down, nothing sent or set on it.
  assertEquals(fresh.getsockname(), addr);
  assertEquals(fresh.getsockopt(C.SOL_SOCKET, C.SO_TYPE), C.SOCK_DGRAM);
  await rejectsWith(() => fresh.recv(buf, C.MSG_DONTWAIT), "EAGAIN");
  await fresh.sendto(utf8("still mine"), addr, 0, T);
  assertEquals(text(buf.subarray(0, await fresh.recv(buf, 0, T))), "still mi");
});

Deno.test("close() while calls are parked rejects each of them with EBADF", async () => {
  using listener = tcpListener();
  using pair = await tcpPair();
  const [client, server] = pair;
  using dgram = udpSocket();
  // The server never reads: the client's send fills the buffers and parks, next
  // to the client's own recv, which nobody answers.
  const big = new Uint8Array(1 << 24);
  const parked = [
    ["accept", listener.accept(T)],
    ["recv", client.recv(new Uint8Array(8), 0, T)],
    ["send", client.sendAll(big, 0, T)],
    ["recvfrom", dgram.recvfrom(new Uint8Array(8), 0, T)],
  ] as const;
  for (const [, p] of parked) p.catch(() => {});
  await delay(20);
  assertEquals(reactor.waiting, 4, "four calls parked");
  listener.close();
  server.close();
  client.close();
  dgram.close();
  for (const [syscall, p] of parked) {
    assertEquals((await rejectsWith(() => p, "EBADF")).syscall, syscall);
  }
  assertEquals(reactor.waiting, 0);
});

Deno.test("every descriptor the library makes is close-on-exec", async () => {
  using s = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
  using explicit = socket(C.AF_INET6, C.SOCK_DGRAM | C.SOCK_CLOEXEC, 0, ffi);
  using nb = socket(C.AF_UNIX, C.SOCK_SEQPACKET | C.SOCK_NONBLOCK, 0, ffi);
  const [a, b] = socketpair(C.AF_UNIX, C.SOCK_STREAM, 0, ffi);
  using _a = a;
  using _b = b;
  using pair = await tcpPair("inet6"); // an accept4()ed end among them
  for (const sock of [s, explicit, nb, a, b, ...pair]) {
    assert(isCloexec(sock.fd), `${sock} is close-on-exec`);
  }
});

Deno.test("recv() with a timeout fails with ETIMEDOUT about then, and the socket still works", async () => {
  using pair = await tcpPair();
  const [client, server] = pair;
  const buf = new Uint8Array(8);
  const t0 = performance.now();
  const err = await rejectsWith(() => server.recv(buf, 0, { timeout: 60 }), "ETIMEDOUT");
  const took = performance.now() - t0;
  assert(took >= 55 && took < 2000, `waited ${took} ms`);
  assertEquals(err.message, "recv: Connection timed out (ETIMEDOUT)");
  await client.sendAll(utf8("later"), 0, T);
  assertEquals(text(buf.subarray(0, await server.recv(buf, 0, { timeout: 60 }))), "later");
});

Deno.test("Socket.timeout applies to every call; a call's own timeout overrides it", async () => {
  using listener = tcpListener();
  listener.timeout = 30;
  assertEquals(listener.timeout, 30);
  await rejectsWith(() => listener.accept(), "ETIMEDOUT");
  using client = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
  const accepting = listener.accept({ timeout: null }); // waits however long it takes
  await delay(60);
  await client.connect(listener.getsockname(), T);
  const [conn] = await accepting;
  conn.close();
  listener.timeout = 0;
  await rejectsWith(() => listener.accept(), "EAGAIN");
});

Deno.test("connect() that gets no answer fails with ETIMEDOUT naming the address, or with an abort's reason", async () => {
  // A listener with a full accept queue drops further SYNs: the connect gets no answer.
  using listener = tcpListener("inet", 0);
  using first = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
  await first.connect(listener.getsockname(), T);
  const addr = listener.getsockname();
  using second = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
  const err = await rejectsWith(() => second.connect(addr, { timeout: 100 }), "ETIMEDOUT");
  const where = `127.0.0.1:${portOf(addr)}`;
  assertEquals(err.message, `connect: Connection timed out (ETIMEDOUT) ${where}`);
  using third = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
  const reason = new Error("gave up");
  const controller = new AbortController();
  const pending = third.connect(addr, { signal: controller.signal });
  setTimeout(() => controller.abort(reason), 30);
  assertStrictEquals(await pending.catch((e) => e), reason);
  assertEquals(reactor.waiting, 0);
});

Deno.test("an abort rejects a parked recv() with the signal's reason; the socket stays usable", async () => {
  using pair = await tcpPair();
  const [client, server] = pair;
  const buf = new Uint8Array(8);
  const controller = new AbortController();
  const reason = new Error("changed my mind");
  const pending = server.recv(buf, 0, { signal: controller.signal, ...T });
  await delay(10);
  controller.abort(reason);
  assertStrictEquals(await pending.catch((e) => e), reason);
  assertEquals(reactor.waiting, 0);
  await client.sendAll(utf8("after"), 0, T);
  assertEquals(text(buf.subarray(0, await server.recv(buf, 0, T))), "after");
});

Deno.test("AbortSignal.timeout() rejects with its TimeoutError", async () => {
  using pair = await tcpPair();
  const err = await pair[1].recv(new Uint8Array(1), 0, { signal: AbortSignal.timeout(20) })
    .catch((e) => e);
  assert(err instanceof DOMException && err.name === "TimeoutError", String(err));
});

Deno.test("an already-aborted signal rejects with its reason before any system call", async () => {
  using pair = await tcpPair();
  const [client, server] = pair;
  const signal = AbortSignal.abort(new Error("too late"));
  await client.sendAll(utf8("queued"), 0, T);
  await delay(10);
  const buf = new Uint8Array(16);
  const calls: [string, () => Promise<unknown>][] = [
    ["recv", () => server.recv(buf, 0, { signal })],
    ["recvmsg", () => server.recvmsg([buf], { signal })],
    ["recvfrom", () => server.recvfrom(buf, 0, { signal })],
    ["send", () => client.send(utf8("never"), 0, { signal })],
    ["sendAll", () => client.sendAll(utf8("never"), 0, { signal })],
    ["sendmsg", () => client.sendmsg([utf8("never")], { signal })],
    ["sendto", () => client.sendto(utf8("never"), server.getsockname(), 0, { signal })],
  ];
  for (const [what, call] of calls) {
    const err = await call().then(() => undefined, (e) => e);
    assertStrictEquals(err, signal.reason, `${what} rejects with the reason`);
  }
  assertEquals(text(buf.subarray(0, await server.recv(buf, 0, T))), "queued", "nothing consumed");
  await rejectsWith(() => server.recv(buf, C.MSG_DONTWAIT), "EAGAIN");
});

Deno.test("SOCK_NONBLOCK: timeout 0, and calls fail at once with EAGAIN / EINPROGRESS", async () => {
  using listener = tcpListener();
  using s = socket(C.AF_INET, C.SOCK_STREAM | C.SOCK_NONBLOCK, 0, ffi);
  assertEquals(s.timeout, 0);
  const [a, b] = socketpair(C.AF_UNIX, C.SOCK_DGRAM | C.SOCK_NONBLOCK, 0, ffi);
  using _a = a;
  using _b = b;
  const parks = reactor.stats.parks;
  await rejectsWith(() => a.recv(new Uint8Array(4)), "EAGAIN");
  const err = await rejectsWith(() => s.connect(listener.getsockname()), "EINPROGRESS");
  assertEquals(err.syscall, "connect");
  assertEquals(reactor.stats.parks, parks, "nothing parked");
  // The connect goes on in the kernel: the listener accepts it.
  const [conn] = await listener.accept(T);
  using _conn = conn;
  assertEquals(conn.getpeername(), s.getsockname());
  await b.send(utf8("ok"), 0, { timeout: null }); // a call may still choose to wait
  assertEquals(await a.recv(new Uint8Array(4), 0, { timeout: 1000 }), 2);
});

Deno.test("a listening socket iterates as accepted Sockets and ends when closed", async () => {
  const listener = tcpListener("inet6");
  const accepted: Socket[] = [];
  const iterating = (async () => {
    for await (const conn of listener) accepted.push(conn as Socket);
  })();
  const clients = [];
  for (let i = 0; i < 3; i++) {
    const c = socket(C.AF_INET6, C.SOCK_STREAM, 0, ffi);
    clients.push(c);
    await c.connect(listener.getsockname(), T);
    await c.sendAll(utf8(`client ${i}`), 0, T);
  }
  await until(() => accepted.length === 3, "three connections");
  listener.close(); // parked in accept(): the iteration ends, without an error
  await iterating;
  assertEquals(accepted.length, 3);
  const seen = [];
  for (const conn of accepted) {
    const buf = new Uint8Array(8);
    seen.push(text(buf.subarray(0, await conn.recv(buf, C.MSG_WAITALL, T))));
    assertEquals([conn.family, conn.type, conn.backend], [C.AF_INET6, C.SOCK_STREAM, "ffi"]);
    conn.close();
  }
  for (const c of clients) c.close();
  assertEquals(seen.sort(), ["client 0", "client 1", "client 2"]);
});

Deno.test("unix pairs: recv() returns 0 at end of stream after the peer's shutdown(SHUT_WR)", async () => {
  using pair = unixPair();
  const [a, b] = pair;
  await a.sendAll(utf8("bye"), 0, T);
  a.shutdown(C.SHUT_WR);
  const buf = new Uint8Array(8);
  assertEquals(await b.recv(buf, 0, T), 3);
  assertEquals(await b.recv(buf, 0, T), 0);
  await b.sendAll(utf8("still open this way"), 0, T);
  assertEquals(await a.recv(buf, C.MSG_WAITALL, T), 8);
});

Deno.test("lifecycle tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the lifecycle tests", fds.assertUnchanged);
