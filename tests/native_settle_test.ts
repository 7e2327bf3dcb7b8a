/**
 * Every call settles on the native backend: close() ends a send that waits
 * on a peer that does not read (EBADF at once, the connection released, no
 * byte written after it), a MSG_WAITALL cut short keeps the bytes it had, and
 * a bind to an interface that does not exist fails as the kernel fails it.
 * Peers are python3 processes; the connection's state comes from `ss`.
 */
import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { SocketError } from "../errno/mod.ts";
import type { Socket } from "../socket/socket.ts";
import { fdCount, until } from "./_helpers.ts";
import {
  domainOf,
  type Inet,
  loopback,
  nativeSocket,
  portOf,
  python,
  rejectsWith,
} from "./native_helpers.ts";

const MB = 1 << 20;
const dec = new TextDecoder();

/** How many TCP connections in state `state` go from local port `from` to port `to` (ss, both ends filtered). */
async function connections(state: string, from: number, to: number): Promise<number> {
  const filter = `( sport = :${from} and dport = :${to} )`;
  const out = await new Deno.Command("ss", { args: ["-Htn", "state", state, filter] }).output();
  assert(out.success, dec.decode(out.stderr));
  return dec.decode(out.stdout).split("\n").filter((line) => line.trim() !== "").length;
}

/** Where a promise stands now (after the microtasks queued so far have run). */
function track<T>(p: Promise<T>): { state: string; value?: T; error?: unknown } {
  const seen: { state: string; value?: T; error?: unknown } = { state: "pending" };
  p.then(
    (value) => Object.assign(seen, { state: "resolved", value }),
    (error) => Object.assign(seen, { state: "rejected", error }),
  );
  return seen;
}

/** A native TCP connection to a python3 peer that does not read until told: `[socket, peer, peer port]`. */
async function toIdlePeer(family: Inet) {
  const peer = python("native_peer.py", ["tcp", family, "listen"], 30_000);
  const { port } = await peer.read<{ port: number }>();
  const s = nativeSocket(domainOf(family), C.SOCK_STREAM);
  await s.connect({ hostname: loopback(family), port }, { timeout: 5000 });
  await peer.read(); // {"peer"}
  return { s, peer, port };
}

/** Waits until the kernel's buffers toward `port` are full: the send is blocked on the peer. */
async function blocked(s: Socket, port: number): Promise<void> {
  await new Promise((r) => setTimeout(r, 150));
  assertEquals(await connections("established", portOf(s.getsockname()), port), 1);
}

for (const call of ["sendAll", "send"] as const) {
  Deno.test(`close() during a ${call}() of 16 MiB to a peer that does not read: EBADF at once, the connection ends, nothing more is written`, async () => {
    const { s, peer, port } = await toIdlePeer("inet");
    await using _peer = peer;
    const local = portOf(s.getsockname());
    const data = new Uint8Array(16 * MB).fill(7);
    const sending: Promise<unknown> = call === "sendAll" ? s.sendAll(data) : s.send(data);
    const seen = track(sending);
    await blocked(s, port);
    assertEquals(seen.state, "pending", "the peer does not read: the send waits");
    const fds = fdCount();
    s.close();
    await new Promise((r) => setTimeout(r, 0));
    assertEquals(
      seen.state,
      "rejected",
      `close() settles the ${call}() at once (it was ${seen.state})`,
    );
    await rejectsWith(() => sending, "EBADF");
    // Released: our end is no longer an established connection, and its descriptor is gone.
    await new Promise((r) => setTimeout(r, 100));
    assertEquals(await connections("established", local, port), 0, "our end is closed");
    await until(() => fdCount() === fds - 1, "the connection's descriptor to close", 1000);
    // The peer now reads: what the kernel held at close(), then end of stream; never all 16 MiB.
    await peer.write({ op: "read_eof" });
    const report = await peer.read<{ received: number; error?: string }>();
    assert(
      report.received < data.byteLength,
      `the peer read ${report.received} bytes: the write went on after close()`,
    );
    assertEquals(await connections("established", port, local), 0, "the peer's end saw it end");
  });
}

