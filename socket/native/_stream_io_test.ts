import { assert, assertEquals, assertRejects } from "@std/assert";
import { linux as C } from "../../constants/mod.ts";
import { SocketError } from "../../errno/mod.ts";
import { FakeConn, op } from "./_test_utils.ts";
import { SEND_BUFFER, StreamIo } from "./_stream_io.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

async function code(p: Promise<unknown>): Promise<string> {
  const err = await assertRejects(() => p);
  return err instanceof SocketError ? err.code : String(err);
}

Deno.test("StreamIo.recv: bytes as they come, 0 at end of stream", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  const buf = new Uint8Array(8);
  conn.feed(enc.encode("abc"));
  assertEquals(await io.recv(buf, 0, op(), "recv"), 3);
  conn.feed(null);
  assertEquals(await io.recv(buf, 0, op(), "recv"), 0);
  assertEquals(await io.recv(buf, 0, op(), "recv"), 0);
  io.close();
  assertEquals(conn.calls.at(-1), "close");
});

Deno.test("StreamIo.recv: MSG_PEEK keeps, MSG_WAITALL loops, MSG_TRUNC discards on TCP", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  const buf = new Uint8Array(10);
  conn.feed(enc.encode("hello"));
  assertEquals(await io.recv(buf, C.MSG_PEEK, op(), "recv"), 5);
  assertEquals(await io.recv(buf.subarray(0, 2), C.MSG_PEEK, op(), "recv"), 2);
  const all = io.recv(buf, C.MSG_WAITALL, op(), "recv");
  conn.feed(enc.encode(" wor"));
  conn.feed(enc.encode("ld!"));
  assertEquals(await all, 10);
  assertEquals(dec.decode(buf), "hello worl");
  const junk = new Uint8Array(2).fill(9);
  assertEquals(await io.recv(junk, C.MSG_TRUNC, op(), "recv"), 2);
  assertEquals(junk, new Uint8Array([9, 9]));
  io.close();
});

Deno.test("StreamIo.recv: a timeout loses nothing; non-blocking waits one turn, then EAGAIN", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  const buf = new Uint8Array(4);
  assertEquals(await code(io.recv(buf, 0, op({ timeout: 10 }), "recv")), "ETIMEDOUT");
  assert(conn.reading, "the runtime read stays in flight");
  assertEquals(await code(io.recv(buf, C.MSG_DONTWAIT, op(), "recv")), "EAGAIN");
  conn.feed(enc.encode("late"));
  assertEquals(await io.recv(buf, 0, op({ nonblocking: true }), "recv"), 4);
  assertEquals(dec.decode(buf), "late");
  const ac = new AbortController();
  const aborted = io.recv(buf, 0, op({ signal: ac.signal }), "recv");
  ac.abort("why");
  assertEquals(await code(aborted), "why");
  io.close();
});

Deno.test("StreamIo.recv: a reset is reported once, then the stream reads as ended", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  conn.feed(Object.assign(new Error("reset"), { code: "ECONNRESET" }));
  const buf = new Uint8Array(4);
  assertEquals(await code(io.recv(buf, 0, op(), "recv")), "ECONNRESET");
  assertEquals(await io.recv(buf, 0, op(), "recv"), 0);
  io.close();
});

Deno.test("StreamIo.recv after shutdown(SHUT_RD): what is buffered, then 0 without waiting", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  const buf = new Uint8Array(8);
  const waiting = io.recv(buf, 0, op(), "recv");
  io.shutdown(C.SHUT_RD);
  assertEquals(await waiting, 0);
  conn.feed(enc.encode("xy"));
  await new Promise((r) => setTimeout(r, 0));
  assertEquals(await io.recv(buf, 0, op(), "recv"), 2);
  assertEquals(await io.recv(buf, 0, op(), "recv"), 0);
  io.close();
});

Deno.test("StreamIo.send: bounded buffer — EAGAIN when full, blocking waits, order kept", async () => {
  const conn = new FakeConn();
  conn.holdWrites = true;
  const io = new StreamIo(conn, true);
  const big = new Uint8Array(SEND_BUFFER + 100).map((_, i) => i & 0xff);
  assertEquals(await io.send(big, C.MSG_DONTWAIT, op(), "send"), SEND_BUFFER);
  assertEquals(
    await code(io.send(new Uint8Array(1), 0, op({ nonblocking: true }), "send")),
    "EAGAIN",
  );
  assertEquals(await code(io.send(new Uint8Array(1), 0, op({ timeout: 10 }), "send")), "ETIMEDOUT");
  const rest = io.send(big.subarray(SEND_BUFFER), 0, op(), "send");
  conn.writeLimit = 1000;
  conn.release();
  assertEquals(await rest, 100);
  await new Promise((r) => setTimeout(r, 20));
  assertEquals(conn.written.length, big.byteLength);
  assertEquals(new Uint8Array(conn.written), big);
  io.close();
});

