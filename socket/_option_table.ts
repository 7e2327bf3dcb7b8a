/**
 * Which codec each socket option takes, by level and C name: every option of
 * Linux's `SOL_SOCKET` (socket(7)), `IPPROTO_IP` (ip(7)), `IPPROTO_IPV6`
 * (ipv6(7)), `IPPROTO_TCP` (tcp(7)), `IPPROTO_UDP` (udp(7)), `SOL_PACKET`
 * (packet(7)) and `SOL_NETLINK` (netlink(7)) that has a fixed value type, and
 * the macOS options and codecs that differ. Numbers are not here: the registry
 * looks each name up in the running OS's constants table, and a name that table
 * lacks is left out. Two names with one number (`SO_RCVTIMEO` and
 * `SO_RCVTIMEO_OLD` on x86-64) are one option; the first name listed is its
 * name.
 *
 * This file has the `SOL_SOCKET`, `IPPROTO_IP` and `IPPROTO_IPV6` rows;
 * `_option_table_other.ts` the others and macOS's.
 *
 * `"r"` marks what `setsockopt(2)` refuses (the kernel computes it), `"w"` what
 * `getsockopt(2)` refuses (joins, filters, `*FORCE`). `tests/options_layout_test.ts`
 * asks the running kernel about both marks and about every fixed size.
 *
 * @module
 */
import { bool, bytesCodec, int, stringCodec, uint32, uint64 } from "./_option_codecs.ts";
import { linger, soTimestamping, timeval, ucred } from "./_option_structs.ts";
import type { OptionCodec } from "./_option_codec.ts";
import { inAddr, ipMreqn, ipMreqSource, ipv6Mreq } from "./_option_mreq.ts";
import { IPPROTO_TCP, IPPROTO_UDP, SOL_NETLINK, SOL_PACKET } from "./_option_table_other.ts";

/** One option: its C name, codec, and `"r"` (read-only) or `"w"` (write-only) if not both. */
export type OptionRow = readonly [name: string, codec: OptionCodec<unknown>, access?: "r" | "w"];

/** The options of one level: its C name, other names of the same level, and its rows. */
export interface LevelRows {
  /** The name the registry prints (`"IPPROTO_TCP"`). */
  readonly level: string;
  /** Other C names of the level (`"SOL_TCP"`). */
  readonly aliases: readonly string[];
  /** The options. */
  readonly rows: readonly OptionRow[];
}

const R = "r";
const W = "w";
const string16 = stringCodec(16); // IFNAMSIZ, TCP_CA_NAME_MAX, TCP_ULP_NAME_MAX
const raw = bytesCodec(256);
const sockaddr = bytesCodec(128); // sizeof(struct sockaddr_storage)
const sockFprog = bytesCodec(16); // struct sock_fprog { unsigned short len; struct sock_filter *filter; }

