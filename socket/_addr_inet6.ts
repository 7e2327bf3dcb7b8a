/**
 * The IPv6 socket address type.
 *
 * @module
 */

/**
 * An IPv6 socket address (`struct sockaddr_in6`).
 *
 * @example
 * ```ts
 * import { encodeSockAddr, formatSockAddr, type Inet6Addr } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const addr: Inet6Addr = { family: "inet6", hostname: "fe80::1", port: 9, scopeId: 2 };
 * assertEquals(formatSockAddr(addr), "[fe80::1%2]:9");
 * assertEquals(encodeSockAddr(addr).length, 28);
 * ```
 */
export interface Inet6Addr {
  /** `AF_INET6`. */
  family: "inet6";
  /**
   * An IPv6 literal (`"2001:db8::1"`), optionally with a numeric zone
   * (`"fe80::1%2"`) that stands for `scopeId`. A name is resolved by the socket
   * layer; `encodeSockAddr` refuses one.
   */
  hostname: string;
  /** The port, 0–65535, in host byte order. */
  port: number;
  /** `sin6_flowinfo` as a u32 (0 when left out); sent in network order. */
  flowinfo?: number;
  /** `sin6_scope_id`, the interface index of a link-local address (0 when left out). */
  scopeId?: number;
}
