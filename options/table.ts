/**
 * Every socket option the registry knows, as data: one section per level with its man page,
 * Linux's levels first, then where macOS differs. A table is one file, however long.
 *
 * @module
 */
import type { OptionCodec } from "./_codec.ts";
import { bool, byte, bytesCodec, gsoSize, int, stringCodec, uint32, uint64 } from "./codecs.ts";
import {
  inAddr,
  ipMreq,
  ipMreqn,
  ipMreqSource,
  ipv6Mreq,
  linger,
  soTimestamping,
  timeval,
  ucred,
} from "./structs.ts";
import { tcpInfo } from "./tcp_info.ts";

const R = "r";
const W = "w";
const string16 = stringCodec(16); // IFNAMSIZ, TCP_CA_NAME_MAX, TCP_ULP_NAME_MAX
const raw = bytesCodec(256);

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
/** tcp(7), `<linux/tcp.h>`. */
const IPPROTO_TCP: readonly OptionRow[] = [
  ["TCP_NODELAY", bool],
  ["TCP_MAXSEG", int],
  ["TCP_CORK", bool],
  ["TCP_KEEPIDLE", int],
  ["TCP_KEEPINTVL", int],
  ["TCP_KEEPCNT", int],
  ["TCP_SYNCNT", int],
  ["TCP_LINGER2", int],
  ["TCP_DEFER_ACCEPT", int],
  ["TCP_WINDOW_CLAMP", int],
  ["TCP_INFO", tcpInfo, R],
  ["TCP_QUICKACK", bool],
  ["TCP_CONGESTION", string16],
  ["TCP_MD5SIG", bytesCodec(216), W], // struct tcp_md5sig
  ["TCP_THIN_LINEAR_TIMEOUTS", bool],
  ["TCP_THIN_DUPACK", bool],
  ["TCP_USER_TIMEOUT", int],
  ["TCP_REPAIR", int],
  ["TCP_REPAIR_QUEUE", int],
  ["TCP_QUEUE_SEQ", uint32],
  ["TCP_REPAIR_OPTIONS", raw, W],
  ["TCP_FASTOPEN", int],
  ["TCP_TIMESTAMP", uint32],
  ["TCP_NOTSENT_LOWAT", uint32], // the default is 4294967295 (UINT_MAX)
  ["TCP_CC_INFO", bytesCodec(64), R],
  ["TCP_SAVE_SYN", int],
  ["TCP_SAVED_SYN", bytesCodec(512), R],
  ["TCP_REPAIR_WINDOW", bytesCodec(20)], // struct tcp_repair_window
  ["TCP_FASTOPEN_CONNECT", bool],
  ["TCP_ULP", string16],
  ["TCP_MD5SIG_EXT", bytesCodec(216), W],
  ["TCP_FASTOPEN_KEY", bytesCodec(32)],
  ["TCP_FASTOPEN_NO_COOKIE", bool],
  ["TCP_ZEROCOPY_RECEIVE", bytesCodec(64), R],
  ["TCP_INQ", bool],
  ["TCP_CM_INQ", bool],
  ["TCP_TX_DELAY", int],
  ["TCP_AO_ADD_KEY", raw, W],
  ["TCP_AO_DEL_KEY", raw, W],
  ["TCP_AO_INFO", raw],
  ["TCP_AO_GET_KEYS", raw, R],
  ["TCP_AO_REPAIR", raw],
  ["TCP_IS_MPTCP", int, R],
  ["TCP_RTO_MAX_MS", int],
  ["TCP_RTO_MIN_US", int],
  ["TCP_DELACK_MAX_US", int],
];

/** udp(7), `<linux/udp.h>`. */
const IPPROTO_UDP: readonly OptionRow[] = [
  ["UDP_CORK", bool],
  ["UDP_ENCAP", int],
  ["UDP_NO_CHECK6_TX", bool],
  ["UDP_NO_CHECK6_RX", bool],
  ["UDP_SEGMENT", gsoSize], // GSO segment size; per send: a SOL_UDP/UDP_SEGMENT cmsg (u16)
  ["UDP_GRO", bool], // receive coalesced datagrams; the segment size comes in a UDP_GRO cmsg (int)
];

