/**
 * Waiting for a socket's state to change, bounded by a call's deadline and
 * abort signal, and ended by `close()`.
 *
 * @module
 */
import { ETIMEDOUT } from "../../errno/names.ts";
import { SocketError } from "../../errno/socket_error.ts";
import type { SockAddr } from "../../address/types.ts";
import type { Op } from "../_backend.ts";

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
}

/**
 * The calls parked on one condition of a socket (data to read, room to write,
 * a connection to accept). A waiter resolves on {@linkcode Waiters.notify}
 * and then looks at the state again; it rejects with `ETIMEDOUT` at the call's
 * deadline, with the signal's reason on abort, or with what
 * {@linkcode Waiters.fail} gives (`EBADF` on close).
 */
export class Waiters {
  #set = new Set<Waiter>();
  #onChange: ((busy: boolean) => void) | undefined;

  /**
   * @param onChange Told `true` when the first call starts waiting and `false`
   * when the last one stops: the socket refs its runtime handle while someone
   * waits, so an idle socket never keeps the process alive (a kernel socket
   * does not either).
   */
  constructor(onChange?: (busy: boolean) => void) {
    this.#onChange = onChange;
  }

  /** How many calls wait. */
  get size(): number {
    return this.#set.size;
  }

  /** Waits for the next change, within `op`'s deadline and signal. */
  wait(op: Op, syscall: string, address?: SockAddr): Promise<void> {
    if (op.signal?.aborted) return Promise.reject(op.signal.reason);
    let left: number | null = null;
    if (op.deadline !== null) {
      left = op.deadline - performance.now();
      if (left <= 0) return Promise.reject(new SocketError(ETIMEDOUT, syscall, address));
    }
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const signal = op.signal;
      const onAbort = () => waiter.reject(signal!.reason);
      const done = () => {
        this.#set.delete(waiter);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (this.#set.size === 0) this.#onChange?.(false);
      };
      const waiter: Waiter = {
        resolve: () => {
          done();
          resolve();
        },
        reject: (reason) => {
          done();
          reject(reason);
        },
      };
      this.#set.add(waiter);
      if (this.#set.size === 1) this.#onChange?.(true);
      if (left !== null) {
        timer = setTimeout(() => waiter.reject(new SocketError(ETIMEDOUT, syscall, address)), left);
      }
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Wakes every waiting call to look at the state again. */
  notify(): void {
    for (const w of [...this.#set]) w.resolve();
  }

  /** Ends every waiting call with `reason`. */
  fail(reason: unknown): void {
    for (const w of [...this.#set]) w.reject(reason);
  }
}
