/**
 * Which sockets the native backend carries, and the errno socket(2) gives for
 * the rest: Linux's own checks, in Linux's order (net/socket.c,
 * net/ipv4/af_inet.c, net/ipv6/af_inet6.c, net/unix/af_unix.c).
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import { EAFNOSUPPORT, EINVAL, EPROTONOSUPPORT, ESOCKTNOSUPPORT } from "../../errno/names.ts";
import type { SocketError } from "../../errno/socket_error.ts";
import { fail, nativeLimit } from "./_errors.ts";

/** The kinds of socket the native backend carries. */
export type NativeKind = "tcp" | "udp" | "unix";

/** A socket native carries: its kind and the protocol the kernel would report. */
export interface Triple {
  /** TCP, UDP or a unix stream. */
  kind: NativeKind;
  /** `AF_INET`, `AF_INET6` or `AF_UNIX`. */
  domain: number;
  /** `IPPROTO_TCP`, `IPPROTO_UDP`, or 0 for a unix socket (as `SO_PROTOCOL` reads). */
  protocol: number;
}

// The running OS's numbers: a caller passes its own OS's AF_INET6 (10 on Linux, 30 on macOS).
const { AF_INET, AF_INET6, AF_UNIX, IPPROTO_TCP, IPPROTO_UDP } = C;
const { SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM } = C;
const SOCK_CLOEXEC = C.SOCK_CLOEXEC ?? 0;
const SOCK_NONBLOCK = C.SOCK_NONBLOCK ?? 0;
// Linux values: include/linux/net.h, include/uapi/linux/in.h, include/linux/socket.h.
const SOCK_TYPE_MASK = 0xf;
const SOCK_MAX = 11;
const AF_MAX = 46;
const IPPROTO_MAX = 263;
const PF_UNIX = 1;
const SOCK_PACKET = 10;
const IPPROTO_ICMP = 1;
const IPPROTO_ICMPV6 = 58;
const IPPROTO_UDPLITE = 136;
const IPPROTO_MPTCP = 262;
const SOCK_DCCP = 6;
const IPPROTO_L2TP = 115;
const IPPROTO_SCTP = 132;
const IPPROTO_SMC = 256;

function limit(errno: number, what: string): SocketError {
  return nativeLimit(errno, "socket", what);
}

function inet(domain: number, type: number, protocol: number): Triple {
  const name = domain === AF_INET ? "AF_INET" : "AF_INET6";
  if (protocol < 0 || protocol >= IPPROTO_MAX) throw fail(EINVAL, "socket");
  if (type === SOCK_STREAM) {
    if (protocol === 0 || protocol === IPPROTO_TCP) return { kind: "tcp", domain, protocol: 6 };
    if (protocol === IPPROTO_MPTCP) throw limit(EPROTONOSUPPORT, `${name}/IPPROTO_MPTCP`);
    if (protocol === IPPROTO_SCTP) throw limit(EPROTONOSUPPORT, `${name}/IPPROTO_SCTP`);
    if (protocol === IPPROTO_SMC) throw limit(EPROTONOSUPPORT, `${name}/IPPROTO_SMC`);
    throw fail(EPROTONOSUPPORT, "socket");
  }
  if (type === SOCK_DGRAM) {
    if (protocol === 0 || protocol === IPPROTO_UDP) return { kind: "udp", domain, protocol: 17 };
    const ping = domain === AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
    if (protocol === ping) throw limit(EPROTONOSUPPORT, `${name} ping sockets`);
    if (protocol === IPPROTO_UDPLITE) throw limit(EPROTONOSUPPORT, `${name}/IPPROTO_UDPLITE`);
    if (protocol === IPPROTO_L2TP) throw limit(EPROTONOSUPPORT, `${name}/IPPROTO_L2TP`);
    throw fail(EPROTONOSUPPORT, "socket");
  }
  if (type === SOCK_SEQPACKET || type === SOCK_DCCP) {
    // SCTP and DCCP come from modules the kernel loads on demand; without
    // them Linux says ESOCKTNOSUPPORT, with them it may accept, or say
    // EPROTONOSUPPORT for a protocol that does not fit. Native cannot know.
    throw limit(ESOCKTNOSUPPORT, `${name}/${type === SOCK_DCCP ? "SOCK_DCCP" : "SOCK_SEQPACKET"}`);
  }
  if (type === SOCK_RAW) {
    if (protocol === 0) throw fail(EPROTONOSUPPORT, "socket");
    throw limit(ESOCKTNOSUPPORT, `${name}/SOCK_RAW`);
  }
  if (type === SOCK_PACKET && domain === AF_INET) {
    throw limit(ESOCKTNOSUPPORT, "AF_INET/SOCK_PACKET");
  }
  throw fail(ESOCKTNOSUPPORT, "socket");
}

function unix(type: number, protocol: number): Triple {
  if (protocol !== 0 && protocol !== PF_UNIX) throw fail(EPROTONOSUPPORT, "socket");
  if (type === SOCK_STREAM) return { kind: "unix", domain: AF_UNIX, protocol: 0 };
  if (type === SOCK_DGRAM || type === SOCK_RAW || type === SOCK_SEQPACKET) {
    // Deno's "unixpacket" transport is SOCK_DGRAM underneath and truncates
    // datagrams silently: nothing native can offer with datagram semantics.
    throw limit(ESOCKTNOSUPPORT, "AF_UNIX datagram and seqpacket sockets");
  }
  throw fail(ESOCKTNOSUPPORT, "socket");
}

/**
 * The native kind of socket(`domain`, `type`, `protocol`), or the error
 * socket(2) gives: the kernel's errno for what Linux refuses (unknown type
 * bits → `EINVAL`, a domain out of range → `EAFNOSUPPORT`, a protocol that
 * does not fit the type → `EPROTONOSUPPORT`, an unknown type →
 * `ESOCKTNOSUPPORT`), and a native limit (see `nativeLimit`) for what Linux
 * accepts but native cannot carry (raw, packet and unix datagram sockets,
 * MPTCP, ping sockets, other domains) or may accept once a module is loaded
 * (SCTP, DCCP, L2TP, SMC): the errno is then what Linux says without it.
 *
 * @param domain `AF_*`.
 * @param type `SOCK_*`, possibly OR'ed with `SOCK_NONBLOCK`/`SOCK_CLOEXEC`.
 * @param protocol `0` or an `IPPROTO_*` number.
 * @returns The triple native carries.
 */
export function classify(domain: number, type: number, protocol: number): Triple {
  if ((type & ~SOCK_TYPE_MASK) & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) throw fail(EINVAL, "socket");
  const base = type & SOCK_TYPE_MASK;
  if (domain < 0 || domain >= AF_MAX) throw fail(EAFNOSUPPORT, "socket");
  if (base >= SOCK_MAX) throw fail(EINVAL, "socket");
  if (domain === AF_INET || domain === AF_INET6) return inet(domain, base, protocol);
  if (domain === AF_UNIX) return unix(base, protocol);
  throw limit(EAFNOSUPPORT, `address family ${domain}`);
}

/**
 * Whether the native backend carries socket(`domain`, `type`, `protocol`).
 *
 * @param domain `AF_*`.
 * @param type `SOCK_*`, possibly OR'ed with `SOCK_NONBLOCK`/`SOCK_CLOEXEC`.
 * @param protocol `0` or an `IPPROTO_*` number.
 * @returns `true` for TCP and UDP over IPv4/IPv6 and unix stream sockets.
 */
export function carries(domain: number, type: number, protocol: number): boolean {
  try {
    classify(domain, type, protocol);
    return true;
  } catch {
    return false;
  }
}
