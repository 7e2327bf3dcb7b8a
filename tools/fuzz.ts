/**
 * The fuzzer: `deno task fuzz --seed N --calls N`. Runs random calls with
 * random arguments on real sockets of both backends in a child process
 * (tools/fuzz/_child.ts) and watches it from outside, so a crash of the
 * runtime or a frozen event loop is seen too. Fails on a crash, a call that
 * does not settle within 5 s, an error that is not a `SocketError`,
 * `TypeError` or `RangeError`, a synchronous throw from a promise-returning
 * method, or a descriptor leak; prints a summary line either way.
 *
 * Options: `--seed N` (default 1), `--calls N` (default 10000), `--seeds K`
 * (run seeds N … N+K-1 one after another), `--stall S` (seconds without a
 * heartbeat before the child is deemed frozen, default 15), `--strict` (a
 * warning — a timeout that fires early — fails the run too), `--first` (print
 * the first call that met each kind of error, to find one for a reproduction).
 *
 * @module
 */

/** What one run of the fuzzer found. */
export interface FuzzResult {
  /** The PRNG seed. */
  seed: number;
  /** How many calls were asked for. */
  calls: number;
  /** Whether the run was clean. */
  ok: boolean;
  /** The child's summary line, if it got that far. */
  summary: string | undefined;
  /** Failure lines: the child's own, and a crash or stall seen from outside. */
  failures: string[];
  /** Distinct lines the child wrote to stderr (runtime warnings). */
  stderr: string[];
  /** Wall time in seconds. */
  seconds: number;
}

const CHILD = new URL("./fuzz/_child.ts", import.meta.url).pathname;

/**
 * Runs the fuzzer once in a child process.
 *
 * @param seed The PRNG seed.
 * @param calls How many calls to make.
 * @param opts `stallSeconds`: how long without a heartbeat means frozen; `strict`: warnings
 *   (a timeout firing early) fail the run; `inject`: a fault planted at the middle call
 *   (`hang`, `throw`, `class`, `leak`, `freeze`, `crash`), to show it is caught; `log`: where
 *   lines go; `first`: print the first call that met each kind of error.
 * @returns What the run found.
 */
export async function fuzz(
  seed: number,
  calls: number,
  opts: {
    stallSeconds?: number;
    strict?: boolean;
    inject?: string;
    first?: boolean;
    log?: (line: string) => void;
  } = {},
): Promise<FuzzResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const stallMs = (opts.stallSeconds ?? 15) * 1000;
  const tracePath = Deno.makeTempFileSync({ prefix: "bsdsock-fuzz-trace-" });
  const tmp = Deno.makeTempDirSync({ prefix: "bsdsock-fuzz-" });
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-prompt",
      CHILD,
      "--seed",
      String(seed),
      "--calls",
      String(calls),
      "--trace",
      tracePath,
      "--tmp",
      tmp,
      ...(opts.first ? ["--first"] : []),
      ...(opts.strict ? ["--strict"] : []),
      ...(opts.inject ? ["--inject", opts.inject] : []),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  const failures: string[] = [];
  const stderr = new Set<string>();
  let summary: string | undefined;
  let progress = 0;
  let lastBeat = performance.now();
  let stalled = false;

  const watch = setInterval(() => {
    if (performance.now() - lastBeat > stallMs) {
      stalled = true;
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }, 500);

  const readLines = async (
    stream: ReadableStream<Uint8Array>,
    onLine: (line: string) => void,
  ) => {
    let rest = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const line of lines) onLine(line);
    }
    if (rest) onLine(rest);
  };
  const out = readLines(child.stdout, (line) => {
    lastBeat = performance.now();
    if (line.startsWith("PROGRESS ")) {
      progress = Number(line.slice(9));
    } else if (line.startsWith("SUMMARY ")) {
      summary = line;
      log(line);
    } else if (line.startsWith("WARN ") || line.startsWith("FIRST ")) {
      log(line);
    } else if (line.startsWith("FAIL ")) {
      failures.push(line);
      log(line);
    } else if (line.trim()) {
      log(line);
    }
  });
  const err = readLines(child.stderr, (line) => {
    // Runtime warnings repeat with other numbers in them: keep one of each shape.
    const shape = line.replace(/\d+(\.\d+)?/g, "N");
    if (line.trim() && stderr.size < 50) stderr.add(shape);
  });

  const status = await child.status;
  clearInterval(watch);
  await Promise.all([out, err]);
  const seconds = (performance.now() - t0) / 1000;

  const seen = failures.length;
  if (stalled) {
    failures.push(
      `FAIL seed=${seed} stall: no heartbeat for ${stallMs / 1000} s (event loop frozen) ` +
        `after call ~#${progress}; last calls:\n${traceTail(tracePath)}`,
    );
  } else if (status.signal) {
    failures.push(
      `FAIL seed=${seed} crash: child killed by ${status.signal} after call ~#${progress}; ` +
        `last calls:\n${traceTail(tracePath)}`,
    );
  } else if (status.code !== 0 && failures.length === 0) {
    failures.push(
      `FAIL seed=${seed} child exited with ${status.code}; last calls:\n${traceTail(tracePath)}`,
    );
  } else if (summary === undefined) {
    failures.push(`FAIL seed=${seed} no summary line from the child`);
  }
  // What was seen from outside; the child's own lines are logged already.
  for (const line of failures.slice(seen)) log(line);
  for (const line of stderr) log(`stderr: ${line}`);
  const ok = failures.length === 0 && status.code === 0;
  try {
    Deno.removeSync(tmp, { recursive: true });
  } catch {
    // The child removed it.
  }
  // A planted fault's trace is of no interest; a real failure's is kept for its replay.
  if (ok || opts.inject) Deno.removeSync(tracePath);
  else log(`trace of every call: ${tracePath}`);
  return { seed, calls, ok, summary, failures, stderr: [...stderr], seconds };
}

function traceTail(path: string, lines = 12): string {
  try {
    const text = Deno.readTextFileSync(path);
    return text.trimEnd().split("\n").slice(-lines).map((l) => `  ${l}`).join("\n");
  } catch {
    return "  (no trace)";
  }
}

function argInt(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(Deno.args[i + 1]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} needs a non-negative integer, got ${Deno.args[i + 1]}`);
    Deno.exit(2);
  }
  return n;
}

if (import.meta.main) {
  const seed = argInt("--seed", 1);
  const calls = argInt("--calls", 10000);
  const seeds = argInt("--seeds", 1);
  const stallSeconds = argInt("--stall", 15);
  let bad = 0;
  for (let s = seed; s < seed + seeds; s++) {
    const r = await fuzz(s, calls, {
      stallSeconds,
      strict: Deno.args.includes("--strict"),
      first: Deno.args.includes("--first"),
    });
    if (!r.ok) bad++;
  }
  Deno.exit(bad ? 1 : 0);
}
