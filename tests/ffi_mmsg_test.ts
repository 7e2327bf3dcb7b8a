/**
 * sendmmsg/recvmmsg on the ffi backend against the kernel and python3 peers:
 * counts, contents and sender addresses both ways on IPv4 and IPv6, `strace -c`
 * showing one system call per batch, MSG_TRUNC per message, shapes that grow and
 * shrink, waiting, timeouts, abort and close, concurrent calls, a unix datagram
 * pair, and bad input rejected before any datagram leaves.
 *
 * @module
 */
import { assert, assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { SocketError } from "../errno/mod.ts";
import { encodeSockAddr } from "../address/mod.ts";
import { socket } from "../mod.ts";
import type { MmsgMessage, Socket } from "../socket/socket.ts";
import { sys } from "../socket/ffi/mod.ts";
import { datagrams, sendDatagrams } from "../socket/datagram.ts";
import { errno } from "../socket/ffi/_libc.ts";
import { errnoName } from "../errno/mod.ts";
import {
  delay,
  fdLedger,
  type Inet,
  loopback,
  portOf,
  rejectsWith,
  runDeno,
  safetyWakeups,
  tempDir,
  udpSocket,
  unixPair,
} from "./_helpers.ts";
import { burstPayload, hex, pyReceiver, pySender, type Seen } from "./_mmsg_peers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first batch test", fds.start);

const T = { timeout: 5000 };

/** Detaches `b`'s ArrayBuffer (transfers it away). */
function detach(b: Uint8Array): void {
  (b.buffer as ArrayBuffer).transfer();
}

function buffers(n: number, size: number): Uint8Array[] {
  return Array.from({ length: n }, () => new Uint8Array(size));
}

/** Receives until `count` datagrams are in, batch after batch. */
async function recvAll(s: Socket, count: number, size = 2048) {
  const bufs = buffers(Math.min(count, 256), size);
  const out: { data: Uint8Array; addr: unknown; flags: number }[] = [];
  while (out.length < count) {
    const got = await s.recvmmsg(bufs.slice(0, Math.min(bufs.length, count - out.length)), 0, T);
    got.forEach((r, i) =>
      out.push({ data: bufs[i].slice(0, r.bytes), addr: r.addr, flags: r.flags })
    );
  }
  return out;
}

/**
 * Room for a few thousand small datagrams where the machine allows it (the
 * tests keep what they queue at once under 512, which a default `rmem_max` holds).
 */
function bigBuffers(s: Socket): void {
  s.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 1 << 22);
  s.setsockopt(C.SOL_SOCKET, C.SO_SNDBUF, 1 << 22);
}

for (const family of ["inet", "inet6"] as const) {
  Deno.test(`UDP/${family}: one sendmmsg of 200 reaches python3 whole, in order, from our port`, async () => {
    const { peer, port } = await pyReceiver(family, 200);
    await using _ = peer;
    using s = udpSocket(family);
    bigBuffers(s);
    const addr = { hostname: loopback(family), port };
    const messages: MmsgMessage[] = Array.from({ length: 200 }, (_, i) => ({
      // Gathered from two buffers; the second is shared by every message.
      buffers: [new Uint8Array([i & 255, i >> 8]), new Uint8Array([0xee])],
      addr,
    }));
    assertEquals(await s.sendmmsg(messages, 0, T), 200);
    const { got } = await peer.read<{ got: Seen[] }>();
    assertEquals(got.length, 200);
    for (const [i, [data, host, from]] of got.entries()) {
      assertEquals(data, hex(new Uint8Array([i & 255, i >> 8, 0xee])));
      assertEquals([host, from], [loopback(family), portOf(s.getsockname())]);
    }
  });

  Deno.test(`UDP/${family}: recvmmsg takes a python3 burst with its contents and sender`, async () => {
    const { peer, port: pyPort } = await pySender(family);
    await using _ = peer;
    using s = udpSocket(family);
    bigBuffers(s);
    await peer.write({ to: portOf(s.getsockname()), count: 250, size: 100 });
    assertEquals((await peer.read<{ sent: number }>()).sent, 250);
    const got = await recvAll(s, 250);
    assertEquals(got.length, 250);
    for (const [i, r] of got.entries()) {
      assertEquals(r.data, burstPayload(i, 100));
      assertEquals(
        r.addr,
        family === "inet"
          ? { family, hostname: "127.0.0.1", port: pyPort }
          : { family, hostname: "::1", port: pyPort, flowinfo: 0, scopeId: 0 },
      );
      assertEquals(r.flags, 0);
    }
  });

  Deno.test(`UDP/${family}: each message goes to its own address`, async () => {
    using a = udpSocket(family);
    using b = udpSocket(family);
    using s = udpSocket(family);
    const to = [a, b, a, b, b].map((r) => r.getsockname());
    const sent = await s.sendmmsg(
      to.map((addr, i) => ({ buffers: new Uint8Array([i]), addr })),
      0,
      T,
    );
    assertEquals(sent, 5);
    const fromA = (await recvAll(a, 2)).map((r) => r.data[0]);
    const fromB = (await recvAll(b, 3)).map((r) => r.data[0]);
    assertEquals([fromA, fromB], [[0, 2], [1, 3, 4]]);
  });
}