/** A deadline far away: the call takes the buffered path without ever timing out. */
const buffered = () => op({ timeout: 60_000 });
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

Deno.test("StreamIo.send, blocking with no deadline: one runtime write of the caller's bytes, returned when out", async () => {
  const conn = new FakeConn();
  conn.holdWrites = true;
  const io = new StreamIo(conn, true);
  let done = false;
  const sending = io.send(enc.encode("hello"), 0, op(), "send").then((n) => (done = true, n));
  await tick();
  assertEquals(done, false, "a blocking send returns once the runtime took the bytes");
  const queued = io.send(enc.encode(" world"), 0, op(), "send"); // behind it, in the buffer
  conn.writeLimit = 2;
  conn.release();
  assertEquals(await sending, 5);
  assertEquals(await queued, 6);
  await tick(10);
  assertEquals(dec.decode(new Uint8Array(conn.written)), "hello world");
  const all = new Uint8Array(7000).map((_, i) => i & 0xff);
  conn.written = [];
  conn.writeLimit = 1000;
  await io.sendAll(all, 0, op(), "send");
  assertEquals(new Uint8Array(conn.written), all);
  io.close();
});

Deno.test("StreamIo.shutdown(SHUT_WR): FIN after the buffered bytes; later sends EPIPE", async () => {
  const conn = new FakeConn();
  conn.holdWrites = true;
  const io = new StreamIo(conn, true);
  await io.send(enc.encode("data"), 0, buffered(), "send");
  io.shutdown(C.SHUT_WR);
  assertEquals(conn.calls.includes("closeWrite"), false);
  assertEquals(await code(io.send(enc.encode("x"), 0, op(), "send")), "EPIPE");
  conn.release();
  await tick(10);
  assertEquals(conn.calls.filter((c) => c === "write" || c === "closeWrite"), [
    "write",
    "closeWrite",
  ]);
  io.close();
});

Deno.test("StreamIo.shutdown(SHUT_WR) during a direct send: FIN once its bytes are out", async () => {
  const conn = new FakeConn();
  conn.holdWrites = true;
  const io = new StreamIo(conn, true);
  const sending = io.send(enc.encode("data"), 0, op(), "send");
  await tick();
  io.shutdown(C.SHUT_WR);
  assertEquals(conn.calls.includes("closeWrite"), false);
  conn.release();
  assertEquals(await sending, 4);
  await tick();
  assertEquals(conn.calls.filter((c) => c === "write" || c === "closeWrite"), [
    "write",
    "closeWrite",
  ]);
  io.close();
});

Deno.test("StreamIo: a failed background write is reported once, then EPIPE", async () => {
  const conn = new FakeConn();
  conn.writeError = Object.assign(new Error("reset"), { code: "ECONNRESET" });
  const io = new StreamIo(conn, true);
  assertEquals(await io.send(enc.encode("x"), 0, buffered(), "send"), 1);
  await tick(10);
  assertEquals(await code(io.send(enc.encode("x"), 0, op(), "send")), "ECONNRESET");
  assertEquals(await code(io.send(enc.encode("x"), 0, op(), "send")), "EPIPE");
  io.close();
});

Deno.test("StreamIo: a direct send that fails reports it itself, once; then EPIPE", async () => {
  const conn = new FakeConn();
  conn.writeError = Object.assign(new Error("reset"), { code: "ECONNRESET" });
  const io = new StreamIo(conn, true);
  assertEquals(await code(io.send(enc.encode("x"), 0, op(), "send")), "ECONNRESET");
  assertEquals(io.takeError(), null, "the error was the call's, not left pending");
  assertEquals(await code(io.sendAll(enc.encode("x"), 0, op(), "send")), "EPIPE");
  io.close();
});

