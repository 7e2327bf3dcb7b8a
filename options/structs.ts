/**
 * The codecs of the C structs that socket options take: `linger`, `ucred`, `so_timestamping`,
 * `in_addr`, and the multicast requests `ip_mreq`, `ip_mreqn`, `ip_mreq_source`, `ipv6_mreq`.
 *
 * @module
 */
import { checkInt, INT_MAX, INT_MIN, littleEndian, quote, UINT32_MAX } from "../_internal/check.ts";
import { inetNtop, inetPton } from "../address/inet.ts";
import {
  checkFlag,
  checkLength,
  checkStruct,
  fixedCodec,
  type OptionCodec,
  view,
} from "./_codec.ts";

/**
 * The value of `SO_LINGER` (`struct linger`, socket(7)).
 *
 * @example
 * ```ts
 * import { decodeOption, encodeOption, type Linger, resolveOption } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const spec = resolveOption("SOL_SOCKET", "SO_LINGER");
 * const value: Linger = { onoff: true, linger: 10 };
 * assertEquals(decodeOption(spec, encodeOption(spec, value)), value);
 * ```
 */
export interface Linger {
  /** `l_onoff`: whether `close(2)` lingers. 0 and 1 are taken too. */
  onoff: boolean;
  /** `l_linger`: how long it lingers, in seconds (C `int`). */
  linger: number;
}

/** `struct linger { int l_onoff; int l_linger; }` (8 bytes) ⇄ `{ onoff, linger }`. */
export const linger: OptionCodec<Linger> = fixedCodec<Linger>("linger", 8, (v, x) => {
  const s = checkStruct(x, "linger", "{ onoff, linger }");
  const onoff = checkFlag(s.onoff, "onoff of a struct linger");
  const seconds = checkInt(s.linger, "linger of a struct linger", INT_MIN, INT_MAX);
  v.setInt32(0, onoff ? 1 : 0, littleEndian);
  v.setInt32(4, seconds, littleEndian);
}, (v) => ({ onoff: v.getInt32(0, littleEndian) !== 0, linger: v.getInt32(4, littleEndian) }));

/**
 * `struct timeval { time_t tv_sec; suseconds_t tv_usec; }` (16 bytes, two
 * 64-bit fields) ⇄ milliseconds, as `SO_RCVTIMEO`/`SO_SNDTIMEO` take them.
 *
 * `0` (and `Infinity`) mean no timeout, as in C. A fraction of a millisecond is
 * kept to the microsecond, rounded up so a positive timeout never becomes 0.
 * Decoding gives `tv_sec * 1000 + tv_usec / 1000`.
 */
export const timeval: OptionCodec<number> = fixedCodec<number>(
  "timeval",
  16,
  (v, x) => {
    if (typeof x !== "number") {
      throw new TypeError(
        `A timeval option value must be milliseconds (a number), got ${quote(x)}`,
      );
    }
    if (Number.isNaN(x) || x < 0) {
      throw new RangeError(
        `A timeval option value must be milliseconds from 0 (no timeout), got ${quote(x)}`,
      );
    }
    let micros = x === Infinity ? 0 : Math.round(x * 1000);
    if (micros === 0 && x > 0 && x !== Infinity) micros = 1;
    if (micros > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(
        `A timeval option value must be at most ${Number.MAX_SAFE_INTEGER / 1000} milliseconds, ` +
          `got ${quote(x)}`,
      );
    }
    const us = BigInt(micros);
    v.setBigInt64(0, us / 1_000_000n, littleEndian);
    v.setBigInt64(8, us % 1_000_000n, littleEndian);
  },
  (v) =>
    Number(v.getBigInt64(0, littleEndian)) * 1000 + Number(v.getBigInt64(8, littleEndian)) / 1000,
);

/**
 * The value of `SO_PEERCRED` (`struct ucred`, unix(7)): the peer's credentials
 * at `connect` (read-only).
 *
 * @example
 * ```ts
 * import { codecs, type Ucred } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const bytes = new Uint8Array([0xd2, 4, 0, 0, 0xe8, 3, 0, 0, 100, 0, 0, 0]);
 * const peer: Ucred = codecs.ucred.decode(bytes);
 * assertEquals(peer, { pid: 1234, uid: 1000, gid: 100 });
 * ```
 */
export interface Ucred {
  /** The peer's process id (`pid_t`). */
  pid: number;
  /** Its effective user id (`uid_t`). */
  uid: number;
  /** Its effective group id (`gid_t`). */
  gid: number;
}

