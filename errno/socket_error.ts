/**
 * `SocketError`: a failed socket call, with the errno the kernel gave.
 *
 * @module
 */
import type { SockAddr } from "../address/types.ts";
import { formatSockAddr } from "../address/format.ts";
import { errnoFromError } from "./deno_errors.ts";
import { errnoName } from "./errno_name.ts";
import { gaiName, gaiStrerror } from "./gai.ts";
import { strerror } from "./strerror.ts";
import { checkErrno, invalid } from "./_validate.ts";
import { INT_MIN } from "../_internal/check.ts";

/** The `code` of a `SocketError` whose errno has no name on the running OS. */
const UNKNOWN_CODE = "UNKNOWN";

/** The call whose errors are getaddrinfo(3)'s `EAI_*` numbers rather than errnos. */
const GETADDRINFO = "getaddrinfo";

function describe(address: SockAddr): string {
  try {
    return formatSockAddr(address);
  } catch {
    return "(unprintable address)";
  }
}

/**
 * A socket call that failed, carrying the errno the kernel gave — the same number, name and text
 * on both backends: `connect: Connection refused (ECONNREFUSED) 127.0.0.1:9`.
 *
 * The message is `${syscall}: ${strerror(errno)} (${code})`, followed by the formatted address
 * when there is one. An errno with no name on the running OS has `code` `"UNKNOWN"`.
 *
 * A failed name lookup is a `SocketError` too, as Python's `gaierror`: with `syscall`
 * `"getaddrinfo"` the number is a getaddrinfo(3) error (`EAI_NONAME`: negative on Linux, as glibc
 * defines it), and `code` and text come from {@linkcode gaiName} and {@linkcode gaiStrerror}
 * rather than the errno table — on macOS the two sets of numbers overlap, so the call decides.
 *
 * @example Usage
 * ```ts
 * import { ECONNREFUSED, SocketError } from "@bsdsock/socket/errno";
 * import { assertEquals, assertInstanceOf } from "@std/assert";
 *
 * const err = new SocketError(ECONNREFUSED, "connect", {
 *   family: "inet",
 *   hostname: "127.0.0.1",
 *   port: 9,
 * });
 * assertInstanceOf(err, Error);
 * assertEquals(err.code, "ECONNREFUSED");
 * assertEquals(err.message, "connect: Connection refused (ECONNREFUSED) 127.0.0.1:9");
 * ```
 *
 * @example A failed name lookup
 * ```ts
 * import { EAI_NONAME, gaiStrerror, SocketError } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * const address = { family: "inet", hostname: "host", port: 80 } as const;
 * const err = new SocketError(EAI_NONAME, "getaddrinfo", address);
 * assertEquals(err.errno, Deno.build.os === "darwin" ? 8 : -2);
 * assertEquals(err.code, "EAI_NONAME");
 * assertEquals(err.message, `getaddrinfo: ${gaiStrerror(EAI_NONAME)} (EAI_NONAME) host:80`);
 * ```
 */
export class SocketError extends Error {
  /**
   * The errno: positive, as in C and Python (`OSError.errno`). For `"getaddrinfo"`, the
   * getaddrinfo(3) error instead (Python's `gaierror.errno`): negative on Linux.
   */
  errno: number;
  /**
   * The errno's C name (`"ECONNREFUSED"`), or for `"getaddrinfo"` the `EAI_*` name; `"UNKNOWN"`
   * when the running OS has none.
   */
  code: string;
  /** The system call that failed (`"connect"`). */
  syscall: string;
  /** The address the call was about, when there was one. */
  declare address?: SockAddr;

  /**
   * Makes the error for `syscall` failing with `errno`.
   *
   * @param errno The errno: an integer from 1 to 2147483647; for `"getaddrinfo"`, a non-zero
   *   getaddrinfo(3) error (any C `int`, negative on Linux).
   * @param syscall The system call's name, such as `"connect"` or `"getaddrinfo"`.
   * @param address The address the call was about, shown at the end of the message.
   * @param options Standard error options, such as `{ cause }`.
   * @throws {TypeError} If `errno` is not a number or `syscall` not a string.
   * @throws {RangeError} If `errno` is not a positive integer that fits a C `int` (for
   *   `"getaddrinfo"`: not a non-zero one).
   */
  constructor(errno: number, syscall: string, address?: SockAddr, options?: ErrorOptions) {
    const gai = syscall === GETADDRINFO;
    if (gai) {
      checkErrno(errno, INT_MIN);
      if (errno === 0) {
        throw new RangeError(`${invalid("errno", errno)}: expected a non-zero integer`);
      }
    } else checkErrno(errno, 1);
    if (typeof syscall !== "string") {
      throw new TypeError(`${invalid("syscall", syscall)}: expected a string`);
    }
    const code = (gai ? gaiName(errno) : errnoName(errno)) ?? UNKNOWN_CODE;
    const text = gai ? gaiStrerror(errno) : strerror(errno);
    const where = address === undefined ? "" : ` ${describe(address)}`;
    super(`${syscall}: ${text} (${code})${where}`, options);
    this.name = "SocketError";
    this.errno = errno;
    this.code = code;
    this.syscall = syscall;
    if (address !== undefined) this.address = address;
  }

  /**
   * Turns whatever a failed call threw into a `SocketError` when an errno can be read from it
   * (see {@linkcode errnoFromError}), with the original as `cause`; anything else comes back
   * unchanged, so that a refused Deno permission (`NotCapable`) stays Deno's own error. A
   * `SocketError` is returned as it is (it already names its call); a thrown non-`Error` value
   * is wrapped in an `Error` whose `cause` it is.
   *
   * @param err Anything caught.
   * @param syscall The system call that failed, such as `"connect"`.
   * @param address The address the call was about.
   * @returns A `SocketError`, or `err` itself when it carries no errno.
   *
   * @example Usage
   * ```ts
   * import { ECONNREFUSED, SocketError } from "@bsdsock/socket/errno";
   * import { assertEquals, assertInstanceOf, assertStrictEquals } from "@std/assert";
   *
   * const denoError = new Deno.errors.ConnectionRefused("Connection refused");
   * const address = { family: "inet6", hostname: "::1", port: 9 } as const;
   * const err = SocketError.from(denoError, "connect", address);
   * assertInstanceOf(err, SocketError);
   * assertEquals(err.errno, ECONNREFUSED);
   * assertEquals(err.message, "connect: Connection refused (ECONNREFUSED) [::1]:9");
   * assertStrictEquals(err.cause, denoError);
   *
   * const denied = new Deno.errors.NotCapable("Requires net access to \"[::1]:9\"");
   * assertStrictEquals(SocketError.from(denied, "connect"), denied);
   * ```
   */
  static from(err: unknown, syscall: string, address?: SockAddr): Error {
    if (err instanceof SocketError) return err;
    const errno = errnoFromError(err);
    if (errno !== undefined) return new SocketError(errno, syscall, address, { cause: err });
    if (err instanceof Error) return err;
    let text: string;
    try {
      text = String(err);
    } catch {
      text = Object.prototype.toString.call(err);
    }
    return new Error(text, { cause: err });
  }
}