Deno.test("StreamIo: a direct write cut short then failing — send returns the part, sendAll fails", async () => {
  for (const all of [false, true]) {
    const conn = new FakeConn();
    conn.writeLimit = 3;
    const io = new StreamIo(conn, true);
    const writing = all
      ? io.sendAll(enc.encode("abcdef"), 0, op(), "send")
      : io.send(enc.encode("abcdef"), 0, op(), "send");
    conn.writeError = Object.assign(new Error("reset"), { code: "ECONNRESET" });
    if (all) assertEquals(await code(writing), "ECONNRESET");
    else {
      assertEquals(await writing, 3);
      assertEquals(await code(io.send(enc.encode("x"), 0, op(), "send")), "ECONNRESET");
    }
    assertEquals(await code(io.send(enc.encode("x"), 0, op(), "send")), "EPIPE");
    assertEquals(dec.decode(new Uint8Array(conn.written)), "abc");
    io.close();
  }
});

Deno.test("StreamIo.close: pending calls get EBADF; buffered bytes go out before the close", async () => {
  const conn = new FakeConn();
  conn.holdWrites = true;
  const io = new StreamIo(conn, true);
  const pending = io.recv(new Uint8Array(1), 0, op(), "recv");
  await io.send(enc.encode("bye"), 0, buffered(), "send");
  io.close();
  io.close();
  assertEquals(await code(pending), "EBADF");
  assertEquals(conn.closed, false);
  conn.release();
  await tick(10);
  assertEquals(dec.decode(new Uint8Array(conn.written)), "bye");
  assertEquals(conn.closed, true);
});

Deno.test("StreamIo.close during a direct send: the call rejects EBADF at once and the connection closes", async () => {
  for (const all of [false, true]) {
    const conn = new FakeConn();
    conn.holdWrites = true;
    const io = new StreamIo(conn, true);
    const data = enc.encode("bye");
    const sending = all ? io.sendAll(data, 0, op(), "send") : io.send(data, 0, op(), "send");
    let settled = false;
    sending.then(() => settled = true, () => settled = true);
    await tick();
    io.close();
    assertEquals(conn.closed, true, "the connection closes at once");
    await Promise.resolve();
    assertEquals(settled, true, "close() answers the call at once");
    assertEquals(await code(sending), "EBADF");
    conn.release(); // the cancelled write fails; nothing escapes
    await tick(10);
    assertEquals(conn.written, []);
  }
});

Deno.test("StreamIo.close during a send waiting for room: EBADF at once, queued bytes dropped", async () => {
  const conn = new FakeConn();
  conn.holdWrites = true;
  const io = new StreamIo(conn, true);
  const sending = io.sendAll(new Uint8Array(SEND_BUFFER * 3), 0, buffered(), "send");
  await tick();
  io.close();
  assertEquals(conn.closed, true);
  assertEquals(await code(sending), "EBADF");
  conn.release();
  await tick(10);
  assertEquals(conn.written, []);
});

Deno.test("StreamIo.close during a partly written direct sendAll: the rest is never written", async () => {
  const conn = new FakeConn();
  conn.writeLimit = 4;
  const io = new StreamIo(conn, true);
  const sending = io.sendAll(enc.encode("0123456789abcdef"), 0, op(), "send");
  await Promise.resolve();
  await Promise.resolve();
  io.close();
  assertEquals(await code(sending), "EBADF");
  await tick(10);
  assert(conn.written.length < 16, `wrote ${conn.written.length} bytes`);
  const before = conn.written.length;
  await tick(10);
  assertEquals(conn.written.length, before);
  assertEquals(conn.closed, true);
});

Deno.test("StreamIo.recv, blocking: one read of a whole chunk; what the buffer cannot take is kept", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  const buf = new Uint8Array(4);
  const reading = io.recv(buf, 0, op(), "recv");
  conn.feed(enc.encode("abcdefgh"));
  assertEquals(await reading, 4);
  assertEquals(dec.decode(buf), "abcd");
  assertEquals(await io.recv(buf, 0, op(), "recv"), 4);
  assertEquals(dec.decode(buf), "efgh");
  assertEquals(conn.calls.filter((c) => c === "read").length, 1);
  const big = new Uint8Array(100).map((_, i) => i);
  const into = new Uint8Array(200);
  const more = io.recv(into, 0, op(), "recv");
  conn.feed(big);
  assertEquals(await more, 100);
  assertEquals(into.subarray(0, 100), big);
  io.close();
});

