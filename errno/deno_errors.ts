/**
 * `errnoFromError()`: the errno behind an error thrown by Deno, Node or this library.
 *
 * @module
 */
import { lookupName } from "./_current.ts";
import { ERRNO_MAX } from "./_validate.ts";

/**
 * The errno of each `Deno.errors` class that stands for one, as C names: the fallback for an
 * error that carries neither a `code` nor an "(os error N)" message (Deno gives both whenever the
 * error came from the OS, so this only decides errors Deno makes itself).
 *
 * Left out on purpose, because no system call fails that way: `NotCapable` (a missing
 * `--allow-*` permission, which must reach the user as it is), `InvalidData` (Rust's "data is not
 * valid", e.g. bad UTF-8; Rust reports `EINVAL` as `InvalidInput`, which Deno throws as a
 * `TypeError` with `code` `EINVAL`), `WriteZero`, `UnexpectedEof` and `Http`.
 *
 * `NotSupported` is Rust's `Unsupported`, which Deno makes for an operation a platform lacks:
 * `EOPNOTSUPP` ("Operation not supported") is what a socket call says in that case.
 * `BadResource` (a closed or unknown resource id) is `EBADF`, which the kernel and Python give for
 * a call on a closed descriptor.
 */
const DENO_ERROR_ERRNO: Readonly<Record<string, string>> = {
  NotFound: "ENOENT",
  PermissionDenied: "EACCES",
  ConnectionRefused: "ECONNREFUSED",
  ConnectionReset: "ECONNRESET",
  ConnectionAborted: "ECONNABORTED",
  NotConnected: "ENOTCONN",
  AddrInUse: "EADDRINUSE",
  AddrNotAvailable: "EADDRNOTAVAIL",
  BrokenPipe: "EPIPE",
  AlreadyExists: "EEXIST",
  TimedOut: "ETIMEDOUT",
  Interrupted: "EINTR",
  WouldBlock: "EAGAIN",
  BadResource: "EBADF",
  Busy: "EBUSY",
  NotSupported: "EOPNOTSUPP",
  FilesystemLoop: "ELOOP",
  IsADirectory: "EISDIR",
  NetworkUnreachable: "ENETUNREACH",
  NotADirectory: "ENOTDIR",
};

type ErrorClass = abstract new (...args: never[]) => Error;

function denoErrors(): Readonly<Record<string, ErrorClass>> | undefined {
  return (globalThis as { Deno?: { errors?: Record<string, ErrorClass> } }).Deno?.errors;
}

function isErrno(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n > 0 && n <= ERRNO_MAX;
}

/**
 * Whether `err` is a refused Deno permission: `Deno.errors.NotCapable` (Deno 2), or a
 * `PermissionDenied` whose message names a `--allow-*` flag (Deno 1).
 */
function isPermissionRefusal(err: object): boolean {
  const errors = denoErrors();
  if (errors?.NotCapable && err instanceof errors.NotCapable) return true;
  if ((err as { name?: unknown }).name === "NotCapable") return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === "string" && /--allow-[a-z]+|^Requires \S+ access/.test(message) &&
    (err as { code?: unknown }).code === undefined;
}

/**
 * The errno behind `err`, on the running OS, or `undefined` when it has none.
 *
 * Read in this order:
 * 1. a numeric `errno` property, when it is a positive integer (this library's `SocketError`;
 *    Node's negative libuv numbers are skipped and its `code` used instead);
 * 2. a string `code` that is an errno name (`"ECONNREFUSED"`): Deno and Node set it;
 * 3. the "(os error N)" that Deno (Rust) appends to the message of an OS error;
 * 4. the class of a `Deno.errors` error: `ConnectionRefused` → `ECONNREFUSED`, `BrokenPipe` →
 *    `EPIPE`, `TimedOut` → `ETIMEDOUT`, `WouldBlock` → `EAGAIN`, `NotFound` → `ENOENT`,
 *    `PermissionDenied` → `EACCES`, `BadResource` → `EBADF`, `NotSupported` → `EOPNOTSUPP`…
 *
 * A refused Deno permission (`Deno.errors.NotCapable`) is not an errno: it gives `undefined`
 * whatever it carries, and so do `InvalidData`, `UnexpectedEof`, `WriteZero`, `Http` and anything
 * that is not an object.
 *
 * @param err Anything caught.
 * @returns The errno, a positive integer, or `undefined`.
 *
 * @example Usage
 * ```ts
 * import { ECONNREFUSED, EPIPE, errnoFromError } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * const refused = Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" });
 * assertEquals(errnoFromError(refused), ECONNREFUSED);
 * assertEquals(errnoFromError(new Deno.errors.BrokenPipe("gone")), EPIPE);
 * assertEquals(errnoFromError(new Deno.errors.NotCapable("Requires net access")), undefined);
 * assertEquals(errnoFromError(new Error("boom")), undefined);
 * ```
 */
export function errnoFromError(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  if (isPermissionRefusal(err)) return undefined;
  const { errno, code, message } = err as { errno?: unknown; code?: unknown; message?: unknown };
  if (isErrno(errno)) return errno;
  if (typeof code === "string") {
    const info = lookupName(code);
    if (info !== undefined) return info.errno;
  }
  if (typeof message === "string") {
    const m = /\(os error (\d+)\)/.exec(message);
    if (m && isErrno(Number(m[1]))) return Number(m[1]);
  }
  const errors = denoErrors();
  if (errors !== undefined) {
    for (const [cls, name] of Object.entries(DENO_ERROR_ERRNO)) {
      const ctor = errors[cls];
      if (ctor !== undefined && err instanceof ctor) return lookupName(name)?.errno;
    }
  }
  return undefined;
}
