/**
 * `deno task stress`: many concurrent TCP connections against an echo server in another process
 * — ours on the ffi backend, ours on the native backend, and Deno.listen — each process under its
 * own descriptor limit (`prlimit --nofile=20000:20000`). The client (Deno.connect, the same for
 * every server) opens all connections at once, sends each its own random bytes, checks the echo's
 * SHA-256 and closes once all are checked. Per server: wall time, bytes checked, peak RSS (VmHWM)
 * of the server and of the client. The three servers take turns run by run, the order rotating, so
 * a slow spell of the machine falls on all of them alike; the table gives min/median/max over the
 * runs, and the wall-time ratio against Deno.listen within each run.
 *
 * Flags: `--connections N` (10,000), `--runs R` (3), `--bytes B` per connection (4,096),
 * `--write` to record the table in bench/RESULTS.md under "## Stress: N connections".
 *
 * Loopback only. Every phase has a deadline, the children are killed on the way out, and a server
 * whose parent is gone exits when its stdin closes.
 *
 * @module
 */
// deno-lint-ignore-file no-console
import type { ClientResult } from "./_stress_client.ts";
import { writeSection } from "./_results.ts";
import { killAll, spawn, within } from "./_spawn.ts";
import { median } from "./_table.ts";

const NOFILE = 20_000;
/** Descriptors a process needs besides its connections (stdio, the listener, the runtime's own). */
const SPARE = 200;
const SERVER_START_MS = 15_000;
const CLIENT_MS = 120_000;
const SERVER_STOP_MS = 10_000;

const here = new URL(".", import.meta.url).pathname;

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(Deno.args[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`--${name} must be a positive integer, got "${Deno.args[i + 1]}"`);
  }
  return v;
}

const connections = flag("connections", 10_000);
const runs = flag("runs", 3);
const bytes = flag("bytes", 4096);
if (connections > NOFILE - SPARE) {
  throw new RangeError(
    `--connections must be at most ${
      NOFILE - SPARE
    } under a limit of ${NOFILE}, got ${connections}`,
  );
}

type Impl = "deno" | "ffi" | "native";
const IMPLS: Impl[] = ["deno", "ffi", "native"];
const NAMES: Record<Impl, string> = {
  deno: "Deno.listen",
  ffi: "ffi Socket",
  native: "native Socket",
};

interface Run {
  wallMs: number;
  bytesChecked: number;
  failed: number;
  serverRssKiB: number;
  clientRssKiB: number;
}

function spawnScript(script: string, args: string[], stdin: "piped" | "null"): Deno.ChildProcess {
  const argv = [`--nofile=${NOFILE}:${NOFILE}`, Deno.execPath(), "run", "-A", `${here}${script}`];
  return spawn(["prlimit", ...argv, ...args], stdin);
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    reader.releaseLock();
  }
  return text.split("\n")[0];
}

async function peakRssKiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(status.match(/VmHWM:\s*(\d+)/)?.[1] ?? 0);
}

async function runOnce(impl: Impl): Promise<Run> {
  const server = spawnScript("_stress_server.ts", [impl], "piped");
  try {
    const port = Number(
      await within(firstLine(server.stdout), SERVER_START_MS, `${impl} server start`),
    );
    if (!Number.isInteger(port) || port <= 0) throw new Error(`${impl} server gave no port`);
    const client = spawnScript(
      "_stress_client.ts",
      [String(port), String(connections), String(bytes), String(CLIENT_MS)],
      "null",
    );
    const out = await within(client.output(), CLIENT_MS + 15_000, `${impl} client`);
    const line = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
    const r = JSON.parse(line) as ClientResult;
    if (r.timedOut) throw new Error(`${impl}: the client ran out of time (${r.ok} checked)`);
    // The server still lives, holding its high-water mark.
    const serverRssKiB = await peakRssKiB(server.pid);
    if (r.failed > 0) console.error(`${impl}: ${r.failed} connections failed: ${r.firstError}`);
    return {
      wallMs: r.wallMs,
      bytesChecked: r.bytesChecked,
      failed: r.failed,
      serverRssKiB,
      clientRssKiB: r.peakRssKiB,
    };
  } finally {
    await server.stdin.close().catch(() => {});
    await within(server.status, SERVER_STOP_MS, `${impl} server stop`).catch(() => {
      server.kill("SIGKILL");
    });
  }
}