Deno.test("recvmmsg reports MSG_TRUNC per message, and the real length when asked", async () => {
  using s = udpSocket();
  const addr = s.getsockname();
  const sizes = [10, 100, 5, 17];
  const send = () =>
    s.sendmmsg(sizes.map((n) => ({ buffers: new Uint8Array(n).fill(n), addr })), 0, T);
  assertEquals(await send(), 4);
  const bufs = buffers(4, 16);
  const got = await s.recvmmsg(bufs, 0, T);
  assertEquals(got.map((r) => r.bytes), [10, 16, 5, 16]);
  assertEquals(got.map((r) => r.flags & C.MSG_TRUNC), [0, C.MSG_TRUNC, 0, C.MSG_TRUNC]);
  assertEquals(bufs[1], new Uint8Array(16).fill(100));
  await send();
  const real = await s.recvmmsg(bufs, C.MSG_TRUNC, T);
  assertEquals(real.map((r) => r.bytes), sizes);
});

Deno.test("shapes that grow and shrink reuse the vectors and keep every byte right", async () => {
  using s = udpSocket();
  bigBuffers(s);
  const addr = s.getsockname();
  let n = 0;
  for (const [count, parts] of [[1, 1], [64, 1], [3, 4], [400, 2], [2, 1], [300, 1]]) {
    const messages = Array.from({ length: count }, (_, i) => ({
      buffers: Array.from({ length: parts }, (_, p) => new Uint8Array([p, (n + i) & 255])),
      addr,
    }));
    assertEquals(await s.sendmmsg(messages, 0, T), count);
    const got = await recvAll(s, count, 64);
    for (const [i, r] of got.entries()) {
      const want = messages[i].buffers.flatMap((b) => [...b]);
      assertEquals([...r.data], want, `batch of ${count}×${parts}, message ${i}`);
    }
    n += count;
  }
});

Deno.test("a batch of 1024 messages to four receivers: each gets its 256, in order", async () => {
  using s = udpSocket();
  const sinks = [udpSocket(), udpSocket(), udpSocket(), udpSocket()];
  try {
    const to = sinks.map((k) => k.getsockname());
    const messages = Array.from({ length: 1024 }, (_, i) => ({
      buffers: new Uint8Array([i & 255, i >> 8]),
      addr: to[i % 4],
    }));
    assertEquals(await s.sendmmsg(messages, 0, T), 1024);
    for (const [k, sink] of sinks.entries()) {
      const got = (await recvAll(sink, 256, 8)).map((r) => r.data[0] | r.data[1] << 8);
      assertEquals(got, Array.from({ length: 256 }, (_, j) => j * 4 + k));
    }
  } finally {
    for (const k of sinks) k.close();
  }
});

Deno.test("recvmmsg waits for the first datagram and returns what is queued", async () => {
  using s = udpSocket();
  const bufs = buffers(8, 16);
  const pending = s.recvmmsg(bufs, 0, T);
  await delay(20);
  await s.sendto(new Uint8Array([42]), s.getsockname(), 0, T);
  const got = await pending;
  assertEquals(got.length, 1);
  assertEquals([got[0].bytes, bufs[0][0]], [1, 42]);
  assertEquals(got[0].ancillary, undefined);
});

