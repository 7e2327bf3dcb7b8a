import { assert, assertEquals, assertRejects } from "@std/assert";
import { linux as C } from "../../constants/mod.ts";
import { SocketError } from "../../errno/mod.ts";
import { FakeConn, op } from "./_fake_conn_test_util.ts";
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

Deno.test("StreamIo.shutdown(SHUT_WR): FIN after the buffered bytes; later sends EPIPE", async () => {
  const conn = new FakeConn();
  conn.holdWrites = true;
  const io = new StreamIo(conn, true);
  await io.send(enc.encode("data"), 0, op(), "send");
  io.shutdown(C.SHUT_WR);
  assertEquals(conn.calls.includes("closeWrite"), false);
  assertEquals(await code(io.send(enc.encode("x"), 0, op(), "send")), "EPIPE");
  conn.release();
  await new Promise((r) => setTimeout(r, 10));
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
  assertEquals(await io.send(enc.encode("x"), 0, op(), "send"), 1);
  await new Promise((r) => setTimeout(r, 10));
  assertEquals(await code(io.send(enc.encode("x"), 0, op(), "send")), "ECONNRESET");
  assertEquals(await code(io.send(enc.encode("x"), 0, op(), "send")), "EPIPE");
  io.close();
});

Deno.test("StreamIo.close: pending calls get EBADF; buffered bytes go out before the close", async () => {
  const conn = new FakeConn();
  conn.holdWrites = true;
  const io = new StreamIo(conn, true);
  const pending = io.recv(new Uint8Array(1), 0, op(), "recv");
  await io.send(enc.encode("bye"), 0, op(), "send");
  io.close();
  io.close();
  assertEquals(await code(pending), "EBADF");
  assertEquals(conn.closed, false);
  conn.release();
  await new Promise((r) => setTimeout(r, 10));
  assertEquals(dec.decode(new Uint8Array(conn.written)), "bye");
  assertEquals(conn.closed, true);
});

Deno.test("StreamIo refs the connection only while a call waits", async () => {
  const conn = new FakeConn();
  const io = new StreamIo(conn, true);
  assertEquals(conn.calls, ["unref"]);
  const waiting = io.recv(new Uint8Array(1), 0, op(), "recv");
  await new Promise((r) => setTimeout(r, 0));
  conn.feed(enc.encode("z"));
  await waiting;
  assertEquals(conn.calls.filter((c) => c === "ref" || c === "unref"), ["unref", "ref", "unref"]);
  io.close();
});
