/**
 * `deno run -A bench/runtimes.ts [--write]`: the npm package on Node and on Bun against each
 * runtime's own networking. Each row runs in a fresh process of the runtime
 * (bench/_runtime_row.mjs) importing the built package (npm/dist; `deno task npm:build` makes it)
 * with koffi from this repository's node_modules, and prints its rate and CPU time per operation;
 * the best of 5 runs, taken in turns so a slow spell of the machine falls on every row alike.
 *
 * Rows: 64-byte TCP ping-pong in one process, and against the C echo server of bench/c in
 * another; 256 MiB one way over loopback. On Node: our ffi backend (koffi) woken by uv_poll and
 * by SIGIO, our native backend, node:net. On Bun: ffi (bun:ffi), native, node:net,
 * Bun.connect/Bun.listen. `--write` also records the table in bench/RESULTS.md, under
 * "## Node and Bun".
 *
 * @module
 */
// deno-lint-ignore-file no-console
import { join } from "node:path";
import { writeSection } from "./_results.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const ROW = join(ROOT, "bench", "_runtime_row.mjs");
const PKG = new URL("../npm/dist/mod.js", import.meta.url).href;
const ROUNDS = 20_000;
const BULK = 256 * 1024 * 1024;
const REPEAT = 5;

interface Result {
  rate: number;
  cpu: number;
}

interface Row {
  name: string;
  runtime: "node" | "bun";
  kind: "pingpong" | "bulk";
  impl: string;
  external: boolean;
  env?: Record<string, string>;
  /** The row this one is compared with. */
  base?: string;
}

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, { args, env, stderr: "inherit" }).output();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
  return new TextDecoder().decode(out.stdout);
}

async function echoServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "bsdsock-bench-" });
  const exe = join(dir, "echo_server");
  await run("gcc", ["-O2", "-o", exe, join(ROOT, "bench", "c", "echo_server.c")]);
  const child = new Deno.Command(exe, { stdin: "piped", stdout: "piped" }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("echo_server ended before printing its port");
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return {
    port: Number(text.trim()),
    stop: async () => {
      await child.stdin.close();
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function rowsFor(): Row[] {
  const rows: Row[] = [];
  for (const runtime of ["node", "bun"] as const) {
    const own = runtime === "node" ? "net" : "bun";
    const ownName = runtime === "node" ? "node:net" : "Bun.connect/Bun.listen";
    for (const external of [false, true]) {
      const where = external ? "vs C echo server" : "in process";
      const base = `${runtime} pingpong ${where}: ${ownName}`;
      rows.push({ name: base, runtime, kind: "pingpong", impl: own, external });
      if (runtime === "bun") {
        rows.push({
          name: `${runtime} pingpong ${where}: node:net`,
          runtime,
          kind: "pingpong",
          impl: "net",
          external,
          base,
        });
      }
      rows.push({
        name: `${runtime} pingpong ${where}: ffi` + (runtime === "node" ? " (uv_poll)" : ""),
        runtime,
        kind: "pingpong",
        impl: "ffi",
        external,
        base,
      });
      if (runtime === "node") {
        rows.push({
          name: `${runtime} pingpong ${where}: ffi (SIGIO)`,
          runtime,
          kind: "pingpong",
          impl: "ffi",
          external,
          env: { BSDSOCK_READINESS: "sigio" },
          base,
        });
      }
      rows.push({
        name: `${runtime} pingpong ${where}: native`,
        runtime,
        kind: "pingpong",
        impl: "native",
        external,
        base,
      });
    }
    const base = `${runtime} bulk: ${ownName}`;
    rows.push({ name: base, runtime, kind: "bulk", impl: own, external: false });
    for (const impl of runtime === "bun" ? ["net", "ffi", "native"] : ["ffi", "native"]) {
      const label = impl === "net" ? "node:net" : impl;
      rows.push({
        name: `${runtime} bulk: ${label}`,
        runtime,
        kind: "bulk",
        impl,
        external: false,
        base,
      });
    }
  }
  return rows;
}

async function main(args: string[]): Promise<void> {
  try {
    await Deno.stat(new URL("../npm/dist/mod.js", import.meta.url));
  } catch {
    throw new Error("npm/dist is not built: run `deno task npm:build` first");
  }
  const bun = join(ROOT, "node_modules", ".bin", "bun");
  const server = await echoServer();
  const rows = rowsFor();
  const best = new Map<string, Result>();
  try {
    for (let i = 0; i < REPEAT; i++) {
      for (const row of rows) {
        const n = row.kind === "bulk" ? BULK : ROUNDS;
        const argv = [ROW, PKG, row.kind, row.impl, String(n)];
        if (row.external) argv.push(String(server.port));
        const cmd = row.runtime === "node" ? "node" : bun;
        const r = JSON.parse(await run(cmd, argv, row.env)) as Result;
        const top = best.get(row.name);
        // The best run: the highest rate, and the least CPU any run needed.
        best.set(row.name, {
          rate: Math.max(top?.rate ?? 0, r.rate),
          cpu: Math.min(top?.cpu ?? Infinity, r.cpu),
        });
      }
      console.error(`run ${i + 1}/${REPEAT} done`);
    }
  } finally {
    await server.stop();
  }
  const lines = [
    "| row | rate | CPU per op | rate vs own | CPU vs own |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    const r = best.get(row.name)!;
    const unit = row.kind === "bulk" ? "MiB/s" : "rt/s";
    const cpuUnit = row.kind === "bulk" ? "µs/MiB" : "µs/rt";
    const b = row.base ? best.get(row.base)! : undefined;
    lines.push(
      `| ${row.name} | ${r.rate.toFixed(0)} ${unit} | ${r.cpu.toFixed(1)} ${cpuUnit} | ` +
        `${b ? (r.rate / b.rate).toFixed(2) + "×" : "—"} | ` +
        `${b ? (r.cpu / b.cpu).toFixed(2) + "×" : "—"} |`,
    );
  }
  const versions = [
    `node ${(await run("node", ["--version"])).trim()}`,
    `bun ${(await run(bun, ["--version"])).trim()}`,
    `${navigator.hardwareConcurrency} cores`,
  ].join(", ");
  const table = lines.join("\n");
  console.log(`${versions}\n\n${table}`);
  if (args.includes("--write")) {
    await writeSection(
      "## Node and Bun",
      `## Node and Bun\n\nThe npm package on each runtime against its own networking: ` +
        `\`deno run -A bench/runtimes.ts --write\` (${versions}; ${ROUNDS} round trips of ` +
        `${64} bytes, ${BULK / 1024 / 1024} MiB bulk; best of ${REPEAT} runs).\n\n${table}\n`,
    );
  }
}

if (import.meta.main) await main(Deno.args);