/** socket(7), `<asm-generic/socket.h>`. */
const SOL_SOCKET: readonly OptionRow[] = [
  ["SO_DEBUG", bool],
  ["SO_REUSEADDR", bool],
  ["SO_TYPE", int, R],
  ["SO_ERROR", int, R],
  ["SO_DONTROUTE", bool],
  ["SO_BROADCAST", bool],
  ["SO_SNDBUF", int],
  ["SO_RCVBUF", int],
  ["SO_SNDBUFFORCE", int, W],
  ["SO_RCVBUFFORCE", int, W],
  ["SO_KEEPALIVE", bool],
  ["SO_OOBINLINE", bool],
  ["SO_NO_CHECK", bool],
  ["SO_PRIORITY", int],
  ["SO_LINGER", linger],
  ["SO_BSDCOMPAT", bool], // ignored by Linux
  ["SO_REUSEPORT", bool],
  ["SO_PASSCRED", bool],
  ["SO_PEERCRED", ucred, R],
  ["SO_RCVLOWAT", int],
  ["SO_SNDLOWAT", int],
  ["SO_RCVTIMEO", timeval],
  ["SO_SNDTIMEO", timeval],
  ["SO_RCVTIMEO_OLD", timeval],
  ["SO_SNDTIMEO_OLD", timeval],
  ["SO_RCVTIMEO_NEW", timeval], // struct __kernel_sock_timeval: two __s64, as timeval on 64-bit
  ["SO_SNDTIMEO_NEW", timeval],
  ["SO_BINDTODEVICE", string16],
  ["SO_BINDTOIFINDEX", int],
  ["SO_ATTACH_FILTER", sockFprog], // getsockopt is SO_GET_FILTER
  ["SO_GET_FILTER", sockFprog],
  ["SO_DETACH_FILTER", int, W],
  ["SO_DETACH_BPF", int, W],
  ["SO_LOCK_FILTER", bool],
  ["SO_ATTACH_BPF", int, W],
  ["SO_ATTACH_REUSEPORT_CBPF", sockFprog, W],
  ["SO_ATTACH_REUSEPORT_EBPF", int, W],
  ["SO_DETACH_REUSEPORT_BPF", int, W],
  ["SO_PEERNAME", sockaddr, R],
  ["SO_TIMESTAMP", bool],
  ["SO_TIMESTAMPNS", bool],
  ["SO_TIMESTAMPING", soTimestamping],
  ["SO_TIMESTAMP_OLD", bool],
  ["SO_TIMESTAMPNS_OLD", bool],
  ["SO_TIMESTAMPING_OLD", soTimestamping],
  ["SO_TIMESTAMP_NEW", bool],
  ["SO_TIMESTAMPNS_NEW", bool],
  ["SO_TIMESTAMPING_NEW", soTimestamping],
  ["SO_ACCEPTCONN", bool, R],
  ["SO_PEERSEC", stringCodec(256), R],
  ["SO_PASSSEC", bool],
  ["SO_MARK", uint32],
  ["SO_PROTOCOL", int, R],
  ["SO_DOMAIN", int, R],
  ["SO_RXQ_OVFL", bool],
  ["SO_WIFI_STATUS", bool],
  ["SO_PEEK_OFF", int],
  ["SO_NOFCS", bool],
  ["SO_SELECT_ERR_QUEUE", bool],
  ["SO_BUSY_POLL", int],
  ["SO_PREFER_BUSY_POLL", bool],
  ["SO_BUSY_POLL_BUDGET", int, W],
  ["SO_MAX_PACING_RATE", uint64], // a u32 is taken too; 64-bit kernels return 8 bytes
  ["SO_BPF_EXTENSIONS", int, R],
  ["SO_INCOMING_CPU", int],
  ["SO_CNX_ADVICE", int, W],
  ["SO_MEMINFO", bytesCodec(36), R], // __u32[SK_MEMINFO_VARS]
  ["SO_INCOMING_NAPI_ID", uint32, R],
  ["SO_COOKIE", uint64, R],
  ["SO_PEERGROUPS", raw, R], // gid_t[]
  ["SO_ZEROCOPY", bool],
  ["SO_TXTIME", bytesCodec(8)], // struct sock_txtime { clockid_t clockid; __u32 flags; }
  ["SO_NETNS_COOKIE", uint64, R],
  ["SO_BUF_LOCK", int],
  ["SO_RESERVE_MEM", int],
  ["SO_TXREHASH", int],
  ["SO_RCVMARK", bool],
  ["SO_PASSPIDFD", bool],
  ["SO_PEERPIDFD", int, R],
  ["SO_RCVPRIORITY", bool],
  ["SO_PASSRIGHTS", bool],
  ["SO_INQ", bool],
];

