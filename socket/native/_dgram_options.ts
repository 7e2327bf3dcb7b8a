/**
 * Options of native datagram sockets, kept here and applied to the
 * `node:dgram` socket once it exists (it is made at bind time): the ones
 * `node:dgram` sets for real (`SO_BROADCAST`, `SO_REUSEADDR`, `IPV6_V6ONLY`,
 * `IP_TTL`, `IP_MULTICAST_TTL`/`LOOP`/`IF`, `IPV6_MULTICAST_LOOP`/`IF`,
 * memberships), the receive buffer the native queue honours (`SO_RCVBUF`),
 * and values Linux keeps without effect here (`SO_SNDBUF`, `SO_KEEPALIVE`).
 * Checks `node:dgram` would blur (it reports every membership failure as
 * `EINVAL`) are made here first, with Linux's errno.
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import { EADDRINUSE, EADDRNOTAVAIL, EINVAL, ENOPROTOOPT, EOPNOTSUPP } from "../../errno/names.ts";
import { SocketError } from "../../errno/socket_error.ts";
import { inetNtop } from "../../address/inet.ts";
import type { DatagramQueue } from "./_dgram_queue.ts";
import { fail } from "./_errors.ts";
import {
  inAddrBytes,
  intBytes,
  intValue,
  ipv4At,
  isMulticast4,
  isReadOnly,
  optionLimit,
  readOnlyRefusal,
} from "./_opt_common.ts";
import { readNumberFile, type UdpSocket } from "./_runtime.ts";

// Linux defaults where the sysctls cannot be read (include/net/sock.h, net/core/sock.c).
const SOCK_MIN_RCVBUF = 2304;
const SOCK_MIN_SNDBUF = 4608;
const DEFAULT_BUF = 212992;
const IP_DEFAULT_TTL = 64;

const sysctls = new Map<string, number>();

/** A sysctl of net.core, read once where read permission is granted, else Linux's default. */
function sysctl(name: string): number {
  let value = sysctls.get(name);
  if (value === undefined) {
    value = readNumberFile(`/proc/sys/net/core/${name}`) ?? DEFAULT_BUF;
    sysctls.set(name, value);
  }
  return value;
}

/** What setsockopt(SO_RCVBUF/SO_SNDBUF, `value`) leaves, as sock_setsockopt computes it. */
export function bufferSize(value: number, max: number, min: number): number {
  const v = Math.min(value >>> 0, max, 0x3fffffff);
  return Math.max(v * 2, min);
}

/** One multicast membership. */
interface Membership {
  group: string;
  iface: string | undefined;
}

/** The options of one datagram socket. */
export class DatagramOptions {
  /** SO_BROADCAST. */
  broadcast = false;
  /** SO_REUSEADDR (takes effect at bind). */
  reuseAddr = false;
  /** SO_KEEPALIVE (no effect on UDP, as in Linux). */
  keepAlive = false;
  /** IPV6_V6ONLY (takes effect at bind). */
  v6only = false;
  /** SO_SNDBUF as getsockopt reads it (kept only). */
  sndbuf: number;
  #ttl: number | undefined;
  #mcastTtl: number | undefined;
  #mcastLoop: boolean | undefined;
  #mcastIf4: string | undefined;
  #mcastIf6: number | undefined;
  readonly #memberships = new Map<string, Membership>();
  readonly #v6: boolean;
  readonly #queue: DatagramQueue;

  /**
   * @param domain `AF_INET` or `AF_INET6`.
   * @param queue The receive queue, whose limit is `SO_RCVBUF`.
   */
  constructor(domain: number, queue: DatagramQueue) {
    this.#v6 = domain === C.AF_INET6;
    this.#queue = queue;
    queue.limit = sysctl("rmem_default");
    this.sndbuf = sysctl("wmem_default");
  }

