/**
 * One-line meanings of the socket constants, for the JSDoc that `tools/gen_constants.ts` writes.
 * Meanings only: every value comes from the headers (Linux) or `constants/darwin.ts` (macOS).
 * A name with no entry and no matching pattern is described by its C name alone.
 *
 * @module
 */
import { NAMES } from "./_constants_docs_names.ts";

const FAMILIES: Record<string, string> = {
  UNSPEC: "Unspecified address family (any, in `getaddrinfo` hints)",
  UNIX: "Unix domain sockets: local inter-process communication (unix(7))",
  LOCAL: "Unix domain sockets, POSIX name (`AF_UNIX`)",
  FILE: "Unix domain sockets, old glibc name (`AF_UNIX`)",
  INET: "IPv4 (ip(7))",
  INET6: "IPv6 (ipv6(7))",
  AX25: "Amateur radio AX.25",
  IPX: "Novell IPX",
  APPLETALK: "AppleTalk (ddp(7))",
  NETROM: "Amateur radio NET/ROM",
  BRIDGE: "Multiprotocol bridge",
  ATMPVC: "ATM permanent virtual circuits",
  X25: "ITU-T X.25 / ISO-8208 (x25(7))",
  ROSE: "Amateur radio X.25 PLP (ROSE)",
  DECnet: "DECnet",
  NETBEUI: "802.2 LLC NetBEUI (reserved)",
  SECURITY: "Security callback pseudo family",
  KEY: "PF_KEY key management (RFC 2367)",
  NETLINK: "Kernel user interface (netlink(7))",
  ROUTE: "Routing sockets: on Linux a second name for netlink; on macOS the BSD routing socket",
  PACKET: "Low-level packet interface (packet(7))",
  ASH: "Ash",
  ECONET: "Acorn Econet",
  ATMSVC: "ATM switched virtual circuits",
  RDS: "Reliable Datagram Sockets (rds(7))",
  SNA: "IBM SNA",
  IRDA: "IrDA",
  PPPOX: "PPP over X (PPPoE, L2TP, PPTP)",
  WANPIPE: "Wanpipe API sockets",
  LLC: "IEEE 802.2 LLC",
  IB: "Native InfiniBand addresses",
  MPLS: "MPLS",
  CAN: "Controller Area Network (SocketCAN)",
  TIPC: "Transparent Inter-Process Communication (tipc(7))",
  BLUETOOTH: "Bluetooth",
  IUCV: "IBM z/VM IUCV",
  RXRPC: "RxRPC (AFS)",
  ISDN: "ISDN",
  PHONET: "Nokia Phonet",
  IEEE802154: "IEEE 802.15.4 (low-rate wireless PAN)",
  CAIF: "ST-Ericsson CAIF",
  ALG: "Kernel crypto API (AF_ALG)",
  NFC: "Near-field communication",
  VSOCK: "VM sockets: host/guest communication (vsock(7))",
  KCM: "Kernel Connection Multiplexor",
  QIPCRTR: "Qualcomm IPC router",
  SMC: "Shared Memory Communications (smc(7))",
  XDP: "XDP (AF_XDP) sockets",
  MCTP: "Management Component Transport Protocol",
  LINK: "Link-level interface addresses (`sockaddr_dl`, as in `getifaddrs`)",
  MAX: "One more than the largest address family number",
};