Deno.test("recvmmsg times out, aborts, fails with EAGAIN at timeout 0, and close() settles it", async () => {
  using s = udpSocket();
  const bufs = buffers(4, 16);
  await rejectsWith(() => s.recvmmsg(bufs, 0, { timeout: 30 }), "ETIMEDOUT");
  await rejectsWith(() => s.recvmmsg(bufs, 0, { timeout: 0 }), "EAGAIN");
  await rejectsWith(() => s.recvmmsg(bufs, C.MSG_DONTWAIT), "EAGAIN");
  const ac = new AbortController();
  const aborted = s.recvmmsg(bufs, 0, { signal: ac.signal });
  ac.abort(new Error("stop"));
  await assertRejects(() => aborted, Error, "stop");
  // Still usable after the abort.
  await s.sendmmsg([{ buffers: new Uint8Array([1]), addr: s.getsockname() }]);
  assertEquals((await s.recvmmsg(bufs, 0, T)).length, 1);
  const a = s.recvmmsg(bufs);
  const b = s.recvmmsg(bufs);
  s.close();
  await rejectsWith(() => a, "EBADF");
  await rejectsWith(() => b, "EBADF");
  await rejectsWith(() => s.recvmmsg(bufs), "EBADF");
  await rejectsWith(
    () => s.sendmmsg([{ buffers: bufs[0], addr: { hostname: "127.0.0.1", port: 9 } }]),
    "EBADF",
  );
});

Deno.test("concurrent recvmmsg calls share nothing but the socket: every datagram once", async () => {
  using s = udpSocket();
  bigBuffers(s);
  const one = buffers(32, 8);
  const two = buffers(32, 8);
  const p1 = s.recvmmsg(one, 0, T);
  const p2 = s.recvmmsg(two, 0, T);
  const addr = s.getsockname();
  const messages = Array.from({ length: 64 }, (_, i) => ({ buffers: new Uint8Array([i]), addr }));
  assertEquals(await s.sendmmsg(messages, 0, T), 64);
  const [r1, r2] = await Promise.all([p1, p2]);
  const seen = [
    ...r1.map((_, i) => one[i][0]),
    ...r2.map((_, i) => two[i][0]),
  ];
  const rest = await s.recvmmsg(buffers(64, 8), 0, { timeout: 100 }).catch(() => []);
  assertEquals(seen.length + rest.length, 64);
  assertEquals(new Set(seen).size, seen.length);
});

Deno.test("a unix datagram pair: sendmmsg without addresses, senders named or not", async () => {
  using pair = unixPair(C.SOCK_DGRAM);
  const [a, b] = pair;
  const messages = [1, 2, 3].map((n) => ({ buffers: [new Uint8Array([n]), new Uint8Array(n)] }));
  assertEquals(await a.sendmmsg(messages, 0, T), 3);
  const bufs = buffers(4, 8);
  const got = await b.recvmmsg(bufs, 0, T);
  assertEquals(got.map((r) => r.bytes), [2, 3, 4]);
  assertEquals(bufs.slice(0, 3).map((x) => x[0]), [1, 2, 3]);
  // An unnamed socketpair end has no name to report.
  for (const r of got) assert(r.addr === undefined || r.addr.family === "unix", String(r.addr));
});

Deno.test("sendmmsg on a socket made SOCK_NONBLOCK fails with EAGAIN when the queue is full", async () => {
  using pair = unixPair(C.SOCK_DGRAM);
  const [a] = pair;
  a.timeout = 0;
  const message = { buffers: new Uint8Array(4096) };
  let sent = 0;
  let err: unknown;
  for (let i = 0; i < 10_000 && err === undefined; i++) {
    try {
      sent += await a.sendmmsg([message, message, message, message]);
    } catch (e) {
      err = e;
    }
  }
  assertInstanceOf(err, SocketError);
  assertEquals(err.code, "EAGAIN");
  assert(sent > 0);
});

