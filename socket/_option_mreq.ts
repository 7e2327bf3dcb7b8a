/**
 * Codecs of the address-carrying option values: `struct in_addr`
 * (`IP_MULTICAST_IF`), `struct ip_mreq`, `struct ip_mreqn`,
 * `struct ip_mreq_source` (ip(7)) and `struct ipv6_mreq` (ipv6(7)).
 * Addresses are text, converted by `inetPton`/`inetNtop`; they travel in
 * network byte order, the interface index in host order.
 *
 * @module
 */
import { inetNtop, inetPton } from "./address.ts";
import {
  checkInteger,
  checkStruct,
  fixedCodec,
  INT_MAX,
  LE,
  type OptionCodec,
  UINT32_MAX,
  view,
} from "./_option_codec.ts";
import { quote } from "./_quote.ts";

/** The 4 bytes of an IPv4 address in `value`, or the `TypeError` naming `what`. */
function ipv4(value: unknown, what: string): Uint8Array {
  if (typeof value !== "string") {
    throw new TypeError(`${what} must be an IPv4 address string, got ${quote(value)}`);
  }
  try {
    return inetPton("inet", value);
  } catch {
    throw new TypeError(`${what} must be an IPv4 address, got ${quote(value)}`);
  }
}

/** The 16 bytes of an IPv6 address in `value`, or the `TypeError` naming `what`. */
function ipv6(value: unknown, what: string): Uint8Array {
  if (typeof value !== "string") {
    throw new TypeError(`${what} must be an IPv6 address string, got ${quote(value)}`);
  }
  try {
    return inetPton("inet6", value);
  } catch {
    throw new TypeError(`${what} must be an IPv6 address, got ${quote(value)}`);
  }
}

function text4(bytes: Uint8Array, at: number): string {
  return inetNtop("inet", bytes.subarray(at, at + 4));
}

