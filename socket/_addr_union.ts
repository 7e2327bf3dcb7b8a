/**
 * The socket address union, its family names, and its input form.
 *
 * @module
 */
import type { InetAddr } from "./_addr_inet.ts";
import type { Inet6Addr } from "./_addr_inet6.ts";
import type { NetlinkAddr } from "./_addr_netlink.ts";
import type { PacketAddr } from "./_addr_packet.ts";
import type { UnixAddr } from "./_addr_unix.ts";

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
