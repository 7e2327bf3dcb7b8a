/**
 * The byte stream of a connected native socket: a receive buffer the
 * runtime's reads fill on demand (so `MSG_PEEK` and non-blocking reads work,
 * and a read cut short by a timeout or abort loses nothing), and a bounded
 * send buffer the runtime's writes drain in order (so a timeout, an abort or
 * `EAGAIN` never leaves half a write in flight, as with the kernel's own send
 * buffer).
 *
 * @module
 */
import { linux as C } from "../../constants/mod.ts";
import { EAGAIN, EBADF, EPIPE } from "../../errno/mod.ts";
import type { Op } from "../_backend.ts";
import { fail, fromRuntime } from "./_errors.ts";
import type { RuntimeConn } from "./_runtime.ts";
import { oneTurn, Waiters } from "./_wait.ts";

const READ_CHUNK = 64 * 1024;

/**
 * Bytes `send()` may hold ahead of the runtime's writes. A blocking send
 * waits for room, a non-blocking one takes what fits or fails with `EAGAIN`.
 * It sits on top of the kernel's own send buffer, which the runtime fills.
 */
export const SEND_BUFFER = 256 * 1024;

/** The receive and send sides of one connected stream. */
export class StreamIo {
  readonly #conn: RuntimeConn;
  readonly #tcp: boolean;
  // Receive side.
  #rx: Uint8Array[] = [];
  #rxBytes = 0;
  #eof = false;
  #rxError: Error | null = null;
  #reading = false;
  #rdShut = false;
  readonly #rxWait: Waiters;
  #scratch = new Uint8Array(READ_CHUNK);
  // Send side.
  #tx: Uint8Array[] = [];
  #txBytes = 0;
  #pumping = false;
  #txError: Error | null = null;
  #broken = false;
  #wrShut = false;
  #finSent = false;
  readonly #txWait: Waiters;
  // Life.
  #closed = false;
  #released = false;
  #busy = 0;

