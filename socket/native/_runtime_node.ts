/**
 * The native backend's runtime boundary on Node and Bun: `node:net` behind the
 * signatures of `_runtime.ts`, which calls this file wherever there is no
 * `Deno`. A `net.Socket` becomes a {@linkcode RuntimeConn} whose `read()`
 * pulls from the socket's data events (paused above a high-water mark, so
 * the kernel's receive buffer fills and the peer feels backpressure), and a
 * `net.Server` becomes a {@linkcode RuntimeListener} that hands out each
 * connection on demand, still paused (`pauseOnConnect`), as the kernel's
 * backlog would.
 *
 * `listen()` is synchronous in the BSD API and in Deno; `node:net` reports its
 * errors on the next tick. The listen call here runs with `process.nextTick`
 * captured, so the error (`EADDRINUSE`, `EACCES`…) that Node queues is thrown
 * at once, and any other queued tick (the `listening` event) runs as it would
 * have. On Node a TCP listen goes through `Server#_listen2` (Node's legacy name
 * of the synchronous step after its name lookup); Bun's `listen()` is
 * synchronous itself.
 *
 * @module
 */
import net from "node:net";
import { lstatSync, readFileSync } from "node:fs";
import type { HostPort, RuntimeAddr, RuntimeConn, RuntimeListener } from "./_runtime.ts";

/** Bytes a connection holds read ahead of `read()` before it pauses the socket. */
const HIGH_WATER = 256 * 1024;

/** The error a read pending at `close()` rejects with (the backend reports `EBADF`). */
function closedError(): Error {
  return Object.assign(new Error("The connection was closed"), { code: "ERR_SOCKET_CLOSED" });
}

/**
 * A write on a connection node:net has destroyed after an error (a reset, a failed write): the
 * kernel's answer to a send on such a socket, `EPIPE`, where Node says `ERR_STREAM_DESTROYED`.
 */
function brokenPipe(cause?: unknown): Error {
  return Object.assign(new Error("write EPIPE", { cause }), {
    code: "EPIPE",
    syscall: "write",
  });
}

/** `net.Socket` as a {@linkcode RuntimeConn}. */
class NodeConn implements RuntimeConn {
  readonly #sock: net.Socket;
  readonly #chunks: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #closed = false;
  #error: Error | null = null;
  #pending:
    | { p: Uint8Array; resolve: (n: number | null) => void; reject: (e: Error) => void }
    | null = null;
  readonly localAddr: RuntimeAddr;
  readonly remoteAddr: RuntimeAddr;

