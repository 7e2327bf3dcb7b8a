/**
 * The Linux link-layer socket address type.
 *
 * @module
 */

/**
 * A Linux link-layer socket address (`struct sockaddr_ll`, packet(7)).
 *
 * @example Bind to IPv4 frames on interface 2
 * ```ts
 * import { formatSockAddr, type PacketAddr } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const addr: PacketAddr = { family: "packet", protocol: 0x0800, ifindex: 2 };
 * assertEquals(formatSockAddr(addr), "packet:ifindex=2,protocol=0x0800");
 * ```
 */
export interface PacketAddr {
  /** `AF_PACKET`. */
  family: "packet";
  /**
   * The EtherType (`ETH_P_IP` = `0x0800`, `ETH_P_ALL` = 3) in host byte order,
   * as Python takes it; it goes to `sll_protocol` in network order.
   */
  protocol: number;
  /** The interface index (`sll_ifindex`); 0 means any interface. */
  ifindex: number;
  /** The ARP hardware type (`sll_hatype`, `ARPHRD_ETHER` = 1); 0 when left out. */
  hatype?: number;
  /** The packet type (`sll_pkttype`: `PACKET_HOST` = 0 …); 0 when left out. */
  pkttype?: number;
  /** The link-layer address (`sll_addr`, at most 8 bytes); empty when left out. */
  address?: Uint8Array;
}
