/**
 * Errors of the native backend: the kernel's errno where native answers for
 * the kernel, and a marked error where native cannot express a call at all.
 *
 * @module
 */
import { EBADF } from "../../errno/names.ts";
import { SocketError } from "../../errno/socket_error.ts";
import type { SockAddr } from "../../address/types.ts";

const limits = new WeakSet<Error>();

/** A `SocketError` with the errno the kernel gives for the same call. */
export function fail(errno: number, syscall: string, address?: SockAddr): SocketError {
  return new SocketError(errno, syscall, address);
}

/**
 * A call the native backend cannot express (the runtime's socket APIs have no
 * way to do it), as a `SocketError` with `errno` and a message that says what
 * native lacks and how to get it. {@linkcode isNativeLimit} recognises it.
 *
 * @param errno `ENOPROTOOPT` for an option, `EOPNOTSUPP` for a call or flag,
 * `ESOCKTNOSUPPORT`/`EPROTONOSUPPORT`/`EAFNOSUPPORT` for a kind of socket.
 * @param syscall The call, such as `"setsockopt"`.
 * @param what What native cannot do, such as `"SO_LINGER"`.
 * @param address The address the call was about.
 * @returns The error, marked as a native limit.
 */
export function nativeLimit(
  errno: number,
  syscall: string,
  what: string,
  address?: SockAddr,
): SocketError {
  const err = new SocketError(errno, syscall, address);
  err.message += typeof Deno !== "undefined"
    ? ` [${what}: not available on the native backend (Deno.connect/Deno.listen/` +
      `node:dgram); use socket(…, { backend: "ffi" }) with --allow-ffi]`
    : ` [${what}: not available on the native backend (node:net/node:dgram); ` +
      `use socket(…, { backend: "ffi" }), with koffi on Node (npm install koffi)]`;
  limits.add(err);
  return err;
}

/**
 * Whether `err` came from {@linkcode nativeLimit}: the call is one the kernel
 * might accept but the native backend cannot make, so the ffi backend could.
 *
 * @param err Anything caught.
 * @returns `true` for a native limit.
 */
export function isNativeLimit(err: unknown): boolean {
  return err instanceof Error && limits.has(err);
}

/**
 * What the runtime threw, as a `SocketError` where it carries an errno. A
 * Deno permission refusal (`NotCapable`) stays as it is; a call cut short by
 * `close()` (`Interrupted`, `BadResource`) is `EBADF`.
 */
export function fromRuntime(
  err: unknown,
  syscall: string,
  address?: SockAddr,
  closed = false,
): Error {
  if (closed) return new SocketError(EBADF, syscall, address, { cause: err });
  return SocketError.from(err, syscall, address);
}