  constructor(sock: net.Socket, unix: { local: string | null; remote: string | null } | null) {
    this.#sock = sock;
    if (unix) {
      this.localAddr = { path: unix.local };
      this.remoteAddr = { path: unix.remote };
    } else {
      this.localAddr = { hostname: sock.localAddress ?? "", port: sock.localPort ?? 0 };
      this.remoteAddr = { hostname: sock.remoteAddress ?? "", port: sock.remotePort ?? 0 };
    }
    sock.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(chunk);
      this.#queued += chunk.byteLength;
      if (this.#queued >= HIGH_WATER) sock.pause();
      this.#serve();
    });
    sock.on("end", () => {
      this.#ended = true;
      this.#serve();
    });
    sock.on("error", (err: Error) => {
      // A failed write is the write's to report (its callback has it); reading then meets the
      // end of the stream, as recv(2) does after send(2) failed with EPIPE. (Bun names the
      // syscall of a write's EPIPE "read"; recv(2) never fails with EPIPE.)
      const { syscall, code } = err as { syscall?: unknown; code?: unknown };
      if (syscall === "write" || code === "EPIPE") this.#ended = true;
      else this.#error ??= err;
      this.#serve();
    });
    sock.on("close", () => {
      this.#ended = true;
      this.#serve();
    });
    sock.resume();
  }

  /** Copies queued bytes into `p`. */
  #take(p: Uint8Array): number {
    let n = 0;
    while (n < p.byteLength && this.#chunks.length > 0) {
      const head = this.#chunks[0];
      const k = Math.min(head.byteLength, p.byteLength - n);
      p.set(k === head.byteLength ? head : head.subarray(0, k), n);
      n += k;
      if (k === head.byteLength) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(k);
    }
    this.#queued -= n;
    if (this.#queued < HIGH_WATER && this.#sock.isPaused() && !this.#closed) this.#sock.resume();
    return n;
  }

  /** Answers the pending read, if what it waits for has come. */
  #serve(): void {
    const w = this.#pending;
    if (w === null) return;
    if (this.#closed) {
      this.#pending = null;
      w.reject(closedError());
    } else if (this.#queued > 0 && w.p.byteLength > 0) {
      this.#pending = null;
      w.resolve(this.#take(w.p));
    } else if (this.#error !== null) {
      this.#pending = null;
      const err = this.#error;
      this.#error = null;
      this.#ended = true;
      w.reject(err);
    } else if (this.#ended || w.p.byteLength === 0) {
      this.#pending = null;
      w.resolve(this.#ended && this.#queued === 0 ? null : 0);
    }
  }

  read(p: Uint8Array): Promise<number | null> {
    if (this.#closed) return Promise.reject(closedError());
    if (this.#pending !== null) return Promise.reject(new Error("A read is already pending"));
    return new Promise((resolve, reject) => {
      this.#pending = { p, resolve, reject };
      this.#serve();
    });
  }

  write(p: Uint8Array): Promise<number> {
    if (this.#closed) return Promise.reject(closedError());
    if (this.#sock.destroyed) return Promise.reject(brokenPipe());
    const n = p.byteLength;
    return new Promise((resolve, reject) => {
      this.#sock.write(p, (err?: Error | null) => {
        if (!err) resolve(n);
        else if (this.#closed) reject(closedError());
        else if ((err as { code?: unknown }).code === "ERR_STREAM_DESTROYED") {
          reject(brokenPipe(err));
        } else reject(err);
      });
    });
  }

  closeWrite(): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.#sock.once("error", onError);
      this.#sock.end(() => {
        this.#sock.off("error", onError);
        resolve();
      });
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sock.destroy();
    this.#serve();
  }

  ref(): void {
    this.#sock.ref();
  }

  unref(): void {
    this.#sock.unref();
  }

  setNoDelay(on: boolean): void {
    this.#sock.setNoDelay(on);
  }

  setKeepAlive(on: boolean): void {
    this.#sock.setKeepAlive(on);
  }
}

/** `net.Server` as a {@linkcode RuntimeListener}: connections queue until `accept()` asks. */
class NodeListener implements RuntimeListener {
  readonly #server: net.Server;
  readonly #path: string | null;
  readonly #ready: net.Socket[] = [];
  #waiter: { resolve: (c: RuntimeConn) => void; reject: (e: Error) => void } | null = null;
  #closed = false;
  readonly addr: RuntimeAddr;

