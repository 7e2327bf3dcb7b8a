/**
 * `gaiStrerror()` and `gaiName()`: the C library's text and the C name of a getaddrinfo(3) error.
 *
 * @module
 */
import { currentGai, lookupGaiNumber } from "./_current.ts";
import { checkErrno } from "./_validate.ts";
import { INT_MIN } from "../_internal/check.ts";

/**
 * The text the running OS's C library gives for the getaddrinfo(3) error `n`, as C's
 * `gai_strerror()` does and Python's `socket.gaierror.strerror` shows: glibc's on Linux, Apple's
 * on macOS. A number with no name, `0` included, gives "Unknown error"; so does glibc for
 * `EAI_OVERFLOW`, for which it has no text.
 *
 * The numbers are not errnos: glibc's are negative, and macOS's (positive) overlap errno's, so
 * `gaiStrerror(8)` on macOS is `EAI_NONAME`'s text where `strerror(8)` is `ENOEXEC`'s.
 *
 * @param n A getaddrinfo(3) error: an integer a C `int` holds.
 * @returns The error's text, such as "Name or service not known".
 * @throws {TypeError} If `n` is not a number.
 * @throws {RangeError} If `n` is not an integer a C `int` holds.
 *
 * @example Usage
 * ```ts
 * import { EAI_NONAME, gaiStrerror } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * const mac = Deno.build.os === "darwin";
 * assertEquals(EAI_NONAME, mac ? 8 : -2);
 * assertEquals(
 *   gaiStrerror(EAI_NONAME),
 *   mac ? "nodename nor servname provided, or not known" : "Name or service not known",
 * );
 * assertEquals(gaiStrerror(4000), "Unknown error");
 * ```
 */
export function gaiStrerror(n: number): string {
  checkErrno(n, INT_MIN, "getaddrinfo error");
  const name = lookupGaiNumber(n);
  return name === undefined ? "Unknown error" : currentGai[name].strerror;
}

/**
 * The C name of the getaddrinfo(3) error `n` on the running OS, such as `"EAI_NONAME"`, or
 * `undefined` when the number has none (`0` included).
 *
 * @param n A getaddrinfo(3) error: an integer a C `int` holds (negative on Linux).
 * @returns The `EAI_*` name, or `undefined` when the running OS has none for `n`.
 * @throws {TypeError} If `n` is not a number.
 * @throws {RangeError} If `n` is not an integer a C `int` holds.
 *
 * @example Usage
 * ```ts
 * import { EAI_AGAIN, EAI_NONAME, gaiName } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(gaiName(EAI_NONAME), "EAI_NONAME");
 * assertEquals(gaiName(EAI_AGAIN), "EAI_AGAIN");
 * assertEquals(gaiName(4000), undefined);
 * ```
 */
export function gaiName(n: number): string | undefined {
  checkErrno(n, INT_MIN, "getaddrinfo error");
  return lookupGaiNumber(n);
}
