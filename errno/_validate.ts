/**
 * Argument checks shared by the errno functions.
 *
 * @module
 */
import { quote } from "../_internal/check.ts";

/** The largest errno a C `int` holds. */
export const ERRNO_MAX = 2 ** 31 - 1;

/**
 * The start of the message about a bad `what`, the value always in double quotes: a string as
 * {@linkcode quote} gives it (`Invalid errno "EPERM"`), anything else its `quote()` text in quotes
 * (`Invalid errno "0"`, `Invalid errno "111n"`, `Invalid syscall "42"`).
 */
export function invalid(what: string, value: unknown): string {
  return `Invalid ${what} ${typeof value === "string" ? quote(value) : `"${quote(value)}"`}`;
}

/**
 * Throws `TypeError` unless `value` is a number, `RangeError` unless it is an integer from `min`
 * (0 or 1 for an errno, `INT_MIN` for a getaddrinfo(3) error, negative on glibc) to
 * {@linkcode ERRNO_MAX}.
 */
export function checkErrno(value: unknown, min: number, what = "errno"): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`${invalid(what, value)}: expected a number, got ${typeof value}`);
  }
  if (!Number.isInteger(value) || value < min || value > ERRNO_MAX) {
    throw new RangeError(
      `${invalid(what, value)}: expected an integer from ${min} to ${ERRNO_MAX}`,
    );
  }
}
