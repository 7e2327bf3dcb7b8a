/**
 * The library seen from a child process of the runtime running these tests —
 * Deno here, and Node or Bun when the npm build runs this file against the
 * packed package: a script whose calls parked, or that leaves idle sockets
 * open, exits by itself promptly; a send to a reset peer fails with EPIPE and
 * every send carries MSG_NOSIGNAL (strace), so no SIGPIPE is raised; and no
 * descriptor of ours is inherited by a child (python3 lists its own).
 *
 * The children are plain JavaScript importing the package by URL, and the
 * processes are made with node:child_process, so the file means the same on
 * all three runtimes.
 *
 * @module
 */
import { assert, assertEquals, assertLess, assertStringIncludes } from "@std/assert";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { linux as C } from "../constants/mod.ts";
import { socket } from "../mod.ts";
import { fdLedger, safetyWakeups, tcpListener, tcpPair, unixPair } from "./_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first runtime process test", fds.start);

const real = (globalThis as { Deno?: { execPath(): string } }).Deno;
const runtime = real !== undefined
  ? "deno"
  : (process.versions as Record<string, string | undefined>).bun !== undefined
  ? "bun"
  : "node";

/** The package's root module as a URL a child can import: this checkout's, or the installed one. */
function packageUrl(): string {
  if (runtime === "deno") return new URL("../mod.ts", import.meta.url).href;
  return (import.meta as unknown as { resolve(s: string): string }).resolve("@bsdsock/socket");
}

interface ChildRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs JavaScript `source` (which imports `"@bsdsock/socket"`) in a fresh process of this
 * runtime, under `wrapper` if given, killed after `timeout` ms.
 */
