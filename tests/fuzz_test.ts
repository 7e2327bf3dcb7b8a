/**
 * The fuzzer (tools/fuzz.ts) in CI: 20,000 random calls with random arguments
 * on real sockets of both backends, in a child process, with a fixed seed.
 * Clean means no crash, no call pending past 5 s, no error other than
 * SocketError/TypeError/RangeError (or the call's own abort reason), no
 * synchronous throw from a promise-returning method, and /proc/self/fd back to
 * its baseline once everything is closed. `deno task fuzz --seed N --calls N`
 * runs it by hand.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { fuzz } from "../tools/fuzz.ts";
import { fdLedger } from "./_fds.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first fuzz test", fds.start);

const SEED = 1;
const CALLS = 20_000;

Deno.test(`the fuzzer: ${CALLS} random calls (seed ${SEED}) end clean`, async () => {
  const lines: string[] = [];
  const r = await fuzz(SEED, CALLS, { log: (line) => lines.push(line) });
  assert(r.ok, `fuzz seed ${SEED} failed:\n${r.failures.join("\n")}\n${lines.join("\n")}`);
  assertEquals(r.failures, []);
  const summary = r.summary ?? "";
  assertMatch(summary, new RegExp(`calls=${CALLS} `));
  assertMatch(summary, / failures=0 /);
  // The run did real work: sockets made and calls that succeeded, not only refusals.
  const count = (key: string) => Number(summary.match(new RegExp(` ${key}=(\\d+)`))?.[1] ?? 0);
  assert(count("sockets") > 100, summary);
  assert(count("ok") > CALLS / 10, summary);
  assertMatch(summary, / fds=(\d+)\/\1 /);
});

// The fuzzer is only worth its clean result if it sees each kind of failure: one is
// planted at the middle call of a short run, and the run must fail naming it.
const PLANTED: [kind: string, found: RegExp][] = [
  // Seen by the watchdog (pending 5 s) or at the end (pending 5 s after every close).
  ["hang", /call=#200 hang .*: injected hang -- /],
  ["throw", /call=#200 synchronous throw from a promise-returning method: injected throw/],
  ["class", /call=#200 wrong error class: injected class -- Error: injected/],
  ["leak", /descriptor leak: .*->\/dev\/null/],
  ["freeze", /stall: no heartbeat for 3 s \(event loop frozen\)/],
  ["crash", /crash: child killed by SIGKILL/],
];

for (const [kind, found] of PLANTED) {
  Deno.test(`the fuzzer reports a planted ${kind}`, async () => {
    const r = await fuzz(SEED, 400, { inject: kind, stallSeconds: 3, log: () => {} });
    assert(!r.ok, `a planted ${kind} went unnoticed: ${r.summary}`);
    assertMatch(r.failures.join("\n"), found);
  });
}

Deno.test("descriptors: none left open by the fuzz tests", fds.assertUnchanged);
