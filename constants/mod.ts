/**
 * Socket constants for the running OS, the per-OS tables, and lookups both ways.
 *
 * - Every `AF_*`, `PF_*`, `SOCK_*`, `IPPROTO_*`, `SOL_*`, `SO_*`, `TCP_*`, `IP_*`, `IPV6_*`,
 *   `MSG_*`, `SHUT_*`, `SCM_*`, `INADDR_*`, `NETLINK_*` and `UDP_*` name as a constant with the
 *   running OS's value: Linux's, or macOS's when `Deno.build.os` (else Node's `process.platform`)
 *   says `"darwin"`, decided once and without asking for any permission; any other OS gets Linux's.
 *   As in Python's `socket` module, a constant exists only where the OS has it, and the types say
 *   so: a name both OSes define is a `number`, a name only one defines is `number | undefined`.
 *   Each constant's doc gives its meaning and its Linux and macOS values.
 * - {@linkcode linux} and {@linkcode darwin}: the complete tables, as data. The Linux table is
 *   generated from the system headers (`tools/gen_constants.ts`) and checked against them by a
 *   test; the macOS table is taken from Apple's published headers.
 * - {@linkcode constantName}, {@linkcode familyName}, {@linkcode typeName} and
 *   {@linkcode protocolName}: from a number back to its C name. Where names share a number the
 *   preferred one is given (`AF_UNIX`, not `AF_LOCAL`; `SO_TIMESTAMP`, not `SO_TIMESTAMP_OLD`).
 * - {@linkcode getprotobyname}, {@linkcode getprotobynumber} and {@linkcode resolveProtocol}:
 *   protocols(5), from `/etc/protocols` when it may already be read, else a built-in table.
 *
 * @example Address families (`AF_*`, `PF_*`)
 * ```ts
 * import {
 *   AF_INET,
 *   AF_INET6,
 *   AF_LOCAL,
 *   AF_UNIX,
 *   familyName,
 *   PF_INET6,
 * } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals([AF_UNIX, AF_INET], [1, 2]);
 * assertEquals(AF_INET6, Deno.build.os === "darwin" ? 30 : 10);
 * assertEquals(PF_INET6, AF_INET6); // each PF_ name has the value of its AF_ name
 * assertEquals(familyName(AF_INET6), "AF_INET6");
 * assertEquals(familyName(AF_LOCAL), "AF_UNIX"); // the preferred of the names of 1
 * ```
 *
 * @example Socket types (`SOCK_*`)
 * ```ts
 * import {
 *   SOCK_CLOEXEC,
 *   SOCK_DGRAM,
 *   SOCK_NONBLOCK,
 *   SOCK_STREAM,
 *   typeName,
 * } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals([SOCK_STREAM, SOCK_DGRAM], [1, 2]);
 * // The type flags are Linux's: `number | undefined`, so narrow before use.
 * if (SOCK_NONBLOCK !== undefined && SOCK_CLOEXEC !== undefined) {
 *   const type = SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC;
 *   assertEquals(typeName(type), "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
 * }
 * ```
 *
 * @example Protocols (`IPPROTO_*`)
 * ```ts
 * import {
 *   getprotobyname,
 *   IPPROTO_ICMPV6,
 *   IPPROTO_IP,
 *   IPPROTO_TCP,
 *   IPPROTO_UDP,
 *   protocolName,
 * } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals([IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6], [0, 6, 17, 58]);
 * assertEquals(protocolName(IPPROTO_TCP), "IPPROTO_TCP");
 * assertEquals(getprotobyname("udp")?.number, IPPROTO_UDP);
 * ```
 *
 * @example Option levels and socket options (`SOL_*`, `SO_*`)
 * ```ts
 * import {
 *   constantName,
 *   SO_KEEPALIVE,
 *   SO_NOSIGPIPE,
 *   SO_PEERCRED,
 *   SO_REUSEADDR,
 *   SOL_SOCKET,
 * } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * const mac = Deno.build.os === "darwin";
 * assertEquals(SOL_SOCKET, mac ? 0xffff : 1);
 * assertEquals(SO_REUSEADDR, mac ? 4 : 2);
 * assertEquals(constantName("SO", SO_KEEPALIVE), "SO_KEEPALIVE");
 * // SO_PEERCRED is Linux's, SO_NOSIGPIPE macOS's: each is `undefined` on the other OS.
 * assertEquals(SO_PEERCRED === undefined, mac);
 * assertEquals(SO_NOSIGPIPE === undefined, !mac);
 * ```
 *
 * @example TCP options (`TCP_*`)
 * ```ts
 * import {
 *   constantName,
 *   TCP_KEEPALIVE,
 *   TCP_KEEPIDLE,
 *   TCP_NODELAY,
 * } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(TCP_NODELAY, 1);
 * assertEquals(constantName("TCP", TCP_NODELAY), "TCP_NODELAY");
 * // The keep-alive idle time is TCP_KEEPIDLE on Linux and TCP_KEEPALIVE on macOS.
 * const idle = TCP_KEEPIDLE ?? TCP_KEEPALIVE;
 * assertEquals(idle, Deno.build.os === "darwin" ? 0x10 : 4);
 * ```
 *
 * @example IPv4 and IPv6 options (`IP_*`, `IPV6_*`)
 * ```ts
 * import {
 *   constantName,
 *   IP_MULTICAST_TTL,
 *   IPV6_ADD_MEMBERSHIP,
 *   IPV6_JOIN_GROUP,
 *   IPV6_V6ONLY,
 * } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * const mac = Deno.build.os === "darwin";
 * assertEquals(IP_MULTICAST_TTL, mac ? 10 : 33);
 * assertEquals(IPV6_V6ONLY, mac ? 27 : 26);
 * // Linux's second name of IPV6_JOIN_GROUP: the lookup gives the portable one.
 * if (IPV6_ADD_MEMBERSHIP !== undefined) {
 *   assertEquals(IPV6_ADD_MEMBERSHIP, IPV6_JOIN_GROUP);
 *   assertEquals(constantName("IPV6", IPV6_ADD_MEMBERSHIP), "IPV6_JOIN_GROUP");
 * }
 * ```
 *
 * @example Messages, shutdown and control messages (`MSG_*`, `SHUT_*`, `SCM_*`)
 * ```ts
 * import {
 *   constantName,
 *   MSG_DONTWAIT,
 *   MSG_NOSIGNAL,
 *   MSG_PEEK,
 *   SCM_RIGHTS,
 *   SHUT_RD,
 *   SHUT_RDWR,
 *   SHUT_WR,
 * } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals([SHUT_RD, SHUT_WR, SHUT_RDWR], [0, 1, 2]);
 * assertEquals([MSG_PEEK, SCM_RIGHTS], [0x2, 1]);
 * // Flags combine with `|`; the lookup names one flag at a time.
 * const flags = MSG_PEEK | MSG_DONTWAIT | MSG_NOSIGNAL;
 * assertEquals(flags & MSG_PEEK, MSG_PEEK);
 * assertEquals(constantName("MSG", MSG_DONTWAIT), "MSG_DONTWAIT");
 * ```
 *
 * @example IPv4 addresses (`INADDR_*`)
 * ```ts
 * import {
 *   constantName,
 *   INADDR_ANY,
 *   INADDR_BROADCAST,
 *   INADDR_LOOPBACK,
 *   INADDR_NONE,
 * } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * // In host byte order, as in C: 127.0.0.1 is 0x7f000001.
 * assertEquals([INADDR_ANY, INADDR_LOOPBACK], [0, 0x7f000001]);
 * assertEquals(INADDR_NONE, INADDR_BROADCAST);
 * assertEquals(constantName("INADDR", 0xffffffff), "INADDR_BROADCAST");
 * ```
 *
 * @example Netlink (`NETLINK_*`, Linux only)
 * ```ts
 * import {
 *   AF_NETLINK,
 *   constantName,
 *   NETLINK_ADD_MEMBERSHIP,
 *   NETLINK_ROUTE,
 *   SOL_NETLINK,
 * } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * // Every NETLINK_ name is `undefined` on macOS, as are AF_NETLINK and SOL_NETLINK.
 * assertEquals(NETLINK_ROUTE === undefined, Deno.build.os === "darwin");
 * if (AF_NETLINK !== undefined && NETLINK_ROUTE !== undefined) {
 *   assertEquals([AF_NETLINK, NETLINK_ROUTE], [16, 0]);
 *   assertEquals(constantName("NETLINK", NETLINK_ROUTE), "NETLINK_ROUTE");
 * }
 * // The SOL_NETLINK options share the prefix; a longer prefix names them.
 * if (SOL_NETLINK !== undefined && NETLINK_ADD_MEMBERSHIP !== undefined) {
 *   assertEquals(SOL_NETLINK, 270);
 *   assertEquals(constantName("NETLINK_ADD", NETLINK_ADD_MEMBERSHIP), "NETLINK_ADD_MEMBERSHIP");
 * }
 * ```
 *
 * @module
 */
export * from "./names.ts";
export * from "./lookup.ts";
export * from "./protocols.ts";
export * from "./linux.ts";
export * from "./darwin.ts";
export * from "./types.ts";