async function runChild(
  source: string,
  options: { wrapper?: string[]; timeout?: number } = {},
): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), "bsdsock-child-"));
  try {
    const main = join(dir, "main.mjs");
    writeFileSync(main, source.replaceAll('"@bsdsock/socket"', JSON.stringify(packageUrl())));
    const root = new URL("..", import.meta.url).pathname;
    const argv = runtime === "deno"
      ? [
        process.execPath,
        "run",
        "-A",
        "--no-prompt",
        "--no-lock",
        `--config=${root}deno.json`,
        main,
      ]
      : [process.execPath, main];
    const all = [...(options.wrapper ?? []), ...argv];
    const started = performance.now();
    const child = spawn(all[0], all.slice(1), {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => stdout += d);
    child.stderr.on("data", (d) => stderr += d);
    const killer = setTimeout(() => child.kill("SIGKILL"), options.timeout ?? 15_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s]))
    );
    clearTimeout(killer);
    return { code, signal, stdout, stderr, ms: performance.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How long a bare child of this runtime takes to start and end, in ms. */
let baseline: number | undefined;
async function startupMs(): Promise<number> {
  if (baseline === undefined) {
    const run = await runChild('import "@bsdsock/socket";\nconsole.log("ok");');
    assertEquals([run.code, run.stdout.trim()], [0, "ok"], run.stderr);
    baseline = run.ms;
  }
  return baseline;
}

Deno.test("a script whose calls parked exits by itself promptly once they are done", async () => {
  const base = await startupMs();
  const run = await runChild(`
import { AF_UNIX, AF_INET, SOCK_STREAM, socket, socketpair } from "@bsdsock/socket";
const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
const pending = b.recv(new Uint8Array(4), 0, { timeout: 5000 }); // parks
await a.send(new Uint8Array([1, 2]));
const listener = socket(AF_INET, SOCK_STREAM, 0, { backend: "ffi" });
listener.bind({ hostname: "127.0.0.1", port: 0 });
listener.listen();
const accepting = listener.accept().catch((e) => e.code); // parks, then close() ends it
listener.close();
console.log(await pending, await accepting);
a.close();
b.close();
`);
  assertEquals([run.code, run.stdout.trim()], [0, "2 EBADF"], run.stderr);
  // The reactor's safety-net timer ticks every 250 ms: a held loop would show as a second or more.
  assertLess(
    run.ms - base,
    1000,
    `it took ${run.ms.toFixed(0)} ms (a bare child: ${base.toFixed(0)} ms)`,
  );
});

Deno.test("a script that leaves idle sockets open exits by itself promptly", async () => {
  const base = await startupMs();
  const run = await runChild(`
import { AF_INET, AF_UNIX, SOCK_DGRAM, SOCK_STREAM, socket, socketpair } from "@bsdsock/socket";
const listener = socket(AF_INET, SOCK_STREAM, 0);
listener.bind({ hostname: "127.0.0.1", port: 0 });
listener.listen();
const udp = socket(AF_INET, SOCK_DGRAM, 0);
udp.bind({ hostname: "127.0.0.1", port: 0 });
const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
await a.send(new Uint8Array([1]));
console.log(await b.recv(new Uint8Array(1)), listener.backend);
`);
  assertEquals([run.code, run.stdout.trim()], [0, "1 ffi"], run.stderr);
  assertLess(
    run.ms - base,
    1000,
    `it took ${run.ms.toFixed(0)} ms (a bare child: ${base.toFixed(0)} ms)`,
  );
});

Deno.test({
  name:
    "a send to a reset peer fails with EPIPE, never SIGPIPE: every send carries MSG_NOSIGNAL (strace)",
  ignore: spawnSync("strace", ["-V"]).status !== 0,
  fn: async () => {
    const dir = mkdtempSync(join(tmpdir(), "bsdsock-trace-"));
    try {
      const trace = join(dir, "trace");
      const run = await runChild(
        `
import {
  AF_INET, AF_UNIX, SOCK_DGRAM, SOCK_STREAM, sendFds, setLinger, socket, socketpair,
} from "@bsdsock/socket";
setTimeout(() => process.exit(99), 10_000); // strace must never be left tracing a stuck child
const T = { timeout: 5000 };
const ffi = { backend: "ffi" };
const data = new Uint8Array(8);
const listener = socket(AF_INET, SOCK_STREAM, 0, ffi);
listener.bind({ hostname: "127.0.0.1", port: 0 });
listener.listen();
const client = socket(AF_INET, SOCK_STREAM, 0, ffi);
const accepted = listener.accept(T);
await client.connect(listener.getsockname(), T);
const [server] = await accepted;
await client.send(data, 0, T);
await client.sendAll(data, 0, T);
await client.sendmsg([data, data], T);
const udp = socket(AF_INET, SOCK_DGRAM, 0, ffi);
udp.bind({ hostname: "127.0.0.1", port: 0 });
await udp.sendto(data, udp.getsockname(), 0, T);
const [u0, u1] = socketpair(AF_UNIX, SOCK_STREAM);
await sendFds(u0, data, [udp.fd], T);
// A reset peer: the next sends fail (ECONNRESET, then EPIPE) instead of raising SIGPIPE.
setLinger(server, 0);
server.close();
await new Promise((r) => setTimeout(r, 50));
const errors = [];
for (let i = 0; i < 3; i++) await client.send(data, 0, T).catch((e) => errors.push(e.code));
console.log(JSON.stringify({ fds: [client.fd, udp.fd, u0.fd], errors }));
for (const s of [listener, client, udp, u0, u1]) s.close();
process.exit(0);
`,
        { wrapper: ["strace", "-f", "-qq", "-e", "trace=sendto,sendmsg,sendmmsg", "-o", trace] },
      );
      assertEquals([run.code, run.signal], [0, null], run.stderr);
      const out = JSON.parse(run.stdout.trim().split("\n").pop()!) as {
        fds: number[];
        errors: string[];
      };
      assertEquals(out.errors, ["ECONNRESET", "EPIPE", "EPIPE"]);
      const lines = readFileSync(trace, "utf8").split("\n");
      const calls = lines.filter((l) => {
        const m = /^\d+\s+(?:<\.\.\. )?(sendto|sendmsg|sendmmsg)\((\d+),/.exec(l);
        return m !== null && out.fds.includes(Number(m[2]));
      });
      assert(calls.length >= 8, `the trace has our calls:\n${lines.join("\n")}`);
      for (const call of calls) assertStringIncludes(call, "MSG_NOSIGNAL");
      assert(calls.some((c) => /= -1 EPIPE/.test(c)), "a send met EPIPE");
      assert(!lines.some((l) => l.includes("SIGPIPE")), "no SIGPIPE was raised");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

Deno.test("no descriptor of ours is inherited by a child process (python3 lists its own)", async () => {
  using listener = tcpListener();
  using pair = await tcpPair();
  using channel = unixPair();
  using udp = socket(C.AF_INET, C.SOCK_DGRAM, 0, { backend: "ffi" });
  const py = spawnSync("python3", [
    "-c",
    "import json, os; print(json.dumps(sorted(int(n) for n in os.listdir('/proc/self/fd'))))",
  ]);
  assertEquals(py.status, 0, String(py.stderr));
  const inherited = JSON.parse(String(py.stdout)) as number[];
  for (const s of [listener, ...pair, ...channel, udp]) {
    assert(!inherited.includes(s.fd), `${s} leaked into the child: ${inherited}`);
  }
});

Deno.test("runtime process tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the runtime process tests", fds.assertUnchanged);
