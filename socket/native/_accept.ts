/**
 * The accept queue of a native listening socket: the runtime's accepts run
 * one at a time, on demand, and a connection accepted after its caller gave
 * up (timeout, abort) waits here for the next `accept()` — as it would in the
 * kernel's backlog.
 *
 * @module
 */
import { EAGAIN } from "../../errno/names.ts";
import type { Op } from "../_backend.ts";
import { fail, fromRuntime } from "./_errors.ts";
import type { RuntimeAddr, RuntimeConn, RuntimeListener } from "./_runtime.ts";
import { Waiters } from "./_wait.ts";
import { nextTurn } from "../../_internal/turn.ts";

/** Connections accepted from one runtime listener. */
export class AcceptQueue {
  readonly #listener: RuntimeListener;
  #ready: RuntimeConn[] = [];
  #accepting = false;
  #error: Error | null = null;
  #ended: Error | null = null;
  readonly #wait: Waiters;
  /** The listener's address, as the runtime reports it. */
  readonly addr: RuntimeAddr;

  /** @param listener The runtime's listener, owned from now on. */
  constructor(listener: RuntimeListener) {
    this.#listener = listener;
    this.addr = listener.addr;
    this.#wait = new Waiters((busy) => {
      if (this.#ended !== null) return;
      if (busy) listener.ref();
      else listener.unref();
    });
    listener.unref();
  }

  /** accept(2): the next connection; `EAGAIN` when non-blocking and none is queued. */
  async accept(op: Op): Promise<RuntimeConn> {
    let turned = false;
    for (;;) {
      if (this.#ended !== null) throw this.#ended;
      const conn = this.#ready.shift();
      if (conn !== undefined) return conn;
      if (this.#error !== null) {
        const err = this.#error;
        this.#error = null;
        throw err;
      }
      this.#fill();
      if (op.nonblocking) {
        if (!turned) {
          turned = true;
          await nextTurn();
          continue;
        }
        throw fail(EAGAIN, "accept");
      }
      await this.#wait.wait(op, "accept");
    }
  }

  #fill(): void {
    if (this.#accepting || this.#ended !== null) return;
    this.#accepting = true;
    this.#listener.accept().then((conn) => {
      if (this.#ended !== null) conn.close();
      else this.#ready.push(conn);
    }, (err) => {
      if (this.#ended === null) this.#error = fromRuntime(err, "accept");
    }).finally(() => {
      this.#accepting = false;
      this.#wait.notify();
    });
  }

  /**
   * Stops listening: the runtime listener and every queued connection are
   * closed (their peers see a reset, as when a listening socket closes with a
   * backlog), and waiting calls fail with `reason`.
   */
  close(reason: Error): void {
    if (this.#ended !== null) return;
    this.#ended = reason;
    try {
      this.#listener.close();
    } catch {
      // Already closed.
    }
    for (const conn of this.#ready) {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
    this.#ready = [];
    this.#wait.fail(reason);
  }
}
