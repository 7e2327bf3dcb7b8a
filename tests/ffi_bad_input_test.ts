/**
 * JavaScript-level misuse fails with TypeError/RangeError quoting the value,
 * before any system call: each case of tests/fixtures/bad_input_cases.ts runs
 * here, and all of them run again in a subprocess under strace, which shows no
 * call on the sockets between two marker syscalls.
 *
 * @module
 */
import {
  assert,
  assertEquals,
  assertGreater,
  assertInstanceOf,
  assertStringIncludes,
} from "@std/assert";
import { linux as C, type Socket } from "../mod.ts";
import { socket } from "./fixtures/ffi.ts";
import { reactor } from "../socket/ffi/reactor.ts";
import { fdLedger, safetyWakeups, tempDir, text, unixPair, utf8 } from "./_helpers.ts";
import { lastJson, runFixture } from "./_kernel_helpers.ts";
import { attempt, BAD_INPUT, type BadCase, detached } from "./fixtures/bad_input_cases.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first bad-input test", fds.start);

const T = { timeout: 5000 };

async function check(c: BadCase): Promise<void> {
  using tcp = socket(C.AF_INET, C.SOCK_STREAM);
  using udp = socket(C.AF_INET, C.SOCK_DGRAM);
  const err = await attempt(c, { tcp, udp });
  assert(err instanceof Error, `${c.what}: nothing was thrown (${String(err)})`);
  assertEquals(err.name, c.error, `${c.what}: ${err}`);
  assertStringIncludes(err.message, c.quote, `${c.what}: the message quotes the value`);
}

for (const c of BAD_INPUT) {
  Deno.test(`${c.what} fails with ${c.error} quoting ${c.quote}`, () => check(c));
}

Deno.test("the detached-buffer helper really detaches (a control for the cases above)", () => {
  const b = detached(8);
  assertEquals([b.byteLength, (b.buffer as ArrayBuffer & { detached: boolean }).detached], [
    0,
    true,
  ]);
});

