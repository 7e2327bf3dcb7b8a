/**
 * Which name a number is given back as, when several names of a prefix share it.
 *
 * Among the names of a table that start with `prefix + "_"` and have the value, the lookup
 * prefers, in this order:
 *
 * 1. a name of the prefix's main list over one of a **secondary value set** that happens to
 *    share the prefix ({@linkcode SECONDARY}: TCP states such as `TCP_ESTABLISHED` beside the TCP
 *    options, `SO_EE_*` error origins beside the socket options, `SOCK_*_LOCK` beside the socket
 *    types, …);
 * 2. a name that is not an **alias** over one that is: the second names listed in
 *    {@linkcode ALIASES} (`AF_LOCAL` and `AF_FILE` for `AF_UNIX`, `AF_ROUTE` for `AF_NETLINK`,
 *    `IPPROTO_HOPOPTS` for `IPPROTO_IP`, `IPV6_ADD_MEMBERSHIP` for `IPV6_JOIN_GROUP`, …) and the
 *    `*_OLD` / `*_NEW` spellings of a time option (`SO_TIMESTAMP_OLD` for `SO_TIMESTAMP`);
 * 3. the shorter name;
 * 4. the name that sorts first.
 *
 * `AF_` names are never given for `PF_` lookups or the reverse: the prefix is part of the question.
 *
 * @module
 */
import type { ConstantTable } from "./types.ts";

/**
 * Second names, each with the name the lookup prefers when both have the same value in a table
 * (on macOS `AF_ROUTE` is a family of its own: it is only passed over where it equals
 * `AF_NETLINK`).
 */
export const ALIASES: Readonly<Record<string, string>> = {
  AF_FILE: "AF_UNIX",
  AF_LOCAL: "AF_UNIX",
  AF_ROUTE: "AF_NETLINK",
  PF_FILE: "PF_UNIX",
  PF_LOCAL: "PF_UNIX",
  PF_ROUTE: "PF_NETLINK",
  IPPROTO_HOPOPTS: "IPPROTO_IP",
  MSG_TRYHARD: "MSG_DONTROUTE",
  SO_GET_FILTER: "SO_ATTACH_FILTER",
  SO_DETACH_BPF: "SO_DETACH_FILTER",
  TCP_CM_INQ: "TCP_INQ",
  IP_PMTUDISC: "IP_MTU_DISCOVER",
  IP_RECVORIGDSTADDR: "IP_ORIGDSTADDR",
  IP_RECVRETOPTS: "IP_RETOPTS",
  IPV6_ADD_MEMBERSHIP: "IPV6_JOIN_GROUP",
  IPV6_DROP_MEMBERSHIP: "IPV6_LEAVE_GROUP",
  IPV6_RECVORIGDSTADDR: "IPV6_ORIGDSTADDR",
  IPV6_RXDSTOPTS: "IPV6_DSTOPTS",
  IPV6_RXHOPOPTS: "IPV6_HOPOPTS",
  INADDR_NONE: "INADDR_BROADCAST",
  NETLINK_INET_DIAG: "NETLINK_SOCK_DIAG",
};

/**
 * Value sets that share a prefix with a main list: values of an option rather than options
 * (`SOCK_SNDBUF_LOCK` for `SO_BUF_LOCK`, `IP_PMTUDISC_DO` for `IP_MTU_DISCOVER`, the TCP states of
 * `tcp_info`, `IPV6_PREFER_SRC_*` flags, `UDP_ENCAP_*` kinds for `UDP_ENCAP`), fields of a
 * structure (`SO_EE_ORIGIN_*`), options of another level (`SO_J1939_*`, `SO_VM_SOCKETS_*`, the
 * `SOL_NETLINK` options `NETLINK_*` beside the netlink protocols), limits (`TCP_MSS`,
 * `IP_MAX_MEMBERSHIPS`).
 */
