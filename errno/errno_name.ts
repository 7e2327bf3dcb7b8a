/**
 * `errnoName()`: the C name of an errno.
 *
 * @module
 */
import { lookupNumber } from "./_current.ts";
import { checkErrno } from "./_validate.ts";

/**
 * The C name of `errnum` on the running OS, such as `"ECONNREFUSED"`, or `undefined` when the
 * number has none (`0` included), like Python's `errno.errorcode.get(errnum)`.
 *
 * A number with two names gives the one the system header defines with a number, the other
 * being defined as an alias of it: `"EAGAIN"` (not `EWOULDBLOCK`), and on Linux `"EDEADLK"`
 * (not `EDEADLOCK`) and `"EOPNOTSUPP"` (not `ENOTSUP`; on macOS the two are distinct numbers).
 * Python's `errno.errorcode` agrees on `EAGAIN` but, on Linux, says `EDEADLOCK` and `ENOTSUP`.
 *
 * An unknown number gives `undefined` rather than a made-up name, so that a caller chooses its own
 * fallback (`errnoName(n) ?? String(n)`) and a name can always be looked up again.
 *
 * @param errnum An errno: an integer from 0 to 2147483647.
 * @returns The canonical C name, or `undefined` when the running OS has none for `errnum`.
 * @throws {TypeError} If `errnum` is not a number.
 * @throws {RangeError} If `errnum` is not an integer, is negative or is beyond a C `int`.
 *
 * @example Usage
 * ```ts
 * import { EAGAIN, ECONNREFUSED, errnoName, EWOULDBLOCK } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(errnoName(ECONNREFUSED), "ECONNREFUSED");
 * assertEquals(errnoName(EWOULDBLOCK), "EAGAIN");
 * assertEquals(EWOULDBLOCK, EAGAIN);
 * assertEquals(errnoName(4000), undefined);
 * ```
 */
export function errnoName(errnum: number): string | undefined {
  checkErrno(errnum, 0);
  return lookupNumber(errnum);
}
