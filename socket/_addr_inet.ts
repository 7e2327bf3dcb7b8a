/**
 * The IPv4 socket address type.
 *
 * @module
 */

/**
 * An IPv4 socket address (`struct sockaddr_in`).
 *
 * @example
 * ```ts
 * import { encodeSockAddr, formatSockAddr, type InetAddr } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const addr: InetAddr = { family: "inet", hostname: "127.0.0.1", port: 9 };
 * assertEquals(formatSockAddr(addr), "127.0.0.1:9");
 * assertEquals(encodeSockAddr(addr).length, 16);
 * ```
 */
export interface InetAddr {
  /** `AF_INET`. */
  family: "inet";
  /**
   * An IPv4 literal (`"192.0.2.1"`). A name is resolved by the socket layer
   * before the address reaches the kernel; `encodeSockAddr` refuses one.
   */
  hostname: string;
  /** The port, 0–65535, in host byte order. */
  port: number;
}
