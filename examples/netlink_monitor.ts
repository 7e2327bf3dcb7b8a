/**
 * `netlink_monitor`: network interfaces and addresses coming and going, printed
 * as `ip monitor link address` prints them (one line per event). It listens on
 * an rtnetlink socket, `socket(linux.AF_NETLINK, SOCK_RAW, linux.NETLINK_ROUTE)`, bound to
 * the multicast groups of links and IPv4/IPv6 addresses, and decodes the
 * kernel's `RTM_NEWLINK`/`RTM_DELLINK`/`RTM_NEWADDR`/`RTM_DELADDR` messages:
 * what a VPN client, a DHCP hook or a service that rebinds on address changes
 * needs, and what `Deno.networkInterfaces()` and `os.networkInterfaces()` can
 * only poll for.
 *
 * ```sh
 * deno run --allow-ffi examples/netlink_monitor.ts
 * ```
 *
 * ```text
 * 2: v1: <BROADCAST,MULTICAST> mtu 1500 state DOWN link/ether 76:2d:79:dd:91:8b
 * 3: v0: <BROADCAST,MULTICAST> mtu 1500 state DOWN link/ether 46:dd:b7:45:04:82
 * 3: v0    inet 10.9.0.1/24 scope global v0
 * 3: v0    inet6 fd00:9::1/64 scope global
 * Deleted 3: v0    inet 10.9.0.1/24 scope global v0
 * ```
 *
 * It runs until SIGINT or SIGTERM. The numbers of the rtnetlink messages are in
 * {@linkcode RTNL}, from `<linux/netlink.h>`, `<linux/rtnetlink.h>`,
 * `<linux/if_link.h>`, `<linux/if_addr.h>` and `<net/if.h>`.
 *
 * @module
 */
import { inetNtop, linux, SOCK_RAW, type Socket, socket } from "../mod.ts";

// The library's types, which the signatures below name (deno doc wants them public here).
export type * from "../mod.ts";

/** rtnetlink numbers (the C names of the Linux headers). */
export const RTNL = {
  NLMSG_ERROR: 2,
  NLMSG_DONE: 3,
  NLM_F_REQUEST: 0x1,
  NLM_F_DUMP: 0x300,
  RTM_NEWLINK: 16,
  RTM_DELLINK: 17,
  RTM_GETLINK: 18,
  RTM_NEWADDR: 20,
  RTM_DELADDR: 21,
  RTMGRP_LINK: 0x1,
  RTMGRP_IPV4_IFADDR: 0x10,
  RTMGRP_IPV6_IFADDR: 0x100,
  IFLA_ADDRESS: 1,
  IFLA_IFNAME: 3,
  IFLA_MTU: 4,
  IFLA_OPERSTATE: 16,
  IFA_ADDRESS: 1,
  IFA_LOCAL: 2,
  IFA_LABEL: 3,
  RT_SCOPE_UNIVERSE: 0,
  RT_SCOPE_SITE: 200,
  RT_SCOPE_LINK: 253,
  RT_SCOPE_HOST: 254,
  RT_SCOPE_NOWHERE: 255,
  IFF_UP: 0x1,
  IFF_BROADCAST: 0x2,
  IFF_LOOPBACK: 0x8,
  IFF_POINTOPOINT: 0x10,
  IFF_NOARP: 0x80,
  IFF_PROMISC: 0x100,
  IFF_ALLMULTI: 0x200,
  IFF_MULTICAST: 0x1000,
  IFF_LOWER_UP: 0x10000,
  IFF_DORMANT: 0x20000,
  AF_INET: 2,
  AF_INET6: 10,
  /** `sizeof(struct nlmsghdr)`. */
  NLMSGHDR_SIZE: 16,
  /** `sizeof(struct ifinfomsg)`. */
  IFINFOMSG_SIZE: 16,
  /** `sizeof(struct ifaddrmsg)`. */
  IFADDRMSG_SIZE: 8,
} as const;

