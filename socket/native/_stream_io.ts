/**
 * The byte stream of a connected native socket: its receive side
 * ({@linkcode StreamRx}) and send side ({@linkcode StreamTx}) over one
 * runtime connection, closed once the last accepted byte is out (at once
 * when `close()` finds a send waiting).
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import type { Op } from "../_backend.ts";
import type { RuntimeConn } from "./_runtime.ts";
import { StreamRx } from "./_stream_rx.ts";
import { StreamTx } from "./_stream_tx.ts";

export { SEND_BUFFER } from "./_stream_tx.ts";

/** The receive and send sides of one connected stream. */
export class StreamIo {
  readonly #conn: RuntimeConn;
  readonly #rx: StreamRx;
  readonly #tx: StreamTx;
  #closed = false;

  /**
   * @param conn The runtime's connection, owned from now on.
   * @param tcp Whether it is TCP (`MSG_TRUNC` discards on TCP only).
   */
  constructor(conn: RuntimeConn, tcp: boolean) {
    this.#conn = conn;
    this.#rx = new StreamRx(conn, tcp);
    this.#tx = new StreamTx(conn, () => this.#release());
  }

  /** The runtime's connection (for TCP_NODELAY, SO_KEEPALIVE and addresses). */
  get conn(): RuntimeConn {
    return this.#conn;
  }

  /** The error a failed background write or read left (SO_ERROR), taken once. */
  takeError(): Error | null {
    return this.#tx.takeError() ?? this.#rx.takeError();
  }

  /** recv(2); see {@linkcode StreamRx.recv}. */
  recv(buf: Uint8Array, flags: number, op: Op, syscall: string): Promise<number> {
    return this.#rx.recv(buf, flags, op, syscall);
  }

  /** send(2); see {@linkcode StreamTx.send}. */
  send(data: Uint8Array, flags: number, op: Op, syscall: string): Promise<number> {
    return this.#tx.send(data, flags, op, syscall);
  }

  /** Every byte of `data`; see {@linkcode StreamTx.sendAll}. */
  sendAll(data: Uint8Array, flags: number, op: Op, syscall: string): Promise<void> {
    return this.#tx.sendAll(data, flags, op, syscall);
  }

  /** shutdown(2): `SHUT_RD` ends reading, `SHUT_WR` sends FIN once the send buffer is out. */
  shutdown(how: number): void {
    if (how === C.SHUT_RD || how === C.SHUT_RDWR) this.#rx.shutdown();
    if (how === C.SHUT_WR || how === C.SHUT_RDWR) this.#tx.shutdown();
  }

  /**
   * close(2): pending calls fail with `EBADF` at once (a `MSG_WAITALL` recv
   * with bytes returns them). While a send waits, the connection closes now;
   * otherwise bytes already accepted by `send()` still go out before it
   * closes, as close(2) sends what the kernel's send buffer holds.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rx.close();
    this.#tx.close();
  }

  /** Called once by the send side, after close() and the last write. */
  #release(): void {
    try {
      this.#conn.close();
    } catch {
      // Already closed by the runtime.
    }
  }
}
