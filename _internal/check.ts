/**
 * The argument checks every module shares, one copy of each: quoting an offending value in a
 * message, integer range checks, the C `int` bounds, and the host's byte order.
 *
 * @module
 */

const MAX = 80;

/**
 * `value` as it should appear in an error message: strings JSON-quoted (so
 * whitespace and NUL show), cut after 80 characters; other values as `String()`
 * gives them, with objects inspected shallowly.
 */
export function quote(value: unknown): string {
  if (typeof value === "string") {
    const cut = value.length > MAX ? value.slice(0, MAX) : value;
    return JSON.stringify(cut) + (cut === value ? "" : `… (${value.length} characters)`);
  }
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") return String(value);
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text.length > MAX ? text.slice(0, MAX) + "…" : text;
  } catch {
    // fall through: cyclic or otherwise unserialisable
  }
  return Object.prototype.toString.call(value);
}

/** The smallest C `int`. */
export const INT_MIN = -0x80000000;
/** The largest C `int`. */
export const INT_MAX = 0x7fffffff;
/**
 * `UIO_MAXIOV` (also `IOV_MAX`): the most buffers one readv/sendmsg call takes, and the most
 * messages of one sendmmsg/recvmmsg; Linux caps them there.
 */
export const UIO_MAXIOV = 1024;

/** The largest `uint32_t`. */
export const UINT32_MAX = 0xffffffff;

/** `value` as an integer from `min` to `max`, or the `TypeError`/`RangeError` naming `what`. */
export function checkInt(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== "number") {
    throw new TypeError(`${what} must be a number, got ${quote(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer from ${min} to ${max}, got ${quote(value)}`);
  }
  return value;
}

/** Whether this machine stores integers least significant byte first (x86-64 and arm64 do). */
export const littleEndian: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** `value` as a C `int`, or the `TypeError`/`RangeError` naming `what`. */
export function cInt(value: unknown, what: string): number {
  if (typeof value !== "number") {
    throw new TypeError(`${what} must be a number, got ${quote(value)}`);
  }
  if (!Number.isInteger(value) || value < INT_MIN || value > INT_MAX) {
    throw new RangeError(`${what} must be a 32-bit integer, got ${quote(value)}`);
  }
  return value;
}

/**
 * Whether `buffer` was detached (transferred away). ES2024's `ArrayBuffer.prototype.detached`
 * where the runtime has it; before that (Node 20), a detached buffer is the one of length 0 that
 * takes no view.
 */
export function isDetached(buffer: ArrayBufferLike): boolean {
  const detached = (buffer as { detached?: boolean }).detached;
  if (detached !== undefined) return detached;
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}