const PROTOCOLS: Record<string, string> = {
  IP: "Dummy protocol for IP (the socket type's default); also the `IPPROTO_IP` option level",
  HOPOPTS: "IPv6 hop-by-hop options header",
  ICMP: "Internet Control Message Protocol (icmp(7))",
  IGMP: "Internet Group Management Protocol",
  IPIP: "IPv4-in-IPv4 tunnels",
  TCP: "Transmission Control Protocol (tcp(7)); also the `IPPROTO_TCP` option level",
  EGP: "Exterior Gateway Protocol",
  PUP: "PUP protocol",
  UDP: "User Datagram Protocol (udp(7)); also the `IPPROTO_UDP` option level",
  IDP: "XNS IDP protocol",
  TP: "ISO transport protocol class 4",
  DCCP: "Datagram Congestion Control Protocol",
  IPV6: "IPv6 header (IPv6-in-IPv4 tunnels); also the `IPPROTO_IPV6` option level",
  ROUTING: "IPv6 routing header",
  FRAGMENT: "IPv6 fragmentation header",
  RSVP: "Resource Reservation Protocol",
  GRE: "Generic Routing Encapsulation",
  ESP: "IPsec Encapsulating Security Payload",
  AH: "IPsec Authentication Header",
  ICMPV6: "ICMP for IPv6; also the `IPPROTO_ICMPV6` option level",
  NONE: "IPv6 no-next-header",
  DSTOPTS: "IPv6 destination options header",
  MTP: "Multicast Transport Protocol",
  BEETPH: "IP option pseudo header for BEET",
  ENCAP: "Encapsulation header",
  PIM: "Protocol Independent Multicast",
  COMP: "IP payload compression (IPComp)",
  SCTP: "Stream Control Transmission Protocol (sctp(7))",
  MH: "IPv6 mobility header",
  UDPLITE: "UDP-Lite (udplite(7))",
  MPLS: "MPLS in IP",
  ETHERNET: "Ethernet-within-IPv6 encapsulation",
  RAW: "Raw IP packets (raw(7))",
  MPTCP: "Multipath TCP (with `SOCK_STREAM`)",
  MAX: "One more than the largest protocol number this header knows",
};

const LEVELS: Record<string, string> = {
  IP: "IPv4; `IPPROTO_IP` is the same number and portable",
  TCP: "TCP; `IPPROTO_TCP` is the same number and portable",
  UDP: "UDP; `IPPROTO_UDP` is the same number and portable",
  IPV6: "IPv6; `IPPROTO_IPV6` is the same number and portable",
  ICMPV6: "ICMPv6; `IPPROTO_ICMPV6` is the same number and portable",
  RAW: "raw sockets",
  PACKET: "packet sockets (`AF_PACKET`)",
  NETLINK: "netlink sockets",
  CAN_BASE: "CAN sockets (base of the CAN levels)",
  CAN_RAW: "raw CAN sockets",
  CAN_ISOTP: "CAN ISO-TP sockets",
  CAN_J1939: "CAN SAE J1939 sockets",
  TLS: 'kernel TLS (`TCP_ULP` "tls")',
  MPTCP: "Multipath TCP",
  VSOCK: "VM sockets (`AF_VSOCK`)",
  ALG: "kernel crypto sockets (`AF_ALG`)",
  TIPC: "TIPC sockets",
  DECNET: "DECnet sockets",
  X25: "X.25 sockets",
  ATM: "ATM sockets",
  AAL: "ATM adaptation layer",
  IRDA: "IrDA sockets",
  NETBEUI: "NetBEUI sockets",
  LLC: "802.2 LLC sockets",
  DCCP: "DCCP sockets",
  RXRPC: "RxRPC sockets",
  PPPOL2TP: "PPP over L2TP sockets",
  BLUETOOTH: "Bluetooth sockets",
  PNPIPE: "Phonet pipe sockets",
  RDS: "RDS sockets",
  IUCV: "IUCV sockets",
  CAIF: "CAIF sockets",
  NFC: "NFC sockets",
  KCM: "KCM sockets",
  XDP: "AF_XDP sockets",
  MCTP: "MCTP sockets",
  SMC: "SMC sockets",
};

const TCP_STATES = new Set([
  "ESTABLISHED",
  "SYN_SENT",
  "SYN_RECV",
  "FIN_WAIT1",
  "FIN_WAIT2",
  "TIME_WAIT",
  "CLOSE",
  "CLOSE_WAIT",
  "LAST_ACK",
  "LISTEN",
  "CLOSING",
]);

