/**
 * The part of Deno's API the integration tests (tests/) use, on Node and Bun, for the runs of
 * the npm build: subprocesses (`Deno.Command`, for the python3 peers, gcc, ss), files and
 * directories, the process id, user id and environment. Only the tests see it (npm/test_shim.ts
 * hands it to them as their `Deno`); the library under test sees the runtime as it is.
 *
 * Each function does what its Deno namesake does for the arguments the tests pass; it is not a
 * general polyfill.
 *
 * @module
 */
import { spawn, spawnSync, type SpawnSyncReturns, type StdioOptions } from "node:child_process";
import {
  closeSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

type Stdio = "piped" | "inherit" | "null";

/** `Deno.CommandOptions`, as far as the tests use it. */
export interface CommandOptions {
  args?: readonly string[];
  cwd?: string;
  env?: Record<string, string>;
  stdin?: Stdio;
  stdout?: Stdio;
  stderr?: Stdio;
  signal?: AbortSignal;
}

/** `Deno.CommandStatus`. */
export interface CommandStatus {
  success: boolean;
  code: number;
  signal: string | null;
}

/** `Deno.CommandOutput`. */
export interface CommandOutput extends CommandStatus {
  stdout: Uint8Array;
  stderr: Uint8Array;
}

function stdio(mode: Stdio | undefined, fallback: Stdio): "pipe" | "inherit" | "ignore" {
  const m = mode ?? fallback;
  return m === "piped" ? "pipe" : m === "inherit" ? "inherit" : "ignore";
}

/** A Node readable as a web ReadableStream of Uint8Array chunks. */
function readable(stream: NodeJS.ReadableStream | null): ReadableStream<Uint8Array> {
  if (stream === null) {
    return new ReadableStream({ start: (c) => c.error(new TypeError("stdio is not piped")) });
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      stream.on("data", (chunk: Uint8Array) => controller.enqueue(new Uint8Array(chunk)));
      const end = () => {
        try {
          controller.close();
        } catch { /* closed or cancelled */ }
      };
      stream.on("end", end);
      stream.on("close", end);
      stream.on("error", (err) => {
        try {
          controller.error(err);
        } catch { /* cancelled */ }
      });
    },
    cancel() {
      (stream as unknown as { destroy?: () => void }).destroy?.();
    },
  });
}