Deno.test(`none of the ${BAD_INPUT.length} misuses reaches the kernel: strace shows no call on the sockets between the markers`, async () => {
  using dir = tempDir();
  const trace = `${dir.path}/trace`;
  const run = await runFixture("kernel_bad_input.ts", {
    wrapper: ["strace", "-f", "-qq", "-e", "trace=%network,close,fcntl,ioctl", "-o", trace],
  });
  const out = lastJson<{ tcp: number; udp: number; errors: string[] }>(run, "kernel_bad_input.ts");
  assertEquals(out.errors, BAD_INPUT.map((c) => c.error), "each case failed as in-process");
  const raw = Deno.readTextFileSync(trace).split("\n");
  const begin = raw.findIndex((l) => /^\d+\s+socket\(0x1092 \/\* AF_\?\?\? \*\/, 0, 0\)/.test(l));
  const end = raw.findIndex((l) => /^\d+\s+socket\(0x1093 \/\* AF_\?\?\? \*\/, 0, 0\)/.test(l));
  assert(begin >= 0 && end > begin, `both markers are in the trace:\n${raw.join("\n")}`);
  const main = raw[begin].split(/\s/)[0]; // the thread that runs JavaScript
  const lines = raw.map((l) => l.replace(/^\d+\s+/, ""));
  const ours = (l: string) =>
    [out.tcp, out.udp].some((fd) => l.startsWith(`${l.split("(")[0]}(${fd},`));
  const between = lines.slice(begin + 1, end);
  assertEquals(
    between.filter(ours),
    [],
    "no call on our sockets between the markers, by any thread",
  );
  const network = raw.slice(begin + 1, end).filter((l) =>
    l.startsWith(`${main} `) &&
    /^\d+\s+(socket|socketpair|bind|listen|accept4?|connect|get(sock|peer)name|sendm?m?(sg|to)|recvm?m?(sg|from)|[gs]etsockopt|shutdown)\(/
      .test(l)
  );
  assertEquals(network, [], "no socket call at all by the JavaScript thread between the markers");
  // The control: the calls right after the end marker are in the trace, on our descriptors.
  const after = lines.slice(end + 1).filter(ours);
  assertGreater(after.length, 1, `the trace shows calls on fds ${out.tcp} and ${out.udp}`);
  assert(after.some((l) => l.startsWith(`getsockopt(${out.tcp}, SOL_SOCKET, SO_TYPE`)));
  assert(after.some((l) => l.startsWith(`getsockname(${out.udp},`)));
});

// A buffer detached while its call is parked (transferred to a worker, say) must not be used
// when the call wakes: not as a null pointer, not as memory that now belongs to another buffer.

/** Detaches `b` the way a transfer does; returns a view of the buffer that now owns the memory. */
function transferAway(b: Uint8Array): Uint8Array {
  const buffer = b.buffer as ArrayBuffer;
  return new Uint8Array(structuredClone(buffer, { transfer: [buffer] }));
}

async function parkedThenDetached(
  call: (b: Socket, buf: Uint8Array) => Promise<unknown>,
): Promise<{ err: unknown; moved: Uint8Array; next: Uint8Array }> {
  using pair = unixPair(C.SOCK_DGRAM);
  const [a, b] = pair;
  const buf = new Uint8Array(16);
  const parks = reactor.stats.parks;
  const pending = call(b, buf).then(() => undefined, (err) => err);
  assertEquals(reactor.stats.parks, parks + 1, "the call parked");
  const moved = transferAway(buf);
  await a.send(utf8("datagram"), 0, T);
  const err = await pending;
  const next = new Uint8Array(16);
  const n = await b.recv(next, 0, { timeout: 0 }).catch(() => 0);
  return { err, moved, next: next.subarray(0, n) };
}

for (
  const [name, call] of [
    ["recv()", (s: Socket, buf: Uint8Array) => s.recv(buf, 0, T)],
    ["recvfrom()", (s: Socket, buf: Uint8Array) => s.recvfrom(buf, 0, T)],
    ["recvmsg()", (s: Socket, buf: Uint8Array) => s.recvmsg([buf], T)],
  ] as const
) {
  Deno.test(`${name} whose buffer is detached while it waits fails with TypeError; the datagram stays queued and no memory is written`, async () => {
    const { err, moved, next } = await parkedThenDetached(call);
    assertInstanceOf(err, TypeError, `got ${err}`);
    assertStringIncludes(err.message, "detached");
    assertEquals(
      moved,
      new Uint8Array(16),
      "nothing was written into the memory the buffer gave away",
    );
    assertEquals(text(next), "datagram", "the datagram was not consumed");
  });
}

Deno.test("send() whose buffer is detached while it waits fails with TypeError, not EFAULT; none of it is sent", async () => {
  using pair = unixPair(C.SOCK_STREAM);
  const [a, b] = pair;
  let filled = 0;
  const chunk = new Uint8Array(65536);
  for (;;) {
    const n = await a.send(chunk, C.MSG_DONTWAIT).catch(() => 0);
    if (n === 0) break;
    filled += n;
  }
  const data = new Uint8Array(1000).fill(0xab);
  let settled = false;
  const pending = a.send(data, 0, T).then(() => undefined, (err) => err).finally(() =>
    settled = true
  );
  const moved = transferAway(data);
  moved.fill(0xcd);
  const sink = new Uint8Array(1 << 20);
  let drained = 0;
  while (!settled) drained += await b.recv(sink, 0, { timeout: 50 }).catch(() => 0);
  for (;;) {
    const n = await b.recv(sink, 0, { timeout: 0 }).catch(() => 0);
    if (n === 0) break;
    drained += n;
  }
  const err = await pending;
  assertInstanceOf(err, TypeError, `got ${err}`);
  assertStringIncludes(err.message, "detached");
  assertEquals(
    drained,
    filled,
    "not a byte of the detached buffer (nor of its new owner) was sent",
  );
});

Deno.test("bad-input tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the bad-input tests", fds.assertUnchanged);
