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
export * from "./_addr_inet.ts";
export * from "./_addr_inet6.ts";
export * from "./_addr_unix.ts";
export * from "./_addr_packet.ts";
export * from "./_addr_netlink.ts";
export * from "./_addr_union.ts";
export * from "./_inet_text.ts";
export * from "./_is_ip.ts";
export * from "./_sockaddr_codec.ts";
export * from "./_normalize.ts";
export * from "./_format.ts";
export * from "./_byte_order_16.ts";
export * from "./_byte_order_32.ts";
