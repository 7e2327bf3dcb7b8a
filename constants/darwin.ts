/**
 * The macOS (Darwin) socket constants: for every name of the Linux table (`linux.ts`) that macOS
 * defines, its macOS value, plus a few names only macOS has that a socket library needs there.
 *
 * **Taken from Apple's public headers, not tested on this machine** (the project's CI host is
 * Linux; `linux.ts` is the table a test regenerates from the system headers). Read from
 * apple-oss-distributions/xnu, keeping only what user space sees (`#ifdef PRIVATE`,
 * `KERNEL_PRIVATE` and `KERNEL` blocks left out; `_DARWIN_C_SOURCE` semantics, the default):
 *
 * - `bsd/sys/socket.h` (commits 699cd480 and 1031c584): `AF_`, `PF_`, `SOCK_`, `SOL_SOCKET`,
 *   `SO_`, `MSG_`, `SCM_`, `SHUT_`;
 * - `bsd/netinet/in.h` (commit 5c2921b0): `IPPROTO_`, `INADDR_`, `IP_`;
 * - `bsd/netinet6/in6.h` (commit 5c2921b0): `IPV6_`, with the RFC 3542 numbering that
 *   `__APPLE_USE_RFC_3542` selects (`IPV6_PKTINFO` `46`, `IPV6_RECVPKTINFO` `61`), as CPython's
 *   `socket` module and Rust's `libc` use; without it the header leaves those names undefined;
 * - `bsd/netinet/tcp.h` (commit 4f1223e8): `TCP_`.
 *
 * The values were then compared with golang/sys `unix/zerrors_darwin_arm64.go` (commit 25b1b80a),
 * which Go generates from the macOS SDK headers, and agree with it (that file has no `PF_` or
 * `INADDR_` names; those come from the headers alone). It also has `SO_BINDTODEVICE` (`0x1134`),
 * which newer SDKs define and the stored xnu sources predate: that one value is taken from it.
 *
 * Names macOS lacks (`SOCK_NONBLOCK`, `SOCK_CLOEXEC`, `MSG_CMSG_CLOEXEC`, `SO_PEERCRED`,
 * `TCP_KEEPIDLE`, `TCP_INFO`, `IP_RECVERR`, every `SOL_` but `SOL_SOCKET`…) are absent here, and
 * their named constants are `undefined` on macOS.
 *
 * @module
 */
import type { SocketConstants } from "./types.ts";

/**
 * The macOS socket constants, keyed by C name, with the values of Apple's headers (hexadecimal
 * where the header writes them so). Taken from Apple's public headers and not tested on this
 * machine: see the module doc for the sources.
 *
 * @example Usage
 * ```ts
 * import { darwin } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(darwin.AF_INET6, 30);
 * assertEquals(darwin.SOL_SOCKET, 0xffff);
 * assertEquals("SOCK_NONBLOCK" in darwin, false);
 * ```
 */
