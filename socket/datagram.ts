/**
 * Datagram conveniences over `socket()`: {@linkcode bind} a UDP socket in one
 * call, join and leave multicast groups (IPv4 and IPv6), and iterate over what
 * arrives as `[bytes, sender]` pairs.
 *
 * @example Two sockets, one datagram
 * ```ts
 * import { bind, datagrams } from "@bsdsock/socket/datagram";
 * import { assertEquals } from "@std/assert";
 *
 * using a = bind({ hostname: "127.0.0.1", port: 0 });
 * using b = bind({ hostname: "127.0.0.1", port: 0 });
 * await a.sendto(new Uint8Array([1, 2]), b.getsockname());
 * for await (const [data, from] of datagrams(b)) {
 *   assertEquals(data, new Uint8Array([1, 2]));
 *   assertEquals(from, a.getsockname());
 *   break;
 * }
 * ```
 *
 * @module
 */
import { linux as C } from "../constants/linux.ts";
import { isIPv4, isIPv6 } from "../address/inet.ts";
import type { SockAddr } from "../address/types.ts";
import { cInt } from "../_internal/check.ts";
import { socket, type SocketOptions } from "./create.ts";
import type { Socket } from "./socket.ts";

/** Options of {@linkcode bind}. */
export interface BindOptions extends SocketOptions {
  /** `SO_REUSEADDR`. Default `false`. */
  reuseAddr?: boolean;
  /** `SO_REUSEPORT` (several sockets share the port; the kernel spreads datagrams). */
  reusePort?: boolean;
  /** `SO_BROADCAST`. */
  broadcast?: boolean;
  /** For an IPv6 address: also receive IPv4 (`IPV6_V6ONLY` 0). Default `false`. */
  dualStack?: boolean;
}

/**
 * Creates a UDP socket bound to `addr` (port 0 picks a free port).
 *
 * @param addr A literal IPv4 or IPv6 address (or `localhost`) and a port.
 * @param opts Reuse, broadcast and dual-stack options, the backend.
 * @returns The bound socket.
 *
 * @example
 * ```ts
 * import { bind } from "@bsdsock/socket/datagram";
 * import { assertNotEquals } from "@std/assert";
 *
 * using s = bind({ hostname: "::1", port: 0 });
 * assertNotEquals(s.getsockname(), undefined);
 * ```
 */
export function bind(addr: { hostname: string; port: number }, opts: BindOptions = {}): Socket {
  if (!addr || typeof addr !== "object") throw new TypeError("addr must be an object");
  const host = addr.hostname === "localhost" ? "127.0.0.1" : addr.hostname;
  const v6 = !isIPv4(host);
  const s = socket(v6 ? C.AF_INET6 : C.AF_INET, C.SOCK_DGRAM, 0, { backend: opts.backend });
  try {
    if (opts.reuseAddr) s.setsockopt(C.SOL_SOCKET, C.SO_REUSEADDR, true);
    if (opts.reusePort) s.setsockopt(C.SOL_SOCKET, C.SO_REUSEPORT, true);
    if (opts.broadcast) s.setsockopt(C.SOL_SOCKET, C.SO_BROADCAST, true);
    if (v6) s.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, !opts.dualStack);
    s.bind({ ...addr, hostname: host });
    return s;
  } catch (err) {
    s.close();
    throw err;
  }
}

/** Which interface a multicast membership is on. */
export interface MembershipOptions {
  /** Interface index (`if_nametoindex`); 0 lets the kernel choose. */
  ifindex?: number;
  /** IPv4 only: a local address of the interface. */
  interfaceAddress?: string;
}

function membership(sock: Socket, group: string, opts: MembershipOptions, join: boolean): void {
  const ifindex = opts.ifindex === undefined ? 0 : cInt(opts.ifindex, "ifindex");
  if (isIPv4(group)) {
    sock.setsockopt(C.IPPROTO_IP, join ? C.IP_ADD_MEMBERSHIP : C.IP_DROP_MEMBERSHIP, {
      multiaddr: group,
      address: opts.interfaceAddress ?? "0.0.0.0",
      ifindex,
    });
  } else if (isIPv6(group)) {
    sock.setsockopt(C.IPPROTO_IPV6, join ? C.IPV6_JOIN_GROUP : C.IPV6_LEAVE_GROUP, {
      multiaddr: group,
      ifindex,
    });
  } else {
    throw new TypeError(
      `group must be an IPv4 or IPv6 multicast address, got ${JSON.stringify(group)}`,
    );
  }
}

/**
 * Joins a multicast group (`IP_ADD_MEMBERSHIP` with an `ip_mreqn`, or
 * `IPV6_JOIN_GROUP` with an `ipv6_mreq`).
 *
 * @param sock A UDP socket of the group's family.
 * @param group The group address.
 * @param opts The interface.
 *
 * @example
 * ```ts
 * import { bind, joinMulticast, leaveMulticast } from "@bsdsock/socket/datagram";
 *
 * using s = bind({ hostname: "0.0.0.0", port: 0 });
 * joinMulticast(s, "239.255.0.1", { interfaceAddress: "127.0.0.1" });
 * leaveMulticast(s, "239.255.0.1", { interfaceAddress: "127.0.0.1" });
 * ```
 */
export function joinMulticast(sock: Socket, group: string, opts: MembershipOptions = {}): void {
  membership(sock, group, opts, true);
}

/**
 * Leaves a multicast group (`IP_DROP_MEMBERSHIP` / `IPV6_LEAVE_GROUP`).
 *
 * @param sock The socket that joined.
 * @param group The group address.
 * @param opts The interface it was joined on.
 *
 * @example
 * ```ts
 * import { bind, joinMulticast, leaveMulticast } from "@bsdsock/socket/datagram";
 *
 * // A membership on an interface chosen by index needs the ffi backend.
 * using s = bind({ hostname: "::", port: 0 }, { backend: "ffi" });
 * joinMulticast(s, "ff02::1:3", { ifindex: 1 });
 * leaveMulticast(s, "ff02::1:3", { ifindex: 1 });
 * ```
 */
export function leaveMulticast(sock: Socket, group: string, opts: MembershipOptions = {}): void {
  membership(sock, group, opts, false);
}

/**
 * Iterates over the datagrams a socket receives, each as its own copy with the
 * sender's address, until the socket is closed.
 *
 * @param sock A datagram socket.
 * @param maxSize The largest datagram expected; longer ones are cut (as recvfrom(2) does). Default 65535.
 * @returns The datagrams.
 *
 * @example
 * ```ts
 * import { bind, datagrams } from "@bsdsock/socket/datagram";
 * import { assertEquals } from "@std/assert";
 *
 * using s = bind({ hostname: "127.0.0.1", port: 0 });
 * await s.sendto(new Uint8Array([7]), s.getsockname());
 * for await (const [data] of datagrams(s)) {
 *   assertEquals(data[0], 7);
 *   break;
 * }
 * ```
 */
export function datagrams(
  sock: Socket,
  maxSize = 65535,
): AsyncGenerator<[Uint8Array, SockAddr], void, undefined> {
  return sock.datagrams(maxSize);
}
