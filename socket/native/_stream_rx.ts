/**
 * The receive side of a connected native stream.
 *
 * A blocking `recv` with no flags, with nothing buffered ahead of it, is
 * answered by one runtime read of its own; a timeout or an abort that ends it
 * first leaves the read to land in the receive buffer. Every other call goes
 * through that buffer, filled by the runtime's reads on demand, so `MSG_PEEK`
 * and non-blocking reads work, and a read cut short loses nothing.
 *
 * Reads always ask for a whole 64 KiB chunk, whatever the caller's buffer
 * holds, and what does not fit stays buffered, as in the kernel's receive
 * queue. A read that comes back short tells the runtime the socket is
 * drained, so the next read waits for readiness instead of first trying a
 * `recvfrom` that meets `EAGAIN`.
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import { EAGAIN, EBADF, ETIMEDOUT } from "../../errno/names.ts";
import { SocketError } from "../../errno/socket_error.ts";
import type { Op } from "../_backend.ts";
import { fail, fromRuntime } from "./_errors.ts";
import type { RuntimeConn } from "./_runtime.ts";
import { Waiters } from "./_wait.ts";
import { nextTurn } from "../../_internal/turn.ts";

/** The largest runtime read, and the size of the reads no call's buffer sizes. */
const READ_CHUNK = 64 * 1024;
/** The smallest scratch buffer a read into a caller's small buffer gets. */
const MIN_CHUNK = 4 * 1024;

/** Up to this many bytes, a copy out of the scratch buffer is a loop (cheaper than a subarray). */
const SMALL_COPY = 64;

/** Receives from one connected stream. */
export class StreamRx {
  readonly #conn: RuntimeConn;
  readonly #tcp: boolean;
  /** Whether the connection is ref'd: a read in flight keeps the process alive only while a call waits on it. */
  #refd = true;
  #rx: Uint8Array[] = [];
  #rxBytes = 0;
  #eof = false;
  #error: Error | null = null;
  #reading = false;
  #shut = false;
  #closed = false;
  readonly #wait: Waiters;
  /**
   * Where runtime reads land, made on the first read and sized to it: a
   * blocking recv reads at most its buffer's length (capped at READ_CHUNK), so
   * ten thousand idle connections with 16 KiB buffers hold 16 KiB each, not 64.
   */
  #scratch: Uint8Array | null = null;
  /** The caller's buffer of the blocking recv a direct read answers; `null` when none waits. */
  #direct: Uint8Array | null = null;
  #resolve: (n: number) => void = noop;
  #reject: (err: unknown) => void = noop;
  /** The direct call's name, deadline timer and abort signal. */
  #syscall = "recv";
  #timer: ReturnType<typeof setTimeout> | undefined;
  #signal: AbortSignal | undefined;

