/**
 * `deno task bench`: what servers and clients do, every implementation side by side in one run.
 *
 * Each run of each implementation is a process of its own (`bench/_one.ts` for ours and Deno's,
 * `bench/node_peer.mjs` for node:net, C programs compiled here), which measures its rate and its
 * own CPU time (user + system) over the measured span and prints them; a peer in another process
 * (the C echo server, the C clients) is never counted. The implementations of a row take turns,
 * run 1 of each then run 2 (the order rotating), and the table gives min / median / max of the
 * per-run ratios against the row's reference (Deno.Conn / Deno.listen / Deno.connect, or C for
 * socket()+close()).
 *
 * Flags:
 * - `--runs N`: runs per implementation (7).
 * - `--only a,b`: the rows whose key contains one of the words: `client` (both client rows),
 *   `client-slow`, `server`, `conns`, `accept`, `connect`, `pingpong`, `bulk`, `create`,
 *   `datagram` (the UDP rows of bench/datagram.ts, run after the others, `--runs` times each).
 * - `--impl a,b`: the implementations whose name contains one of the words, any case (`ffi`,
 *   `native`, `node`, `deno`…); the reference always runs.
 * - `--strace`: afterwards, syscalls per round trip of each ping-pong row under `strace -f -c`.
 * - `--write`: records the table in bench/RESULTS.md (not with `--only` or `--impl`); the
 *   sections below it (`## Stress` …) stay as they are.
 *
 * Linux only (the C peers use epoll; strace).
 *
 * @module
 */
// deno-lint-ignore-file no-console
import {
  build,
  deno,
  describeRows,
  describeStrace,
  here,
  type Impl,
  node,
  type Params,
  type Row,
  ROWS,
} from "./_catalog.ts";
import type { Sample } from "./_sample.ts";
import { Lines, output, spawn, stop, within } from "./_spawn.ts";
import { describe, parseSummary, type PerOp, perOp } from "./_strace.ts";
import { cpuOf, type ImplRuns, num, rateOf, type RowRuns, table } from "./_table.ts";
import { datagramBench } from "./datagram.ts";

/** Deadlines: a run, a server's start. */
const RUN_MS = 120_000;
const START_MS = 20_000;

// --- flags -------------------------------------------------------------------------------------

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = Deno.args[i + 1];
  if (v === undefined || v.startsWith("--")) throw new TypeError(`--${name} needs a value`);
  return v;
}
const known = ["--runs", "--only", "--impl", "--strace", "--write"];
for (const [i, a] of Deno.args.entries()) {
  const isValue = i > 0 && ["--runs", "--only", "--impl"].includes(Deno.args[i - 1]);
  if (!isValue && !known.includes(a)) {
    throw new TypeError(`Unknown argument "${a}": use ${known.join(", ")}`);
  }
}
const RUNS = Number(flag("runs") ?? 7);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  throw new RangeError(`--runs must be a positive integer, got "${flag("runs")}"`);
}
const only = flag("only")?.split(",").filter(Boolean);
const implFilter = flag("impl")?.toLowerCase().split(",").filter(Boolean);
const implWanted = (name: string) =>
  !implFilter || implFilter.some((w) => name.toLowerCase().includes(w));
const STRACE = Deno.args.includes("--strace");
const WRITE = Deno.args.includes("--write");
if (WRITE && (only || implFilter)) {
  throw new TypeError("--write records the full table: leave out --only and --impl");
}

// --- running -----------------------------------------------------------------------------------

async function compile(): Promise<void> {
  await Deno.mkdir(build, { recursive: true });
  for (const name of ["bench", "echo_server", "pingpong_client", "load_client"]) {
    await output(
      ["gcc", "-O2", "-Wall", "-pthread", "-o", `${build}/${name}`, `${here}c/${name}.c`],
      60_000,
      `gcc ${name}.c`,
    );
  }
}

/** The Sample a run printed last; throws for none, or for no operations unless `empty`. */
function parseSample(line: string | undefined, what: string, empty = false): Sample {
  let s: Partial<Sample> = {};
  try {
    s = JSON.parse(line ?? "");
  } catch { /* below */ }
  if (
    [s.ops, s.seconds, s.cpuUs].some((x) => typeof x !== "number" || !(x >= 0)) ||
    (!s.ops && !empty)
  ) {
    throw new Error(`${what} printed no sample: ${JSON.stringify(line)}`);
  }
  return { ops: s.ops!, seconds: s.seconds!, cpuUs: s.cpuUs!, checked: s.checked ?? 0 };
}

