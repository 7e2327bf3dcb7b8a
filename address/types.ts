/**
 * The socket address union (`SockAddr`), its members (`InetAddr`, `Inet6Addr`, `UnixAddr`,
 * `PacketAddr`, `NetlinkAddr`), its family names and its input form.
 *
 * @module
 */
/**
 * A socket address, told apart by `family`: what `accept`, `recvfrom`,
 * `getsockname` and `getpeername` give, and what `bind`, `connect` and `sendto`
 * take.
 *
 * @example One of each IP and Unix family
 * ```ts
 * import {
 *   formatSockAddr,
 *   type SockAddr,
 *   type SockAddrFamily,
 *   type SockAddrInput,
 * } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const addrs: SockAddr[] = [
 *   { family: "inet", hostname: "127.0.0.1", port: 9 },
 *   { family: "inet6", hostname: "::1", port: 9 },
 *   { family: "unix", path: "/run/app.sock" },
 * ];
 * assertEquals(addrs.map(formatSockAddr), ["127.0.0.1:9", "[::1]:9", "/run/app.sock"]);
 * const families: SockAddrFamily[] = addrs.map((addr) => addr.family);
 * assertEquals(families, ["inet", "inet6", "unix"]);
 * const input: SockAddrInput = addrs[0]; // every SockAddr is a valid input
 * assertEquals(input, addrs[0]);
 * ```
 */
export type SockAddr = InetAddr | Inet6Addr | UnixAddr | PacketAddr | NetlinkAddr;

/**
 * The family names of `SockAddr`: `"inet"`, `"inet6"`, `"unix"`, `"packet"`,
 * `"netlink"` (`AF_INET`, `AF_INET6`, `AF_UNIX`, `AF_PACKET`, `AF_NETLINK`).
 *
 * @example The domain of a socket, by name
 * ```ts
 * import {
 *   normalizeSockAddr,
 *   type SockAddr,
 *   type SockAddrFamily,
 *   type SockAddrInput,
 * } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const domain: SockAddrFamily = "unix";
 * const input: SockAddrInput = { path: "/run/app.sock" };
 * const addr: SockAddr = normalizeSockAddr(input, domain);
 * assertEquals(addr.family, domain);
 * ```
 */
export type SockAddrFamily = SockAddr["family"];

/**
 * A socket address as a caller may give it: `family` may be left out where the
 * socket's domain says it, and an `inet`/`inet6` hostname may be a name that the
 * socket layer resolves first. `normalizeSockAddr` turns it into a `SockAddr`.
 *
 * @example Family from the domain
 * ```ts
 * import {
 *   normalizeSockAddr,
 *   type SockAddr,
 *   type SockAddrFamily,
 *   type SockAddrInput,
 * } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const domain: SockAddrFamily = "inet";
 * const input: SockAddrInput = { hostname: "127.0.0.1", port: 9 };
 * const addr: SockAddr = normalizeSockAddr(input, domain);
 * assertEquals(addr, { family: "inet", hostname: "127.0.0.1", port: 9 });
 * ```
 */
export type SockAddrInput =
  | SockAddr
  | Omit<InetAddr, "family">
  | Omit<Inet6Addr, "family">
  | Omit<UnixAddr, "family">
  | Omit<PacketAddr, "family">
  | Omit<NetlinkAddr, "family">;

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

/**
 * A Unix-domain socket address (`struct sockaddr_un`), one of unix(7)'s three
 * kinds: a file-system pathname, `""` for an unnamed socket, or a leading
 * `"\0"` for a name in the Linux abstract namespace (`"\0name"`).
 *
 * Paths are UTF-8. Bytes that are not UTF-8 appear as lone surrogates
 * U+DC80–U+DCFF (as with Python's `os.fsdecode`) and encode back to the same
 * bytes, so any name the kernel reports survives a round trip.
 *
 * @example The three kinds
 * ```ts
 * import { formatSockAddr, type UnixAddr } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const kinds: UnixAddr[] = [
 *   { family: "unix", path: "/run/app.sock" },
 *   { family: "unix", path: "" },
 *   { family: "unix", path: "\0app" },
 * ];
 * assertEquals(kinds.map(formatSockAddr), ["/run/app.sock", "(unnamed)", "@app"]);
 * ```
 */
export interface UnixAddr {
  /** `AF_UNIX`. */
  family: "unix";
  /** A pathname, `""` (unnamed) or `"\0name"` (abstract). */
  path: string;
}

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