Deno.test("StreamIo.recv, blocking: SHUT_RD answers 0 at once and the read in flight loses nothing", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  const buf = new Uint8Array(8).fill(7);
  const waiting = io.recv(buf, 0, op(), "recv");
  await tick();
  assert(conn.reading && conn.refd, "its read is in flight and holds the process");
  io.shutdown(C.SHUT_RD);
  assertEquals(await waiting, 0);
  assert(conn.reading && !conn.refd, "the read stays in flight, for nobody");
  conn.feed(enc.encode("late"));
  await tick();
  assertEquals(buf, new Uint8Array(8).fill(7), "the answered call's buffer is left alone");
  assertEquals(await io.recv(buf, 0, op(), "recv"), 4);
  assertEquals(dec.decode(buf.subarray(0, 4)), "late");
  assertEquals(await io.recv(buf, 0, op(), "recv"), 0);
  io.close();
});

Deno.test("StreamIo.recv, blocking: a reset rejects it once; close rejects it with EBADF", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  const buf = new Uint8Array(4);
  const reset = io.recv(buf, 0, op(), "recv");
  conn.feed(Object.assign(new Error("reset"), { code: "ECONNRESET" }));
  assertEquals(await code(reset), "ECONNRESET");
  assertEquals(await io.recv(buf, 0, op(), "recv"), 0);
  io.close();
  const conn2 = new FakeConn();
  const io2 = new StreamIo(conn2, true);
  const closing = io2.recv(buf, 0, op(), "recv");
  io2.close();
  assertEquals(await code(closing), "EBADF");
  assertEquals(conn2.closed, true);
});

Deno.test("StreamIo refs the connection exactly while a call waits on a read", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  assertEquals(conn.refd, false);
  const waiting = io.recv(new Uint8Array(1), 0, op(), "recv");
  assert(conn.reading && conn.refd);
  conn.feed(enc.encode("z"));
  await waiting;
  assertEquals(await code(io.recv(new Uint8Array(1), 0, op({ timeout: 5 }), "recv")), "ETIMEDOUT");
  assert(conn.reading && !conn.refd, "a read left in flight by a timeout holds nothing");
  const again = io.recv(new Uint8Array(1), 0, buffered(), "recv");
  await tick();
  assert(conn.refd, "a waiting call refs the read it waits for");
  conn.feed(enc.encode("y"));
  assertEquals(await again, 1);
  assertEquals(await code(io.recv(new Uint8Array(1), C.MSG_DONTWAIT, op(), "recv")), "EAGAIN");
  assert(conn.reading && !conn.refd, "nor does a read a non-blocking call started");
  io.close();
});

Deno.test("StreamIo.recv, with a deadline or a signal: one read; giving up leaves it to land in the buffer", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  const buf = new Uint8Array(8).fill(7);
  const first = io.recv(buf, 0, op({ timeout: 60_000 }), "recvfrom");
  conn.feed(enc.encode("on time"));
  assertEquals(await first, 7, "answered before its deadline, whose timer is gone (no leak)");
  const ac = new AbortController();
  buf.fill(7);
  const aborted = io.recv(buf, 0, op({ signal: ac.signal }), "recv");
  await tick();
  assert(conn.reading && conn.refd);
  ac.abort("stop");
  assertEquals(await code(aborted), "stop");
  assert(conn.reading && !conn.refd, "the read stays in flight, for nobody");
  conn.feed(enc.encode("kept"));
  await tick();
  assertEquals(buf, new Uint8Array(8).fill(7), "the abandoned call's buffer is left alone");
  assertEquals(await io.recv(buf, 0, op({ timeout: 1000 }), "recv"), 4);
  assertEquals(dec.decode(buf.subarray(0, 4)), "kept");
  const late = io.recv(buf, 0, op({ timeout: 5 }), "recvmsg");
  const err = await assertRejects(() => late);
  assert(err instanceof SocketError && err.code === "ETIMEDOUT" && err.syscall === "recvmsg");
  conn.feed(enc.encode("after"));
  assertEquals(await io.recv(buf, 0, op(), "recv"), 5);
  // A signal whose call is over has no say in the next one.
  const old = new AbortController();
  const done = io.recv(buf, 0, op({ signal: old.signal }), "recv");
  conn.feed(enc.encode("x"));
  assertEquals(await done, 1);
  const next = io.recv(buf, 0, op(), "recv");
  old.abort("too late");
  conn.feed(enc.encode("yz"));
  assertEquals(await next, 2);
  io.close();
});