/** Interface flags in the order `ip link` prints them. */
const FLAG_NAMES: [number, string][] = [
  [RTNL.IFF_LOOPBACK, "LOOPBACK"],
  [RTNL.IFF_BROADCAST, "BROADCAST"],
  [RTNL.IFF_POINTOPOINT, "POINTOPOINT"],
  [RTNL.IFF_MULTICAST, "MULTICAST"],
  [RTNL.IFF_NOARP, "NOARP"],
  [RTNL.IFF_ALLMULTI, "ALLMULTI"],
  [RTNL.IFF_PROMISC, "PROMISC"],
  [RTNL.IFF_UP, "UP"],
  [RTNL.IFF_LOWER_UP, "LOWER_UP"],
  [RTNL.IFF_DORMANT, "DORMANT"],
];
/** The operational states (`IF_OPER_*` of `<linux/if.h>`, RFC 2863), by number. */
export const OPERSTATES: readonly string[] = [
  "UNKNOWN",
  "NOTPRESENT",
  "DOWN",
  "LOWERLAYERDOWN",
  "TESTING",
  "DORMANT",
  "UP",
];
const SCOPES: Record<number, string> = {
  [RTNL.RT_SCOPE_UNIVERSE]: "global",
  [RTNL.RT_SCOPE_SITE]: "site",
  [RTNL.RT_SCOPE_LINK]: "link",
  [RTNL.RT_SCOPE_HOST]: "host",
  [RTNL.RT_SCOPE_NOWHERE]: "nowhere",
};

/** A link event (`RTM_NEWLINK`, `RTM_DELLINK`). */
export interface LinkEvent {
  /** `"link"`. */
  kind: "link";
  /** `false` for `RTM_DELLINK`. */
  added: boolean;
  /** The interface index. */
  index: number;
  /** The interface name. */
  name: string;
  /** `IFF_*` flags. */
  flags: number;
  /** The MTU. */
  mtu: number;
  /** The operational state (`UP`, `DOWN`, `UNKNOWN`…). */
  state: string;
  /** The link-layer address, `aa:bb:…`, or `""`. */
  address: string;
}

/** An address event (`RTM_NEWADDR`, `RTM_DELADDR`). */
export interface AddressEvent {
  /** `"address"`. */
  kind: "address";
  /** `false` for `RTM_DELADDR`. */
  added: boolean;
  /** The interface index. */
  index: number;
  /** `"inet"` or `"inet6"`. */
  family: "inet" | "inet6";
  /** The address. */
  address: string;
  /** Its prefix length. */
  prefixlen: number;
  /** `global`, `link`, `host`… */
  scope: string;
  /** The IPv4 label (the interface name, or `name:alias`); `""` for IPv6. */
  label: string;
}

/** What {@linkcode rtnlEvents} yields. */
export type RtnlEvent = LinkEvent | AddressEvent;

function attributes(body: Uint8Array, offset: number): Map<number, Uint8Array> {
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const out = new Map<number, Uint8Array>();
  while (offset + 4 <= body.length) {
    const len = v.getUint16(offset, true);
    if (len < 4 || offset + len > body.length) break;
    out.set(v.getUint16(offset + 2, true) & 0x3fff, body.subarray(offset + 4, offset + len));
    offset += (len + 3) & ~3;
  }
  return out;
}

