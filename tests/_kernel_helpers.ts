/**
 * Helpers of the kernel-facing ffi tests (tests/ffi_kernel_*_test.ts and
 * tests/ffi_bad_input_test.ts) that tests/_helpers.ts does not offer: a fixture
 * script of tests/fixtures/ run in a fresh `deno run` under a wrapper (strace,
 * setpriv, prlimit, unshare) with a hard time limit, one-shot python3 scripts of
 * tests/py/ that answer one JSON document, a call's outcome as an errno name, and
 * the Internet checksum.
 *
 * Fixtures live in the repository (not a temporary directory) so that a process
 * dropped to another user by setpriv can still read them.
 *
 * @module
 */
import { errnoName, SocketError } from "../errno/mod.ts";

/** The repository root, with a trailing slash. */
export const ROOT: string = new URL("..", import.meta.url).pathname;

/**
 * The system's python3: an unprivileged user must be able to run it (a pyenv
 * shim under /root is not readable by nobody). Falls back to `python3` on PATH.
 */
export const SYSTEM_PYTHON: string = (() => {
  try {
    Deno.statSync("/usr/bin/python3");
    return "/usr/bin/python3";
  } catch {
    return "python3";
  }
})();

/** What a subprocess run returned. */
export interface Run {
  /** Exit code. */
  code: number;
  /** The signal that ended it, if one did. */
  signal: Deno.Signal | null;
  /** Standard output, decoded. */
  stdout: string;
  /** Standard error, decoded. */
  stderr: string;
}

/** Options of {@linkcode run}, {@linkcode runFixture} and {@linkcode pyJson}. */
export interface RunOptions {
  /** A command the program runs under: `["strace", "-f", …]`, `["setpriv", …]`. */
  wrapper?: readonly string[];
  /** Arguments after the program. */
  args?: readonly string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Text for standard input. */
  stdin?: string;
  /** Milliseconds before the process is killed (SIGKILL); default 10 000. */
  timeout?: number;
}

/**
 * Runs `cmd args` to completion, killing it with SIGKILL after the timeout (the
 * result then reports the signal, and the caller's assertion on `code` fails).
 */
export async function run(
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<Run> {
  const wrapper = opts.wrapper ?? [];
  const argv = [...wrapper, cmd, ...args, ...(opts.args ?? [])];
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: opts.env,
  }).spawn();
  const killer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, opts.timeout ?? 10_000);
  try {
    if (opts.stdin !== undefined) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(opts.stdin));
      await w.close();
    }
    const out = await child.output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      signal: out.signal,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  } finally {
    clearTimeout(killer);
  }
}

/** Where {@linkcode runFixture} finds deno and the checkout. */
export interface Checkout {
  /** The deno binary. */
  deno: string;
  /** The repository root, with a trailing slash. */
  root: string;
}

/** This process's deno and this checkout. */
export const HERE: Checkout = { deno: Deno.execPath(), root: ROOT };

/**
 * Runs `tests/fixtures/<name>` in a fresh `deno run -A` (the checkout's
 * deno.json, no lock file, no prompt). Every fixture arms its own watchdog, so a
 * child left behind by a killed wrapper (strace) still ends.
 */
export function runFixture(
  name: string,
  opts: RunOptions & { checkout?: Checkout } = {},
): Promise<Run> {
  const { deno, root } = opts.checkout ?? HERE;
  const flags = ["run", "-A", "--no-prompt", "--no-lock", `--config=${root}deno.json`];
  return run(deno, [...flags, `${root}tests/fixtures/${name}`], {
    ...opts,
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...opts.env },
  });
}