  /**
   * @param conn The runtime's connection, owned from now on.
   * @param tcp Whether it is TCP (`MSG_TRUNC` discards on TCP only).
   */
  constructor(conn: RuntimeConn, tcp: boolean) {
    this.#conn = conn;
    this.#tcp = tcp;
    const onChange = (busy: boolean) => {
      this.#busy += busy ? 1 : -1;
      if (this.#released) return;
      if (busy && this.#busy === 1) conn.ref();
      if (!busy && this.#busy === 0) conn.unref();
    };
    this.#rxWait = new Waiters(onChange);
    this.#txWait = new Waiters(onChange);
    conn.unref();
  }

  /** The runtime's connection (for TCP_NODELAY, SO_KEEPALIVE and addresses). */
  get conn(): RuntimeConn {
    return this.#conn;
  }

  /** The error a failed background write or read left (SO_ERROR), taken once. */
  takeError(): Error | null {
    const tx = this.#txError;
    if (tx !== null) {
      this.#txError = null;
      return tx;
    }
    const rx = this.#rxError;
    if (rx !== null) {
      this.#rxError = null;
      this.#eof = true;
    }
    return rx;
  }

  /**
   * recv(2) on the stream: `MSG_PEEK` (look, keep the bytes), `MSG_WAITALL`
   * (loop until `buf` is full, end of stream, an error, or the deadline —
   * what was read is returned), `MSG_TRUNC` (TCP: discard instead of copy),
   * `MSG_DONTWAIT`. After `shutdown(SHUT_RD)` it returns what is buffered
   * and then 0 without waiting, as Linux does.
   */
  async recv(buf: Uint8Array, flags: number, op: Op, syscall: string): Promise<number> {
    const peek = (flags & C.MSG_PEEK) !== 0;
    const discard = this.#tcp && (flags & C.MSG_TRUNC) !== 0;
    const waitAll = (flags & C.MSG_WAITALL) !== 0 && !peek;
    const dontWait = op.nonblocking || (flags & C.MSG_DONTWAIT) !== 0;
    if (buf.byteLength === 0) return 0;
    let got = 0;
    let turned = false;
    for (;;) {
      if (this.#closed) throw fail(EBADF, syscall);
      if (this.#rxBytes > 0) {
        if (peek) return this.#copyOut(buf, false, false);
        got += this.#copyOut(buf.subarray(got), true, discard);
        if (!waitAll || got === buf.byteLength) return got;
        turned = false;
        continue;
      }
      if (this.#rxError !== null) {
        if (got > 0) return got;
        const err = this.#rxError;
        this.#rxError = null;
        this.#eof = true; // Linux reports a reset once; then the stream reads as ended.
        throw err;
      }
      if (this.#eof) return got;
      this.#fill();
      if (dontWait || this.#rdShut) {
        if (!turned) {
          turned = true;
          await oneTurn();
          continue;
        }
        if (got > 0 || this.#rdShut) return got;
        throw fail(EAGAIN, syscall);
      }
      try {
        await this.#rxWait.wait(op, syscall);
      } catch (err) {
        if (got > 0 && !this.#closed) return got;
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

  /** Starts one runtime read into the receive buffer, unless one is running or the stream ended. */
  #fill(): void {
    if (this.#reading || this.#eof || this.#rxError !== null || this.#closed) return;
    this.#reading = true;
    const chunk = this.#scratch;
    this.#conn.read(chunk).then((n) => {
      if (n === null) {
        this.#eof = true;
      } else if (n > 0) {
        if (n >= READ_CHUNK / 2) {
          this.#rx.push(chunk.subarray(0, n));
          this.#scratch = new Uint8Array(READ_CHUNK);
        } else {
          this.#rx.push(chunk.slice(0, n));
        }
        this.#rxBytes += n;
      }
    }, (err) => {
      if (!this.#closed) this.#rxError = fromRuntime(err, "recv");
    }).finally(() => {
      this.#reading = false;
      this.#rxWait.notify();
    });
  }

  /**
   * send(2) on the stream: copies `data` into the send buffer and returns how
   * much it took — all of it, waiting for room as a blocking send does; what
   * fits (or `EAGAIN`) when non-blocking; what it had taken when the deadline
   * or an abort ends the wait. An error of an earlier background write is
   * reported once (`EPIPE`, `ECONNRESET`); after it, and after
   * `shutdown(SHUT_WR)`, sends fail with `EPIPE`.
   */
  async send(data: Uint8Array, flags: number, op: Op, syscall: string): Promise<number> {
    const dontWait = op.nonblocking || (flags & C.MSG_DONTWAIT) !== 0;
    let sent = 0;
    for (;;) {
      if (this.#closed) throw fail(EBADF, syscall);
      if (this.#txError !== null) {
        if (sent > 0) return sent;
        const err = this.#txError;
        this.#txError = null;
        throw err;
      }
      if (this.#wrShut || this.#broken) {
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
        await this.#txWait.wait(op, syscall);
      } catch (err) {
        if (sent > 0 && !this.#closed) return sent;
        throw err;
      }
    }
  }

  /** Drains the send buffer through the runtime, in order; sends FIN after it once writing is shut. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#tx.length > 0) {
        const head = this.#tx[0];
        let n: number;
        try {
          n = await this.#conn.write(head);
        } catch (err) {
          this.#broken = true;
          if (!this.#closed) this.#txError = fromRuntime(err, "send");
          this.#tx = [];
          this.#txBytes = 0;
          this.#txWait.notify();
          return;
        }
        if (n >= head.byteLength) this.#tx.shift();
        else this.#tx[0] = head.subarray(n);
        this.#txBytes -= n;
        this.#txWait.notify();
      }
      if (this.#wrShut) await this.#sendFin();
    } finally {
      this.#pumping = false;
      if (this.#closed) this.#release();
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

  /** shutdown(2): `SHUT_RD` ends reading, `SHUT_WR` sends FIN once the send buffer is out. */
  shutdown(how: number): void {
    if (how === C.SHUT_RD || how === C.SHUT_RDWR) {
      this.#rdShut = true;
      this.#rxWait.notify();
    }
    if (how === C.SHUT_WR || how === C.SHUT_RDWR) {
      this.#wrShut = true;
      this.#txWait.notify();
      if (!this.#pumping) void this.#sendFin();
    }
  }

  /**
   * close(2): pending calls fail with `EBADF`. Bytes already accepted by
   * `send()` still go out before the connection closes, as close(2) sends
   * what the kernel's send buffer holds.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rxWait.fail(fail(EBADF, "recv"));
    this.#txWait.fail(fail(EBADF, "send"));
    if (!this.#pumping) this.#release();
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed by the runtime.
    }
  }
}
