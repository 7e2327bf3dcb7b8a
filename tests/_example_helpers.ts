/**
 * Helpers of the example tests (tests/example_*_test.ts). Each example runs as
 * its command line: a fresh `deno run` with exactly the permission flags its
 * module doc shows on its `deno run …` line (so the documentation is what is
 * tested), to completion ({@linkcode runExample}) or alongside the test
 * ({@linkcode spawnExample}, lines read as they come). {@linkcode netns} makes a
 * network namespace that ends with its holder process, even if the test dies.
 *
 * @module
 */
import {
  type Checkout,
  checkoutFor,
  HERE,
  ROOT,
  type Run,
  run,
  type RunOptions,
} from "./_kernel_helpers.ts";

export { ROOT, type Run } from "./_kernel_helpers.ts";

const ENV = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };

/**
 * The permission flags of a `deno run` line in `examples/<name>.ts`'s module doc.
 *
 * @param name The example, without `.ts`.
 * @param nth Which of its `deno run` lines (0: the first).
 * @returns The flags, such as `["--allow-ffi", "--allow-net"]`.
 */
export function documentedFlags(name: string, nth = 0): string[] {
  const source = Deno.readTextFileSync(`${ROOT}examples/${name}.ts`);
  const line = new RegExp(
    String.raw`deno run((?: --allow-[\w-]+(?:=\S+)?)+) examples/${name}\.ts`,
    "g",
  );
  const found = [...source.matchAll(line)];
  if (found.length <= nth) {
    throw new Error(
      `examples/${name}.ts documents no "deno run --allow-… examples/${name}.ts" line #${nth}`,
    );
  }
  return found[nth][1].trim().split(" ");
}

/**
 * The command line of an example: deno, the flags of its documented `deno run`
 * line (the `nth`), the file, `args`.
 */
export function exampleArgv(
  name: string,
  args: readonly string[],
  checkout: Checkout = HERE,
  nth = 0,
): string[] {
  return [
    checkout.deno,
    "run",
    "--no-prompt",
    "--no-lock",
    ...documentedFlags(name, nth),
    `${checkout.root}examples/${name}.ts`,
    ...args,
  ];
}

/** Runs an example to completion (killed after `opts.timeout`, default 10 s). */
export function runExample(
  name: string,
  args: readonly string[] = [],
  opts: RunOptions & { checkout?: Checkout } = {},
): Promise<Run> {
  const [cmd, ...rest] = exampleArgv(name, args, opts.checkout);
  return run(cmd, rest, { ...opts, env: { ...ENV, ...opts.env } });
}