const results: Record<Impl, Run[]> = { deno: [], ffi: [], native: [] };
for (let i = 0; i < runs; i++) {
  // Rotate who goes first, so no implementation always follows the same one.
  const order = [...IMPLS.slice(i % 3), ...IMPLS.slice(0, i % 3)];
  for (const impl of order) {
    const r = await runOnce(impl);
    results[impl].push(r);
    console.error(
      `run ${i + 1}/${runs} ${NAMES[impl]}: ${(r.wallMs / 1000).toFixed(2)} s, ` +
        `${r.bytesChecked.toLocaleString("en-US")} B checked, server ${mib(r.serverRssKiB)}, ` +
        `client ${mib(r.clientRssKiB)}`,
    );
  }
}

function mib(kib: number): string {
  return `${Math.round(kib / 1024).toLocaleString("en-US")} MiB`;
}

function sorted(xs: number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

function triple(xs: number[], f: (x: number) => string): string {
  const s = sorted(xs);
  return `${f(s[0])} / ${f(median(s))} / ${f(s[s.length - 1])}`;
}

/** `lo–hi unit` (or one value when all agree); `f` gives "<number> <unit>" or a bare number. */
function range(xs: number[], f: (x: number) => string): string {
  const s = sorted(xs);
  const [lo, hi] = [f(s[0]), f(s[s.length - 1])];
  if (lo === hi) return lo;
  const unit = hi.match(/ \S+$/)?.[0] ?? "";
  return unit && lo.endsWith(unit) ? `${lo.slice(0, -unit.length)}–${hi}` : `${lo}–${hi}`;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const times = (x: number) => `${x.toFixed(2)}×`;
const lines = [
  "| server | wall time, min / median / max | time ÷ Deno.listen's, min / median / max | bytes checked per run | server peak RSS | client peak RSS |",
  "| --- | ---: | ---: | ---: | ---: | ---: |",
];
for (const impl of IMPLS) {
  const rs = results[impl];
  const ratios = rs.map((r, i) => r.wallMs / results.deno[i].wallMs);
  const ratio = impl === "deno" ? "1 (the base)" : triple(ratios, times);
  const failed = rs.reduce((n, r) => n + r.failed, 0);
  const checked = range(rs.map((r) => r.bytesChecked), (b) => b.toLocaleString("en-US")) +
    (failed ? ` (${failed} connections failed)` : "");
  lines.push(
    `| ${NAMES[impl]} | ${triple(rs.map((r) => r.wallMs), secs)} | ${ratio} | ` +
      `${checked} | ${range(rs.map((r) => r.serverRssKiB), mib)} | ` +
      `${range(rs.map((r) => r.clientRssKiB), mib)} |`,
  );
}
const table = lines.join("\n");
console.log(table);

if (Deno.args.includes("--write")) {
  const n = connections.toLocaleString("en-US");
  const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ?? "?";
  const section = `## Stress: ${n} connections

The latest \`deno task stress\` run: ${runs} runs, the three servers taking turns run by run (the
order rotating). Deno ${Deno.version.deno}, ${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores (${cpu}), ${
    new Date().toISOString().slice(0, 10)
  }.

- The server (its own process) listens on 127.0.0.1 with a backlog of 511 (Deno.listen's) and
  echoes each connection through a 16 KiB buffer until the peer closes.
- The client (another process, Deno.connect for every server) opens ${n} connections at once,
  sends ${bytes.toLocaleString("en-US")} random bytes on each, reads the echo back and checks
  its SHA-256; the connections stay open until all are checked, then close.
- Both processes run under \`prlimit --nofile=${NOFILE}:${NOFILE}\`.
- Wall time: the client's first connect to its last close. Ratio: the row's wall time divided by
  Deno.listen's in the same run (below 1 is faster). Peak RSS: VmHWM from /proc, range over runs.

${table}
`;
  await writeSection("## Stress: ", section);
}
killAll();
