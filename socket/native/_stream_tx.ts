/**
 * The send side of a connected native stream.
 *
 * A blocking send with no deadline and no signal, with nothing queued ahead
 * of it, is one runtime write of the caller's bytes, and returns once all of
 * them are out, as a blocking send(2) returns once the kernel holds them.
 * Every other call goes through a bounded send buffer the runtime's writes
 * drain in order, so a timeout, an abort or `EAGAIN` never leaves half a
 * write in flight, as with the kernel's own send buffer.
 *
 * `close()` answers every waiting call at once with `EBADF`. When a call
 * waits on the send side (a direct write still holds the caller's bytes, or
 * a send waits for room in a full buffer), the peer is not taking the bytes:
 * the connection is closed at once, the write in flight is cancelled and
 * what was queued is dropped, so nothing is written after `close()`.
 * Otherwise the bytes already accepted still go out before the connection
 * closes, as close(2) sends what the kernel's send buffer holds.
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import { EAGAIN, EBADF, EPIPE } from "../../errno/names.ts";
import type { Op } from "../_backend.ts";
import { fail, fromRuntime } from "./_errors.ts";
import type { RuntimeConn } from "./_runtime.ts";
import { Waiters } from "./_wait.ts";

/**
 * Bytes `send()` may hold ahead of the runtime's writes. A blocking send
 * waits for room, a non-blocking one takes what fits or fails with `EAGAIN`.
 * It sits on top of the kernel's own send buffer, which the runtime fills.
 */
export const SEND_BUFFER = 256 * 1024;

const EMPTY: Uint8Array = new Uint8Array(0);

/** Sends on one connected stream. */
export class StreamTx {
  readonly #conn: RuntimeConn;
  readonly #release: () => void;
  #tx: Uint8Array[] = [];
  #txBytes = 0;
  /** A runtime write is in flight (a direct one, or the pump's). */
  #writing = false;
  #error: Error | null = null;
  #broken = false;
  #shut = false;
  #finSent = false;
  #closed = false;
  #released = false;
  readonly #wait: Waiters;
  /** The bytes of the direct write in flight, and its call's name. */
  #data = EMPTY;
  #syscall = "send";
  /** Whether a direct call waits for its write (`close()` answers it); whether it is a sendAll. */
  #answering = false;
  #all = false;
  #resolve: (n: number | undefined) => void = noop;
  #reject: (err: unknown) => void = noop;

  /**
   * @param conn The runtime's connection.
   * @param release Closes the connection: called once, after close() and the last write.
   */
  constructor(conn: RuntimeConn, release: () => void) {
    this.#conn = conn;
    this.#release = release;
    // A send waits only while a write is in flight, and the runtime's writes keep the process alive.
    this.#wait = new Waiters();
  }

  /** The error a failed background write left (SO_ERROR), taken once. */
  takeError(): Error | null {
    const err = this.#error;
    this.#error = null;
    return err;
  }