/** Starts a row's C server; its port and a function that ends it. */
async function startServer(argv: string[]): Promise<[number, () => void]> {
  const p = spawn(argv);
  const lines = new Lines(p.stdout);
  const end = () => {
    stop(p);
    lines.cancel();
  };
  try {
    const port = Number(await within(lines.next(), START_MS, `${argv[0]} start`));
    if (!Number.isInteger(port) || port <= 0) throw new Error(`${argv.join(" ")} gave no port`);
    return [port, end];
  } catch (err) {
    end();
    throw err;
  }
}

/** One run of `impl` in `row`, its process's argv prefixed by `wrap` (strace). */
async function runOnce(row: Row, impl: Impl, p: Params, wrap: string[] = []): Promise<Sample> {
  const argv = [...wrap, ...impl.argv(p)];
  const what = `${row.key} ${impl.name}`;
  const empty = p.rounds === 0 && row.rounds !== undefined;
  if (!row.client) {
    return parseSample((await output(argv, RUN_MS, what)).split("\n").at(-1), what, empty);
  }
  const server = spawn(argv);
  const lines = new Lines(server.stdout);
  try {
    const first = await within(lines.next(), START_MS, `${what} start`);
    let port = 0;
    try {
      port = JSON.parse(first ?? "").port;
    } catch { /* below */ }
    if (!Number.isInteger(port) || port <= 0) {
      const status = first === undefined ? await within(server.status, START_MS, what) : undefined;
      throw new Error(
        status
          ? `${what} exited (status ${status.code}) before it listened`
          : `${what} printed no port: ${JSON.stringify(first)}`,
      );
    }
    const peer = await output(row.client(port, p), RUN_MS, `${what}: the C client`);
    const rest: string[] = [];
    await within(
      (async () => {
        for (let l = await lines.next(); l !== undefined; l = await lines.next()) rest.push(l);
      })(),
      RUN_MS,
      what,
    );
    const status = await within(server.status, START_MS, `${what} exit`);
    if (!status.success) throw new Error(`${what} failed (exit status ${status.code}); ${peer}`);
    return parseSample(rest.at(-1), what, empty);
  } finally {
    stop(server);
    lines.cancel();
  }
}

/** Runs every implementation of `row` RUNS times, taking turns. */
async function runRow(row: Row): Promise<RowRuns> {
  const impls = row.impls.filter((i) => i.name === row.ref || implWanted(i.name));
  const results: ImplRuns[] = impls.map((i) => ({ name: i.name, runs: [] }));
  const [port, end] = row.server ? await startServer(row.server) : [0, () => {}];
  try {
    for (let r = 0; r < RUNS; r++) {
      for (let k = 0; k < impls.length; k++) {
        const at = (k + r) % impls.length;
        const impl = impls[at];
        let sample: Sample | Error;
        try {
          sample = await runOnce(row, impl, { port, rounds: row.rounds ?? 0 });
          console.error(
            `${row.key} run ${r + 1}/${RUNS} ${impl.name}: ${num(rateOf(sample))} ${row.unit}, ` +
              `${num(cpuOf(sample))} µs CPU per op, ${num(sample.checked)} B checked`,
          );
        } catch (err) {
          sample = err instanceof Error ? err : new Error(String(err));
          console.error(`${row.key} run ${r + 1}/${RUNS} ${impl.name}: FAILED: ${sample.message}`);
        }
        results[at].runs.push(sample);
        await checkSources(`${row.key} run ${r + 1} of ${impl.name}`);
      }
    }
  } finally {
    end();
  }
  return { test: row.test, unit: row.unit, ref: row.ref, impls: results };
}

interface StraceResult {
  test: string;
  impl: string;
  perOp?: PerOp;
  error?: string;
}

