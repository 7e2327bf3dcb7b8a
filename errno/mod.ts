/**
 * Error numbers for the running OS, their names and texts, and `SocketError`.
 *
 * - `E*` constants with the running OS's numbers (Linux's, or macOS's when `Deno.build.os` or
 *   Node's `process.platform` says `"darwin"`; decided without asking for any permission). A name
 *   both OSes define is a `number`; a name only one defines is `number | undefined`.
 * - {@linkcode strerror} and {@linkcode errnoName}: the C library's text and the C name of a number.
 * - {@linkcode linux} and {@linkcode darwin}: the complete tables, as data.
 * - {@linkcode SocketError}, and {@linkcode errnoFromError} to read the errno behind an error
 *   thrown by Deno or Node.
 *
 * The Linux table is generated from the system headers and glibc (`tools/gen_errno.ts`); the
 * macOS table comes from Apple's published sources.
 *
 * @example Usage
 * ```ts
 * import { ECONNREFUSED, errnoName, SocketError, strerror } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(errnoName(ECONNREFUSED), "ECONNREFUSED");
 * assertEquals(strerror(ECONNREFUSED), "Connection refused");
 * const err = new SocketError(ECONNREFUSED, "connect");
 * assertEquals(err.message, "connect: Connection refused (ECONNREFUSED)");
 * ```
 *
 * @module
 */
// Only `export *` here: see _public_types.ts for why.
export * from "./_names.ts";
export * from "./strerror.ts";
export * from "./errno_name.ts";
export * from "./deno_errors.ts";
export * from "./socket_error.ts";
export * from "./linux.ts";
export * from "./darwin.ts";
export * from "./_public_types.ts";
