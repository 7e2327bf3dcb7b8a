/**
 * Argument checks shared by the errno functions.
 *
 * @module
 */

/** The largest errno a C `int` holds. */
export const ERRNO_MAX = 2 ** 31 - 1;

/** `value` as it should appear, quoted, in an error message. */
export function quote(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `"${value}n"`;
  try {
    return `"${String(value)}"`;
  } catch {
    return `"${Object.prototype.toString.call(value)}"`;
  }
}

/**
 * Throws `TypeError` unless `value` is a number, `RangeError` unless it is an integer from `min`
 * to {@linkcode ERRNO_MAX}.
 */
export function checkErrno(value: unknown, min: 0 | 1, what = "errno"): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`Invalid ${what} ${quote(value)}: expected a number, got ${typeof value}`);
  }
  if (!Number.isInteger(value) || value < min || value > ERRNO_MAX) {
    throw new RangeError(
      `Invalid ${what} ${quote(value)}: expected an integer from ${min} to ${ERRNO_MAX}`,
    );
  }
}