function cString(bytes: Uint8Array | undefined): string {
  if (!bytes) return "";
  const nul = bytes.indexOf(0);
  return new TextDecoder().decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

/**
 * Decodes one rtnetlink message of a link or address type.
 *
 * @param type `nlmsg_type`.
 * @param body What follows the `nlmsghdr`.
 * @returns The event, or `undefined` for another type.
 */
export function decodeRtnl(type: number, body: Uint8Array): RtnlEvent | undefined {
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (type === RTNL.RTM_NEWLINK || type === RTNL.RTM_DELLINK) {
    const a = attributes(body, RTNL.IFINFOMSG_SIZE);
    const mtu = a.get(RTNL.IFLA_MTU);
    const lladdr = a.get(RTNL.IFLA_ADDRESS);
    const oper = a.get(RTNL.IFLA_OPERSTATE)?.[0] ?? 0;
    return {
      kind: "link",
      added: type === RTNL.RTM_NEWLINK,
      index: v.getInt32(4, true),
      name: cString(a.get(RTNL.IFLA_IFNAME)),
      flags: v.getUint32(8, true),
      mtu: mtu ? new DataView(mtu.buffer, mtu.byteOffset).getUint32(0, true) : 0,
      state: OPERSTATES[oper] ?? String(oper),
      address: lladdr ? [...lladdr].map((b) => b.toString(16).padStart(2, "0")).join(":") : "",
    };
  }
  if (type === RTNL.RTM_NEWADDR || type === RTNL.RTM_DELADDR) {
    const family = body[0] === RTNL.AF_INET ? "inet" : body[0] === RTNL.AF_INET6 ? "inet6" : null;
    if (family === null) return undefined;
    const a = attributes(body, RTNL.IFADDRMSG_SIZE);
    // IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's on a point-to-point link.
    const raw = a.get(RTNL.IFA_LOCAL) ?? a.get(RTNL.IFA_ADDRESS);
    if (!raw) return undefined;
    return {
      kind: "address",
      added: type === RTNL.RTM_NEWADDR,
      index: v.getUint32(4, true),
      family,
      address: inetNtop(family, raw),
      prefixlen: body[1],
      scope: SCOPES[body[3]] ?? String(body[3]),
      label: cString(a.get(RTNL.IFA_LABEL)),
    };
  }
  return undefined;
}

/**
 * An event as `ip monitor` prints it (on one line).
 *
 * @param e The event.
 * @param names Interface names by index, for IPv6 addresses (which carry no label).
 * @returns The line.
 */
export function formatEvent(e: RtnlEvent, names: ReadonlyMap<number, string>): string {
  const deleted = e.added ? "" : "Deleted ";
  if (e.kind === "link") {
    const flags = FLAG_NAMES.filter(([bit]) => e.flags & bit).map(([, n]) => n).join(",");
    const ll = e.address
      ? ` link/${e.flags & RTNL.IFF_LOOPBACK ? "loopback" : "ether"} ${e.address}`
      : "";
    return `${deleted}${e.index}: ${e.name}: <${flags}> mtu ${e.mtu} state ${e.state}${ll}`;
  }
  const name = names.get(e.index) || e.label || `if${e.index}`;
  const label = e.label ? ` ${e.label}` : "";
  return `${deleted}${e.index}: ${name}    ${e.family} ${e.address}/${e.prefixlen} scope ${e.scope}${label}`;
}

/**
 * Opens an rtnetlink socket subscribed to link and address events.
 *
 * @returns The socket, bound to `RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR`.
 */
export function openMonitor(): Socket {
  const s = socket(linux.AF_NETLINK, SOCK_RAW, linux.NETLINK_ROUTE);
  try {
    const groups = RTNL.RTMGRP_LINK | RTNL.RTMGRP_IPV4_IFADDR | RTNL.RTMGRP_IPV6_IFADDR;
    s.bind({ family: "netlink", pid: 0, groups });
  } catch (err) {
    s.close();
    throw err;
  }
  return s;
}

/**
 * The events arriving on `s`, decoded, until it is closed. A dump of the links
 * (`RTM_GETLINK`) is asked first, so that every interface has its name; its
 * replies are yielded with `dump: true`.
 *
 * @param s A socket from {@linkcode openMonitor}.
 * @returns An async iterator of `{ event, dump }`.
 */
export async function* rtnlEvents(
  s: Socket,
): AsyncGenerator<{ event: RtnlEvent; dump: boolean }, void, undefined> {
  const seq = 1;
  const req = new Uint8Array(RTNL.NLMSGHDR_SIZE + RTNL.IFINFOMSG_SIZE);
  const rv = new DataView(req.buffer);
  rv.setUint32(0, req.length, true);
  rv.setUint16(4, RTNL.RTM_GETLINK, true);
  rv.setUint16(6, RTNL.NLM_F_REQUEST | RTNL.NLM_F_DUMP, true);
  rv.setUint32(8, seq, true);
  await s.sendto(req, { family: "netlink", pid: 0, groups: 0 });
  for await (const [buf] of s.datagrams(1 << 16)) {
    const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let off = 0; off + RTNL.NLMSGHDR_SIZE <= buf.length;) {
      const len = v.getUint32(off, true);
      if (len < RTNL.NLMSGHDR_SIZE || off + len > buf.length) break;
      const type = v.getUint16(off + 4, true);
      const dump = v.getUint32(off + 8, true) === seq;
      const event = decodeRtnl(type, buf.subarray(off + RTNL.NLMSGHDR_SIZE, off + len));
      if (event) yield { event, dump };
      off += (len + 3) & ~3;
    }
  }
}

if (import.meta.main) {
  if (Deno.args.length > 0) {
    console.error("usage: netlink_monitor.ts (no arguments; Ctrl-C stops it)");
    Deno.exit(2);
  }
  const s = openMonitor();
  const stop = () => s.close();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  const names = new Map<number, string>();
  for await (const { event, dump } of rtnlEvents(s)) {
    if (event.kind === "link") {
      if (event.added) names.set(event.index, event.name);
      else names.delete(event.index);
    }
    if (!dump) console.log(formatEvent(event, names));
  }
  Deno.removeSignalListener("SIGINT", stop);
  Deno.removeSignalListener("SIGTERM", stop);
}