/** A stream of a running process, read as it comes. */
export class Lines {
  #text = "";
  #closed = false;
  #wake: (() => void)[] = [];
  readonly done: Promise<void>;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.done = stream.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({
        write: (chunk) => {
          this.#text += chunk;
          this.#notify();
        },
      }),
    ).catch(() => {}).finally(() => {
      this.#closed = true;
      this.#notify();
    });
  }

  #notify(): void {
    for (const wake of this.#wake.splice(0)) wake();
  }

  /** Everything read so far. */
  get text(): string {
    return this.#text;
  }

  /** The complete lines read so far. */
  get lines(): string[] {
    const all = this.#text.split("\n");
    all.pop();
    return all;
  }

  /**
   * The first complete line matching `re`, waiting for it up to `timeout` ms.
   *
   * @throws {Error} With everything read, when the stream ends or the time is up first.
   */
  async waitFor(re: RegExp, timeout = 10_000): Promise<RegExpExecArray> {
    const end = performance.now() + timeout;
    for (;;) {
      for (const line of this.lines) {
        const m = re.exec(line);
        if (m) return m;
      }
      const left = end - performance.now();
      if (this.#closed || left <= 0) {
        throw new Error(
          `no line matching ${re} ${this.#closed ? "before the end" : "in time"}:\n${this.#text}`,
        );
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#wake.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }
}

/** A process running alongside the test. */
export interface Proc extends AsyncDisposable {
  readonly pid: number;
  readonly stdout: Lines;
  readonly stderr: Lines;
  /** Sends a signal (ignored when the process is gone). */
  kill(signal?: Deno.Signal): void;
  /** Waits for the exit (both streams read to their end). */
  status(): Promise<Deno.CommandStatus>;
  /** Writes to standard input (when spawned with `stdin: true`). */
  write(text: string): Promise<void>;
}

/** Options of {@linkcode spawn}. */
export interface SpawnOptions {
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Milliseconds before SIGKILL; default 20 000. */
  timeout?: number;
  /** Whether standard input is a pipe (else /dev/null). */
  stdin?: boolean;
}

/** Starts `argv` with piped output; `await using` kills it if it is still running. */
export function spawn(argv: readonly string[], opts: SpawnOptions = {}): Proc {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: opts.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    env: { ...ENV, ...opts.env },
  }).spawn();
  const stdout = new Lines(child.stdout);
  const stderr = new Lines(child.stderr);
  let exited = false;
  const killer = setTimeout(() => kill("SIGKILL"), opts.timeout ?? 20_000);
  const status = child.status.then(async (s) => {
    exited = true;
    clearTimeout(killer);
    await Promise.all([stdout.done, stderr.done]);
    return s;
  });
  const writer = opts.stdin ? child.stdin.getWriter() : undefined;
  function kill(signal: Deno.Signal = "SIGTERM"): void {
    if (exited) return;
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
  return {
    pid: child.pid,
    stdout,
    stderr,
    kill,
    status: () => status,
    async write(text: string) {
      if (!writer) throw new Error("spawned without stdin");
      await writer.write(new TextEncoder().encode(text));
    },
    async [Symbol.asyncDispose]() {
      kill("SIGKILL");
      await writer?.close().catch(() => {});
      await status;
    },
  };
}

/** Starts an example's command line alongside the test (see {@linkcode spawn}). */
export function spawnExample(
  name: string,
  args: readonly string[] = [],
  opts: SpawnOptions & { wrapper?: readonly string[]; doc?: number } = {},
): Proc {
  return spawn([...(opts.wrapper ?? []), ...exampleArgv(name, args, HERE, opts.doc)], opts);
}

/** A network namespace, held by a process of its own. */
export interface Netns extends AsyncDisposable {
  /** The holder's pid: `ip link set … netns <pid>` moves a device in. */
  readonly pid: number;
  /** `nsenter --net=…`: put it before a command to run that command inside. */
  readonly enter: string[];
  /** Runs a shell script inside (`sh -ec`); throws with its output when it fails. */
  sh(script: string): Promise<void>;
}

/**
 * A fresh network namespace (only `lo`, down). It lives as long as its holder,
 * a `sleep` that ends by itself after `lifetime` ms, so nothing is left behind
 * even when the test is killed; `await using` ends it at once.
 */
export async function netns(lifetime = 60_000): Promise<Netns> {
  const holder = spawn(
    ["unshare", "--net", "sh", "-c", `echo ready; exec sleep ${Math.ceil(lifetime / 1000)}`],
    { timeout: lifetime + 5000 },
  );
  try {
    await holder.stdout.waitFor(/^ready$/, 5000);
  } catch (err) {
    await holder[Symbol.asyncDispose]();
    throw err;
  }
  const enter = ["nsenter", `--net=/proc/${holder.pid}/ns/net`];
  return {
    pid: holder.pid,
    enter,
    async sh(script: string) {
      const r = await run(enter[0], [...enter.slice(1), "sh", "-ec", script]);
      if (r.code !== 0) {
        throw new Error(`in netns ${holder.pid}: ${script}\n${r.stdout}${r.stderr}`);
      }
    },
    [Symbol.asyncDispose]: () => holder[Symbol.asyncDispose](),
  };
}

/**
 * A shell command setting kernel parameters through /proc/sys (what `sysctl -w`
 * does, without needing procps): `sysctl({ "net.ipv4.ip_forward": 1 })`. In a
 * namespace, the `net.*` ones are that namespace's.
 */
export function sysctl(settings: Record<string, string | number>): string {
  return Object.entries(settings)
    .map(([key, value]) => `echo '${value}' > /proc/sys/${key.replaceAll(".", "/")}`)
    .join("; ");
}

/**
 * A checkout the user that `dropTo` (setpriv arguments) names can run the
 * examples from (see `checkoutFor` in _kernel_helpers.ts).
 */
export function exampleCheckoutFor(
  dropTo: readonly string[],
): Promise<Checkout & AsyncDisposable> {
  return checkoutFor(dropTo, ["examples/ping.ts", "socket/ffi/sys.ts"]);
}

/** Reads a connection of the runtime's own (`Deno.connect`) to its end, closes it, decodes it. */
export async function readToEnd(conn: Deno.Conn): Promise<string> {
  const chunks: number[] = [];
  const buf = new Uint8Array(256);
  try {
    for (let n; (n = await conn.read(buf)) !== null;) chunks.push(...buf.subarray(0, n));
  } finally {
    conn.close();
  }
  return new TextDecoder().decode(new Uint8Array(chunks));
}

/** The usage check every example shares: exit code 2 and the usage line on stderr. */
export async function assertUsage(
  name: string,
  args: readonly string[],
  re: RegExp,
): Promise<void> {
  const r = await runExample(name, args);
  if (r.code !== 2 || !re.test(r.stderr) || !/usage: /.test(r.stderr) || r.stdout !== "") {
    throw new Error(
      `examples/${name}.ts ${
        args.join(" ")
      }: expected exit 2 and ${re} with a usage line; got ${r.code}\n` +
        `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
    );
  }
}
