/**
 * The Linux netlink socket address type.
 *
 * @module
 */

/**
 * A Linux netlink socket address (`struct sockaddr_nl`, netlink(7)).
 *
 * @example The kernel's address
 * ```ts
 * import { formatSockAddr, type NetlinkAddr } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const kernel: NetlinkAddr = { family: "netlink", pid: 0, groups: 0 };
 * assertEquals(formatSockAddr(kernel), "netlink:pid=0,groups=0x0");
 * ```
 */
export interface NetlinkAddr {
  /** `AF_NETLINK`. */
  family: "netlink";
  /** The port id (`nl_pid`), a u32; 0 is the kernel. */
  pid: number;
  /** The multicast group mask (`nl_groups`), a u32. */
  groups: number;
}
