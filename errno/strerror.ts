/**
 * `strerror()`: the C library's text for an errno.
 *
 * @module
 */
import { hostOs } from "../_internal/os.ts";
import { current, lookupNumber } from "./_current.ts";
import { checkErrno } from "./_validate.ts";

/**
 * The text the running OS's C library gives for `errnum`, as C's `strerror()` and Python's
 * `os.strerror()` do: glibc's on Linux, Apple's libc's on macOS.
 *
 * `0` gives "Success" on Linux ("Undefined error: 0" on macOS); a number with no name gives
 * exactly glibc's "Unknown error N" (macOS: "Unknown error: N").
 *
 * @param errnum An errno: an integer from 0 to 2147483647.
 * @returns The error's text, such as "Connection refused".
 * @throws {TypeError} If `errnum` is not a number.
 * @throws {RangeError} If `errnum` is not an integer, is negative or is beyond a C `int`.
 *
 * @example Usage
 * ```ts
 * import { ECONNREFUSED, strerror } from "@bsdsock/socket/errno";
 * import { assertEquals, assertMatch } from "@std/assert";
 *
 * assertEquals(strerror(ECONNREFUSED), "Connection refused");
 * assertMatch(strerror(4000), /^Unknown error:? 4000$/);
 * ```
 */
export function strerror(errnum: number): string {
  checkErrno(errnum, 0);
  const name = lookupNumber(errnum);
  if (name !== undefined) return current[name].strerror;
  if (hostOs === "darwin") return errnum === 0 ? "Undefined error: 0" : `Unknown error: ${errnum}`;
  return errnum === 0 ? "Success" : `Unknown error ${errnum}`;
}