/** {@linkcode fixedCodec} over the struct's bytes rather than a DataView. */
function struct<T>(
  name: string,
  size: number,
  write: (out: Uint8Array, value: unknown) => void,
  read: (bytes: Uint8Array) => T,
): OptionCodec<T> {
  const bytesOf = (v: DataView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return fixedCodec(name, size, (v, value) => write(bytesOf(v), value), (v) => read(bytesOf(v)));
}

/**
 * `struct in_addr` (4 bytes, network order) ⇄ IPv4 text: the interface address
 * of `IP_MULTICAST_IF` (`"0.0.0.0"` lets the kernel choose).
 */
export const inAddr: OptionCodec<string> = struct<string>(
  "in_addr",
  4,
  (out, v) => out.set(ipv4(v, "An in_addr option value")),
  (b) => text4(b, 0),
);

/**
 * `IP_ADD_MEMBERSHIP`'s `struct ip_mreq` (ip(7)): a group and the address of
 * the interface to join it on. Linux's registry uses {@linkcode IpMreqn},
 * which takes this shape too.
 *
 * @example
 * ```ts
 * import { codecs, type IpMreq } from "./options.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const join: IpMreq = { multiaddr: "224.0.0.251", interface: "192.0.2.1" };
 * assertEquals([...codecs.ipMreq.encode(join)], [224, 0, 0, 251, 192, 0, 2, 1]);
 * ```
 */
export interface IpMreq {
  /** `imr_multiaddr`: the IPv4 multicast group. */
  multiaddr: string;
  /** `imr_interface`: the local interface's IPv4 address; `"0.0.0.0"` (the default) lets the kernel choose. */
  interface?: string;
}

/** `struct ip_mreq { struct in_addr imr_multiaddr, imr_interface; }` (8 bytes). */
export const ipMreq: OptionCodec<IpMreq> = struct<IpMreq>("ip_mreq", 8, (out, v) => {
  const s = checkStruct(v, "ip_mreq", "{ multiaddr, interface }");
  out.set(ipv4(s.multiaddr, "multiaddr of a struct ip_mreq"), 0);
  out.set(ipv4(s.interface ?? "0.0.0.0", "interface of a struct ip_mreq"), 4);
}, (b) => ({ multiaddr: text4(b, 0), interface: text4(b, 4) }));

/**
 * Linux's `struct ip_mreqn` (ip(7)): a group, and the interface by index or by
 * address (the index wins when both are given).
 *
 * @example Joining 239.1.2.3 on interface 2
 * ```ts
 * import { encodeOption, type IpMreqn, resolveOption } from "./options.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const join: IpMreqn = { multiaddr: "239.1.2.3", ifindex: 2 };
 * const bytes = encodeOption(resolveOption("IPPROTO_IP", "IP_ADD_MEMBERSHIP"), join);
 * assertEquals([...bytes], [239, 1, 2, 3, 0, 0, 0, 0, 2, 0, 0, 0]);
 * ```
 */
export interface IpMreqn {
  /** `imr_multiaddr`: the IPv4 multicast group. */
  multiaddr: string;
  /** `imr_address`: the local interface's IPv4 address (default `"0.0.0.0"`). */
  address?: string;
  /** `imr_ifindex`: the interface index (default 0, any). */
  ifindex?: number;
}

/**
 * `struct ip_mreqn { struct in_addr imr_multiaddr, imr_address; int imr_ifindex; }`
 * (12 bytes). The `ip_mreq` shape `{ multiaddr, interface }` is taken too, its
 * `interface` as `address`: the two structs begin alike.
 */
export const ipMreqn: OptionCodec<IpMreqn> = struct<IpMreqn>("ip_mreqn", 12, (out, v) => {
  const s = checkStruct(v, "ip_mreqn", "{ multiaddr, address, ifindex }");
  if (s.address !== undefined && s.interface !== undefined) {
    throw new TypeError(
      `A struct ip_mreqn takes address or interface (the same field), not both: ${quote(v)}`,
    );
  }
  out.set(ipv4(s.multiaddr, "multiaddr of a struct ip_mreqn"), 0);
  out.set(ipv4(s.address ?? s.interface ?? "0.0.0.0", "address of a struct ip_mreqn"), 4);
  const ifindex = checkInteger(s.ifindex ?? 0, "ifindex of a struct ip_mreqn", 0, INT_MAX);
  view(out).setInt32(8, ifindex, LE);
}, (b) => ({ multiaddr: text4(b, 0), address: text4(b, 4), ifindex: view(b).getInt32(8, LE) }));

/**
 * `IP_ADD_SOURCE_MEMBERSHIP`'s `struct ip_mreq_source` (ip(7)): source-specific
 * multicast, and the source of `IP_BLOCK_SOURCE`/`IP_UNBLOCK_SOURCE`.
 *
 * @example
 * ```ts
 * import { encodeOption, type IpMreqSource, resolveOption } from "./options.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const ssm: IpMreqSource = { multiaddr: "232.1.1.1", sourceaddr: "192.0.2.9" };
 * const bytes = encodeOption(resolveOption("IPPROTO_IP", "IP_ADD_SOURCE_MEMBERSHIP"), ssm);
 * assertEquals([...bytes.subarray(8)], [192, 0, 2, 9]);
 * ```
 */
export interface IpMreqSource {
  /** `imr_multiaddr`: the IPv4 multicast group. */
  multiaddr: string;
  /** `imr_interface`: the local interface's IPv4 address (default `"0.0.0.0"`). */
  interface?: string;
  /** `imr_sourceaddr`: the source to receive from (or block). */
  sourceaddr: string;
}

/** `struct ip_mreq_source { struct in_addr imr_multiaddr, imr_interface, imr_sourceaddr; }` (12 bytes). */
export const ipMreqSource: OptionCodec<IpMreqSource> = struct<IpMreqSource>(
  "ip_mreq_source",
  12,
  (out, v) => {
    const s = checkStruct(v, "ip_mreq_source", "{ multiaddr, interface, sourceaddr }");
    out.set(ipv4(s.multiaddr, "multiaddr of a struct ip_mreq_source"), 0);
    out.set(ipv4(s.interface ?? "0.0.0.0", "interface of a struct ip_mreq_source"), 4);
    out.set(ipv4(s.sourceaddr, "sourceaddr of a struct ip_mreq_source"), 8);
  },
  (b) => ({ multiaddr: text4(b, 0), interface: text4(b, 4), sourceaddr: text4(b, 8) }),
);

/**
 * `IPV6_JOIN_GROUP`'s `struct ipv6_mreq` (ipv6(7)): a group and the interface
 * index to join it on.
 *
 * @example
 * ```ts
 * import { decodeOption, encodeOption, type Ipv6Mreq, resolveOption } from "./options.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const spec = resolveOption("IPPROTO_IPV6", "IPV6_JOIN_GROUP");
 * const join: Ipv6Mreq = { multiaddr: "FF02::FB", ifindex: 3 };
 * assertEquals(decodeOption(spec, encodeOption(spec, join)), { multiaddr: "ff02::fb", ifindex: 3 });
 * ```
 */
export interface Ipv6Mreq {
  /** `ipv6mr_multiaddr`: the IPv6 multicast group. */
  multiaddr: string;
  /** `ipv6mr_interface`: the interface index (default 0, the kernel chooses). */
  ifindex?: number;
}

/** `struct ipv6_mreq { struct in6_addr ipv6mr_multiaddr; unsigned ipv6mr_interface; }` (20 bytes). */
export const ipv6Mreq: OptionCodec<Ipv6Mreq> = struct<Ipv6Mreq>("ipv6_mreq", 20, (out, v) => {
  const s = checkStruct(v, "ipv6_mreq", "{ multiaddr, ifindex }");
  out.set(ipv6(s.multiaddr, "multiaddr of a struct ipv6_mreq"), 0);
  const ifindex = checkInteger(s.ifindex ?? 0, "ifindex of a struct ipv6_mreq", 0, UINT32_MAX);
  view(out).setUint32(16, ifindex, LE);
}, (b) => ({
  multiaddr: inetNtop("inet6", b.subarray(0, 16)),
  ifindex: view(b).getUint32(16, LE),
}));
