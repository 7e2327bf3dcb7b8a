/**
 * Argument checks of the Socket methods: every one throws `TypeError` or
 * `RangeError`, quoting the value, before any system call.
 *
 * @module
 */
import { cInt, INT_MAX, INT_MIN, isDetached, quote, UIO_MAXIOV } from "../_internal/check.ts";
import type { Ancillary, Op } from "./_backend.ts";

/** `value` as a flags word (`MSG_*`): an integer that fits a C int, bits as given. */
export function flagsArg(value: unknown, what = "flags"): number {
  if (value === undefined) return 0;
  if (typeof value !== "number") {
    throw new TypeError(`${what} must be a number, got ${quote(value)}`);
  }
  if (!Number.isInteger(value) || value < INT_MIN || value > 0xffffffff) {
    throw new RangeError(`${what} must be a 32-bit integer, got ${quote(value)}`);
  }
  return value | 0;
}

/** A descriptor number: an integer from 0 to INT_MAX. */
export function fdArg(value: unknown, what = "fd"): number {
  if (typeof value !== "number") {
    throw new TypeError(`${what} must be a number, got ${quote(value)}`);
  }
  if (!Number.isInteger(value) || value < 0 || value > INT_MAX) {
    throw new RangeError(`${what} must be a non-negative integer, got ${quote(value)}`);
  }
  return value;
}

/** A byte buffer the kernel may read or write: a live Uint8Array. */
export function bufferArg(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${what} must be a Uint8Array, got ${quote(value)}`);
  }
  if (value.byteLength === 0 && isDetached(value.buffer)) {
    throw new TypeError(`${what} is backed by a detached ArrayBuffer`);
  }
  return value;
}

/** A list of buffers for scatter/gather. */
export function bufferListArg(value: unknown, what: string): Uint8Array[] {
  if (value instanceof Uint8Array) return [bufferArg(value, what)];
  if (!Array.isArray(value)) {
    throw new TypeError(`${what} must be a Uint8Array or an array of them, got ${quote(value)}`);
  }
  if (value.length > UIO_MAXIOV) {
    throw new RangeError(
      `${what} holds ${value.length} buffers; at most ${UIO_MAXIOV} (IOV_MAX) fit one call`,
    );
  }
  return value.map((b, i) => bufferArg(b, `${what}[${i}]`));
}

/** Ancillary data items to send (`{ level, type, data }`); `undefined` is none. */
export function ancillaryArg(value: unknown, what = "ancillary"): Ancillary[] {
  if (value === undefined) return [];
  checkAncillary(value, what);
  return value.map(({ level, type, data }) => ({ level, type, data }));
}

/** Checks ancillary items as {@linkcode ancillaryArg} does, without copying them. */
export function checkAncillary(value: unknown, what: string): asserts value is Ancillary[] {
  if (!Array.isArray(value)) throw new TypeError(`${what} must be an array, got ${typeof value}`);
  value.forEach((item, i) => {
    if (!item || typeof item !== "object") throw new TypeError(`${what}[${i}] must be an object`);
    cInt(item.level, `${what}[${i}].level`);
    cInt(item.type, `${what}[${i}].type`);
    bufferArg(item.data, `${what}[${i}].data`);
  });
}

/** Milliseconds for a timeout: `null` (none) or a finite number ≥ 0. */
export function timeoutArg(value: unknown, what = "timeout"): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number") {
    throw new TypeError(`${what} must be a number or null, got ${quote(value)}`);
  }
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(
      `${what} must be a finite number of milliseconds ≥ 0, got ${quote(value)}`,
    );
  }
  // A longer delay overflows every runtime's timers, which then fire at once.
  if (value > TIMEOUT_MAX) {
    throw new RangeError(
      `${what} must be at most ${TIMEOUT_MAX} ms (about 24.8 days; null waits forever), got ${
        quote(value)
      }`,
    );
  }
  return value;
}

/** The longest timeout, in milliseconds: 2^31 − 1, the most a timer can wait. */
export const TIMEOUT_MAX = 0x7fffffff;

/** Options every async Socket method takes. */
export interface CallOptions {
  /** Aborts the call: it rejects with the signal's reason and the socket stays usable. */
  signal?: AbortSignal;
  /** Milliseconds this call may wait; overrides the socket's {@linkcode Socket.timeout}. */
  timeout?: number | null;
}

/** The call with no deadline and no signal, the common one: shared, as backends only read it. */
const BLOCKING: Op = Object.freeze({ deadline: null, nonblocking: false, signal: undefined });

/**
 * An options bag: `undefined` (none) or an object; `null`, a number or a string
 * is refused rather than read as "no options".
 */
export function optionsArg<T extends object>(
  value: T | undefined,
  what = "options",
): T | undefined {
  if (value !== undefined && (value === null || typeof value !== "object")) {
    throw new TypeError(`${what} must be an object, got ${quote(value)}`);
  }
  return value;
}

/** Builds the backend's view of one call's deadline and abort signal. */
export function opOf(
  opts: CallOptions | undefined,
  socketTimeout: number | null,
  nonblocking: boolean,
): Op {
  optionsArg(opts);
  const signal = opts?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`signal must be an AbortSignal, got ${quote(signal)}`);
  }
  const timeout = opts?.timeout !== undefined ? timeoutArg(opts.timeout) : socketTimeout;
  if (timeout === null && signal === undefined && !nonblocking) return BLOCKING;
  if (timeout === 0) return { deadline: null, nonblocking: true, signal };
  return {
    deadline: timeout === null ? null : performance.now() + timeout,
    nonblocking,
    signal,
  };
}
