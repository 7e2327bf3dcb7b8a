/**
 * A scripted `RuntimeConn` and `RuntimeListener` for the native backend's
 * pure tests: bytes, end of stream and errors are fed by hand, writes can be
 * held back, and every call is recorded.
 *
 * @module
 */
import type { RuntimeAddr, RuntimeConn, RuntimeListener } from "./_runtime.ts";

interface Parked<T> {
  resolve(value: T): void;
  reject(err: unknown): void;
}

/** A connection whose peer is the test. */
export class FakeConn implements RuntimeConn {
  readonly localAddr: RuntimeAddr = { hostname: "127.0.0.1", port: 1111 };
  readonly remoteAddr: RuntimeAddr = { hostname: "127.0.0.1", port: 2222 };
  /** What the runtime was asked to write, in order. */
  written: number[] = [];
  /** Calls made, in order: "read", "write", "closeWrite", "close", "ref", "unref". */
  calls: string[] = [];
  /** Whether writes wait for {@linkcode FakeConn.release}. */
  holdWrites = false;
  /** At most this many bytes per write. */
  writeLimit = Infinity;
  /** An error the next write fails with. */
  writeError: Error | undefined;
  closed = false;
  #incoming: (Uint8Array | null | Error)[] = [];
  #reader: (Parked<number | null> & { p: Uint8Array }) | undefined;
  #writers: (() => void)[] = [];

  /** The peer sends bytes (`null`: end of stream; an Error: the read fails). */
  feed(item: Uint8Array | null | Error): void {
    this.#incoming.push(item);
    this.#deliver();
  }

  /** Lets held writes go. */
  release(): void {
    this.holdWrites = false;
    for (const go of this.#writers.splice(0)) go();
  }

  /** Whether a read is pending. */
  get reading(): boolean {
    return this.#reader !== undefined;
  }

  #deliver(): void {
    const reader = this.#reader;
    const item = this.#incoming[0];
    if (reader === undefined || item === undefined) return;
    this.#reader = undefined;
    if (item === null) return reader.resolve(null);
    if (item instanceof Error) {
      this.#incoming.shift();
      return reader.reject(item);
    }
    const n = Math.min(item.byteLength, reader.p.byteLength);
    reader.p.set(item.subarray(0, n));
    if (n === item.byteLength) this.#incoming.shift();
    else this.#incoming[0] = item.subarray(n);
    reader.resolve(n);
  }

  read(p: Uint8Array): Promise<number | null> {
    this.calls.push("read");
    if (this.closed) return Promise.reject(new Deno.errors.BadResource("closed"));
    return new Promise((resolve, reject) => {
      this.#reader = { p, resolve, reject };
      queueMicrotask(() => this.#deliver());
    });
  }

  async write(p: Uint8Array): Promise<number> {
    this.calls.push("write");
    if (this.holdWrites) await new Promise<void>((go) => this.#writers.push(go));
    if (this.writeError) throw this.writeError;
    if (this.closed) throw new Deno.errors.BadResource("closed");
    const n = Math.min(p.byteLength, this.writeLimit);
    this.written.push(...p.subarray(0, n));
    return n;
  }

  closeWrite(): Promise<void> {
    this.calls.push("closeWrite");
    return Promise.resolve();
  }

  close(): void {
    this.calls.push("close");
    this.closed = true;
    const reader = this.#reader;
    this.#reader = undefined;
    reader?.reject(new Deno.errors.Interrupted("operation canceled"));
  }

  ref(): void {
    this.calls.push("ref");
  }

  unref(): void {
    this.calls.push("unref");
  }

  /** Whether the last ref/unref call was a ref (a new connection is ref'd). */
  get refd(): boolean {
    return this.calls.findLast((c) => c === "ref" || c === "unref") !== "unref";
  }
}

/** A listener whose connections the test hands over. */
export class FakeListener implements RuntimeListener {
  readonly addr: RuntimeAddr = { hostname: "127.0.0.1", port: 3333 };
  closed = false;
  #ready: FakeConn[] = [];
  #waiting: Parked<RuntimeConn> | undefined;

  /** A client connects. */
  arrive(conn: FakeConn): void {
    this.#ready.push(conn);
    this.#deliver();
  }

  #deliver(): void {
    if (this.#waiting === undefined || this.#ready.length === 0) return;
    const w = this.#waiting;
    this.#waiting = undefined;
    w.resolve(this.#ready.shift()!);
  }

  accept(): Promise<RuntimeConn> {
    if (this.closed) return Promise.reject(new Deno.errors.BadResource("Listener has been closed"));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      queueMicrotask(() => this.#deliver());
    });
  }

  close(): void {
    this.closed = true;
    const w = this.#waiting;
    this.#waiting = undefined;
    w?.reject(new Deno.errors.BadResource("Listener has been closed"));
  }

  ref(): void {}

  unref(): void {}
}

/** An `Op` for tests. */
export function op(
  o: { timeout?: number; nonblocking?: boolean; signal?: AbortSignal } = {},
): { deadline: number | null; nonblocking: boolean; signal: AbortSignal | undefined } {
  return {
    deadline: o.timeout === undefined ? null : performance.now() + o.timeout,
    nonblocking: o.nonblocking ?? false,
    signal: o.signal,
  };
}
