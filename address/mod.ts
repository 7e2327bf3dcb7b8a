/**
 * Socket addresses: the `SockAddr` types, IP text ⇄ bytes (`inetPton`,
 * `inetNtop`, `isIPv4`, `isIPv6`), the kernel's `struct sockaddr_*` bytes
 * (`encodeSockAddr`, `decodeSockAddr`), checking a caller's address
 * (`normalizeSockAddr`), printing one (`formatSockAddr`), and byte order
 * (`htons`, `ntohs`, `htonl`, `ntohl`).
 *
 * Pure: it imports nothing from the rest of the package, needs no permission,
 * and runs wherever JavaScript runs. Byte layouts follow the running OS: Linux,
 * or macOS where `Deno.build.os` (or Node's `process.platform`) says `"darwin"`.
 *
 * Hostnames here are IP literals; resolving names is the socket layer's work
 * (`normalizeSockAddr` lets a name through for it, `encodeSockAddr` refuses one).
 *
 * @example Round trip through the kernel's bytes
 * ```ts
 * import { decodeSockAddr, encodeSockAddr, formatSockAddr } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const bytes = encodeSockAddr({ family: "inet6", hostname: "2001:DB8::1", port: 443 });
 * assertEquals(bytes.length, 28); // sizeof(struct sockaddr_in6)
 * assertEquals(formatSockAddr(decodeSockAddr(bytes)), "[2001:db8::1]:443");
 * ```
 *
 * @module
 */
export type {
  Inet6Addr,
  InetAddr,
  NetlinkAddr,
  PacketAddr,
  SockAddr,
  SockAddrFamily,
  SockAddrInput,
  UnixAddr,
} from "./types.ts";
export { inetNtop, inetPton, isIPv4, isIPv6 } from "./inet.ts";
export { decodeSockAddr, encodeSockAddr, SOCKADDR_STORAGE_SIZE } from "./sockaddr.ts";
export { normalizeSockAddr } from "./normalize.ts";
export { formatSockAddr } from "./format.ts";
export { htonl, htons, ntohl, ntohs } from "./byte_order.ts";