Deno.test("close() of 8 writers blocked in sendAll(): all settle with EBADF, no connection stays established", async () => {
  const writers = await Promise.all(Array.from({ length: 8 }, () => toIdlePeer("inet")));
  try {
    const data = new Uint8Array(16 * MB);
    const sends = writers.map(({ s }) => s.sendAll(data));
    const seen = sends.map(track);
    await Promise.all(writers.map(({ s, port }) => blocked(s, port)));
    const ends = writers.map(({ s, port }) => [portOf(s.getsockname()), port]);
    for (const { s } of writers) s.close();
    await new Promise((r) => setTimeout(r, 0));
    assertEquals(seen.map((x) => x.state), writers.map(() => "rejected"));
    for (const p of sends) await rejectsWith(() => p, "EBADF");
    await new Promise((r) => setTimeout(r, 100));
    for (const [local, port] of ends) {
      assertEquals(await connections("established", local, port), 0);
    }
  } finally {
    for (const { s, peer } of writers) {
      s.close();
      await peer[Symbol.asyncDispose]();
    }
  }
});

for (const how of ["close", "timeout", "abort", "end of stream"] as const) {
  Deno.test(`recv(MSG_WAITALL) cut short by ${how} returns the bytes it already had`, async () => {
    await using peer = python("native_peer.py", ["tcp", "inet", "listen"]);
    const { port } = await peer.read<{ port: number }>();
    using s = nativeSocket(C.AF_INET, C.SOCK_STREAM);
    await s.connect({ hostname: "127.0.0.1", port }, { timeout: 5000 });
    await peer.read(); // {"peer"}
    const abort = new AbortController();
    const buf = new Uint8Array(10);
    const opts = how === "timeout"
      ? { timeout: 400 }
      : how === "abort"
      ? { signal: abort.signal }
      : {};
    const waiting = s.recv(buf, C.MSG_WAITALL, opts);
    const seen = track(waiting);
    await peer.write({ op: "send", text: "abc" });
    await peer.read(); // {"ok"}
    await new Promise((r) => setTimeout(r, 100)); // the 3 bytes reach the socket
    assertEquals(seen.state, "pending", "MSG_WAITALL waits for all 10 bytes");
    if (how === "close") s.close();
    if (how === "abort") abort.abort(new Error("stop"));
    if (how === "end of stream") await peer.write({ op: "shut_wr" });
    assertEquals(await waiting, 3);
    assertEquals(dec.decode(buf.subarray(0, 3)), "abc");
  });
}

Deno.test("bind() to a scope id of no interface: SocketError ENODEV, as python3's bind gives", async () => {
  // The kernel's answer for the same bind, on a fresh socket, with an index no interface has.
  await using kernel = python(
    `import socket
from _peer import say
idx = 99
while True:
    try:
        socket.if_indextoname(idx)
        idx += 1
    except OSError:
        break
out = {}
for kind, t in (("udp", socket.SOCK_DGRAM), ("tcp", socket.SOCK_STREAM)):
    s = socket.socket(socket.AF_INET6, t)
    try:
        s.bind(("fe80::1", 0, 0, idx))
        out[kind] = "ok"
    except OSError as e:
        out[kind] = e.errno
    s.close()
say(index=idx, **out)`,
    [],
  );
  const want = await kernel.read<{ index: number; udp: number; tcp: number }>();
  assertEquals([want.udp, want.tcp], [19, 19], "Linux: ENODEV");
  for (const [type, kind] of [[C.SOCK_DGRAM, "udp"], [C.SOCK_STREAM, "tcp"]] as const) {
    for (
      const addr of [
        { family: "inet6" as const, hostname: `fe80::1%${want.index}`, port: 0 },
        { family: "inet6" as const, hostname: "fe80::1", port: 0, scopeId: want.index },
      ]
    ) {
      using s = nativeSocket(C.AF_INET6, type);
      let err: unknown;
      try {
        s.bind(addr);
        if (type === C.SOCK_STREAM) s.listen();
      } catch (e) {
        err = e;
      }
      assertInstanceOf(err, SocketError, `${kind} ${JSON.stringify(addr)}: ${err}`);
      assertEquals(err.errno, want[kind], `${kind} ${JSON.stringify(addr)}: ${err.message}`);
      assertEquals(err.code, "ENODEV");
    }
  }
});