export const darwin = {
  // <sys/socket.h>: address families
  AF_UNSPEC: 0,
  AF_UNIX: 1,
  AF_LOCAL: 1, // AF_UNIX
  AF_INET: 2,
  AF_SNA: 11,
  AF_DECnet: 12,
  AF_APPLETALK: 16,
  AF_ROUTE: 17,
  AF_LINK: 18,
  AF_IPX: 23,
  AF_ISDN: 28,
  AF_INET6: 30,
  AF_VSOCK: 40,
  AF_MAX: 41,

  // <sys/socket.h>: protocol families, defined as the address families
  PF_UNSPEC: 0,
  PF_UNIX: 1,
  PF_LOCAL: 1,
  PF_INET: 2,
  PF_SNA: 11,
  PF_DECnet: 12,
  PF_APPLETALK: 16,
  PF_ROUTE: 17,
  PF_LINK: 18,
  PF_IPX: 23,
  PF_ISDN: 28,
  PF_KEY: 29, // pseudo_AF_KEY
  PF_INET6: 30,
  PF_VSOCK: 40,
  PF_MAX: 41,

  // <sys/socket.h>: socket types
  SOCK_STREAM: 1,
  SOCK_DGRAM: 2,
  SOCK_RAW: 3,
  SOCK_RDM: 4,
  SOCK_SEQPACKET: 5,

  // <netinet/in.h>: protocols
  IPPROTO_IP: 0,
  IPPROTO_HOPOPTS: 0,
  IPPROTO_ICMP: 1,
  IPPROTO_IGMP: 2,
  IPPROTO_IPIP: 4, // IPPROTO_IPV4
  IPPROTO_TCP: 6,
  IPPROTO_EGP: 8,
  IPPROTO_PUP: 12,
  IPPROTO_UDP: 17,
  IPPROTO_IDP: 22,
  IPPROTO_TP: 29,
  IPPROTO_IPV6: 41,
  IPPROTO_ROUTING: 43,
  IPPROTO_FRAGMENT: 44,
  IPPROTO_RSVP: 46,
  IPPROTO_GRE: 47,
  IPPROTO_ESP: 50,
  IPPROTO_AH: 51,
  IPPROTO_ICMPV6: 58,
  IPPROTO_NONE: 59,
  IPPROTO_DSTOPTS: 60,
  IPPROTO_MTP: 92,
  IPPROTO_ENCAP: 98,
  IPPROTO_PIM: 103,
  IPPROTO_SCTP: 132,
  IPPROTO_RAW: 255,
  IPPROTO_MAX: 256,

  // <sys/socket.h>: option levels
  SOL_SOCKET: 0xffff,

  // <sys/socket.h>: SOL_SOCKET options
  SO_DEBUG: 0x0001,
  SO_ACCEPTCONN: 0x0002,
  SO_REUSEADDR: 0x0004,
  SO_KEEPALIVE: 0x0008,
  SO_DONTROUTE: 0x0010,
  SO_BROADCAST: 0x0020,
  SO_LINGER: 0x0080,
  SO_OOBINLINE: 0x0100,
  SO_REUSEPORT: 0x0200,
  SO_TIMESTAMP: 0x0400,
  SO_SNDBUF: 0x1001,
  SO_RCVBUF: 0x1002,
  SO_SNDLOWAT: 0x1003,
  SO_RCVLOWAT: 0x1004,
  SO_SNDTIMEO: 0x1005,
  SO_RCVTIMEO: 0x1006,
  SO_ERROR: 0x1007,
  SO_TYPE: 0x1008,
  SO_NREAD: 0x1020,
  SO_NOSIGPIPE: 0x1022,
  SO_NWRITE: 0x1024,
  SO_LINGER_SEC: 0x1080,
  SO_BINDTODEVICE: 0x1134, // newer SDKs; see the module doc

  // <netinet/tcp.h>
  TCP_NODELAY: 0x01,
  TCP_MAXSEG: 0x02,
  TCP_MAX_WINSHIFT: 14,
  TCP_KEEPALIVE: 0x10,
  TCP_CONNECTIONTIMEOUT: 0x20,
  TCP_KEEPINTVL: 0x101,
  TCP_KEEPCNT: 0x102,
  TCP_FASTOPEN: 0x105,
  TCP_CONNECTION_INFO: 0x106,
  TCP_NOTSENT_LOWAT: 0x201,
  TCP_MSS: 512,
  TCP_MAXWIN: 65535,

  // <netinet/in.h>: IPPROTO_IP options and limits
  IP_OPTIONS: 1,
  IP_DEFAULT_MULTICAST_TTL: 1,
  IP_DEFAULT_MULTICAST_LOOP: 1,
  IP_HDRINCL: 2,
  IP_TOS: 3,
  IP_TTL: 4,
  IP_RECVOPTS: 5,
  IP_RECVRETOPTS: 6,
  IP_RECVDSTADDR: 7,
  IP_RETOPTS: 8,
  IP_MULTICAST_IF: 9,
  IP_MULTICAST_TTL: 10,
  IP_MULTICAST_LOOP: 11,
  IP_ADD_MEMBERSHIP: 12,
  IP_DROP_MEMBERSHIP: 13,
  IP_RECVIF: 20,
  IP_IPSEC_POLICY: 21,
  IP_RECVTTL: 24,
  IP_BOUND_IF: 25,
  IP_PKTINFO: 26,
  IP_RECVTOS: 27,
  IP_ADD_SOURCE_MEMBERSHIP: 70,
  IP_DROP_SOURCE_MEMBERSHIP: 71,
  IP_BLOCK_SOURCE: 72,
  IP_UNBLOCK_SOURCE: 73,
  IP_MSFILTER: 74,
  IP_MAX_MEMBERSHIPS: 4095,

  // <netinet6/in6.h> (RFC 3542 numbering): IPPROTO_IPV6 options
  IPV6_RTHDR_LOOSE: 0,
  IPV6_RTHDR_TYPE_0: 0,
  IPV6_RTHDR_STRICT: 1,
  IPV6_UNICAST_HOPS: 4,
  IPV6_MULTICAST_IF: 9,
  IPV6_MULTICAST_HOPS: 10,
  IPV6_MULTICAST_LOOP: 11,
  IPV6_JOIN_GROUP: 12,
  IPV6_LEAVE_GROUP: 13,
  IPV6_2292PKTINFO: 19,
  IPV6_2292HOPLIMIT: 20,
  IPV6_2292HOPOPTS: 22,
  IPV6_2292DSTOPTS: 23,
  IPV6_2292RTHDR: 24,
  IPV6_2292PKTOPTIONS: 25,
  IPV6_CHECKSUM: 26,
  IPV6_V6ONLY: 27,
  IPV6_IPSEC_POLICY: 28,
  IPV6_RECVTCLASS: 35,
  IPV6_TCLASS: 36,
  IPV6_RECVHOPLIMIT: 37,
  IPV6_RECVRTHDR: 38,
  IPV6_RECVHOPOPTS: 39,
  IPV6_RECVDSTOPTS: 40,
  IPV6_RECVPATHMTU: 43,
  IPV6_PATHMTU: 44,
  IPV6_PKTINFO: 46, // IPV6_3542PKTINFO
  IPV6_HOPLIMIT: 47, // IPV6_3542HOPLIMIT
  IPV6_NEXTHOP: 48, // IPV6_3542NEXTHOP
  IPV6_HOPOPTS: 49, // IPV6_3542HOPOPTS
  IPV6_DSTOPTS: 50, // IPV6_3542DSTOPTS
  IPV6_RTHDR: 51, // IPV6_3542RTHDR
  IPV6_RTHDRDSTOPTS: 57,
  IPV6_AUTOFLOWLABEL: 59,
  IPV6_RECVPKTINFO: 61,
  IPV6_DONTFRAG: 62,
  IPV6_BOUND_IF: 125,

  // <sys/socket.h>: send/recv flags
  MSG_OOB: 0x1,
  MSG_PEEK: 0x2,
  MSG_DONTROUTE: 0x4,
  MSG_EOR: 0x8,
  MSG_TRUNC: 0x10,
  MSG_CTRUNC: 0x20,
  MSG_WAITALL: 0x40,
  MSG_DONTWAIT: 0x80,
  MSG_NOSIGNAL: 0x80000,

  // <sys/socket.h>: shutdown(2)
  SHUT_RD: 0,
  SHUT_WR: 1,
  SHUT_RDWR: 2,

  // <sys/socket.h>: SOL_SOCKET control messages
  SCM_RIGHTS: 0x01,
  SCM_TIMESTAMP: 0x02,

  // <netinet/in.h>: IPv4 addresses, host byte order
  INADDR_ANY: 0x00000000,
  INADDR_LOOPBACK: 0x7f000001,
  INADDR_UNSPEC_GROUP: 0xe0000000,
  INADDR_ALLHOSTS_GROUP: 0xe0000001,
  INADDR_ALLRTRS_GROUP: 0xe0000002,
  INADDR_MAX_LOCAL_GROUP: 0xe00000ff,
  INADDR_BROADCAST: 0xffffffff,
  INADDR_NONE: 0xffffffff,
} as const satisfies SocketConstants;
