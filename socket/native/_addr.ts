/**
 * Addresses on the native backend: SockAddr ⇄ what the runtime takes and
 * reports, and the errno Linux gives for an address of the wrong family or
 * length (the checks of inet_bind, inet6_bind, tcp_v4_connect,
 * tcp_v6_connect, ip4/ip6_datagram_connect, udp_sendmsg, udpv6_sendmsg and
 * unix_validate_addr), decided from the same sockaddr bytes the ffi backend
 * would pass.
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import { EAFNOSUPPORT, EINVAL, ENETUNREACH } from "../../errno/names.ts";
import { encodeSockAddr } from "../../address/sockaddr.ts";
import { inetNtop, inetPton } from "../../address/inet.ts";
import type { SockAddr } from "../../address/types.ts";
import type { HostPort, RuntimeAddr } from "./_runtime.ts";

const SIN_LEN = 16;
const SIN6_LEN_RFC2133 = 24;
const SUN_PATH_OFFSET = 2;

// -1 for a family the running OS lacks (macOS has no AF_PACKET or AF_NETLINK).
const FAMILY_NUMBER: Record<SockAddr["family"], number> = {
  inet: C.AF_INET,
  inet6: C.AF_INET6,
  unix: C.AF_UNIX,
  packet: C.AF_PACKET ?? -1,
  netlink: C.AF_NETLINK ?? -1,
};

/** The call an address is checked for. */
export type AddrCall = "bind" | "connect" | "sendto";

/** An IP address with its port, after the kernel's checks: what the runtime is given. */
export interface IpTarget extends HostPort {
  /** The address as the caller would see it (an IPv4 one on an IPv6 socket is v4-mapped). */
  addr: SockAddr & { family: "inet" | "inet6" };
}

/**
 * The errno Linux gives when `addr` reaches `call` on an IP socket of
 * `domain` (`type` `"tcp"` or `"udp"`), or 0 when the family and length pass.
 * `v6only` is the socket's IPV6_V6ONLY.
 */
export function ipAddrErrno(
  call: AddrCall,
  kind: "tcp" | "udp",
  domain: number,
  addr: SockAddr,
  v6only: boolean,
): number {
  const family = FAMILY_NUMBER[addr.family];
  const len = encodeSockAddr(addr).byteLength;
  const v4 = (): number => {
    if (len < SIN_LEN) return EINVAL;
    return family === C.AF_INET ? 0 : EAFNOSUPPORT;
  };
  if (domain === C.AF_INET) return v4();
  // AF_INET6.
  if (kind === "udp" && call !== "bind" && family === C.AF_INET) {
    // ip6_datagram_connect and udpv6_sendmsg hand an AF_INET address to IPv4.
    if (v6only) return call === "connect" ? EAFNOSUPPORT : ENETUNREACH;
    return v4();
  }
  if (kind === "udp" && call === "sendto" && family !== C.AF_INET6) return EINVAL;
  if (len < SIN6_LEN_RFC2133) return EINVAL;
  return family === C.AF_INET6 ? 0 : EAFNOSUPPORT;
}

/**
 * The errno Linux gives when `addr` reaches bind or connect on a unix socket,
 * or 0. An address of another family is `EINVAL`.
 */
export function unixAddrErrno(call: "bind" | "connect", addr: SockAddr): number {
  if (addr.family !== "unix") return EINVAL;
  const len = encodeSockAddr(addr).byteLength;
  if (call === "connect" && len <= SUN_PATH_OFFSET) return EINVAL;
  return 0;
}

/** Whether `host` (IPv6 text) is an IPv4-mapped address, `::ffff:a.b.c.d`. */
export function isV4Mapped(host: string): boolean {
  const b = inetPton("inet6", host);
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/**
 * What the runtime is given for `addr`, an address that passed
 * {@linkcode ipAddrErrno} on a socket of `domain`: on an IPv6 socket an IPv4
 * address becomes v4-mapped, and a scope id is written `%N`.
 */
export function ipTarget(addr: SockAddr, domain: number): IpTarget {
  if (addr.family !== "inet" && addr.family !== "inet6") {
    throw new TypeError(`Not an IP address: ${JSON.stringify(addr)}`);
  }
  if (domain === C.AF_INET6 && addr.family === "inet") {
    const mapped = inet6(`::ffff:${addr.hostname}`, addr.port);
    return { hostname: mapped.hostname, port: addr.port, addr: mapped };
  }
  if (addr.family === "inet6") {
    const scope = addr.scopeId ?? 0;
    const hostname = scope ? `${addr.hostname}%${scope}` : addr.hostname;
    return { hostname, port: addr.port, addr };
  }
  return { hostname: addr.hostname, port: addr.port, addr };
}

/** An inet6 SockAddr in the shape the kernel reports (`flowinfo` and `scopeId` present). */
export function inet6(hostname: string, port: number, scopeId = 0): SockAddr & { family: "inet6" } {
  const [host, zone] = hostname.split("%");
  const scope = zone !== undefined && /^\d+$/.test(zone) ? Number(zone) : scopeId;
  return {
    family: "inet6",
    hostname: inetNtop("inet6", inetPton("inet6", host)),
    port,
    flowinfo: 0,
    scopeId: scope,
  };
}

/** The SockAddr of an address the runtime reports, for a socket of `domain`. */
export function fromRuntime(addr: RuntimeAddr, domain: number): SockAddr {
  if ("path" in addr) return { family: "unix", path: addr.path ?? "" };
  if (domain === C.AF_INET6) return inet6(addr.hostname, addr.port);
  return { family: "inet", hostname: addr.hostname, port: addr.port };
}

/** The address of an unbound socket of `domain`: `0.0.0.0:0`, `[::]:0` or unnamed. */
export function unspecified(domain: number): SockAddr {
  if (domain === C.AF_INET) return { family: "inet", hostname: "0.0.0.0", port: 0 };
  if (domain === C.AF_INET6) return inet6("::", 0);
  return { family: "unix", path: "" };
}

/** Whether `addr` is the wildcard address (`0.0.0.0`, `::`). */
export function isWildcard(addr: SockAddr): boolean {
  return (addr.family === "inet" && addr.hostname === "0.0.0.0") ||
    (addr.family === "inet6" && addr.hostname === "::");
}

/**
 * The source address Linux picks for a datagram socket connected to `peer`,
 * where it can be known without a route lookup: loopback destinations
 * (127.0.0.0/8 → 127.0.0.1, ::1, and their v4-mapped forms). `undefined`
 * otherwise.
 */
export function loopbackSource(peer: SockAddr): string | undefined {
  if (peer.family === "inet") return peer.hostname.startsWith("127.") ? "127.0.0.1" : undefined;
  if (peer.family !== "inet6") return undefined;
  if (peer.hostname === "::1") return "::1";
  if (isV4Mapped(peer.hostname) && inetPton("inet6", peer.hostname)[12] === 127) {
    return "::ffff:127.0.0.1";
  }
  return undefined;
}

/** Whether two IP SockAddrs name the same host and port (what a connected datagram socket filters by). */
export function sameIp(a: SockAddr, b: SockAddr): boolean {
  if (a.family === "unix" || b.family === "unix") return false;
  if (!("hostname" in a) || !("hostname" in b)) return false;
  return a.port === b.port && a.hostname === b.hostname;
}
