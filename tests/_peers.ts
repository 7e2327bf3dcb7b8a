/**
 * Other processes the integration tests talk to: python3 peers (tests/py/) over
 * JSON lines, fresh `deno run` children with chosen permissions, and the
 * temporary directories they need.
 * Re-exported by `./_helpers.ts`.
 *
 * @module
 */

const here = new URL(".", import.meta.url).pathname;

/** A temporary directory that `using` removes (for unix socket paths, child scripts…). */
export function tempDir(): { path: string } & Disposable {
  const path = Deno.makeTempDirSync({ prefix: "bsdsock-test-" });
  return {
    path,
    [Symbol.dispose]() {
      Deno.removeSync(path, { recursive: true });
    },
  };
}

/** A running python3 peer, talking JSON lines over its stdin/stdout. */
export interface PythonPeer extends AsyncDisposable {
  /** The child's process id. */
  readonly pid: number;
  /** The next line the peer printed, parsed as JSON (bounded by the peer's timeout). */
  read<T = Record<string, unknown>>(): Promise<T>;
  /** Sends `value` as one JSON line on the peer's stdin. */
  write(value: unknown): Promise<void>;
  /** Waits for the peer to exit; rejects with its stderr unless it exits with 0. */
  done(): Promise<void>;
  /** What the peer wrote to stderr so far. */
  readonly stderr: string;
}

/** Options of {@linkcode python}. */
export interface PythonOptions {
  /** Milliseconds the peer may live; it is killed after that (and python's own alarm fires). */
  timeout?: number;
  /** Extra environment. */
  env?: Record<string, string>;
}

/**
 * Starts a python3 peer: `script` is a file of tests/py/ (`"tcp_peer.py"`) or python
 * source. Peers import `_peer` (tests/py/_peer.py) for `say(**fields)` (one JSON
 * line on stdout) and `hear()` (one JSON line from stdin); `_peer` also arms an
 * alarm so a stuck peer dies on its own. Use with `await using`.
 *
 * @param script A tests/py/ file name, or python source.
 * @param args Arguments (`sys.argv[1:]`).
 * @param options Timeout and environment.
 */
export function python(
  script: string,
  args: readonly string[] = [],
  options: PythonOptions = {},
): PythonPeer {
  const timeout = options.timeout ?? 10_000;
  const file = /^[\w.-]+\.py$/.test(script);
  const child = new Deno.Command("python3", {
    args: file ? [`${here}py/${script}`, ...args] : ["-c", script, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: {
      PYTHONPATH: `${here}py`,
      PYTHONUNBUFFERED: "1",
      PEER_TIMEOUT: String(Math.ceil(timeout / 1000)),
      ...options.env,
    },
  }).spawn();
  const name = file ? script : "python -c";
  let stderr = "";
  const stderrDone = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (s) => void (stderr += s) }),
  ).catch(() => {});
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const writer = child.stdin.getWriter();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  let buffered = "";
  let killer: ReturnType<typeof setTimeout> | undefined;
  const killed = new Promise<never>((_, reject) => {
    killer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      reject(new Error(`${name} still running after ${timeout} ms; stderr:\n${stderr}`));
    }, timeout);
  });
  killed.catch(() => {});

  async function line(): Promise<string> {
    for (;;) {
      const nl = buffered.indexOf("\n");
      if (nl >= 0) {
        const out = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        return out;
      }
      const { value, done } = await Promise.race([reader.read(), killed]);
      if (done) {
        await status;
        await stderrDone;
        throw new Error(`${name} ended its output before a line; stderr:\n${stderr}`);
      }
      buffered += value;
    }
  }

  return {
    pid: child.pid,
    get stderr() {
      return stderr;
    },
    async read<T>(): Promise<T> {
      const text = await line();
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new Error(`${name} printed ${JSON.stringify(text)}; stderr:\n${stderr}`);
      }
    },
    async write(value: unknown): Promise<void> {
      await writer.write(new TextEncoder().encode(JSON.stringify(value) + "\n"));
    },
    async done(): Promise<void> {
      const s = await Promise.race([status, killed]);
      await stderrDone;
      if (!s.success) throw new Error(`${name} exited with ${s.code}; stderr:\n${stderr}`);
    },
    async [Symbol.asyncDispose](): Promise<void> {
      if (!exited) {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }
      await status;
      clearTimeout(killer);
      await writer.close().catch(() => {});
      await reader.cancel().catch(() => {});
      await stderrDone;
    },
  };
}

/** What {@linkcode runDeno} returns. */
export interface DenoRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs TypeScript `source` in a fresh `deno run` with `flags` (permissions…)
 * and `args` (`Deno.args`), optionally under a wrapper command such as
 * `["strace", "-f", …]`, and kills it after `timeout` ms (exit code 143).
 * `source` may import the package as `@bsdsock/socket` (this checkout's mod.ts)
 * and the shared helpers as `@tests/helpers`. A child run under a tracer should
 * end itself (`Deno.exit`) and arm its own watchdog: killing strace leaves its
 * tracee running.
 */
export async function runDeno(
  source: string,
  flags: readonly string[],
  options: { args?: readonly string[]; wrapper?: readonly string[]; timeout?: number } = {},
): Promise<DenoRun> {
  using dir = tempDir();
  const root = new URL("..", import.meta.url).pathname;
  const main = `${dir.path}/main.ts`;
  Deno.writeTextFileSync(
    main,
    source
      .replaceAll('"@bsdsock/socket"', JSON.stringify(`${root}mod.ts`))
      .replaceAll('"@tests/helpers"', JSON.stringify(`${root}tests/_helpers.ts`)),
  );
  const denoArgs = [
    "run",
    "--no-prompt",
    `--config=${root}deno.json`,
    "--no-lock",
    ...flags,
    main,
    ...(options.args ?? []),
  ];
  const wrapper = options.wrapper ?? [];
  const cmd = wrapper.length ? wrapper[0] : Deno.execPath();
  const args = wrapper.length ? [...wrapper.slice(1), Deno.execPath(), ...denoArgs] : denoArgs;
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeout ?? 15_000),
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs python3 `source` with `args` to its end; its stdout, or its error output as a rejection. */
export async function py(source: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("python3", {
    args: ["-c", source, ...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(10_000),
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}