Deno.test("strace -c: one sendmmsg and one recvmmsg per batch of 64 (six of each)", async () => {
  using dir = tempDir();
  const trace = `${dir.path}/trace`;
  const run = await runDeno(
    `
import { linux as C, socket } from "@bsdsock/socket";
setTimeout(() => Deno.exit(99), 10_000);
const s = socket(C.AF_INET, C.SOCK_DGRAM, 0, { backend: "ffi" });
s.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 1 << 22);
s.bind({ hostname: "127.0.0.1", port: 0 });
const addr = s.getsockname();
const payload = new Uint8Array(64);
const messages = Array.from({ length: 64 }, () => ({ buffers: payload, addr }));
let sent = 0;
for (let i = 0; i < 6; i++) sent += await s.sendmmsg(messages);
const bufs = Array.from({ length: 64 }, () => new Uint8Array(128));
const counts = [];
for (let i = 0; i < 6; i++) counts.push((await s.recvmmsg(bufs)).length);
console.log(JSON.stringify({ sent, counts }));
Deno.exit(0);
`,
    ["-A"],
    {
      wrapper: [
        "strace",
        "-f",
        "-c",
        "-e",
        "trace=sendmmsg,recvmmsg,sendto,recvfrom,sendmsg,recvmsg",
        "-o",
        trace,
      ],
    },
  );
  assertEquals(run.code, 0, run.stderr);
  const { sent, counts } = JSON.parse(run.stdout);
  assertEquals([sent, counts], [384, new Array(6).fill(64)]);
  const table = Deno.readTextFileSync(trace);
  /** [calls, errors] of `name` in strace's summary table. */
  const calls = (name: string): [number, number] => {
    for (const line of table.split("\n")) {
      const cols = line.trim().split(/\s+/);
      if (cols[cols.length - 1] !== name) continue;
      const nums = cols.slice(3, -1).map(Number);
      return [nums[0], nums[1] ?? 0];
    }
    return [0, 0];
  };
  assertEquals(calls("sendmmsg"), [6, 0], table);
  assertEquals(calls("recvmmsg"), [6, 0], table);
  for (const other of ["sendto", "sendmsg", "recvmsg"]) assertEquals(calls(other)[0], 0, table);
  // The runtime polls its own signal pipe with recvfrom (EAGAIN); none of ours succeeds.
  const [recvfrom, failed] = calls("recvfrom");
  assertEquals(recvfrom, failed, table);
});

Deno.test("datagram module: sendDatagrams() in batches, datagrams() iterating in batches", async () => {
  using s = udpSocket("inet6");
  bigBuffers(s);
  const addr = s.getsockname();
  const payloads = Array.from({ length: 400 }, (_, i) => new Uint8Array([i & 255, i >> 8]));
  const mixed = [...payloads.slice(0, 399), { buffers: [payloads[399]], addr }];
  const sending = sendDatagrams(s, mixed, { addr, batch: 150, ...T });
  const seen: number[] = [];
  for await (const [data, from] of datagrams(s, 16, { batch: 128, ...T })) {
    assertEquals(from, addr);
    seen.push(data[0] | data[1] << 8);
    if (seen.length === 400) break;
  }
  assertEquals(await sending, 400);
  assertEquals(seen, payloads.map((_, i) => i));
  assertEquals(await sendDatagrams(s, []), 0);
});

Deno.test("datagram module: datagrams() with a batch ends when the socket closes", async () => {
  const s = udpSocket();
  const it = datagrams(s, 64, { batch: 8 });
  const next = it.next();
  await delay(10);
  s.close();
  assertEquals(await next, { value: undefined, done: true });
});

Deno.test("datagram module: bad batch input rejects", async () => {
  using s = udpSocket();
  // deno-lint-ignore no-explicit-any
  const any = (x: unknown) => x as any;
  await assertRejects(() => datagrams(s, 64, { batch: 0 }).next(), RangeError, "batch");
  await assertRejects(() => datagrams(s, 64, { batch: 1025 }).next(), RangeError, "batch");
  await assertRejects(() => datagrams(s, 0, { batch: 2 }).next(), RangeError, "maxSize");
  await assertRejects(() => datagrams(s, 64, any(null)).next(), TypeError, "options");
  await rejects(() => sendDatagrams(s, any("x")), TypeError, "array");
  await rejects(() => sendDatagrams(s, [new Uint8Array(1)], { batch: 0 }), RangeError, "batch");
  await rejects(() => sendDatagrams(s, [new Uint8Array(1)], any(7)), TypeError, "options");
  await rejects(() => sendDatagrams(s, [new Uint8Array(1)], { flags: 0.5 }), RangeError, "flags");
  await nothingQueued(s);
});