/** ip(7), `<linux/in.h>`. */
const IPPROTO_IP: readonly OptionRow[] = [
  ["IP_TOS", int],
  ["IP_TTL", int],
  ["IP_HDRINCL", bool],
  ["IP_OPTIONS", bytesCodec(40)],
  ["IP_ROUTER_ALERT", bool],
  ["IP_RECVOPTS", bool],
  ["IP_RETOPTS", bool],
  ["IP_RECVRETOPTS", bool],
  ["IP_PKTINFO", bool],
  ["IP_PKTOPTIONS", raw, R],
  ["IP_MTU_DISCOVER", int],
  ["IP_PMTUDISC", int],
  ["IP_RECVERR", bool],
  ["IP_RECVTTL", bool],
  ["IP_RECVTOS", bool],
  ["IP_MTU", int, R],
  ["IP_FREEBIND", bool],
  ["IP_IPSEC_POLICY", raw],
  ["IP_XFRM_POLICY", raw],
  ["IP_PASSSEC", bool],
  ["IP_TRANSPARENT", bool],
  ["IP_ORIGDSTADDR", bool],
  ["IP_RECVORIGDSTADDR", bool],
  ["IP_MINTTL", int],
  ["IP_NODEFRAG", bool],
  ["IP_CHECKSUM", int],
  ["IP_BIND_ADDRESS_NO_PORT", bool],
  ["IP_RECVFRAGSIZE", bool],
  ["IP_RECVERR_RFC4884", bool],
  ["IP_MULTICAST_IF", inAddr], // setsockopt also takes a struct ip_mreqn (pass its bytes)
  ["IP_MULTICAST_TTL", int], // Linux takes an int or a byte and returns an int
  ["IP_MULTICAST_LOOP", bool],
  ["IP_ADD_MEMBERSHIP", ipMreqn, W],
  ["IP_DROP_MEMBERSHIP", ipMreqn, W],
  ["IP_UNBLOCK_SOURCE", ipMreqSource, W],
  ["IP_BLOCK_SOURCE", ipMreqSource, W],
  ["IP_ADD_SOURCE_MEMBERSHIP", ipMreqSource, W],
  ["IP_DROP_SOURCE_MEMBERSHIP", ipMreqSource, W],
  ["IP_MSFILTER", raw],
  ["MCAST_JOIN_GROUP", raw, W], // struct group_req
  ["MCAST_LEAVE_GROUP", raw, W],
  ["MCAST_BLOCK_SOURCE", raw, W], // struct group_source_req
  ["MCAST_UNBLOCK_SOURCE", raw, W],
  ["MCAST_JOIN_SOURCE_GROUP", raw, W],
  ["MCAST_LEAVE_SOURCE_GROUP", raw, W],
  ["MCAST_MSFILTER", raw],
  ["IP_MULTICAST_ALL", bool],
  ["IP_UNICAST_IF", int], // the interface index in network byte order (htonl), as C passes it
  ["IP_LOCAL_PORT_RANGE", uint32], // low port | high port << 16
  ["IP_PROTOCOL", int, R],
  ["SO_ORIGINAL_DST", bytesCodec(16), R], // netfilter: the address before DNAT (struct sockaddr_in)
];