/** A Node writable as a web WritableStream. */
function writable(stream: NodeJS.WritableStream | null): WritableStream<Uint8Array> {
  if (stream === null) {
    return new WritableStream({ start: (c) => c.error(new TypeError("stdin is not piped")) });
  }
  stream.on("error", () => {}); // EPIPE from a child that exited: the write rejects instead
  return new WritableStream<Uint8Array>({
    write: (chunk) =>
      new Promise<void>((resolve, reject) =>
        stream.write(chunk, (err?: Error | null) => (err ? reject(err) : resolve()))
      ),
    close: () =>
      new Promise<void>((resolve) => {
        const w = stream as unknown as { destroyed?: boolean; writableFinished?: boolean };
        if (w.destroyed || w.writableFinished) return resolve();
        // A child that has exited closes its end: "close" or "error" comes instead of "finish".
        stream.once("close", () => resolve());
        stream.once("error", () => resolve());
        stream.end(() => resolve());
      }),
    abort: () => void (stream as unknown as { destroy?: () => void }).destroy?.(),
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/** `Deno.ChildProcess`. */
export class ChildProcess {
  readonly pid: number;
  readonly stdin: WritableStream<Uint8Array>;
  readonly stdout: ReadableStream<Uint8Array>;
  readonly stderr: ReadableStream<Uint8Array>;
  readonly status: Promise<CommandStatus>;
  readonly #kill: (signal: string) => void;

  constructor(cmd: string, options: CommandOptions, outputs: Stdio) {
    const io: StdioOptions = [
      stdio(options.stdin, "null"),
      stdio(options.stdout, outputs),
      stdio(options.stderr, outputs),
    ];
    const child = spawn(cmd, [...(options.args ?? [])], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: io,
      signal: options.signal,
    });
    this.pid = child.pid ?? -1;
    this.stdin = writable(child.stdin);
    this.stdout = readable(child.stdout);
    this.stderr = readable(child.stderr);
    this.status = new Promise((resolve, reject) => {
      child.once("error", (err: Error & { code?: string }) => {
        if (err.name === "AbortError") return; // "exit" follows with the signal
        reject(err);
      });
      child.once("exit", (code, signal) => {
        resolve({ success: code === 0, code: code ?? 128 + signalNumber(signal), signal });
      });
    });
    this.#kill = (signal) => child.kill(signal as NodeJS.Signals);
  }

  kill(signal = "SIGTERM"): void {
    this.#kill(signal);
  }

  async output(): Promise<CommandOutput> {
    const [stdout, stderr, status] = await Promise.all([
      collect(this.stdout).catch(() => new Uint8Array(0)),
      collect(this.stderr).catch(() => new Uint8Array(0)),
      this.status,
    ]);
    return { ...status, stdout, stderr };
  }

  ref(): void {}
  unref(): void {}
}

function signalNumber(signal: string | null): number {
  if (signal === null) return 0;
  return (constants.signals as Record<string, number | undefined>)[signal] ?? 0;
}

/** `Deno.Command`. */
export class Command {
  readonly #cmd: string;
  readonly #options: CommandOptions;

  constructor(cmd: string | URL, options: CommandOptions = {}) {
    this.#cmd = String(cmd instanceof URL ? cmd.pathname : cmd);
    this.#options = options;
  }

  spawn(): ChildProcess {
    return new ChildProcess(this.#cmd, this.#options, "inherit");
  }

  output(): Promise<CommandOutput> {
    return new ChildProcess(this.#cmd, this.#options, "piped").output();
  }

  outputSync(): CommandOutput {
    const o = this.#options;
    const r: SpawnSyncReturns<Buffer> = spawnSync(this.#cmd, [...(o.args ?? [])], {
      cwd: o.cwd,
      env: { ...process.env, ...o.env },
      stdio: [stdio(o.stdin, "null"), stdio(o.stdout, "piped"), stdio(o.stderr, "piped")],
    });
    if (r.error) throw r.error;
    const code = r.status ?? 128 + signalNumber(r.signal);
    return {
      success: code === 0,
      code,
      signal: r.signal,
      stdout: new Uint8Array(r.stdout ?? []),
      stderr: new Uint8Array(r.stderr ?? []),
    };
  }
}

const path = (p: string | URL): string => (p instanceof URL ? p.pathname : p);

/** A `Deno.FsFile` that only closes (what `using file = Deno.openSync(…)` needs). */
class FsFile {
  readonly #fd: number;
  constructor(fd: number) {
    this.#fd = fd;
  }
  close(): void {
    closeSync(this.#fd);
  }
  [Symbol.dispose](): void {
    this.close();
  }
}

/** What the shim gives a test file as `Deno`, besides `test`, `build` and `inspect`. */
export const denoApi = {
  Command,
  get pid(): number {
    return process.pid;
  },
  ppid: process.ppid,
  uid: (): number | null => process.getuid?.() ?? null,
  gid: (): number | null => process.getgid?.() ?? null,
  env: {
    get: (name: string): string | undefined => process.env[name],
    set: (name: string, value: string): void => void (process.env[name] = value),
    delete: (name: string): void => void delete process.env[name],
    toObject: (): Record<string, string> => ({ ...process.env }) as Record<string, string>,
  },
  args: [] as string[],
  exit: (code?: number): never => process.exit(code),
  execPath: (): string => process.execPath,
  cwd: (): string => process.cwd(),
  readDirSync(dir: string | URL): { name: string; isFile: boolean; isDirectory: boolean }[] {
    return readdirSync(path(dir), { withFileTypes: true }).map((d) => ({
      name: d.name,
      isFile: d.isFile(),
      isDirectory: d.isDirectory(),
      isSymlink: d.isSymbolicLink(),
    }));
  },
  readLinkSync: (p: string | URL): string => readlinkSync(path(p)),
  readTextFileSync: (p: string | URL): string => readFileSync(path(p), "utf8"),
  readTextFile: (p: string | URL): Promise<string> => readFile(path(p), "utf8"),
  readFileSync: (p: string | URL): Uint8Array => new Uint8Array(readFileSync(path(p))),
  writeTextFileSync: (p: string | URL, text: string): void => writeFileSync(path(p), text),
  writeTextFile: (p: string | URL, text: string): Promise<void> => writeFile(path(p), text),
  mkdirSync: (p: string | URL, o?: { recursive?: boolean }): void =>
    void mkdirSync(path(p), { recursive: o?.recursive }),
  makeTempDirSync: (o: { prefix?: string } = {}): string =>
    mkdtempSync(join(tmpdir(), o.prefix ?? "")),
  makeTempDir: (o: { prefix?: string } = {}): Promise<string> =>
    mkdtemp(join(tmpdir(), o.prefix ?? "")),
  removeSync: (p: string | URL, o?: { recursive?: boolean }): void =>
    rmSync(path(p), { recursive: o?.recursive, force: false }),
  remove: (p: string | URL, o?: { recursive?: boolean }): Promise<void> =>
    rm(path(p), { recursive: o?.recursive, force: false }),
  statSync: (p: string | URL) => {
    const s = statSync(path(p));
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), mode: s.mode, size: s.size };
  },
  lstatSync: (p: string | URL) => {
    const s = lstatSync(path(p));
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), mode: s.mode, size: s.size };
  },
  openSync: (p: string | URL): FsFile => new FsFile(openSync(path(p), "r")),
};