/** `struct ucred { pid_t pid; uid_t uid; gid_t gid; }` (12 bytes) ⇄ `{ pid, uid, gid }`. */
export const ucred: OptionCodec<Ucred> = fixedCodec<Ucred>(
  "ucred",
  12,
  (v, x) => {
    const s = checkStruct(x, "ucred", "{ pid, uid, gid }");
    v.setInt32(0, checkInt(s.pid, "pid of a struct ucred", INT_MIN, INT_MAX), littleEndian);
    v.setUint32(4, checkInt(s.uid, "uid of a struct ucred", 0, UINT32_MAX), littleEndian);
    v.setUint32(8, checkInt(s.gid, "gid of a struct ucred", 0, UINT32_MAX), littleEndian);
  },
  (v) => ({
    pid: v.getInt32(0, littleEndian),
    uid: v.getUint32(4, littleEndian),
    gid: v.getUint32(8, littleEndian),
  }),
);

/**
 * The value of `SO_TIMESTAMPING` (`struct so_timestamping`, `<linux/net_tstamp.h>`).
 *
 * @example
 * ```ts
 * import { codecs, type SoTimestamping } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const value: SoTimestamping = { flags: 0x58, bindPhc: 0 }; // RX software | software | raw hardware
 * assertEquals(codecs.soTimestamping.decode(codecs.soTimestamping.encode(value)), value);
 * ```
 */
export interface SoTimestamping {
  /** `SOF_TIMESTAMPING_*` bits. */
  flags: number;
  /**
   * The PTP virtual clock to bind to, with `SOF_TIMESTAMPING_BIND_PHC` (Linux
   * 5.15+; 0 when left out). Absent when the kernel returned only the flags.
   */
  bindPhc?: number;
}

/**
 * `struct so_timestamping { int flags; int bind_phc; }` (8 bytes) ⇄
 * `{ flags, bindPhc }`; a plain number is taken as `flags`. The kernel takes
 * the struct or a lone `int`, and returns as much of the struct as asked for.
 */
export const soTimestamping: OptionCodec<SoTimestamping> = Object.freeze({
  name: "so_timestamping",
  size: 8,
  encode(value: SoTimestamping | number): Uint8Array {
    const s = typeof value === "number"
      ? { flags: value }
      : checkStruct(value, "so_timestamping", "{ flags, bindPhc } (or the flags as a number)");
    const out = new Uint8Array(8);
    const v = view(out);
    v.setInt32(
      0,
      checkInt(s.flags, "flags of a struct so_timestamping", INT_MIN, INT_MAX),
      littleEndian,
    );
    const phc = s.bindPhc ?? 0;
    v.setInt32(
      4,
      checkInt(phc, "bindPhc of a struct so_timestamping", INT_MIN, INT_MAX),
      littleEndian,
    );
    return out;
  },
  decode(bytes: Uint8Array): SoTimestamping {
    const v = view(checkLength(bytes, 4, "so_timestamping"));
    const flags = v.getInt32(0, littleEndian);
    return bytes.length >= 8 ? { flags, bindPhc: v.getInt32(4, littleEndian) } : { flags };
  },
});

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
 * import { codecs, type IpMreq } from "@bsdsock/socket/options";
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
 * import { encodeOption, type IpMreqn, resolveOption } from "@bsdsock/socket/options";
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
export const ipMreqn: OptionCodec<IpMreqn> = struct<IpMreqn>(
  "ip_mreqn",
  12,
  (out, v) => {
    const s = checkStruct(v, "ip_mreqn", "{ multiaddr, address, ifindex }");
    if (s.address !== undefined && s.interface !== undefined) {
      throw new TypeError(
        `A struct ip_mreqn takes address or interface (the same field), not both: ${quote(v)}`,
      );
    }
    out.set(ipv4(s.multiaddr, "multiaddr of a struct ip_mreqn"), 0);
    out.set(ipv4(s.address ?? s.interface ?? "0.0.0.0", "address of a struct ip_mreqn"), 4);
    const ifindex = checkInt(s.ifindex ?? 0, "ifindex of a struct ip_mreqn", 0, INT_MAX);
    view(out).setInt32(8, ifindex, littleEndian);
  },
  (b) => ({
    multiaddr: text4(b, 0),
    address: text4(b, 4),
    ifindex: view(b).getInt32(8, littleEndian),
  }),
);

/**
 * `IP_ADD_SOURCE_MEMBERSHIP`'s `struct ip_mreq_source` (ip(7)): source-specific
 * multicast, and the source of `IP_BLOCK_SOURCE`/`IP_UNBLOCK_SOURCE`.
 *
 * @example
 * ```ts
 * import { encodeOption, type IpMreqSource, resolveOption } from "@bsdsock/socket/options";
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
 * import { decodeOption, encodeOption, type Ipv6Mreq, resolveOption } from "@bsdsock/socket/options";
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
  const ifindex = checkInt(s.ifindex ?? 0, "ifindex of a struct ipv6_mreq", 0, UINT32_MAX);
  view(out).setUint32(16, ifindex, littleEndian);
}, (b) => ({
  multiaddr: inetNtop("inet6", b.subarray(0, 16)),
  ifindex: view(b).getUint32(16, littleEndian),
}));