/** The last line of `r.stdout` as JSON; fails with the whole run in the message otherwise. */
export function lastJson<T>(r: Run, what: string): T {
  const lines = r.stdout.trim().split("\n");
  try {
    if (r.code !== 0) throw new Error(`exit code ${r.code}, signal ${r.signal}`);
    return JSON.parse(lines[lines.length - 1]) as T;
  } catch (err) {
    throw new Error(`${what}: ${err}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

/**
 * Runs `tests/py/<file>` with `python` (default: {@linkcode SYSTEM_PYTHON}),
 * `input` as JSON on standard input, and returns the JSON it prints last. With
 * `inline`, the script's text is passed with `-c`, for a user who may not read
 * this checkout.
 */
export async function pyJson<T>(
  file: string,
  input: unknown = null,
  opts: RunOptions & { python?: string; inline?: boolean } = {},
): Promise<T> {
  const path = `${ROOT}tests/py/${file}`;
  const script = opts.inline ? ["-c", await Deno.readTextFile(path)] : [path];
  const r = await run(opts.python ?? SYSTEM_PYTHON, script, {
    ...opts,
    stdin: JSON.stringify(input),
  });
  return lastJson<T>(r, file);
}

/** `"OK"` when `fn` resolves, the `SocketError`'s code when it rejects with one; anything else is rethrown. */
export async function outcomeAsync(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return "OK";
  } catch (err) {
    if (err instanceof SocketError) return err.code;
    throw err;
  }
}

/** The Internet checksum (RFC 1071) of `bytes`: one's complement of the one's-complement sum. */
export function inetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length % 2) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** `0` when `fn` returns, the `SocketError`'s errno when it throws one; anything else is rethrown. */
export function errnoOf(fn: () => unknown): number {
  try {
    fn();
    return 0;
  } catch (err) {
    if (err instanceof SocketError) return err.errno;
    throw err;
  }
}

/** {@linkcode errnoOf} for an async call. */
export async function errnoOfAsync(fn: () => Promise<unknown>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (err) {
    if (err instanceof SocketError) return err.errno;
    throw err;
  }
}

/** An outcome number as text: `"OK"` for 0, else the errno's name (`"EOPNOTSUPP"`). */
export function outcomeName(n: number): string {
  return n === 0 ? "OK" : errnoName(n) ?? `errno ${n}`;
}

/** What a user other than the owner must be able to read to run the package's code. */
const CHECKOUT_SOURCES = [
  "mod.ts",
  "deno.json",
  "_internal",
  "address",
  "constants",
  "errno",
  "options",
  "socket",
  "wintertc",
  "examples",
  "tests",
];

/**
 * A checkout the user that `dropTo` (setpriv arguments) names can run from:
 * this one when that user can execute deno and read `probe` (paths under the
 * root), else a world-readable copy of the sources in a temporary directory,
 * removed on dispose.
 */
export async function checkoutFor(
  dropTo: readonly string[],
  probe: readonly string[] = ["mod.ts", "tests/fixtures/kernel_unprivileged.ts"],
): Promise<Checkout & AsyncDisposable> {
  if (dropTo.length === 0) return { ...HERE, [Symbol.asyncDispose]: async () => {} };
  const tests = probe.map((_, i) => `test -r "$${i + 1}"`).join(" && ");
  const check = await run("setpriv", [
    ...dropTo,
    "sh",
    "-c",
    `test -x "$0" && ${tests}`,
    HERE.deno,
    ...probe.map((p) => `${ROOT}${p}`),
  ]);
  if (check.code === 0) return { ...HERE, [Symbol.asyncDispose]: async () => {} };
  const dir = await Deno.makeTempDir({ prefix: "bsdsock-unprivileged-" });
  for (
    const [cmd, args] of [
      ["cp", ["-r", ...CHECKOUT_SOURCES.map((p) => `${ROOT}${p}`), dir]],
      ["cp", [HERE.deno, `${dir}/deno`]],
      ["chmod", ["-R", "a+rX", dir]],
    ] as const
  ) {
    const r = await run(cmd, args, { timeout: 30_000 });
    if (r.code !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  }
  return {
    deno: `${dir}/deno`,
    root: `${dir}/`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}