export const SECONDARY: readonly RegExp[] = [
  /^SOCK_(?:SNDBUF_LOCK|RCVBUF_LOCK|BUF_LOCK_MASK|TXREHASH_\w+|IOC_TYPE)$/,
  /^SO_(?:EE|VM_SOCKETS|J1939|RDS)_/,
  /^SCM_(?:TSTAMP|J1939|CAN)_/,
  /^TCP_(?:ESTABLISHED|SYN_SENT|SYN_RECV|FIN_WAIT[12]|TIME_WAIT|CLOSE|CLOSE_WAIT|LAST_ACK)$/,
  /^TCP_(?:LISTEN|CLOSING)$/,
  /^TCP_(?:NO_QUEUE|RECV_QUEUE|SEND_QUEUE|QUEUES_NR|REPAIR_ON|REPAIR_OFF|REPAIR_OFF_NO_WP)$/,
  /^TCP_(?:MSS|MSS_DEFAULT|MSS_DESIRED|MAXWIN|MAX_WINSHIFT|MD5SIG_MAXKEYLEN|S_DATA_IN|S_DATA_OUT)$/,
  /^TCP_(?:CA|COOKIE|MD5SIG_FLAG)_/,
  /^IP_(?:PMTUDISC_\w+|DEFAULT_MULTICAST_\w+|MAX_MEMBERSHIPS)$/,
  /^IPV6_(?:PMTUDISC|FL|PRIORITY|TLV|PREFER_SRC)_/,
  /^IPV6_(?:RTHDR_LOOSE|RTHDR_STRICT|RTHDR_TYPE_0|FLOWINFO_FLOWLABEL|FLOWINFO_PRIORITY)$/,
  /^NETLINK_(?:ADD_MEMBERSHIP|DROP_MEMBERSHIP|PKTINFO|BROADCAST_ERROR|NO_ENOBUFS|RX_RING)$/,
  /^NETLINK_(?:TX_RING|LISTEN_ALL_NSID|LIST_MEMBERSHIPS|CAP_ACK|EXT_ACK|GET_STRICT_CHK)$/,
  /^NETLINK_(?:UNCONNECTED|CONNECTED)$/,
  /^UDP_ENCAP_/,
];

/** Whether `name` belongs to a secondary value set ({@linkcode SECONDARY}). */
export function isSecondary(name: string): boolean {
  return SECONDARY.some((re) => re.test(name));
}

/** Whether `name` is an alias: listed in {@linkcode ALIASES}, or an `_OLD` / `_NEW` spelling. */
export function isAlias(name: string): boolean {
  return Object.hasOwn(ALIASES, name) || /_(?:OLD|NEW)$/.test(name);
}

/** Sorts names best first by the rule of the module doc. */
export function compareNames(a: string, b: string): number {
  return Number(isSecondary(a)) - Number(isSecondary(b)) ||
    Number(isAlias(a)) - Number(isAlias(b)) ||
    a.length - b.length ||
    (a < b ? -1 : a > b ? 1 : 0);
}

const indexes = new WeakMap<ConstantTable, Map<string, ReadonlyMap<number, string>>>();

/**
 * The preferred name of `value` among the names of `table` that start with `prefix + "_"`, or
 * `undefined`. With `mainOnly`, names of secondary value sets are not considered at all.
 */
export function canonicalName(
  table: ConstantTable,
  prefix: string,
  value: number,
  mainOnly = false,
): string | undefined {
  let byPrefix = indexes.get(table);
  if (!byPrefix) indexes.set(table, byPrefix = new Map());
  const key = `${mainOnly ? "main:" : ""}${prefix}`;
  let index = byPrefix.get(key);
  if (!index) {
    const names = Object.keys(table)
      .filter((n) => n.startsWith(`${prefix}_`) && n.length > prefix.length + 1)
      .filter((n) => !(mainOnly && isSecondary(n)))
      .sort(compareNames);
    const map = new Map<number, string>();
    for (const name of names) {
      const v = table[name];
      if (v !== undefined && !map.has(v)) map.set(v, name);
    }
    byPrefix.set(key, index = map);
  }
  return index.get(value);
}
