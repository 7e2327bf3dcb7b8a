/**
 * Socket constants for the running OS, the per-OS tables, and lookups both ways.
 *
 * - Every `AF_*`, `PF_*`, `SOCK_*`, `IPPROTO_*`, `SOL_*`, `SO_*`, `TCP_*`, `IP_*`, `IPV6_*`,
 *   `MSG_*`, `SHUT_*`, `SCM_*`, `INADDR_*` and `NETLINK_*` name as a constant with the running
 *   OS's value: Linux's, or macOS's when `Deno.build.os` (else Node's `process.platform`) says
 *   `"darwin"`, decided once and without asking for any permission; any other OS gets Linux's.
 *   As in Python's `socket` module, a constant exists only where the OS has it, and the types say
 *   so: a name both OSes define is a `number`, a name only one defines is `number | undefined`.
 * - {@linkcode linux} and {@linkcode darwin}: the complete tables, as data. The Linux table is
 *   generated from the system headers (`tools/gen_constants.ts`) and checked against them by a
 *   test; the macOS table is taken from Apple's published headers.
 * - {@linkcode constantName}, {@linkcode familyName}, {@linkcode typeName} and
 *   {@linkcode protocolName}: from a number back to its C name. Where names share a number the
 *   preferred one is given (`AF_UNIX`, not `AF_LOCAL`; `SO_TIMESTAMP`, not `SO_TIMESTAMP_OLD`).
 * - {@linkcode getprotobyname}, {@linkcode getprotobynumber} and {@linkcode resolveProtocol}:
 *   protocols(5), from `/etc/protocols` when it may already be read, else a built-in table.
 *
 * @example Usage
 * ```ts
 * import {
 *   AF_INET6,
 *   constantName,
 *   familyName,
 *   getprotobyname,
 *   linux,
 *   SO_PEERCRED,
 *   SOCK_STREAM,
 *   typeName,
 * } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(familyName(AF_INET6), "AF_INET6");
 * assertEquals(typeName(SOCK_STREAM), "SOCK_STREAM");
 * assertEquals(constantName("AF", linux.AF_LOCAL, linux), "AF_UNIX");
 * assertEquals(getprotobyname("tcp")?.number, 6);
 *
 * // Linux only: `number | undefined`, so narrow before use.
 * if (SO_PEERCRED !== undefined) assertEquals(constantName("SO", SO_PEERCRED), "SO_PEERCRED");
 * ```
 *
 * @module
 */
export * from "./_names.ts";
export * from "./_lookup.ts";
export * from "./protocols.ts";
export * from "./linux.ts";
export * from "./darwin.ts";
export * from "./_types.ts";
export * from "./_protocol_entry.ts";
