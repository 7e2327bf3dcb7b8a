/**
 * TCP on the ffi backend against python3 peers (tests/py/tcp_peer.py): bulk
 * transfers checked byte for byte over IPv4 and IPv6, MSG_WAITALL, MSG_PEEK,
 * MSG_DONTWAIT, end of stream and half-close, out-of-band data, a peer's reset
 * (EPIPE, never SIGPIPE), and a refused connect.
 *
 * @module
 */
import { assert, assertEquals, assertGreater, assertStringIncludes } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { socket } from "../mod.ts";
import type { Socket } from "../socket/socket.ts";
import { sys } from "../socket/ffi/mod.ts";
import { tcpInfo } from "../options/mod.ts";
import { reactor } from "../socket/ffi/reactor.ts";
import {
  delay,
  domainOf,
  fdLedger,
  type Inet,
  loopback,
  portOf,
  python,
  type PythonPeer,
  randomBytes,
  rejectsWith,
  safetyWakeups,
  sha256,
  tcpPair,
  text,
  unreadBytes,
  until,
  utf8,
} from "./_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first stream test", fds.start);

const MiB = 1 << 20;
const T = { timeout: 10_000 };

/** A python3 TCP peer (tests/py/tcp_peer.py) and our socket connected to it. */
interface Peer extends AsyncDisposable {
  py: PythonPeer;
  s: Socket;
}

async function connectToPeer(family: Inet): Promise<Peer> {
  const py = python("tcp_peer.py", [family]);
  const s = socket(domainOf(family), C.SOCK_STREAM, 0, { backend: "ffi" });
  const peer = {
    py,
    s,
    async [Symbol.asyncDispose]() {
      s.close();
      await py[Symbol.asyncDispose]();
    },
  };
  try {
    const { port } = await py.read<{ port: number }>();
    await s.connect({ hostname: loopback(family), port }, T);
    const seen = await py.read<{ peer: [string, number] }>();
    assertEquals(seen.peer, [loopback(family), portOf(s.getsockname())], "python3 sees us");
  } catch (err) {
    await peer[Symbol.asyncDispose]();
    throw err;
  }
  return peer;
}