/** ipv6(7), `<linux/in6.h>`. */
const IPPROTO_IPV6: readonly OptionRow[] = [
  ["IPV6_ADDRFORM", int, W],
  ["IPV6_2292PKTINFO", bool],
  ["IPV6_2292HOPOPTS", bool],
  ["IPV6_2292DSTOPTS", bool],
  ["IPV6_2292RTHDR", bool],
  ["IPV6_2292PKTOPTIONS", raw],
  ["IPV6_CHECKSUM", int],
  ["IPV6_2292CHECKSUM", int],
  ["IPV6_2292HOPLIMIT", bool],
  ["IPV6_NEXTHOP", sockaddr, W],
  ["IPV6_FLOWINFO", bool],
  ["IPV6_UNICAST_HOPS", int],
  ["IPV6_MULTICAST_IF", int],
  ["IPV6_MULTICAST_HOPS", int],
  ["IPV6_MULTICAST_LOOP", bool],
  ["IPV6_JOIN_GROUP", ipv6Mreq, W],
  ["IPV6_ADD_MEMBERSHIP", ipv6Mreq, W],
  ["IPV6_LEAVE_GROUP", ipv6Mreq, W],
  ["IPV6_DROP_MEMBERSHIP", ipv6Mreq, W],
  ["IPV6_ROUTER_ALERT", int],
  ["IPV6_MTU_DISCOVER", int],
  ["IPV6_MTU", int],
  ["IPV6_RECVERR", bool],
  ["IPV6_V6ONLY", bool],
  ["IPV6_JOIN_ANYCAST", ipv6Mreq, W],
  ["IPV6_LEAVE_ANYCAST", ipv6Mreq, W],
  ["IPV6_MULTICAST_ALL", bool],
  ["IPV6_ROUTER_ALERT_ISOLATE", bool],
  ["IPV6_RECVERR_RFC4884", bool],
  ["IPV6_FLOWLABEL_MGR", bytesCodec(32)], // struct in6_flowlabel_req
  ["IPV6_FLOWINFO_SEND", bool],
  ["IPV6_IPSEC_POLICY", raw],
  ["IPV6_XFRM_POLICY", raw],
  ["IPV6_HDRINCL", bool],
  ["IPV6_RECVPKTINFO", bool],
  ["IPV6_PKTINFO", bytesCodec(20), W], // struct in6_pktinfo, sticky
  ["IPV6_RECVHOPLIMIT", bool],
  ["IPV6_HOPLIMIT", int], // an ancillary-data type: Linux refuses it as an option
  ["IPV6_RECVHOPOPTS", bool],
  ["IPV6_HOPOPTS", raw],
  ["IPV6_RXHOPOPTS", raw],
  ["IPV6_RTHDRDSTOPTS", raw],
  ["IPV6_RECVRTHDR", bool],
  ["IPV6_RTHDR", raw],
  ["IPV6_RECVDSTOPTS", bool],
  ["IPV6_DSTOPTS", raw],
  ["IPV6_RXDSTOPTS", raw],
  ["IPV6_RECVPATHMTU", bool],
  ["IPV6_PATHMTU", bytesCodec(32), R], // struct ip6_mtuinfo
  ["IPV6_DONTFRAG", bool],
  ["IPV6_RECVTCLASS", bool],
  ["IPV6_TCLASS", int],
  ["IPV6_AUTOFLOWLABEL", bool],
  ["IPV6_ADDR_PREFERENCES", int],
  ["IPV6_MINHOPCOUNT", int],
  ["IPV6_ORIGDSTADDR", bool],
  ["IPV6_RECVORIGDSTADDR", bool],
  ["IPV6_TRANSPARENT", bool],
  ["IPV6_UNICAST_IF", int],
  ["IPV6_RECVFRAGSIZE", bool],
  ["IPV6_FREEBIND", bool],
  ["MCAST_JOIN_GROUP", raw, W],
  ["MCAST_LEAVE_GROUP", raw, W],
  ["MCAST_BLOCK_SOURCE", raw, W],
  ["MCAST_UNBLOCK_SOURCE", raw, W],
  ["MCAST_JOIN_SOURCE_GROUP", raw, W],
  ["MCAST_LEAVE_SOURCE_GROUP", raw, W],
  ["MCAST_MSFILTER", raw],
];
/** Linux's levels and options. */
export const LINUX_LEVELS: readonly LevelRows[] = [
  { level: "SOL_SOCKET", aliases: [], rows: SOL_SOCKET },
  { level: "IPPROTO_IP", aliases: ["SOL_IP"], rows: IPPROTO_IP },
  { level: "IPPROTO_IPV6", aliases: ["SOL_IPV6"], rows: IPPROTO_IPV6 },
  { level: "IPPROTO_TCP", aliases: ["SOL_TCP"], rows: IPPROTO_TCP },
  { level: "IPPROTO_UDP", aliases: ["SOL_UDP"], rows: IPPROTO_UDP },
  { level: "SOL_PACKET", aliases: [], rows: SOL_PACKET },
  { level: "SOL_NETLINK", aliases: [], rows: SOL_NETLINK },
];
