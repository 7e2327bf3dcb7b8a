/**
 * The option rows of `IPPROTO_TCP` (tcp(7)), `IPPROTO_UDP` (udp(7)),
 * `SOL_PACKET` (packet(7)) and `SOL_NETLINK` (netlink(7)), and what macOS does
 * differently; see `_option_table.ts` for how the registry reads them.
 *
 * @module
 */
import { bool, byte, bytesCodec, int, stringCodec, uint32 } from "./_option_codecs.ts";
import { linger } from "./_option_structs.ts";
import { ipMreq } from "./_option_mreq.ts";
import { tcpInfo } from "./_option_tcp_info.ts";
import type { OptionRow } from "./_option_table.ts";

const R = "r";
const W = "w";
const string16 = stringCodec(16); // TCP_CA_NAME_MAX, TCP_ULP_NAME_MAX
const raw = bytesCodec(256);

/** tcp(7), `<linux/tcp.h>`. */
export const IPPROTO_TCP: readonly OptionRow[] = [
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
export const IPPROTO_UDP: readonly OptionRow[] = [
  ["UDP_CORK", bool],
  ["UDP_ENCAP", int],
  ["UDP_NO_CHECK6_TX", bool],
  ["UDP_NO_CHECK6_RX", bool],
  ["UDP_SEGMENT", int],
  ["UDP_GRO", bool],
];

/** packet(7), `<linux/if_packet.h>`. */
export const SOL_PACKET: readonly OptionRow[] = [
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
export const SOL_NETLINK: readonly OptionRow[] = [
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
