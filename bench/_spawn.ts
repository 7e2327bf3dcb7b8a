/**
 * The benchmark's child processes: started with a piped stdin (a C server exits when it ends),
 * read line by line, given deadlines, and all killed on the way out — on success, failure,
 * Ctrl-C or an uncaught error.
 *
 * @module
 */

const live = new Set<Deno.ChildProcess>();

/** Kills every child still running. */
export function killAll(): void {
  for (const p of live) stop(p);
  live.clear();
}
globalThis.addEventListener("unload", killAll);
Deno.addSignalListener("SIGINT", () => {
  killAll();
  Deno.exit(130);
});

/** Starts `argv`, stdout piped, stderr shared with ours; stdin piped unless asked otherwise. */
export function spawn(argv: string[], stdin: "piped" | "null" = "piped"): Deno.ChildProcess {
  const p = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  live.add(p);
  p.status.finally(() => live.delete(p));
  return p;
}

/** Ends `p` if it still runs: its stdin closed, then SIGKILL. */
export function stop(p: Deno.ChildProcess): void {
  try {
    p.stdin.close().catch(() => {});
  } catch { /* stdin not piped */ }
  try {
    p.kill("SIGKILL");
  } catch { /* already gone */ }
}

/** `p` settled within `ms`, or an error naming `what`. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A child's stdout, a line at a time. */
export class Lines {
  #reader: ReadableStreamDefaultReader<string>;
  #text = "";
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }
  /** The next line, without its newline; `undefined` at the end of the stream. */
  async next(): Promise<string | undefined> {
    for (;;) {
      const at = this.#text.indexOf("\n");
      if (at >= 0) {
        const line = this.#text.slice(0, at);
        this.#text = this.#text.slice(at + 1);
        return line;
      }
      const { value, done } = await this.#reader.read();
      if (done) {
        const rest = this.#text;
        this.#text = "";
        return rest || undefined;
      }
      this.#text += value;
    }
  }
  /** Lets the stream go. */
  cancel(): void {
    this.#reader.cancel().catch(() => {});
  }
}

/** Runs `argv` to the end within `ms`; its stdout, or an error with its exit status. */
export async function output(argv: string[], ms: number, what: string): Promise<string> {
  const p = spawn(argv);
  const lines = new Lines(p.stdout);
  try {
    const out: string[] = [];
    const read = (async () => {
      for (let l = await lines.next(); l !== undefined; l = await lines.next()) out.push(l);
    })();
    const [status] = await within(Promise.all([p.status, read]), ms, what);
    if (!status.success) throw new Error(`${what} failed (exit status ${status.code})`);
    return out.join("\n");
  } finally {
    stop(p);
    lines.cancel();
  }
}
