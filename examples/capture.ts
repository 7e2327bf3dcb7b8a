/**
 * `capture IFACE`: a packet capture printing one line per TCP, UDP and ICMP
 * packet, the way `tcpdump -n -S` prints them (absolute sequence numbers). It
 * reads a packet socket, `socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL))`
 * bound to the interface, which hands over every packet from the IP header on,
 * with its EtherType and direction in the sender's address (`sockaddr_ll`).
 * Neither Deno nor Node can open one (the `raw-socket` addon no longer builds
 * on Node 20).
 *
 * ```sh
 * sudo deno run --allow-ffi examples/capture.ts lo -c 4
 * ```
 *
 * ```text
 * 04:06:06.876561 IP 127.0.0.1.34116 > 127.0.0.1.8080: Flags [S], seq 3049320062, win 65495, length 0
 * 04:06:06.877916 IP 127.0.0.1.8080 > 127.0.0.1.34116: Flags [S.], seq 2814595501, ack 3049320063, win 65483, length 0
 * 04:06:06.878381 IP 127.0.0.1.34116 > 127.0.0.1.8080: Flags [.], ack 2814595502, win 64, length 0
 * 04:06:06.878839 IP 127.0.0.1.34116 > 127.0.0.1.8080: Flags [P.], seq 3049320063:3049320068, ack 2814595502, win 64, length 5
 * ```
 *
 * `IFACE` is an interface name, or `any`. Options: `-c COUNT` stops after COUNT
 * packets. It runs until then, or until Ctrl-C, and says on stderr how many
 * packets it printed. On loopback each packet passes twice (out, then in); like
 * libpcap, it shows it once. Needs root or `CAP_NET_RAW`.
 *
 * @module
 */
import {
  ENODEV,
  htons,
  inetNtop,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  linux,
  SOCK_DGRAM,
  type Socket,
  socket,
  SocketError,
} from "../mod.ts";
import { sys } from "../socket/ffi/mod.ts";

// The library's types, which the signatures below name (deno doc wants them public here).
export type * from "../mod.ts";

/** Link-layer numbers (the C names of `<linux/if_ether.h>`, `<linux/if_packet.h>`, `<linux/if_arp.h>`). */
export const LINK = {
  ETH_P_ALL: 0x0003,
  ETH_P_IP: 0x0800,
  ETH_P_IPV6: 0x86dd,
  PACKET_OUTGOING: 4,
  ARPHRD_LOOPBACK: 772,
} as const;

/** ICMP types and codes (RFC 792, RFC 4443; `<netinet/ip_icmp.h>`, `<netinet/icmp6.h>`). */
export const ICMP = {
  ICMP_ECHO: 8,
  ICMP_ECHOREPLY: 0,
  ICMP_DEST_UNREACH: 3,
  ICMP_PORT_UNREACH: 3,
  ICMP_TIME_EXCEEDED: 11,
  ICMP6_ECHO_REQUEST: 128,
  ICMP6_ECHO_REPLY: 129,
  ICMP6_DST_UNREACH: 1,
  ICMP6_DST_UNREACH_NOPORT: 4,
  ICMP6_TIME_EXCEEDED: 3,
} as const;

/** One decoded packet. */
export interface Packet {
  /** When it was read, milliseconds since the epoch (with microseconds). */
  time: number;
  /** The line after the time, as `tcpdump -n -S` writes it. */
  text: string;
}

const TCP_FLAGS: [number, string][] = [
  [0x02, "S"],
  [0x01, "F"],
  [0x04, "R"],
  [0x08, "P"],
  [0x20, "U"],
  [0x40, "E"],
  [0x80, "W"],
];

/**
 * The transport part of a line: ports and TCP flags, UDP length, ICMP type.
 *
 * @param proto The IP protocol number.
 * @param src Source address, as text.
 * @param dst Destination address, as text.
 * @param p The transport header and payload.
 * @param v6 Whether the packet is IPv6 (ICMPv6 rather than ICMP).
 * @returns The text, or `undefined` for a protocol other than TCP, UDP, ICMP.
 */