/** packet(7), `<linux/if_packet.h>`. */
const SOL_PACKET: readonly OptionRow[] = [
  ["PACKET_ADD_MEMBERSHIP", bytesCodec(16), W], // struct packet_mreq
  ["PACKET_DROP_MEMBERSHIP", bytesCodec(16), W],
  ["PACKET_RX_RING", bytesCodec(28), W], // struct tpacket_req or tpacket_req3
  ["PACKET_TX_RING", bytesCodec(28), W],
  ["PACKET_STATISTICS", bytesCodec(12), R], // struct tpacket_stats (v3: 12 bytes)
  ["PACKET_COPY_THRESH", int, W],
  ["PACKET_AUXDATA", bool],
  ["PACKET_ORIGDEV", bool],
  ["PACKET_VERSION", int],
  ["PACKET_HDRLEN", int, R], // in: a TPACKET_V*; out: its header length
  ["PACKET_RESERVE", uint32],
  ["PACKET_LOSS", bool],
  ["PACKET_VNET_HDR", bool],
  ["PACKET_VNET_HDR_SZ", int],
  ["PACKET_TX_TIMESTAMP", int],
  ["PACKET_TIMESTAMP", int],
  ["PACKET_FANOUT", uint32], // group id | type << 16
  ["PACKET_TX_HAS_OFF", bool],
  ["PACKET_QDISC_BYPASS", bool],
  ["PACKET_ROLLOVER_STATS", bytesCodec(24), R], // struct tpacket_rollover_stats
  ["PACKET_FANOUT_DATA", raw, W],
  ["PACKET_IGNORE_OUTGOING", bool],
];

/** netlink(7), `<linux/netlink.h>`. */
const SOL_NETLINK: readonly OptionRow[] = [
  ["NETLINK_ADD_MEMBERSHIP", uint32, W],
  ["NETLINK_DROP_MEMBERSHIP", uint32, W],
  ["NETLINK_PKTINFO", bool],
  ["NETLINK_BROADCAST_ERROR", bool],
  ["NETLINK_NO_ENOBUFS", bool],
  ["NETLINK_LISTEN_ALL_NSID", bool],
  ["NETLINK_LIST_MEMBERSHIPS", raw, R], // __u32[] bitmap
  ["NETLINK_CAP_ACK", bool],
  ["NETLINK_EXT_ACK", bool],
  ["NETLINK_GET_STRICT_CHK", bool],
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

/**
 * What macOS does differently (from the public SDK's `<sys/socket.h>`,
 * `<netinet/in.h>`, `<netinet/tcp.h>`; not checked on this Linux machine):
 * rows replacing Linux's of the same name, then macOS-only options. Linux
 * options macOS lacks drop out because its constants table lacks them.
 */
export const DARWIN_ROWS: Readonly<Record<string, readonly OptionRow[]>> = {
  SOL_SOCKET: [
    ["SO_NOSIGPIPE", bool],
    ["SO_NREAD", int, R],
    ["SO_NWRITE", int, R],
    ["SO_USELOOPBACK", bool],
    ["SO_LINGER_SEC", linger], // SO_LINGER counts in clock ticks on macOS, this one in seconds
    ["SO_TIMESTAMP_MONOTONIC", bool],
    ["SO_NUMRCVPKT", int, R],
    ["SO_NET_SERVICE_TYPE", int],
  ],
  IPPROTO_IP: [
    ["IP_ADD_MEMBERSHIP", ipMreq, W], // no struct ip_mreqn on macOS
    ["IP_DROP_MEMBERSHIP", ipMreq, W],
    ["IP_MULTICAST_TTL", byte], // u_char on macOS
    ["IP_MULTICAST_LOOP", byte],
    ["IP_BOUND_IF", int],
    ["IP_RECVDSTADDR", bool],
    ["IP_RECVIF", bool],
    ["IP_MULTICAST_IFINDEX", int],
    ["IP_DONTFRAG", bool],
  ],
  IPPROTO_IPV6: [["IPV6_BOUND_IF", int]],
  IPPROTO_TCP: [
    ["TCP_INFO", raw, R], // a different struct on macOS; see TCP_CONNECTION_INFO
    ["TCP_KEEPALIVE", int], // macOS's TCP_KEEPIDLE
    ["TCP_NOPUSH", bool],
    ["TCP_NOOPT", bool],
    ["TCP_CONNECTIONTIMEOUT", int],
    ["TCP_RXT_CONNDROPTIME", int],
    ["TCP_RXT_FINDROP", bool],
    ["TCP_SENDMOREACKS", bool],
    ["TCP_ENABLE_ECN", bool],
    ["TCP_CONNECTION_INFO", raw, R],
  ],
  IPPROTO_UDP: [["UDP_NOCKSUM", bool]],
};
