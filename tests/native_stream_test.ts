/**
 * TCP data on the native backend against real peers (python3, itself): bulk
 * transfer, recv flags, shutdown, resets, options, close.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { isNativeLimit } from "../socket/native/mod.ts";
import {
  domainOf,
  type Inet,
  loopback,
  nativeSocket,
  pattern,
  portOf,
  python,
  readAll,
  rejectsWith,
  sha256,
  tcpListener,
  tcpPair,
  throwsWith,
} from "./native_helpers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const MB = 1 << 20;

for (const family of ["inet", "inet6"] as Inet[]) {
  Deno.test(`${family}: 8 MiB through a python3 echo peer come back byte-exact`, async () => {
    await using peer = python("native_peer.py", ["tcp", family, "listen"]);
    const { port } = await peer.read<{ port: number }>();
    using s = nativeSocket(domainOf(family), C.SOCK_STREAM);
    await s.connect({ hostname: loopback(family), port }, { timeout: 5000 });
    const { peer: seen } = await peer.read<{ peer: [string, number] }>();
    assertEquals(seen, [loopback(family), portOf(s.getsockname())]);
    await peer.write({ op: "echo" });
    const data = pattern(8 * MB, family === "inet" ? 7 : 11);
    const sending = s.sendAll(data).then(() => s.shutdown(C.SHUT_WR));
    const back = await readAll(s);
    await sending;
    const report = await peer.read<{ received: number; sha256: string }>();
    const sent = await sha256(data);
    assertEquals(report, { received: data.byteLength, sha256: sent });
    assertEquals(back.byteLength, data.byteLength);
    assertEquals(await sha256(back), sent);
  });

  Deno.test(`${family}: a native listener takes 4 MiB from a python3 client and answers`, async () => {
    using listener = tcpListener(family);
    await using peer = python("native_peer.py", [
      "tcp",
      family,
      String(portOf(listener.getsockname())),
    ]);
    const [conn, from] = await listener.accept({ timeout: 5000 });
    using _conn = conn;
    const { local } = await peer.read<{ local: [string, number] }>();
    assertEquals([(from as { hostname: string }).hostname, portOf(from)], local);
    assertEquals(conn.getpeername(), from);
    assertEquals(conn.getsockname(), listener.getsockname());
    await peer.write({ op: "send_random", n: 4 * MB });
    await peer.write({ op: "shut_wr" });
    const got = await readAll(conn);
    const { sha256: theirs } = await peer.read<{ sha256: string }>();
    await peer.read(); // shut_wr
    assertEquals(await sha256(got), theirs);
    await peer.write({ op: "read_eof" });
    await conn.sendAll(enc.encode("thanks"));
    conn.shutdown(C.SHUT_WR);
    assertEquals((await peer.read<{ text: string }>()).text, "thanks");
  });
}

Deno.test("recv: MSG_PEEK keeps the bytes, MSG_WAITALL waits for all, MSG_TRUNC discards", async () => {
  using pair = await tcpPair();
  const [a, b] = pair;
  const buf = new Uint8Array(16);
  await a.send(enc.encode("hello "));
  assertEquals(await b.recv(buf, C.MSG_PEEK), 6);
  assertEquals(dec.decode(buf.subarray(0, 6)), "hello ");
  assertEquals(await b.recv(buf.subarray(0, 3), C.MSG_PEEK), 3);
  const waiting = b.recv(buf.subarray(0, 11), C.MSG_WAITALL);
  await new Promise((r) => setTimeout(r, 50));
  await a.send(enc.encode("world"));
  assertEquals(await waiting, 11);
  assertEquals(dec.decode(buf.subarray(0, 11)), "hello world");
  await a.send(enc.encode("discarded kept"));
  await b.recv(buf.subarray(0, 14), C.MSG_PEEK | C.MSG_WAITALL);
  const junk = new Uint8Array(10).fill(7);
  assertEquals(await b.recv(junk, C.MSG_TRUNC), 10);
  assertEquals(junk, new Uint8Array(10).fill(7)); // TCP MSG_TRUNC: dropped, not copied
  assertEquals(await b.recv(buf), 4);
  assertEquals(dec.decode(buf.subarray(0, 4)), "kept");
  assertEquals(await b.recv(new Uint8Array(0)), 0);
});

Deno.test("recv: MSG_WAITALL returns what it has at end of stream", async () => {
  using pair = await tcpPair("inet6");
  const [a, b] = pair;
  await a.send(enc.encode("abc"));
  a.shutdown(C.SHUT_WR);
  const buf = new Uint8Array(10);
  assertEquals(await b.recv(buf, C.MSG_WAITALL), 3);
  assertEquals(await b.recv(buf), 0);
  assertEquals(await b.recv(buf, C.MSG_WAITALL), 0);
});

Deno.test("non-blocking recv: EAGAIN with nothing buffered, the bytes once they came", async () => {
  using pair = await tcpPair();
  const [a, b] = pair;
  const buf = new Uint8Array(8);
  await rejectsWith(() => b.recv(buf, C.MSG_DONTWAIT), "EAGAIN");
  await rejectsWith(() => b.recv(buf, 0, { timeout: 0 }), "EAGAIN");
  await a.send(enc.encode("now"));
  await new Promise((r) => setTimeout(r, 30));
  assertEquals(await b.recv(buf, C.MSG_DONTWAIT), 3);
  await rejectsWith(() => b.recv(buf, C.MSG_DONTWAIT), "EAGAIN");
  const nb = nativeSocket(C.AF_INET, C.SOCK_STREAM | C.SOCK_NONBLOCK);
  using _nb = nb;
  assertEquals(nb.timeout, 0);
  await rejectsWith(() => nb.recv(buf), "ENOTCONN");
});

Deno.test("a timed-out or aborted recv leaves the socket usable and loses nothing", async () => {
  using pair = await tcpPair();
  const [a, b] = pair;
  const buf = new Uint8Array(32);
  const t0 = performance.now();
  await rejectsWith(() => b.recv(buf, 0, { timeout: 60 }), "ETIMEDOUT");
  assert(performance.now() - t0 >= 55);
  const ac = new AbortController();
  const aborted = b.recv(buf, 0, { signal: ac.signal });
  ac.abort(new Error("enough"));
  await assertRejects(() => aborted, Error, "enough");
  await a.send(enc.encode("still here"));
  assertEquals(await b.recv(buf, 0, { timeout: 2000 }), 10);
  assertEquals(dec.decode(buf.subarray(0, 10)), "still here");
  b.timeout = 50;
  await rejectsWith(() => b.recv(buf), "ETIMEDOUT");
  b.timeout = null;
  await b.send(enc.encode("back"));
  assertEquals(await a.recv(buf, 0, { timeout: 2000 }), 4);
});

Deno.test("shutdown: SHUT_WR sends FIN after the queued bytes; SHUT_RD makes recv return 0", async () => {
  await using peer = python("native_peer.py", ["tcp", "inet", "listen"]);
  const { port } = await peer.read<{ port: number }>();
  using s = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  await s.connect({ hostname: "127.0.0.1", port });
  await peer.read();
  await peer.write({ op: "read_eof" });
  const data = pattern(3 * MB, 3);
  await s.sendAll(data);
  s.shutdown(C.SHUT_WR);
  s.shutdown(C.SHUT_WR);
  const report = await peer.read<{ received: number; sha256: string }>();
  assertEquals(report.received, data.byteLength);
  assertEquals(report.sha256, await sha256(data));
  await rejectsWith(() => s.send(enc.encode("x")), "EPIPE");
  await peer.write({ op: "send", text: "late" });
  await peer.read();
  await new Promise((r) => setTimeout(r, 30));
  s.shutdown(C.SHUT_RD);
  const buf = new Uint8Array(8);
  assertEquals(await s.recv(buf), 4); // Linux still hands over what is queued
  assertEquals(await s.recv(buf), 0);
  throwsWith(() => s.shutdown(3), "EINVAL");
});

Deno.test("a blocked recv: SHUT_RD answers it with 0 at once; what comes later is kept", async () => {
  await using peer = python("native_peer.py", ["tcp", "inet", "listen"]);
  const { port } = await peer.read<{ port: number }>();
  using s = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  await s.connect({ hostname: "127.0.0.1", port });
  await peer.read();
  const buf = new Uint8Array(8).fill(1);
  const blocked = s.recv(buf);
  await new Promise((r) => setTimeout(r, 30));
  s.shutdown(C.SHUT_RD);
  assertEquals(await blocked, 0);
  assertEquals(buf, new Uint8Array(8).fill(1));
  await peer.write({ op: "send", text: "late" });
  await peer.read();
  await new Promise((r) => setTimeout(r, 30));
  assertEquals(await s.recv(buf), 4);
  assertEquals(new TextDecoder().decode(buf.subarray(0, 4)), "late");
  assertEquals(await s.recv(buf), 0);
});

Deno.test("a reset from the peer: ECONNRESET once, then end of stream", async () => {
  await using peer = python("native_peer.py", ["tcp", "inet", "listen"]);
  const { port } = await peer.read<{ port: number }>();
  using s = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  await s.connect({ hostname: "127.0.0.1", port });
  await peer.read();
  await peer.write({ op: "rst" });
  await peer.read();
  await new Promise((r) => setTimeout(r, 30));
  const buf = new Uint8Array(8);
  await rejectsWith(() => s.recv(buf), "ECONNRESET");
  assertEquals(await s.recv(buf), 0);
  const err = await assertRejects(async () => {
    for (let i = 0; i < 100; i++) {
      await s.send(new Uint8Array(1000));
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  assertMatch(String(err), /EPIPE|ECONNRESET/);
});

Deno.test("send to a peer that closed ends in EPIPE or ECONNRESET, never a signal", async () => {
  await using peer = python("native_peer.py", ["tcp", "inet6", "listen"]);
  const { port } = await peer.read<{ port: number }>();
  using s = nativeSocket(C.AF_INET6, C.SOCK_STREAM);
  await s.connect({ hostname: "::1", port });
  await peer.read();
  await peer.write({ op: "close" });
  await peer.read();
  const err = await assertRejects(async () => {
    for (let i = 0; i < 200; i++) {
      await s.send(new Uint8Array(4096));
      await new Promise((r) => setTimeout(r, 2));
    }
  });
  assertMatch(String(err), /EPIPE|ECONNRESET/);
  assertEquals(await s.recv(new Uint8Array(4)), 0);
});

Deno.test("options: TCP_NODELAY and SO_KEEPALIVE reach the connection, are read back, are inherited", async () => {
  using listener = tcpListener();
  listener.setsockopt(C.IPPROTO_TCP, C.TCP_NODELAY, true);
  listener.setsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE, 1);
  using s = nativeSocket(C.AF_INET, C.SOCK_STREAM);
  assertEquals(s.getsockopt(C.IPPROTO_TCP, C.TCP_NODELAY), false);
  s.setsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE, true);
  s.setsockopt("IPPROTO_TCP", "TCP_NODELAY", 1);
  await s.connect(listener.getsockname());
  const [conn] = await listener.accept();
  using _conn = conn;
  for (const sock of [s, conn]) {
    assertEquals(sock.getsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE), true);
    assertEquals(sock.getsockopt(C.IPPROTO_TCP, C.TCP_NODELAY), true);
  }
  // The kernel runs a keepalive timer on both ends: ss(8) shows it.
  const ss = new Deno.Command("ss", { args: ["-tnoH", "state", "established"] }).outputSync();
  const lines = dec.decode(ss.stdout).split("\n");
  for (const port of [portOf(s.getsockname()), portOf(conn.getsockname())]) {
    const line = lines.find((l) => l.includes(`127.0.0.1:${port} `));
    assert(line?.includes("keepalive"), `no keepalive timer for :${port} in\n${lines.join("\n")}`);
  }
  s.setsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE, 0);
  assertEquals(s.getsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE), false);
});

Deno.test("options: what native knows of itself, and ENOPROTOOPT for the rest", async () => {
  using pair = await tcpPair("inet6");
  const [a] = pair;
  assertEquals(a.getsockopt(C.SOL_SOCKET, C.SO_TYPE), C.SOCK_STREAM);
  assertEquals(a.getsockopt(C.SOL_SOCKET, C.SO_DOMAIN), C.AF_INET6);
  assertEquals(a.getsockopt(C.SOL_SOCKET, C.SO_PROTOCOL), C.IPPROTO_TCP);
  assertEquals(a.protocol, C.IPPROTO_TCP); // socket() said 0: Socket reads SO_PROTOCOL
  assertEquals(a.getsockopt(C.SOL_SOCKET, C.SO_ERROR), 0);
  assertEquals(a.getsockopt(C.SOL_SOCKET, C.SO_REUSEADDR), false);
  assertEquals(a.getsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY), false);
  assertEquals(a.getsockopt(C.SOL_SOCKET, C.SO_TYPE, 8), new Uint8Array([1, 0, 0, 0]));
  throwsWith(() => a.setsockopt(C.SOL_SOCKET, C.SO_TYPE, 1), "ENOPROTOOPT");
  throwsWith(() => a.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, 1), "EINVAL");
  for (const [level, name] of [[C.SOL_SOCKET, C.SO_LINGER], [C.IPPROTO_TCP, C.TCP_KEEPIDLE]]) {
    const err = throwsWith(() => a.getsockopt(level, name), "ENOPROTOOPT");
    assert(isNativeLimit(err));
    assertMatch(err.message, /--allow-ffi|npm install koffi/); // how to get it: Deno, Node
  }
  throwsWith(() => a.setsockopt(C.SOL_SOCKET, C.SO_LINGER, { onoff: 1, linger: 0 }), "ENOPROTOOPT");
  throwsWith(() => a.setsockopt(C.SOL_SOCKET, C.SO_REUSEADDR, 0), "ENOPROTOOPT");
  using l = tcpListener();
  assertEquals(l.getsockopt(C.SOL_SOCKET, C.SO_REUSEADDR), true); // Deno's listeners set it
});

Deno.test("close: idempotent; pending calls and later calls fail with EBADF", async () => {
  using pair = await tcpPair();
  const [a] = pair;
  const pending = a.recv(new Uint8Array(4));
  const listener = tcpListener();
  const accepting = listener.accept();
  a.close();
  a.close();
  listener.close();
  await rejectsWith(() => pending, "EBADF");
  await rejectsWith(() => accepting, "EBADF");
  await rejectsWith(() => a.send(new Uint8Array(1)), "EBADF");
  throwsWith(() => a.getsockname(), "EBADF");
  assertEquals(a.closed, true);
  assertEquals(a.fd, -1);
});

Deno.test("toString: a native socket has no descriptor to show", () => {
  const s = nativeSocket(C.AF_INET6, C.SOCK_STREAM);
  assertEquals(String(s), "Socket(AF_INET6/SOCK_STREAM/IPPROTO_TCP, native)");
  s.close();
  assertEquals(String(s), "Socket(closed, AF_INET6/SOCK_STREAM/IPPROTO_TCP, native)");
});
