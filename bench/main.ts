/**
 * `deno task bench`: each row does the same work in one run — our ffi and
 * native Sockets, Deno.Conn, node:net run by node, and a C program compiled
 * here — and prints rates with ratios against Deno.Conn (or C where Deno has
 * no equivalent). The rows measured in this process take turns, run by run,
 * so a slow spell of the machine falls on all of them alike.
 * `--write` also records the table in bench/RESULTS.md.
 *
 * @module
 */
// deno-lint-ignore-file no-console
import { connBulk, connPingPong, ffiCreate, socketBulk, socketPingPong } from "./_rows.ts";

const ROUNDS = 20_000;
const SIZE = 64;
const BULK = 256 * 1024 * 1024;
const CHUNK = 64 * 1024;
const CREATE = 100_000;
const REPEAT = 5;

const here = new URL(".", import.meta.url).pathname;

async function run(cmd: string, args: string[]): Promise<number> {
  const out = await new Deno.Command(cmd, { args, stderr: "inherit" }).output();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
  return Number(new TextDecoder().decode(out.stdout).trim());
}

async function buildC(): Promise<string> {
  const dir = `${here}.build`;
  await Deno.mkdir(dir, { recursive: true });
  const exe = `${dir}/bench`;
  const cc = await new Deno.Command("gcc", {
    args: ["-O2", "-pthread", "-o", exe, `${here}c/bench.c`],
    stderr: "inherit",
  }).output();
  if (!cc.success) throw new Error("gcc failed");
  return exe;
}

/** The best of `REPEAT` runs: the least disturbed by the other core's work. */
async function best(f: () => Promise<number> | number): Promise<number> {
  return (await bestInTurn([f]))[0];
}

/** The best of `REPEAT` runs of each of `fs`, which take turns: run 1 of each, then run 2… */
async function bestInTurn(fs: (() => Promise<number> | number)[]): Promise<number[]> {
  const top = fs.map(() => 0);
  for (let i = 0; i < REPEAT; i++) {
    for (const [k, f] of fs.entries()) top[k] = Math.max(top[k], await f());
  }
  return top;
}

interface Row {
  test: string;
  impl: string;
  rate: number;
  unit: string;
}

const c = await buildC();
const node = Deno.env.get("NODE") ?? "node";
const rows: Row[] = [];
const add = (test: string, impl: string, rate: number, unit: string) => {
  rows.push({ test, impl, rate, unit });
  console.error(`${test} ${impl}: ${fmt(rate, unit)}`);
};

/** Adds the rows of `test` whose runs take turns: Deno.Conn, the ffi Socket, the native Socket. */
async function addInTurn(
  test: string,
  unit: string,
  conn: () => Promise<number>,
  sock: (backend: "ffi" | "native") => Promise<number>,
): Promise<void> {
  const [c, f, n] = await bestInTurn([conn, () => sock("ffi"), () => sock("native")]);
  add(test, "Deno.Conn", c, unit);
  add(test, "ffi Socket", f, unit);
  add(test, "native Socket", n, unit);
}

await addInTurn(
  "ping-pong 64 B",
  "round trips/s",
  () => connPingPong(ROUNDS, SIZE),
  (backend) => socketPingPong(ROUNDS, SIZE, backend),
);
add(
  "ping-pong 64 B",
  "node:net (node)",
  await best(() => run(node, [`${here}node_peer.mjs`, "pingpong", String(ROUNDS), String(SIZE)])),
  "round trips/s",
);
add(
  "ping-pong 64 B",
  "C, blocking, no event loop",
  await best(() => run(c, ["pingpong", String(ROUNDS * 5), String(SIZE)])),
  "round trips/s",
);
await addInTurn(
  "bulk TCP 256 MiB",
  "MiB/s",
  () => connBulk(BULK, CHUNK),
  (backend) => socketBulk(BULK, CHUNK, backend),
);
add(
  "bulk TCP 256 MiB",
  "node:net (node)",
  await best(() => run(node, [`${here}node_peer.mjs`, "bulk", String(BULK), String(CHUNK)])),
  "MiB/s",
);
add(
  "bulk TCP 256 MiB",
  "C, two threads",
  await best(() => run(c, ["bulk", String(BULK), String(CHUNK)])),
  "MiB/s",
);
add("socket()+close()", "ffi socket()", await best(() => ffiCreate(CREATE)), "pairs/s");
add(
  "socket()+close()",
  "python3 socket.socket()",
  await best(() =>
    run("python3", [
      "-c",
      `import socket,time\nt=time.perf_counter()\nfor _ in range(${CREATE}): socket.socket().close()\nprint(${CREATE}/(time.perf_counter()-t))`,
    ])
  ),
  "pairs/s",
);
add("socket()+close()", "C", await best(() => run(c, ["create", String(CREATE)])), "pairs/s");

function fmt(rate: number, unit: string): string {
  const v = unit === "MiB/s" ? rate / (1024 * 1024) : rate;
  return `${Math.round(v).toLocaleString("en-US")} ${unit}`;
}

const lines = [
  "| test | implementation | rate | ratio |",
  "| --- | --- | ---: | ---: |",
];
for (const r of rows) {
  const group = rows.filter((x) => x.test === r.test);
  const base = group.find((x) => x.impl === "Deno.Conn") ?? group.find((x) => x.impl === "C");
  const ratio = base ? `${(r.rate / base.rate).toFixed(2)}× ${base.impl}` : "";
  lines.push(`| ${r.test} | ${r.impl} | ${fmt(r.rate, r.unit)} | ${ratio} |`);
}
const table = lines.join("\n");
console.log(table);

if (Deno.args.includes("--write")) {
  const cpu = (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ?? "?";
  const text = `# Benchmark results

The latest \`deno task bench\` run (best of ${REPEAT} runs per row; every row measured in the same run,
the Deno.Conn, ffi and native rows taking turns run by run).
Deno ${Deno.version.deno}, ${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores (${cpu}), ${
    new Date().toISOString().slice(0, 10)
  }.

- ping-pong: one process sends ${SIZE} bytes and waits for them to come back, ${
    ROUNDS.toLocaleString("en-US")
  } times
  (the C row ${(ROUNDS * 5).toLocaleString("en-US")}), TCP_NODELAY on both ends, over 127.0.0.1.
- bulk: 256 MiB in ${CHUNK / 1024} KiB writes from one socket to another over 127.0.0.1.
- socket()+close(): ${CREATE.toLocaleString("en-US")} AF_INET/SOCK_STREAM sockets made and closed.

${table}
`;
  // Sections other tasks record (`## Stress: …` by `deno task stress`) stay as they are.
  const old = await Deno.readTextFile(`${here}RESULTS.md`).catch(() => "");
  const kept = old.search(/^## /m);
  await Deno.writeTextFile(`${here}RESULTS.md`, kept < 0 ? text : `${text}\n${old.slice(kept)}`);
  // Aligned as `deno fmt --check` (part of the gate) wants it.
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", `${here}RESULTS.md`] }).output();
}