const PATTERNS: [RegExp, (m: RegExpExecArray) => string | undefined][] = [
  [/^AF_(.+)$/, (m) => FAMILIES[m[1]] && `Address family: ${FAMILIES[m[1]]}`],
  [/^PF_(.+)$/, (m) => FAMILIES[m[1]] && `Protocol family, as \`AF_${m[1]}\`: ${FAMILIES[m[1]]}`],
  [/^IPPROTO_(.+)$/, (m) => PROTOCOLS[m[1]]],
  [/^SOL_(.+)$/, (m) => `Option level of ${LEVELS[m[1]] ?? `\`${m[1]}\``}`],
  [/^TCP_(.+)$/, (m) => TCP_STATES.has(m[1]) ? "TCP connection state (`tcpi_state`)" : undefined],
  [/^TCP_CA_/, () => "TCP congestion-avoidance state (`tcpi_ca_state`)"],
  [/^TCP_(?:NO|RECV|SEND)_QUEUE$|^TCP_QUEUES_NR$/, () => "Queue selector for `TCP_REPAIR_QUEUE`"],
  [/^TCP_REPAIR_O/, () => "Value of `TCP_REPAIR`"],
  [/^TCP_MSS/, () => "TCP maximum segment size constant"],
  [/^TCP_MAXWIN$|^TCP_MAX_WINSHIFT$/, () => "TCP window limit"],
  [/^TCP_(?:COOKIE|MD5SIG_FLAG|MD5SIG_MAXKEYLEN|S_DATA)/, () => "TCP option structure constant"],
  [/^IP_PMTUDISC_(.+)$/, (m) => `\`IP_MTU_DISCOVER\` mode ${m[1]}`],
  [/^IPV6_PMTUDISC_(.+)$/, (m) => `\`IPV6_MTU_DISCOVER\` mode ${m[1]}`],
  [/^IPV6_FL_/, () => "`IPV6_FLOWLABEL_MGR` action, flag or share value"],
  [/^IPV6_PRIORITY_/, () => "IPv6 priority value (RFC 1883 traffic class)"],
  [/^IPV6_TLV_/, () => "IPv6 option type"],
  [/^IPV6_PREFER_SRC_/, () => "`IPV6_ADDR_PREFERENCES` flag"],
  [/^SO_EE_ORIGIN_/, () => "Origin of an extended error (`sock_extended_err.ee_origin`)"],
  [/^SO_EE_CODE_|^SO_EE_RFC4884_/, () => "Code or flag of an extended error (`sock_extended_err`)"],
  [/^SO_VM_SOCKETS_/, () => "VM sockets option (level `AF_VSOCK`)"],
  [/^SO_J1939_/, () => "CAN J1939 socket option (level `SOL_CAN_J1939`)"],
  [/^SCM_J1939_/, () => "CAN J1939 control message type"],
  [/^SO_RDS_/, () => "RDS socket option (level `SOL_RDS`)"],
  [/^SCM_TSTAMP_/, () => "Kind of a transmit timestamp (`ee_info` of `SO_EE_ORIGIN_TIMESTAMPING`)"],
  [/^SCM_CAN_RAW_ERRQUEUE$/, () => "CAN raw error-queue control message type"],
  [/^SOCK_(?:SNDBUF|RCVBUF)_LOCK$|^SOCK_BUF_LOCK_MASK$/, () => "Value of `SO_BUF_LOCK`"],
  [/^SOCK_TXREHASH_/, () => "Value of `SO_TXREHASH`"],
];

/** A one-line meaning of `name` (without a final period), or `undefined` when none is known. */
export function describe(name: string): string | undefined {
  if (Object.hasOwn(NAMES, name)) return NAMES[name];
  for (const [re, text] of PATTERNS) {
    const m = re.exec(name);
    const found = m ? text(m) : undefined;
    if (found) return found;
  }
  return undefined;
}

const RFC3542 = [
  "IPV6_PKTINFO",
  "IPV6_RECVPKTINFO",
  "IPV6_HOPLIMIT",
  "IPV6_RECVHOPLIMIT",
  "IPV6_NEXTHOP",
  "IPV6_HOPOPTS",
  "IPV6_RECVHOPOPTS",
  "IPV6_DSTOPTS",
  "IPV6_RECVDSTOPTS",
  "IPV6_RTHDR",
  "IPV6_RECVRTHDR",
  "IPV6_RTHDRDSTOPTS",
  "IPV6_RECVPATHMTU",
  "IPV6_PATHMTU",
  "IPV6_AUTOFLOWLABEL",
  "IPV6_DONTFRAG",
];

/** A remark about the macOS value of `name`, or `undefined`. */
export function darwinNote(name: string): string | undefined {
  if (name === "SO_BINDTODEVICE") {
    return "macOS's value is that of newer SDKs, which the xnu sources read predate (see `darwin`).";
  }
  if (RFC3542.includes(name)) {
    return "macOS's value is the RFC 3542 one, which `<netinet/in.h>` defines with " +
      "`__APPLE_USE_RFC_3542` (as CPython and Rust's libc use it).";
  }
  return undefined;
}