  #direct(data: Uint8Array, flags: number, op: Op): boolean {
    return (flags & C.MSG_DONTWAIT) === 0 && op.deadline === null && op.signal === undefined &&
      !op.nonblocking && !this.#writing && this.#txBytes === 0 && this.#error === null &&
      !this.#shut && !this.#broken && !this.#closed && data.byteLength > 0;
  }

  /**
   * send(2) on the stream: all of `data`, waiting for room as a blocking send
   * does; what fits (or `EAGAIN`) when non-blocking; what it had taken when
   * the deadline or an abort ends the wait. An error of an earlier write is
   * reported once (`EPIPE`, `ECONNRESET`); after it, and after
   * `shutdown(SHUT_WR)`, sends fail with `EPIPE`.
   */
  send(data: Uint8Array, flags: number, op: Op, syscall: string): Promise<number> {
    if (!this.#direct(data, flags, op)) return this.#sendBuffered(data, flags, op, syscall);
    return this.#startDirect(data, syscall, false) as Promise<number>;
  }

  /** Every byte of `data`, as a loop of send(2) calls would send it. */
  sendAll(data: Uint8Array, flags: number, op: Op, syscall: string): Promise<void> {
    if (!this.#direct(data, flags, op)) return this.#sendAllBuffered(data, flags, op, syscall);
    return this.#startDirect(data, syscall, true) as Promise<void>;
  }

  /**
   * One runtime write of the caller's bytes answers the call, through a
   * promise of its own, so that `close()` can answer it while the write is
   * still in flight.
   */
  #startDirect(data: Uint8Array, syscall: string, all: boolean): Promise<number | undefined> {
    this.#writing = true;
    this.#answering = true;
    this.#all = all;
    this.#data = data;
    this.#syscall = syscall;
    const answer = new Promise<number | undefined>(this.#park);
    this.#conn.write(data).then(this.#onWrote, this.#onWriteError);
    return answer;
  }

  readonly #park = (
    resolve: (n: number | undefined) => void,
    reject: (err: unknown) => void,
  ): void => {
    this.#resolve = resolve;
    this.#reject = reject;
  };

  /** Answers the direct call: with `n` bytes (a send) or nothing (a sendAll), or with `err`. */
  #answer(n: number, err: unknown = null): void {
    const resolve = this.#resolve;
    const reject = this.#reject;
    const all = this.#all;
    this.#answering = false;
    this.#resolve = this.#reject = noop;
    if (err !== null) reject(err);
    else resolve(all ? undefined : n);
  }

  readonly #onWrote = (n: number): void => {
    if (this.#closed) return this.#writeDone(); // close() answered the call
    if (n < this.#data.byteLength) {
      void this.#writeRest(n);
      return;
    }
    this.#writeDone();
    this.#answer(n);
  };

  readonly #onWriteError = (err: unknown): void => {
    if (this.#closed) return this.#writeDone(); // close() answered the call and cancelled the write
    this.#broke(null);
    this.#writeDone();
    this.#answer(0, fromRuntime(err, this.#syscall));
  };

  /**
   * The runtime took part of a direct write: the rest goes out before the
   * call returns. A failure now fails a sendAll; a send returns what went
   * out and leaves the error for the next call, as Linux does. Never
   * rejects: it answers the call itself.
   */
  async #writeRest(sent: number): Promise<void> {
    const data = this.#data;
    const syscall = this.#syscall;
    let error: Error | null = null;
    try {
      while (sent < data.byteLength && !this.#closed) {
        sent += await this.#conn.write(data.subarray(sent));
      }
    } catch (err) {
      if (!this.#closed) {
        error = fromRuntime(err, syscall);
        this.#broke(this.#all ? null : error);
      }
    }
    this.#writeDone();
    if (this.#closed) return; // close() answered the call
    if (error !== null && this.#all) this.#answer(sent, error);
    else this.#answer(sent);
  }

  /** The direct write is over: what queued behind it goes next. */
  #writeDone(): void {
    this.#data = EMPTY;
    this.#writing = false;
    if (this.#tx.length > 0) void this.#pump();
    else if (this.#shut) void this.#sendFin();
    if (this.#closed && !this.#writing) this.#releaseOnce();
    if (this.#wait.size > 0) this.#wait.notify();
  }

  /** A write failed: later sends get `error` once (if any), then `EPIPE`; queued bytes are dropped. */
  #broke(error: Error | null): void {
    this.#broken = true;
    if (error !== null && !this.#closed) this.#error = error;
    this.#tx = [];
    this.#txBytes = 0;
    this.#wait.notify();
  }

  async #sendAllBuffered(data: Uint8Array, flags: number, op: Op, syscall: string): Promise<void> {
    let off = 0;
    while (off < data.byteLength) {
      op.signal?.throwIfAborted();
      off += await this.send(off ? data.subarray(off) : data, flags, op, syscall);
    }
  }

  async #sendBuffered(data: Uint8Array, flags: number, op: Op, syscall: string): Promise<number> {
    const dontWait = op.nonblocking || (flags & C.MSG_DONTWAIT) !== 0;
    let sent = 0;
    for (;;) {
      if (this.#closed) throw fail(EBADF, syscall);
      if (this.#error !== null) {
        if (sent > 0) return sent;
        const err = this.#error;
        this.#error = null;
        throw err;
      }
      if (this.#shut || this.#broken) {
        if (sent > 0) return sent;
        throw fail(EPIPE, syscall);
      }
      const room = SEND_BUFFER - this.#txBytes;
      if (room > 0 && sent < data.byteLength) {
        const n = Math.min(room, data.byteLength - sent);
        this.#tx.push(data.slice(sent, sent + n));
        this.#txBytes += n;
        sent += n;
        void this.#pump();
      }
      if (sent === data.byteLength) return sent;
      if (dontWait) {
        if (sent > 0) return sent;
        throw fail(EAGAIN, syscall);
      }
      try {
        await this.#wait.wait(op, syscall);
      } catch (err) {
        if (sent > 0 && !this.#closed) return sent;
        throw err;
      }
    }
  }

  /** Drains the send buffer through the runtime, in order; sends FIN after it once writing is shut. */
  async #pump(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#tx.length > 0) {
        const head = this.#tx[0];
        let n: number;
        try {
          n = await this.#conn.write(head);
        } catch (err) {
          this.#broke(fromRuntime(err, "send"));
          return;
        }
        if (n >= head.byteLength) this.#tx.shift();
        else this.#tx[0] = head.subarray(n);
        this.#txBytes -= n;
        this.#wait.notify();
      }
      if (this.#shut) await this.#sendFin();
    } finally {
      this.#writing = false;
      if (this.#closed) this.#releaseOnce();
    }
  }

  async #sendFin(): Promise<void> {
    if (this.#finSent || this.#broken || this.#released) return;
    this.#finSent = true;
    try {
      await this.#conn.closeWrite();
    } catch {
      // The peer reset the connection first: nothing left to end.
    }
  }

  /** shutdown(SHUT_WR): FIN once the send buffer is out; later sends fail with `EPIPE`. */
  shutdown(): void {
    this.#shut = true;
    this.#wait.notify();
    if (!this.#writing) void this.#sendFin();
  }

  /**
   * close(2): waiting calls fail with `EBADF` at once. While a call waits on
   * the send side, the connection closes now (its write in flight is
   * cancelled, queued bytes are dropped); otherwise bytes already accepted
   * still go out before the connection closes, as close(2) sends what the
   * kernel's send buffer holds.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const stuck = this.#answering || this.#wait.size > 0;
    this.#wait.fail(fail(EBADF, "send"));
    if (this.#answering) this.#answer(0, fail(EBADF, this.#syscall));
    if (stuck) {
      this.#tx = [];
      this.#txBytes = 0;
      this.#releaseOnce(); // the runtime's write in flight fails; its handler knows it is closed
    } else if (!this.#writing) {
      this.#releaseOnce();
    }
  }

  #releaseOnce(): void {
    if (this.#released) return;
    this.#released = true;
    this.#release();
  }
}

function noop(): void {}