/** Syscalls per round trip of `impl` in `row`: a run of `straceRounds` less a run of none. */
async function straceRow(row: Row, impl: Impl, port: number): Promise<PerOp> {
  const counts = [];
  for (const rounds of [row.straceRounds!, 0]) {
    const file = await Deno.makeTempFile({ prefix: "bench-strace-" });
    try {
      await runOnce(row, impl, { port, rounds }, ["strace", "-f", "-c", "-o", file]);
      counts.push(parseSummary(await Deno.readTextFile(file)));
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  }
  return perOp(counts[0], counts[1], row.straceRounds!);
}

async function straceAll(rows: Row[]): Promise<StraceResult[]> {
  const out: StraceResult[] = [];
  for (const row of rows.filter((r) => r.straceRounds)) {
    const [port, end] = row.server ? await startServer(row.server) : [0, () => {}];
    try {
      for (const impl of row.impls.filter((i) => i.strace)) {
        if (!implWanted(impl.name)) continue;
        try {
          const p = await straceRow(row, impl, port);
          console.error(`strace ${row.key} ${impl.name}: ${p.total.toFixed(2)} per round trip`);
          out.push({ test: row.test, impl: impl.name, perOp: p });
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          console.error(`strace ${row.key} ${impl.name}: FAILED: ${error}`);
          out.push({ test: row.test, impl: impl.name, error });
        }
      }
    } finally {
      end();
    }
  }
  return out;
}

function straceTable(rs: StraceResult[]): string {
  const lines = [
    "| test | implementation | syscalls per round trip | the most frequent, per round trip |",
    "| --- | --- | ---: | --- |",
  ];
  for (const r of rs) {
    const total = r.perOp ? r.perOp.total.toFixed(2) : "failed";
    const top = r.perOp ? describe(r.perOp) : (r.error ?? "").split("\n")[0].replaceAll("|", "/");
    lines.push(`| ${r.test} | ${r.impl} | ${total} | ${top} |`);
  }
  return lines.join("\n");
}

async function firstLine(argv: string[]): Promise<string> {
  try {
    return (await output(argv, 10_000, argv[0])).split("\n")[0].trim();
  } catch {
    return "?";
  }
}

/** The library's source folders: a bench that sees them change mixes versions. */
const SOURCES = ["mod.ts", "_internal", "address", "constants", "errno", "options", "socket"];

/** The modification times and sizes of the library's source files, as one string. */
async function sourceStamp(): Promise<string> {
  const parts: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const info = await Deno.stat(path).catch(() => undefined);
    if (!info) return;
    if (info.isDirectory) {
      for await (const e of Deno.readDir(path)) await visit(`${path}/${e.name}`);
    } else if (path.endsWith(".ts")) parts.push(`${path} ${info.mtime?.getTime()} ${info.size}`);
  };
  for (const s of SOURCES) await visit(`${here}../${s}`);
  return parts.sort().join("\n");
}

let stamp = "";
/** Where the library's source was first seen changed, if it was. */
let changedAt = "";
/** Notes a change of the library's source since the start, first seen after `what`. */
async function checkSources(what: string): Promise<void> {
  if (changedAt || (await sourceStamp()) === stamp) return;
  changedAt = what;
  console.error(`bench: the library's source changed during the bench (seen after ${what})`);
}

// --- main --------------------------------------------------------------------------------------

const started = performance.now();
const load = (await Deno.readTextFile("/proc/loadavg").catch(() => "?")).split(" ")[0];
await compile();
stamp = await sourceStamp();
const nodeVersion = await firstLine([node, "--version"]);
for (const row of ROWS) {
  for (const impl of row.impls) impl.name = impl.name.replace("(node)", `(node ${nodeVersion})`);
}
const rows = ROWS.filter((r) => !only || only.some((w) => r.key.includes(w)));
const datagrams = !only || only.some((w) => "datagram".includes(w));
if (rows.length === 0 && !datagrams) throw new RangeError(`--only "${only}" matches no row`);

const results: RowRuns[] = [];
for (const row of rows) results.push(await runRow(row));
const mixed = `\n\nThe library's source changed while this ran (first seen after ${changedAt}):` +
  " the runs mix versions.";
const main = rows.length === 0 ? "" : table(results) + (changedAt ? mixed : "");
if (main) console.log(main);

let udp = "";
if (datagrams) {
  const r = await datagramBench({ repeat: RUNS });
  await checkSources("the datagram rows");
  udp = `### UDP datagrams\n\n${r.note}\n\n${r.table}`;
  console.log();
  console.log(udp);
}

let straced = "";
if (STRACE) {
  straced = straceTable(await straceAll(rows));
  console.log();
  console.log(straced);
}
const minutes = (performance.now() - started) / 60_000;
console.error(`bench: ${minutes.toFixed(1)} minutes`);

if (WRITE) {
  const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ??
    "?";
  const gcc = await firstLine(["gcc", "--version"]);
  const python = await firstLine(["python3", "--version"]);
  const date = new Date().toISOString().slice(0, 10);
  const runs = `${RUNS} run${RUNS === 1 ? "" : "s"}`;
  const versions = `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}), node ${nodeVersion}`;
  const machine = `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores`;
  const text = `# Benchmark results

The latest \`deno task bench\` run, ${date}: ${runs} per implementation, taking turns run by run;
${versions}, ${gcc}, ${python}; ${machine} (${cpu}), load average ${load} at the start;
${minutes.toFixed(1)} minutes.

${describeRows()}

${main}

${udp}
${
    straced
      ? `
${describeStrace()}

${straced}
`
      : ""
  }`;
  // Sections other tasks record (`## Stress: …` by `deno task stress`) stay as they are.
  const old = await Deno.readTextFile(`${here}RESULTS.md`).catch(() => "");
  const kept = old.search(/^## /m);
  await Deno.writeTextFile(`${here}RESULTS.md`, kept < 0 ? text : `${text}\n${old.slice(kept)}`);
  // Aligned as `deno fmt --check` (part of the gate) wants it.
  await new Deno.Command(deno, { args: ["fmt", "-q", `${here}RESULTS.md`] }).output();
}