Deno.test("sandbox: without --allow-net, sendmmsg to an inet address fails as sendto does", async () => {
  const run = await runDeno(
    `
import { linux as C, socket } from "@bsdsock/socket";
setTimeout(() => Deno.exit(99), 10_000);
const s = socket(C.AF_INET, C.SOCK_DGRAM, 0, { backend: "ffi" });
const addr = { hostname: "127.0.0.1", port: 9 };
const out = [];
for (const call of [() => s.sendto(new Uint8Array(1), addr), () => s.sendmmsg([{ buffers: new Uint8Array(1), addr }])]) {
  await call().then(() => out.push("sent"), (e) => out.push(e.name));
}
console.log(JSON.stringify(out));
Deno.exit(0);
`,
    ["--allow-ffi"],
  );
  assertEquals(run.code, 0, run.stderr);
  assertEquals(JSON.parse(run.stdout), ["NotCapable", "NotCapable"]);
});

// ------------------------------------------------------------------ bad input

/** The calls below must return a promise that rejects, and send nothing. */
async function rejects(
  call: () => Promise<unknown>,
  type: typeof TypeError | typeof RangeError | typeof SocketError,
  text: string,
): Promise<unknown> {
  let p: Promise<unknown> | undefined;
  try {
    p = call();
  } catch (err) {
    throw new Error(`threw synchronously instead of rejecting: ${err}`);
  }
  assertInstanceOf(p, Promise);
  return await assertRejects(() => p!, type, text);
}

/** Asserts that nothing is queued on `s`. */
async function nothingQueued(s: Socket): Promise<void> {
  await rejectsWith(() => s.recvmmsg(buffers(4, 8), 0, { timeout: 0 }), "EAGAIN");
}

Deno.test("bad sendmmsg input rejects before any datagram is sent", async () => {
  using s = udpSocket();
  const addr = s.getsockname();
  const ok = { buffers: new Uint8Array([1]), addr };
  const gone = new Uint8Array(8);
  detach(gone);
  // deno-lint-ignore no-explicit-any
  const any = (x: unknown) => x as any;
  await rejects(() => s.sendmmsg([]), RangeError, "empty");
  await rejects(() => s.sendmmsg(new Array(1025).fill(ok)), RangeError, "1025");
  await rejects(() => s.sendmmsg(any(ok)), TypeError, "array");
  await rejects(() => s.sendmmsg([ok, any({ addr })]), TypeError, "messages[1].buffers is missing");
  await rejects(() => s.sendmmsg([ok, { buffers: [], addr }]), RangeError, "messages[1].buffers");
  await rejects(() => s.sendmmsg([ok, { buffers: gone, addr }]), TypeError, "detached");
  await rejects(() => s.sendmmsg([ok, { buffers: [ok.buffers, gone], addr }]), TypeError, "[1]");
  await rejects(() => s.sendmmsg([ok, any(null)]), TypeError, "messages[1]");
  await rejects(() => s.sendmmsg([ok, any(new Uint8Array(1))]), TypeError, "messages[1]");
  await rejects(() => s.sendmmsg([ok, any({ buffers: ["x"], addr })]), TypeError, "Uint8Array");
  await rejects(
    () =>
      s.sendmmsg([ok, {
        buffers: new Uint8Array(1),
        addr: { hostname: "127.0.0.1", port: 70000 },
      }]),
    RangeError,
    "messages[1].addr",
  );
  await rejects(
    () => s.sendmmsg([ok, { ...ok, ancillary: [any({ level: 0, type: 1, data: "x" })] }]),
    TypeError,
    "messages[1].ancillary[0].data",
  );
  await rejects(
    () => s.sendmmsg([ok, { buffers: new Array(1025).fill(ok.buffers), addr }]),
    RangeError,
    "1025",
  );
  await rejects(() => s.sendmmsg([ok], 1.5), RangeError, "flags");
  await rejects(() => s.sendmmsg([ok], 0, any(5)), TypeError, "options");
  await nothingQueued(s);
});