  /**
   * @param conn The runtime's connection.
   * @param tcp Whether it is TCP (`MSG_TRUNC` discards on TCP only).
   */
  constructor(conn: RuntimeConn, tcp: boolean) {
    this.#conn = conn;
    this.#tcp = tcp;
    this.#wait = new Waiters((busy) => {
      if (busy) this.#ref(true);
      else if (this.#reading && this.#direct === null) this.#ref(false);
    });
    this.#ref(false);
  }

  /**
   * Refs or unrefs the connection, which matters only while a read is in
   * flight: it must keep the process alive exactly when a call waits for it,
   * as a kernel socket with a blocked reader does.
   */
  #ref(on: boolean): void {
    if (on === this.#refd || this.#closed) return;
    this.#refd = on;
    if (on) this.#conn.ref();
    else this.#conn.unref();
  }

  /** The error a failed read left (SO_ERROR), taken once; the stream then reads as ended. */
  takeError(): Error | null {
    const err = this.#error;
    if (err !== null) {
      this.#error = null;
      this.#eof = true;
    }
    return err;
  }

  /**
   * recv(2) on the stream: `MSG_PEEK` (look, keep the bytes), `MSG_WAITALL`
   * (loop until `buf` is full, end of stream, an error, the deadline, an
   * abort or close — what was read is returned), `MSG_TRUNC` (TCP: discard instead of copy),
   * `MSG_DONTWAIT`. After `shutdown(SHUT_RD)` it returns what is buffered
   * and then 0 without waiting, as Linux does.
   */
  recv(buf: Uint8Array, flags: number, op: Op, syscall: string): Promise<number> {
    if (
      flags === 0 && !op.nonblocking && this.#rxBytes === 0 && !this.#reading && !this.#eof &&
      this.#error === null && !this.#closed && !this.#shut && buf.byteLength > 0
    ) {
      return this.#recvDirect(buf, op, syscall);
    }
    return this.#recvBuffered(buf, flags, op, syscall);
  }

  /**
   * One runtime read answers the call. It reads into the scratch buffer, not
   * `buf`: when the deadline, an abort, `SHUT_RD` or close answers the call
   * first, the read still in flight lands in the receive buffer, and `buf` is
   * the caller's again.
   */
  #recvDirect(buf: Uint8Array, op: Op, syscall: string): Promise<number> {
    const signal = op.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let left = 0;
    if (op.deadline !== null) {
      left = op.deadline - performance.now();
      if (left <= 0) return Promise.reject(new SocketError(ETIMEDOUT, syscall));
    }
    this.#reading = true;
    this.#ref(true);
    this.#direct = buf;
    this.#syscall = syscall;
    const answer = new Promise<number>(this.#park);
    if (op.deadline !== null) {
      this.#timer = setTimeout(() => this.#giveUp(new SocketError(ETIMEDOUT, syscall)), left);
    }
    if (signal !== undefined) {
      this.#signal = signal;
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    this.#conn.read(this.#scratchFor(buf.byteLength)).then(this.#onRead, this.#onReadError);
    return answer;
  }

  readonly #onAbort = (): void => this.#giveUp(this.#signal?.reason);

  /** The deadline or an abort answers the direct call; its read stays in flight, for nobody. */
  #giveUp(reason: unknown): void {
    if (this.#takeDirect() === null) return;
    this.#reject(reason);
    if (this.#wait.size === 0) this.#ref(false);
  }

  readonly #park = (resolve: (n: number) => void, reject: (err: unknown) => void): void => {
    this.#resolve = resolve;
    this.#reject = reject;
  };

  /** Takes the direct call's buffer (the call is being answered) and drops its deadline and signal. */
  #takeDirect(): Uint8Array | null {
    const buf = this.#direct;
    if (buf === null) return null;
    this.#direct = null;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#signal !== undefined) {
      this.#signal.removeEventListener("abort", this.#onAbort);
      this.#signal = undefined;
    }
    return buf;
  }

  readonly #onRead = (n: number | null): void => {
    const resolve = this.#resolve;
    const buf = this.#takeDirect();
    const chunk = this.#scratch!;
    let got = 0;
    if (buf === null || n === null) {
      this.#landed(chunk, n);
    } else {
      got = n < buf.byteLength ? n : buf.byteLength;
      if (got <= SMALL_COPY) { for (let i = 0; i < got; i++) buf[i] = chunk[i]; }
      else buf.set(got === chunk.byteLength ? chunk : chunk.subarray(0, got));
      if (n > got) this.#landed(chunk.subarray(got), n - got);
    }
    this.#readDone();
    if (buf !== null) resolve(got);
  };

  readonly #onReadError = (err: unknown): void => {
    const reject = this.#reject;
    const buf = this.#takeDirect();
    const e = this.#closed ? fail(EBADF, this.#syscall) : fromRuntime(err, this.#syscall);
    if (buf !== null) {
      if (!this.#closed) this.#eof = true; // Linux reports a reset once; then the stream reads as ended.
    } else if (!this.#closed) {
      this.#error = e;
    }
    this.#readDone();
    if (buf !== null) reject(e);
  };

  #readDone(): void {
    this.#reading = false;
    if (this.#wait.size > 0) this.#wait.notify();
  }

  async #recvBuffered(buf: Uint8Array, flags: number, op: Op, syscall: string): Promise<number> {
    const peek = (flags & C.MSG_PEEK) !== 0;
    const discard = this.#tcp && (flags & C.MSG_TRUNC) !== 0;
    const waitAll = (flags & C.MSG_WAITALL) !== 0 && !peek;
    const dontWait = op.nonblocking || (flags & C.MSG_DONTWAIT) !== 0;
    if (buf.byteLength === 0) return 0;
    let got = 0;
    let turned = false;
    for (;;) {
      if (this.#closed) {
        if (got > 0) return got; // MSG_WAITALL cut short by close() keeps what it read
        throw fail(EBADF, syscall);
      }
      if (this.#rxBytes > 0) {
        if (peek) return this.#copyOut(buf, false, false);
        got += this.#copyOut(buf.subarray(got), true, discard);
        if (!waitAll || got === buf.byteLength) return got;
        turned = false;
        continue;
      }
      if (this.#error !== null) {
        if (got > 0) return got;
        const err = this.#error;
        this.#error = null;
        this.#eof = true; // Linux reports a reset once; then the stream reads as ended.
        throw err;
      }
      if (this.#eof) return got;
      this.#fill();
      if (dontWait || this.#shut) {
        if (!turned) {
          turned = true;
          await nextTurn();
          continue;
        }
        if (got > 0 || this.#shut) return got;
        throw fail(EAGAIN, syscall);
      }
      try {
        await this.#wait.wait(op, syscall);
      } catch (err) {
        // MSG_WAITALL cut short by the deadline, an abort or close(): the bytes
        // already taken from the stream are in `buf`; report them, as recv(2)
        // does when a timeout or a signal interrupts it, rather than lose them.
        if (got > 0) return got;
        throw err;
      }
    }
  }

  /** Copies buffered bytes into `dst` (or drops them when `discard`), consuming them when `consume`. */
  #copyOut(dst: Uint8Array, consume: boolean, discard: boolean): number {
    let n = 0;
    let i = 0;
    while (n < dst.byteLength && i < this.#rx.length) {
      const chunk = this.#rx[i];
      const take = Math.min(chunk.byteLength, dst.byteLength - n);
      if (!discard) dst.set(take === chunk.byteLength ? chunk : chunk.subarray(0, take), n);
      n += take;
      if (!consume) {
        i++;
        continue;
      }
      if (take === chunk.byteLength) this.#rx.shift();
      else this.#rx[0] = chunk.subarray(take);
    }
    if (consume) this.#rxBytes -= n;
    return n;
  }

  /** Keeps what a runtime read into `chunk` (within the scratch buffer) brought: `n` bytes, or end of stream. */
  #landed(chunk: Uint8Array, n: number | null): void {
    if (n === null) {
      this.#eof = true;
    } else if (n > 0) {
      if (n >= this.#scratch!.byteLength / 2) {
        // The read filled half the scratch or more: keep it whole, the next read gets a new one.
        this.#rx.push(chunk.subarray(0, n));
        this.#scratch = null;
      } else {
        this.#rx.push(chunk.slice(0, n));
      }
      this.#rxBytes += n;
    }
  }

  /** Starts one runtime read into the receive buffer, unless one is running or the stream ended. */
  #fill(): void {
    if (this.#reading || this.#eof || this.#error !== null || this.#closed) return;
    this.#reading = true;
    if (this.#wait.size === 0) this.#ref(false); // Nobody waits (yet): a blocking caller refs it.
    // No call waits on this read itself: #onRead and #onReadError keep what lands.
    this.#syscall = "recv";
    this.#conn.read(this.#scratchFor(READ_CHUNK)).then(this.#onRead, this.#onReadError);
  }

  /**
   * The scratch buffer for a read of up to `want` bytes: exactly that many
   * (between MIN_CHUNK and READ_CHUNK), or the current one when it holds
   * that much and at most twice as much.
   */
  #scratchFor(want: number): Uint8Array {
    const size = want >= READ_CHUNK ? READ_CHUNK : want <= MIN_CHUNK ? MIN_CHUNK : want;
    const have = this.#scratch;
    if (have !== null && have.byteLength >= size && have.byteLength <= 2 * size) return have;
    return this.#scratch = new Uint8Array(size);
  }

  /** shutdown(SHUT_RD): a waiting recv returns 0 now; later ones return what is buffered, then 0. */
  shutdown(): void {
    this.#shut = true;
    if (this.#takeDirect() !== null) {
      this.#resolve(0);
      if (this.#wait.size === 0) this.#ref(false); // The read stays in flight, for nobody.
    }
    this.#wait.notify();
  }

  /** close(2): waiting calls fail with `EBADF`. */
  close(): void {
    this.#closed = true;
    if (this.#takeDirect() !== null) this.#reject(fail(EBADF, this.#syscall));
    this.#wait.fail(fail(EBADF, "recv"));
  }
}

function noop(): void {}