  constructor(server: net.Server, path: string | null) {
    this.#server = server;
    this.#path = path;
    const a = server.address();
    this.addr = path !== null
      ? { path }
      : typeof a === "object" && a !== null
      ? { hostname: a.address, port: a.port }
      : { hostname: "", port: 0 };
    server.on("connection", (sock: net.Socket) => {
      if (this.#closed) {
        sock.destroy();
        return;
      }
      const w = this.#waiter;
      if (w !== null) {
        this.#waiter = null;
        w.resolve(this.#wrap(sock));
      } else this.#ready.push(sock);
    });
    server.on("error", (err: Error) => {
      const w = this.#waiter;
      this.#waiter = null;
      w?.reject(err);
    });
  }

  #wrap(sock: net.Socket): RuntimeConn {
    return new NodeConn(sock, this.#path !== null ? { local: this.#path, remote: null } : null);
  }

  accept(): Promise<RuntimeConn> {
    if (this.#closed) return Promise.reject(closedError());
    const sock = this.#ready.shift();
    if (sock !== undefined) return Promise.resolve(this.#wrap(sock));
    if (this.#waiter !== null) return Promise.reject(new Error("An accept is already pending"));
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    for (const sock of this.#ready.splice(0)) sock.destroy();
    const w = this.#waiter;
    this.#waiter = null;
    w?.reject(closedError());
  }

  ref(): void {
    this.#server.ref();
  }

  unref(): void {
    this.#server.unref();
  }
}

type Tick = (fn: (...args: unknown[]) => void, ...args: unknown[]) => void;
const proc = (): { nextTick: Tick } =>
  (globalThis as unknown as { process: { nextTick: Tick } }).process;

/**
 * Runs `start` (a `listen`) with `process.nextTick` captured: an Error node:net
 * queued for its `error` event is thrown now; every other queued tick is
 * queued again, in order.
 */
function listenNow(server: net.Server, start: () => void): void {
  const p = proc();
  const tick = p.nextTick;
  const queued: [(...args: unknown[]) => void, unknown[]][] = [];
  p.nextTick = (fn, ...args) => void queued.push([fn, args]);
  try {
    start();
  } finally {
    p.nextTick = tick;
  }
  let error: Error | undefined;
  for (const [fn, args] of queued) {
    const err = args.find((a): a is Error => a instanceof Error);
    if (err !== undefined && error === undefined) error = err;
    else tick(fn, ...args);
  }
  if (error !== undefined || server.address() === null) {
    server.close();
    throw error ?? new Error("listen() did not complete synchronously on this runtime");
  }
}

/** connect(2) on a new TCP socket; `signal` abandons the attempt (and closes its socket). */
export function connectTcp(to: HostPort, signal?: AbortSignal): Promise<RuntimeConn> {
  return dial(
    () =>
      net.connect({
        host: to.hostname,
        port: to.port,
        allowHalfOpen: true,
        autoSelectFamily: false,
      }),
    null,
    signal,
  );
}

/** connect(2) on a new unix stream socket. */
export function connectUnix(path: string): Promise<RuntimeConn> {
  return dial(() => net.connect({ path, allowHalfOpen: true }), path);
}

function dial(
  make: () => net.Socket,
  path: string | null,
  signal?: AbortSignal,
): Promise<RuntimeConn> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const sock = make();
    sock.pause();
    const done = () => {
      sock.off("connect", onConnect);
      sock.off("error", onError);
      signal?.removeEventListener("abort", onAbort);
    };
    const onConnect = () => {
      done();
      resolve(new NodeConn(sock, path !== null ? { local: null, remote: path } : null));
    };
    const onError = (err: Error) => {
      done();
      sock.destroy();
      reject(err);
    };
    const onAbort = () => {
      done();
      sock.destroy();
      reject(signal!.reason);
    };
    sock.once("connect", onConnect);
    sock.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** socket(2) + SO_REUSEADDR + bind(2) + listen(2) for TCP, in one call (libuv sets SO_REUSEADDR). */
export function listenTcp(at: HostPort, backlog: number): RuntimeListener {
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
  const legacy = (server as unknown as {
    _listen2?: (host: string, port: number, family: number, backlog: number) => void;
  })._listen2;
  listenNow(server, () => {
    if (
      typeof legacy === "function" && typeof (globalThis as { Bun?: unknown }).Bun === "undefined"
    ) {
      // Node: the step after its (asynchronous) name lookup, for a literal address.
      legacy.call(server, at.hostname, at.port, at.hostname.includes(":") ? 6 : 4, backlog);
    } else {
      server.listen({ host: at.hostname, port: at.port, backlog });
    }
  });
  return new NodeListener(server, null);
}

/** socket(2) + bind(2) + listen(2) for a unix stream socket. */
export function listenUnix(path: string): RuntimeListener {
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
  listenNow(server, () => server.listen({ path, backlog: 1024 }));
  return new NodeListener(server, path);
}

/** Reads a number from a file such as `/proc/sys/net/core/rmem_max`; `undefined` when it cannot. */
export function readNumberFile(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, "utf8").trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** What lstat(2) says of `path`. */
export function probePath(path: string): "exists" | Error {
  try {
    lstatSync(path);
    return "exists";
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