/** The offset of the first byte where `a` and `b` differ, or -1. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

for (const family of ["inet", "inet6"] as const) {
  for (const waitAll of [false, true]) {
    const how = waitAll ? "one recv(MSG_WAITALL)" : "sendAll() and a recv() loop";
    Deno.test(`TCP/${family}: 8 MiB echoed by python3 come back byte for byte, with ${how}`, async () => {
      await using peer = await connectToPeer(family);
      const { py, s } = peer;
      assertEquals(s.backend, "ffi");
      await py.write({ op: "echo" });
      const data = randomBytes(8 * MiB);
      const back = new Uint8Array(data.length);
      const sending = s.sendAll(data, 0, T).then(() => s.shutdown(C.SHUT_WR));
      let got = 0;
      if (waitAll) {
        got = await s.recv(back, C.MSG_WAITALL, T);
        assertEquals(got, data.length, "MSG_WAITALL returns only when the buffer is full");
      } else {
        for (let n; got < back.length && (n = await s.recv(back.subarray(got), 0, T)) > 0;) {
          got += n;
        }
      }
      await sending;
      assertEquals(await s.recv(new Uint8Array(1), 0, T), 0, "end of stream after the echo");
      const report = await py.read<{ received: number; sha256: string }>();
      assertEquals(report.received, data.length);
      assertEquals(report.sha256, await sha256(data), "python3 received what we sent");
      assertEquals(got, data.length);
      assertEquals(firstDifference(back, data), -1, "the echo matches byte for byte");
    });
  }
}

Deno.test("a send parked on full buffers wakes when python3 drains them, without the safety net", async () => {
  await using peer = await connectToPeer("inet");
  const { py, s } = peer;
  const data = randomBytes(8 * MiB);
  await py.write({ op: "drain_later", ms: 100 });
  const before = await safetyWakeups();
  const t0 = performance.now();
  await s.sendAll(data, 0, T); // parks: python reads nothing for 100 ms
  s.shutdown(C.SHUT_WR);
  const report = await py.read<{ received: number; sha256: string }>();
  assertEquals(report, { received: data.length, sha256: await sha256(data) });
  assertEquals(
    (await safetyWakeups()) - before,
    0,
    `the write-space wakeups came by SIGIO (took ${Math.round(performance.now() - t0)} ms)`,
  );
});

Deno.test("recv(MSG_WAITALL) returns the short count when the stream ends first", async () => {
  await using peer = await connectToPeer("inet");
  const { py, s } = peer;
  await py.write({ op: "send", data: "x".repeat(1000) });
  await py.read();
  await py.write({ op: "close" });
  await py.read();
  const buf = new Uint8Array(4096);
  assertEquals(await s.recv(buf, C.MSG_WAITALL, T), 1000);
  assertEquals(await s.recv(buf, C.MSG_WAITALL, T), 0);
});

Deno.test("recv(MSG_WAITALL) interrupted by its timeout returns the bytes it already has", async () => {
  using pair = await tcpPair();
  const [client, server] = pair;
  await client.sendAll(utf8("part"));
  const buf = new Uint8Array(10);
  assertEquals(await server.recv(buf, C.MSG_WAITALL, { timeout: 100 }), 4);
  assertEquals(text(buf.subarray(0, 4)), "part");
  await rejectsWith(() => server.recv(buf, C.MSG_WAITALL, { timeout: 20 }), "ETIMEDOUT");
});

Deno.test("recv(MSG_WAITALL) interrupted by an abort returns the bytes it already has", async () => {
  using pair = await tcpPair();
  const [client, server] = pair;
  await client.sendAll(utf8("part"));
  const buf = new Uint8Array(10);
  const abort = new AbortController();
  const pending = server.recv(buf, C.MSG_WAITALL, { ...T, signal: abort.signal });
  await delay(20);
  abort.abort(new Error("enough"));
  assertEquals(await pending, 4, "the four bytes already taken from the stream are not lost");
  assertEquals(text(buf.subarray(0, 4)), "part");
  await client.sendAll(utf8("rest"));
  assertEquals(await server.recv(buf.subarray(0, 4), C.MSG_WAITALL, T), 4);
  assertEquals(text(buf.subarray(0, 4)), "rest");
});

Deno.test("recv(MSG_PEEK) waits for data and leaves it in the queue", async () => {
  await using peer = await connectToPeer("inet");
  const { py, s } = peer;
  const buf = new Uint8Array(64);
  const peek = s.recv(buf, C.MSG_PEEK, T);
  await delay(20); // parked: nothing has been sent yet
  await py.write({ op: "send", data: "peekaboo" });
  assertEquals(await peek, 8);
  assertEquals(text(buf.subarray(0, 8)), "peekaboo");
  buf.fill(0);
  assertEquals(await s.recv(buf, 0, T), 8, "the peeked bytes are still there");
  assertEquals(text(buf.subarray(0, 8)), "peekaboo");
  await py.read();
});

Deno.test("recv(MSG_DONTWAIT) fails with EAGAIN at once on a blocking-mode socket", async () => {
  using pair = await tcpPair();
  const [client, server] = pair;
  assertEquals(server.timeout, null);
  const t0 = performance.now();
  await rejectsWith(() => server.recv(new Uint8Array(8), C.MSG_DONTWAIT), "EAGAIN");
  assertEquals(reactor.waiting, 0, "nothing parked");
  assert(performance.now() - t0 < 1000);
  await client.sendAll(utf8("now"));
  assertEquals(await server.recv(new Uint8Array(8), 0, T), 3, "the socket still works");
});

Deno.test("recv() returns 0 at end of stream, and again after that", async () => {
  await using peer = await connectToPeer("inet6");
  const { py, s } = peer;
  const buf = new Uint8Array(16);
  const pending = s.recv(buf, 0, T); // parked before the FIN arrives
  await delay(20);
  await py.write({ op: "close" });
  assertEquals(await pending, 0);
  assertEquals(await s.recv(buf, 0, T), 0);
  await py.read();
});

Deno.test("shutdown(SHUT_WR) is seen by python3 as end of stream; reading still works", async () => {
  await using peer = await connectToPeer("inet");
  const { py, s } = peer;
  await py.write({ op: "read_eof" });
  await s.sendAll(utf8("half a conversation"), 0, T);
  s.shutdown(C.SHUT_WR);
  assertEquals(await py.read(), { eof: true, data: "half a conversation" });
  await rejectsWith(() => s.send(utf8("more")), "EPIPE");
  await py.write({ op: "send", data: "the other half" });
  const buf = new Uint8Array(14);
  assertEquals(await s.recv(buf, C.MSG_WAITALL, T), 14);
  assertEquals(text(buf.subarray(0, 14)), "the other half");
});

Deno.test("recv(MSG_OOB) parks until python3's urgent byte arrives, then gets it", async () => {
  await using peer = await connectToPeer("inet");
  const { py, s } = peer;
  const oob = new Uint8Array(4);
  let settled = false;
  const pending = s.recv(oob, C.MSG_OOB, T);
  pending.then(() => settled = true, () => settled = true);
  await delay(30);
  assertEquals(settled, false, "recv(MSG_OOB) waits while no urgent data is pending");
  await py.write({ op: "send", data: "abc" });
  await py.read();
  await py.write({ op: "oob", data: "!" });
  await py.read();
  await py.write({ op: "send", data: "def" });
  await py.read();
  assertEquals(await pending, 1);
  assertEquals(text(oob.subarray(0, 1)), "!");
  // The urgent byte is out of the stream; reading stops at its mark.
  const buf = new Uint8Array(16);
  assertEquals(await s.recv(buf, 0, T), 3);
  assertEquals(text(buf.subarray(0, 3)), "abc");
  assertEquals(sys.sockatmark(s.fd), 1, "at the mark after the bytes before it");
  assertEquals(await s.recv(buf.subarray(0, 3), C.MSG_WAITALL, T), 3);
  assertEquals(text(buf.subarray(0, 3)), "def");
  assertEquals(sys.sockatmark(s.fd), 0);
});

Deno.test("recv(MSG_OOB) with no urgent data: EINVAL at once when it may not wait, or once none can come", async () => {
  using pair = await tcpPair();
  const [client, server] = pair;
  const buf = new Uint8Array(1);
  // As in C: a call that may not wait gets the kernel's EINVAL.
  await rejectsWith(() => server.recv(buf, C.MSG_OOB, { timeout: 0 }), "EINVAL");
  await rejectsWith(() => server.recv(buf, C.MSG_OOB | C.MSG_DONTWAIT, T), "EINVAL");
  // A waiting call ends with EINVAL when the peer finishes without urgent data.
  const pending = server.recv(buf, C.MSG_OOB, T);
  await delay(20);
  await client.sendAll(utf8("plain"), 0, T); // ordinary data does not end the wait
  await delay(20);
  client.shutdown(C.SHUT_WR);
  const t0 = performance.now();
  await rejectsWith(() => pending, "EINVAL");
  assert(performance.now() - t0 < 1000, "ended by the FIN, not by the timeout");
  await rejectsWith(() => server.recv(buf, C.MSG_OOB, T), "EINVAL");
  assertEquals(reactor.waiting, 0);
});

Deno.test("recv(MSG_OOB) parked: an abort or a timeout ends it like any other call", async () => {
  using pair = await tcpPair();
  const [, server] = pair;
  const buf = new Uint8Array(1);
  const controller = new AbortController();
  const pending = server.recv(buf, C.MSG_OOB, { signal: controller.signal, ...T });
  await delay(10);
  const reason = new Error("stop");
  controller.abort(reason);
  assertEquals(await pending.catch((e) => e), reason);
  await rejectsWith(() => server.recv(buf, C.MSG_OOB, { timeout: 30 }), "ETIMEDOUT");
  assertEquals(reactor.waiting, 0, "both halves of the wait were released");
});

Deno.test("SO_OOBINLINE keeps the urgent byte in the stream, at the mark", async () => {
  await using peer = await connectToPeer("inet");
  const { py, s } = peer;
  s.setsockopt(C.SOL_SOCKET, C.SO_OOBINLINE, true);
  assertEquals(s.getsockopt(C.SOL_SOCKET, C.SO_OOBINLINE), true);
  for (const [op, data] of [["send", "abc"], ["oob", "!"], ["send", "def"]]) {
    await py.write({ op, data });
    await py.read();
  }
  const buf = new Uint8Array(16);
  await until(() => unreadBytes(s) === 7, "all seven bytes queued");
  assertEquals(await s.recv(buf, 0, T), 3, "reading stops at the mark");
  assertEquals(text(buf.subarray(0, 3)), "abc");
  assertEquals(sys.sockatmark(s.fd), 1);
  await rejectsWith(() => s.recv(buf, C.MSG_OOB, T), "EINVAL");
  assertEquals(await s.recv(buf, 0, T), 4);
  assertEquals(text(buf.subarray(0, 4)), "!def");
  assertEquals(sys.sockatmark(s.fd), 0);
});

Deno.test("send() to a peer that reset gives ECONNRESET, then EPIPE, never SIGPIPE", async () => {
  await using peer = await connectToPeer("inet");
  const { py, s } = peer;
  await py.write({ op: "rst" });
  await py.read();
  // Wait for the RST to land (TCP_CLOSE = 7) without consuming the pending error.
  await until(() => tcpInfo(s).state === 7, "the RST");
  const err = await rejectsWith(() => s.send(utf8("anyone?"), 0, T), "ECONNRESET");
  assertEquals(err.syscall, "send");
  await rejectsWith(() => s.send(utf8("anyone?"), 0, T), "EPIPE");
  await rejectsWith(() => s.sendAll(randomBytes(1 << 16), 0, T), "EPIPE");
  await rejectsWith(() => s.sendmsg([utf8("a"), utf8("b")], T), "EPIPE");
  await rejectsWith(() => s.sendto(utf8("c"), s.getsockname(), 0, T), "EPIPE");
  assertEquals(await s.recv(new Uint8Array(8), 0, T), 0, "the error was reported once");
  // Still running: no SIGPIPE ended the process. (Deno ignores SIGPIPE anyway;
  // ffi_process_test.ts checks under strace that every send carries MSG_NOSIGNAL.)
});

for (const family of ["inet", "inet6"] as const) {
  Deno.test(`connect() to a closed ${family} port fails with ECONNREFUSED naming the address`, async () => {
    // A bound socket that does not listen holds the port: nobody can be listening there.
    using holder = socket(domainOf(family), C.SOCK_STREAM, 0, { backend: "ffi" });
    holder.bind({ hostname: loopback(family), port: 0 });
    const { port } = holder.getsockname() as { port: number };
    using s = socket(domainOf(family), C.SOCK_STREAM, 0, { backend: "ffi" });
    const parks = reactor.stats.parks;
    const err = await rejectsWith(
      () => s.connect({ hostname: loopback(family), port }, T),
      "ECONNREFUSED",
    );
    const where = family === "inet" ? `127.0.0.1:${port}` : `[::1]:${port}`;
    assertEquals(err.message, `connect: Connection refused (ECONNREFUSED) ${where}`);
    assertEquals(err.syscall, "connect");
    const { hostname, port: errPort } = err.address as { hostname: string; port: number };
    assertEquals([err.address?.family, hostname, errPort], [family, loopback(family), port]);
    assertGreater(reactor.stats.parks, parks, "the connect went EINPROGRESS → park → SO_ERROR");
    assertStringIncludes(String(err), "ECONNREFUSED");
  });
}

Deno.test("stream tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the stream tests", fds.assertUnchanged);