export function describeTransport(
  proto: number,
  src: string,
  dst: string,
  p: Uint8Array,
  v6: boolean,
): string | undefined {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  if (proto === IPPROTO_TCP && p.length >= 20) {
    const off = (p[12] >> 4) * 4;
    const flags = p[13];
    const len = Math.max(0, p.length - off);
    let f = TCP_FLAGS.filter(([bit]) => flags & bit).map(([, c]) => c).join("");
    if (flags & 0x10) f += ".";
    const seq = v.getUint32(4);
    let text = `${src}.${v.getUint16(0)} > ${dst}.${v.getUint16(2)}: Flags [${f || "none"}]`;
    if (len > 0 || flags & 0x07) text += `, seq ${seq}${len ? `:${(seq + len) >>> 0}` : ""}`;
    if (flags & 0x10) text += `, ack ${v.getUint32(8)}`;
    return `${text}, win ${v.getUint16(14)}, length ${len}`;
  }
  if (proto === IPPROTO_UDP && p.length >= 8) {
    return `${src}.${v.getUint16(0)} > ${dst}.${v.getUint16(2)}: UDP, length ${v.getUint16(4) - 8}`;
  }
  if ((proto === IPPROTO_ICMP && !v6) || (proto === IPPROTO_ICMPV6 && v6)) {
    if (p.length < 8) return undefined;
    const [type, code] = [p[0], p[1]];
    const request = v6 ? ICMP.ICMP6_ECHO_REQUEST : ICMP.ICMP_ECHO;
    const reply = v6 ? ICMP.ICMP6_ECHO_REPLY : ICMP.ICMP_ECHOREPLY;
    const kind = type === request ? "request" : type === reply ? "reply" : "";
    const name = v6 ? "ICMP6, " : "ICMP ";
    if (kind) {
      return `${src} > ${dst}: ${name}echo ${kind}, id ${v.getUint16(4)}, seq ${
        v.getUint16(6)
      }, length ${p.length}`;
    }
    const unreachPort = v6
      ? type === ICMP.ICMP6_DST_UNREACH && code === ICMP.ICMP6_DST_UNREACH_NOPORT
      : type === ICMP.ICMP_DEST_UNREACH && code === ICMP.ICMP_PORT_UNREACH;
    if (unreachPort) {
      // The offending packet follows: its IP header, then its UDP header.
      const inner = p.subarray(8);
      const ihl = v6 ? 40 : (inner[0] & 0x0f) * 4;
      if (inner.length >= ihl + 4) {
        const to = v6
          ? inetNtop("inet6", inner.subarray(24, 40))
          : inetNtop("inet", inner.subarray(16, 20));
        const port = new DataView(inner.buffer, inner.byteOffset + ihl).getUint16(2);
        return `${src} > ${dst}: ${name}${to} udp port ${port} unreachable, length ${p.length}`;
      }
    }
    const exceeded = type === (v6 ? ICMP.ICMP6_TIME_EXCEEDED : ICMP.ICMP_TIME_EXCEEDED);
    if (exceeded) return `${src} > ${dst}: ${name}time exceeded in-transit, length ${p.length}`;
    return `${src} > ${dst}: ${name}type ${type}, code ${code}, length ${p.length}`;
  }
  return undefined;
}

/**
 * A packet from its IP header on (what a `SOCK_DGRAM` packet socket gives),
 * as `tcpdump -n -S` describes it after the time.
 *
 * @param ethertype The packet's EtherType (`ETH_P_IP`, `ETH_P_IPV6`).
 * @param data The packet.
 * @returns `IP …` or `IP6 …`, or `undefined` for a packet that is not TCP, UDP or ICMP over IP.
 */
