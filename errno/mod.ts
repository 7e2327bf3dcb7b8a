/**
 * Error numbers for the running OS, their names and texts, and `SocketError`.
 *
 * - `E*` constants with the running OS's numbers (Linux's, or macOS's when `Deno.build.os` or
 *   Node's `process.platform` says `"darwin"`; decided without asking for any permission). A name
 *   both OSes define is a `number`; a name only one defines is `number | undefined`. Each one's
 *   doc gives its `strerror()` text and its Linux and macOS numbers.
 * - {@linkcode strerror} and {@linkcode errnoName}: the C library's text and the C name of a number.
 * - {@linkcode linux} and {@linkcode darwin}: the complete tables, as data.
 * - getaddrinfo(3)'s errors likewise: `EAI_*` constants (negative on Linux, as glibc defines
 *   them; positive on macOS, where they overlap errno's numbers), {@linkcode gaiStrerror},
 *   {@linkcode gaiName}, and the tables {@linkcode gaiLinux} and {@linkcode gaiDarwin}.
 * - {@linkcode SocketError}, and {@linkcode errnoFromError} to read the errno behind an error
 *   thrown by Deno or Node.
 *
 * The Linux tables are generated from the system headers and glibc (`tools/gen_errno.ts`); the
 * macOS tables come from Apple's published sources.
 *
 * @example Numbers on the running OS
 * ```ts
 * import { darwin, ECONNREFUSED, EPIPE, linux } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ECONNREFUSED, Deno.build.os === "darwin" ? 61 : 111);
 * assertEquals(EPIPE, 32); // the same on both
 * assertEquals(linux.ECONNREFUSED, { errno: 111, strerror: "Connection refused" });
 * assertEquals(darwin.ECONNREFUSED.errno, 61);
 * ```
 *
 * @example Names only one OS defines, and second names
 * ```ts
 * import { EAGAIN, EAUTH, ENONET, errnoName, EWOULDBLOCK } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * // ENONET is Linux's, EAUTH macOS's: each is `undefined` on the other OS.
 * const mac = Deno.build.os === "darwin";
 * assertEquals([ENONET === undefined, EAUTH === undefined], [mac, !mac]);
 * if (ENONET !== undefined) assertEquals(errnoName(ENONET), "ENONET");
 * // A second name has the number of the first, and the lookup gives the first.
 * assertEquals(EWOULDBLOCK, EAGAIN);
 * assertEquals(errnoName(EWOULDBLOCK), "EAGAIN");
 * ```
 *
 * @example Texts and names: `strerror()`, `errnoName()`
 * ```ts
 * import { ECONNREFUSED, errnoName, strerror } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(errnoName(ECONNREFUSED), "ECONNREFUSED");
 * assertEquals(strerror(ECONNREFUSED), "Connection refused");
 * assertEquals(errnoName(4000), undefined);
 * ```
 *
 * @example Errors: `SocketError`, `errnoFromError()`
 * ```ts
 * import { ECONNREFUSED, errnoFromError, SocketError } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * const err = new SocketError(ECONNREFUSED, "connect");
 * assertEquals(err.message, "connect: Connection refused (ECONNREFUSED)");
 * assertEquals(err.code, "ECONNREFUSED");
 * // The errno behind an error thrown by Deno (or by Node: `errno`, `code`).
 * assertEquals(errnoFromError(new Deno.errors.ConnectionRefused("refused")), ECONNREFUSED);
 * ```
 *
 * @example Name lookups: `EAI_*`, `gaiStrerror()`, `gaiName()`
 * ```ts
 * import { EAI_NONAME, gaiLinux, gaiName, gaiStrerror, SocketError } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(EAI_NONAME, Deno.build.os === "darwin" ? 8 : -2);
 * assertEquals(gaiLinux.EAI_NONAME.strerror, "Name or service not known");
 * assertEquals(gaiName(EAI_NONAME), "EAI_NONAME");
 * // A name lookup's SocketError takes its code and text from the EAI table, chosen by syscall.
 * const err = new SocketError(EAI_NONAME, "getaddrinfo");
 * assertEquals(err.message, `getaddrinfo: ${gaiStrerror(EAI_NONAME)} (EAI_NONAME)`);
 * ```
 *
 * @module
 */
export * from "./names.ts";
export * from "./strerror.ts";
export * from "./errno_name.ts";
export * from "./deno_errors.ts";
export * from "./socket_error.ts";
export * from "./linux.ts";
export * from "./darwin.ts";
export * from "./gai_names.ts";
export * from "./gai.ts";
export * from "./gai_linux.ts";
export * from "./gai_darwin.ts";
export * from "./types.ts";
// The address a SocketError carries.
export type {
  Inet6Addr,
  InetAddr,
  NetlinkAddr,
  PacketAddr,
  SockAddr,
  UnixAddr,
} from "../address/types.ts";