Deno.test("an address of another family rejects with the kernel's errno, before any send", async () => {
  const cases: [Inet | "unix", unknown, string][] = [
    ["inet", { family: "inet6", hostname: "::1", port: 9 }, "EAFNOSUPPORT"],
    ["inet", { family: "unix", path: "/x" }, "EINVAL"],
    ["inet", { family: "unix", path: "/a/much/longer/unix/path" }, "EAFNOSUPPORT"],
    ["inet6", { family: "unix", path: "/a/much/longer/unix/path" }, "EINVAL"],
    ["inet6", { family: "netlink", pid: 0, groups: 0 }, "EINVAL"],
    ["unix", { family: "inet", hostname: "127.0.0.1", port: 9 }, "EINVAL"],
  ];
  for (const [kind, bad, code] of cases) {
    using s = kind === "unix"
      ? socket(C.AF_UNIX, C.SOCK_DGRAM, 0, { backend: "ffi" })
      : udpSocket(kind);
    using sink = kind === "unix" ? null : udpSocket(kind);
    // What the kernel says to sendto(2) of that address on this socket.
    const sa = encodeSockAddr(bad as never);
    assertEquals(sys.sendto(s.fd, new Uint8Array(1), 1, 0, sa, sa.byteLength), -1);
    assertEquals(errnoName(errno()), code, `${kind} ← ${JSON.stringify(bad)}`);
    const good = sink ? { buffers: new Uint8Array([1]), addr: sink.getsockname() } : null;
    const messages = [good, { buffers: new Uint8Array([2]), addr: bad }].filter((m) => m);
    const err = await rejects(() => s.sendmmsg(messages as MmsgMessage[]), SocketError, code);
    assertEquals((err as SocketError).syscall, "sendmmsg");
    if (sink) await nothingQueued(sink);
  }
  // An IPv4 address on an IPv6 socket is no mistake: the kernel sends it as IPv4.
  using v6 = socket(C.AF_INET6, C.SOCK_DGRAM, 0, { backend: "ffi" });
  using v4 = udpSocket("inet");
  assertEquals(await v6.sendmmsg([{ buffers: new Uint8Array([3]), addr: v4.getsockname() }]), 1);
  assertEquals((await recvAll(v4, 1))[0].data, new Uint8Array([3]));
});

Deno.test("bad recvmmsg input rejects", async () => {
  using s = udpSocket();
  const gone = new Uint8Array(8);
  detach(gone);
  // deno-lint-ignore no-explicit-any
  const any = (x: unknown) => x as any;
  await rejects(() => s.recvmmsg([]), RangeError, "empty");
  await rejects(() => s.recvmmsg(buffers(1025, 1)), RangeError, "1025");
  await rejects(() => s.recvmmsg(any(new Uint8Array(8))), TypeError, "array");
  await rejects(() => s.recvmmsg([new Uint8Array(1), gone]), TypeError, "buffers[1]");
  await rejects(() => s.recvmmsg([new Uint8Array(1), any("x")]), TypeError, "buffers[1]");
  await rejects(() => s.recvmmsg(buffers(1, 1), 0, { ancillarySize: -1 }), RangeError, "-1");
  await rejects(() => s.recvmmsg(buffers(1, 1), 0, { ancillarySize: 65537 }), RangeError, "");
  await rejects(() => s.recvmmsg(buffers(1, 1), any("0")), TypeError, "flags");
});

Deno.test("a buffer detached while recvmmsg waits fails that call, not the process", async () => {
  using s = udpSocket();
  const bufs = buffers(2, 64);
  const pending = s.recvmmsg(bufs, 0, T);
  await delay(10);
  detach(bufs[1]);
  await s.sendto(new Uint8Array([1]), s.getsockname(), 0, T);
  await assertRejects(() => pending, TypeError, "detached");
  // The datagram is still there for the next call.
  assertEquals((await s.recvmmsg(buffers(2, 8), 0, T)).length, 1);
});

Deno.test("sys.MMsgVec refuses what would reach the kernel as a wild pointer", () => {
  const vec = new sys.MMsgVec(2);
  const buf = new Uint8Array(16);
  vec.push(buf);
  detach(buf);
  let threw = false;
  try {
    sys.sendmmsg(0, vec, 1, 0);
  } catch (err) {
    threw = err instanceof TypeError;
  }
  assert(threw, "a detached iovec is refused");
  vec.clear();
  vec.push(new Uint8Array(1));
  vec.push(new Uint8Array(1));
  let full = false;
  try {
    vec.push(new Uint8Array(1));
  } catch (err) {
    full = err instanceof RangeError;
  }
  assert(full, "a third message does not fit two");
  let vlen = false;
  try {
    sys.recvmmsg(0, vec, 3, 0);
  } catch (err) {
    vlen = err instanceof RangeError;
  }
  assert(vlen, "vlen beyond the messages set is refused");
});

Deno.test("batch tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the batch tests", fds.assertUnchanged);