export function describePacket(ethertype: number, data: Uint8Array): string | undefined {
  if (ethertype === LINK.ETH_P_IP && data.length >= 20 && data[0] >> 4 === 4) {
    const ihl = (data[0] & 0x0f) * 4;
    const total = new DataView(data.buffer, data.byteOffset).getUint16(2);
    const fragOffset = new DataView(data.buffer, data.byteOffset).getUint16(6) & 0x1fff;
    if (fragOffset !== 0) return undefined; // a later fragment carries no transport header
    const src = inetNtop("inet", data.subarray(12, 16));
    const dst = inetNtop("inet", data.subarray(16, 20));
    const rest = describeTransport(data[9], src, dst, data.subarray(ihl, total), false);
    return rest && `IP ${rest}`;
  }
  if (ethertype === LINK.ETH_P_IPV6 && data.length >= 40 && data[0] >> 4 === 6) {
    const payload = new DataView(data.buffer, data.byteOffset).getUint16(4);
    const src = inetNtop("inet6", data.subarray(8, 24));
    const dst = inetNtop("inet6", data.subarray(24, 40));
    const rest = describeTransport(data[6], src, dst, data.subarray(40, 40 + payload), true);
    return rest && `IP6 ${rest}`;
  }
  return undefined;
}

/**
 * Opens a packet socket on `iface` (`"any"`: every interface).
 *
 * @param iface An interface name, or `"any"`.
 * @returns The socket.
 * @throws {SocketError} `EPERM` without `CAP_NET_RAW`; `ENODEV` for an unknown interface.
 */
export function openCapture(iface: string): Socket {
  const ifindex = iface === "any" ? 0 : sys.ifNameToIndex(iface);
  if (ifindex === 0 && iface !== "any") throw new SocketError(ENODEV, "if_nametoindex");
  const s = socket(linux.AF_PACKET, SOCK_DGRAM, htons(LINK.ETH_P_ALL));
  try {
    s.bind({ family: "packet", protocol: LINK.ETH_P_ALL, ifindex });
  } catch (err) {
    s.close();
    throw err;
  }
  return s;
}

/**
 * The TCP, UDP and ICMP packets arriving on `s`, until it is closed.
 *
 * @param s A socket from {@linkcode openCapture}.
 * @returns An async iterator of decoded packets.
 */
export async function* capture(s: Socket): AsyncGenerator<Packet, void, undefined> {
  for await (const [data, addr] of s.datagrams(65536)) {
    const time = performance.timeOrigin + performance.now();
    if (addr.family !== "packet") continue;
    if (addr.pkttype === LINK.PACKET_OUTGOING && addr.hatype === LINK.ARPHRD_LOOPBACK) continue;
    const text = describePacket(addr.protocol, data);
    if (text !== undefined) yield { time, text };
  }
}

/** `HH:MM:SS.uuuuuu` in local time, as tcpdump prints a packet's time. */
export function formatTime(ms: number): string {
  const d = new Date(Math.floor(ms));
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const micros = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000) % 1_000_000;
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(micros, 6)}`;
}

const USAGE = "usage: capture.ts IFACE [-c COUNT]   (IFACE: a name such as lo or eth0, or any)";

if (import.meta.main) {
  let iface: string | undefined;
  let count = Infinity;
  let error: string | undefined;
  for (let i = 0; i < Deno.args.length && !error; i++) {
    const a = Deno.args[i];
    if (a === "-c") {
      count = Number(Deno.args[++i]);
      if (!Number.isInteger(count) || count < 1) error = "-c needs a whole number > 0";
    } else if (a.startsWith("-")) error = `unknown option ${a}`;
    else if (iface === undefined) iface = a;
    else error = `unexpected argument ${a}`;
  }
  if (iface === undefined) error ??= "IFACE is missing";
  if (error || iface === undefined) {
    console.error(`capture: ${error}\n${USAGE}`);
    Deno.exit(2);
  }
  let s: Socket;
  try {
    s = openCapture(iface);
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    const hint = err.code === "EPERM" ? " (a packet socket needs root or CAP_NET_RAW)" : "";
    console.error(`capture: ${iface}: ${err.message}${hint}`);
    Deno.exit(1);
  }
  const stop = () => s.close();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  console.error(`capture: listening on ${iface}, IP packets from the network header on`);
  let printed = 0;
  for await (const packet of capture(s)) {
    console.log(`${formatTime(packet.time)} ${packet.text}`);
    if (++printed >= count) break;
  }
  s.close();
  Deno.removeSignalListener("SIGINT", stop);
  Deno.removeSignalListener("SIGTERM", stop);
  console.error(`${printed} packet${printed === 1 ? "" : "s"} captured`);
}