  /** Applies every option set so far to a socket just bound. */
  applyAll(sock: UdpSocket): void {
    if (this.broadcast) this.#node(() => sock.setBroadcast(true));
    if (this.#ttl !== undefined) this.#node(() => sock.setTTL(this.#ttl!));
    if (this.#mcastTtl !== undefined) this.#node(() => sock.setMulticastTTL(this.#mcastTtl!));
    if (this.#mcastLoop !== undefined) {
      this.#node(() => sock.setMulticastLoopback(this.#mcastLoop!));
    }
    if (this.#mcastIf4 !== undefined) this.#node(() => sock.setMulticastInterface(this.#mcastIf4!));
    if (this.#mcastIf6 !== undefined) {
      this.#node(() => sock.setMulticastInterface(`::%${this.#mcastIf6}`));
    }
    for (const m of this.#memberships.values()) {
      this.#node(() => sock.addMembership(m.group, m.iface));
    }
  }

  /** setsockopt(2); `sock` is the bound socket, if it exists yet. */
  set(level: number, name: number, value: Uint8Array, sock: UdpSocket | null): void {
    if (isReadOnly(level, name)) throw readOnlyRefusal();
    if (level === C.SOL_SOCKET) return this.#setSocket(name, value, sock);
    if (level === C.IPPROTO_IP) return this.#setIp(name, value, sock);
    if (level === C.IPPROTO_IPV6) {
      if (!this.#v6) throw fail(ENOPROTOOPT, "setsockopt");
      return this.#setIpv6(name, value, sock);
    }
    throw optionLimit("setsockopt", level, name);
  }

  #setSocket(name: number, value: Uint8Array, sock: UdpSocket | null): void {
    const level = C.SOL_SOCKET;
    const v = () => intValue(level, value);
    switch (name) {
      case C.SO_BROADCAST:
        this.broadcast = v() !== 0;
        if (sock) this.#node(() => sock.setBroadcast(this.broadcast));
        return;
      case C.SO_REUSEADDR:
        this.reuseAddr = v() !== 0;
        return;
      case C.SO_KEEPALIVE:
        this.keepAlive = v() !== 0;
        return;
      case C.SO_RCVBUF:
        this.#queue.limit = bufferSize(v(), sysctl("rmem_max"), SOCK_MIN_RCVBUF);
        return;
      case C.SO_SNDBUF:
        this.sndbuf = bufferSize(v(), sysctl("wmem_max"), SOCK_MIN_SNDBUF);
        return;
    }
    throw optionLimit("setsockopt", level, name);
  }

  #setIp(name: number, value: Uint8Array, sock: UdpSocket | null): void {
    const level = C.IPPROTO_IP;
    if (name === C.IP_TTL) {
      if (value.byteLength < 1) throw fail(EINVAL, "setsockopt");
      const ttl = intValue(level, value);
      if (ttl !== -1 && (ttl < 1 || ttl > 255)) throw fail(EINVAL, "setsockopt");
      this.#ttl = ttl === -1 ? IP_DEFAULT_TTL : ttl;
      if (sock) this.#node(() => sock.setTTL(this.#ttl!));
      return;
    }
    // node:dgram sets the IPv6 forms of these on an IPv6 socket, not Linux's IPv4 ones.
    if (this.#v6) throw optionLimit("setsockopt", level, name, " on an AF_INET6 socket");
    switch (name) {
      case C.IP_MULTICAST_TTL: {
        if (value.byteLength < 1) throw fail(EINVAL, "setsockopt");
        let ttl = intValue(level, value);
        if (ttl === -1) ttl = 1;
        if (ttl < 0 || ttl > 255) throw fail(EINVAL, "setsockopt");
        this.#mcastTtl = ttl;
        if (sock) this.#node(() => sock.setMulticastTTL(ttl));
        return;
      }
      case C.IP_MULTICAST_LOOP:
        if (value.byteLength < 1) throw fail(EINVAL, "setsockopt");
        this.#mcastLoop = intValue(level, value) !== 0;
        if (sock) this.#node(() => sock.setMulticastLoopback(this.#mcastLoop!));
        return;
      case C.IP_MULTICAST_IF: {
        const { address, ifindex } = multicastIf(value);
        if (ifindex !== 0) throw optionLimit("setsockopt", level, name, " by interface index");
        if (sock) this.#node(() => sock.setMulticastInterface(address));
        this.#mcastIf4 = address;
        return;
      }
      case C.IP_ADD_MEMBERSHIP:
      case C.IP_DROP_MEMBERSHIP: {
        if (value.byteLength < 8) throw fail(EINVAL, "setsockopt");
        const group = ipv4At(value, 0);
        const address = ipv4At(value, 4);
        const ifindex = value.byteLength >= 12
          ? new DataView(value.buffer, value.byteOffset).getInt32(8, true)
          : 0;
        if (ifindex !== 0) throw optionLimit("setsockopt", level, name, " by interface index");
        if (!isMulticast4(group)) throw fail(EINVAL, "setsockopt");
        const iface = address === "0.0.0.0" ? undefined : address;
        return this.#membership(name === C.IP_ADD_MEMBERSHIP, group, iface, sock);
      }
    }
    throw optionLimit("setsockopt", level, name);
  }

  #setIpv6(name: number, value: Uint8Array, sock: UdpSocket | null): void {
    const level = C.IPPROTO_IPV6;
    switch (name) {
      case C.IPV6_V6ONLY: {
        const on = intValue(level, value) !== 0;
        if (sock) throw fail(EINVAL, "setsockopt"); // Linux: only before bind
        this.v6only = on;
        return;
      }
      case C.IPV6_MULTICAST_LOOP: {
        const v = intValue(level, value);
        if (v !== 0 && v !== 1) throw fail(EINVAL, "setsockopt");
        this.#mcastLoop = v === 1;
        if (sock) this.#node(() => sock.setMulticastLoopback(v === 1));
        return;
      }
      case C.IPV6_MULTICAST_IF: {
        const index = intValue(level, value);
        if (sock) this.#node(() => sock.setMulticastInterface(`::%${index}`));
        this.#mcastIf6 = index;
        return;
      }
      case C.IPV6_ADD_MEMBERSHIP:
      case C.IPV6_DROP_MEMBERSHIP: {
        if (value.byteLength < 20) throw fail(EINVAL, "setsockopt");
        const group = inetNtop("inet6", value.subarray(0, 16));
        const ifindex = new DataView(value.buffer, value.byteOffset).getUint32(16, true);
        if (ifindex !== 0) throw optionLimit("setsockopt", level, name, " by interface index");
        if (value[0] !== 0xff) throw fail(EINVAL, "setsockopt");
        return this.#membership(name === C.IPV6_ADD_MEMBERSHIP, group, undefined, sock);
      }
    }
    throw optionLimit("setsockopt", level, name);
  }

  /**
   * Joins or leaves, with Linux's errno for a repeated join (`EADDRINUSE`) and
   * for leaving a group not joined (`EADDRNOTAVAIL`).
   */
  #membership(join: boolean, group: string, iface: string | undefined, sock: UdpSocket | null) {
    let key = `${group}|${iface ?? ""}`;
    if (join) {
      if (this.#memberships.has(key)) throw fail(EADDRINUSE, "setsockopt");
      if (sock) this.#node(() => sock.addMembership(group, iface));
      this.#memberships.set(key, { group, iface });
      return;
    }
    if (!this.#memberships.has(key) && iface === undefined) {
      // Leaving with no interface named matches a membership of the group on any.
      for (const [k, m] of this.#memberships) if (m.group === group) key = k;
    }
    const m = this.#memberships.get(key);
    if (m === undefined) throw fail(EADDRNOTAVAIL, "setsockopt");
    if (sock) this.#node(() => sock.dropMembership(m.group, m.iface));
    this.#memberships.delete(key);
  }

  /** getsockopt(2): what was set, Linux's default where nothing was. */
  get(level: number, name: number, size: number): Uint8Array {
    const int = (v: number | boolean) => intBytes(level, typeof v === "boolean" ? +v : v, size);
    if (level === C.SOL_SOCKET) {
      switch (name) {
        case C.SO_BROADCAST:
          return int(this.broadcast);
        case C.SO_REUSEADDR:
          return int(this.reuseAddr);
        case C.SO_KEEPALIVE:
          return int(this.keepAlive);
        case C.SO_RCVBUF:
          return int(this.#queue.limit);
        case C.SO_SNDBUF:
          return int(this.sndbuf);
      }
    } else if (level === C.IPPROTO_IP) {
      if (name === C.IP_TTL) return int(this.#ttl ?? IP_DEFAULT_TTL);
      if (!this.#v6) {
        if (name === C.IP_MULTICAST_TTL) return int(this.#mcastTtl ?? 1);
        if (name === C.IP_MULTICAST_LOOP) return int(this.#mcastLoop ?? true);
        if (name === C.IP_MULTICAST_IF) return inAddrBytes(this.#mcastIf4 ?? "0.0.0.0", size);
      }
    } else if (level === C.IPPROTO_IPV6) {
      if (!this.#v6) throw fail(EOPNOTSUPP, "getsockopt");
      if (name === C.IPV6_V6ONLY) return int(this.v6only);
      if (name === C.IPV6_MULTICAST_LOOP) return int(this.#mcastLoop ?? true);
      if (name === C.IPV6_MULTICAST_IF) return int(this.#mcastIf6 ?? 0);
    }
    throw optionLimit("getsockopt", level, name);
  }

  #node(fn: () => unknown): void {
    try {
      fn();
    } catch (err) {
      throw SocketError.from(err, "setsockopt");
    }
  }
}

/** The interface of an IP_MULTICAST_IF value: an `in_addr`, `ip_mreq` or `ip_mreqn`. */
function multicastIf(value: Uint8Array): { address: string; ifindex: number } {
  if (value.byteLength >= 12) {
    const ifindex = new DataView(value.buffer, value.byteOffset).getInt32(8, true);
    return { address: ipv4At(value, 4), ifindex };
  }
  if (value.byteLength >= 8) return { address: ipv4At(value, 4), ifindex: 0 };
  if (value.byteLength >= 4) return { address: ipv4At(value, 0), ifindex: 0 };
  throw fail(EINVAL, "setsockopt");
}
