/**
 * Socket options: for each (level, name) of the running OS, the codec of its
 * value and whether the kernel lets it be set or read, plus typed helpers for
 * the common ones.
 *
 * - **Registry**: `resolveOption(level, name)` takes numbers or C names
 *   (`"SOL_SOCKET"`, `"SO_KEEPALIVE"`) and gives an {@linkcode OptionSpec};
 *   `encodeOption`/`decodeOption` turn values into the bytes of
 *   `setsockopt(2)`/`getsockopt(2)` and back; `optionName` names an option for
 *   messages; `lookupOption` and `listOptions` explore. It covers Linux's
 *   `SOL_SOCKET`, `IPPROTO_IP`, `IPPROTO_IPV6`, `IPPROTO_TCP`, `IPPROTO_UDP`,
 *   `SOL_PACKET` and `SOL_NETLINK` options (those the constants table of the
 *   running OS names), and macOS's where they differ.
 * - **Codecs** (`codecs`): `int`, `bool` (0/1 ⇄ boolean), `uint32`, `uint64`
 *   (bigint), `byte`, `gsoSize`, `linger` (`{ onoff, linger }`), `timeval` (milliseconds),
 *   `ucred`, `soTimestamping`, `inAddr`, `ipMreq`, `ipMreqn`, `ipMreqSource`, `ipv6Mreq` (addresses
 *   as text), `tcpInfo` (Linux's whole `struct tcp_info`), `string`, `bytes`.
 *   Layouts are checked against gcc and the system headers by
 *   `tests/options_layout_test.ts`.
 * - **Helpers**: `setKeepAlive`, `getKeepAlive`, `setNoDelay`, `setLinger`,
 *   `setReuseAddress`, `setReusePort`, `setBroadcast`, `setRecvBufferSize`,
 *   `setSendBufferSize`, `setV6Only`, `tcpInfo`, on any object with the
 *   `Socket`'s `setsockopt`/`getsockopt`.
 * - **UDP GSO and GRO** (Linux): `setUdpSegment` and the per-send ancillary item
 *   `udpSegmentAncillary` (`UDP_SEGMENT`, codec `gsoSize`), `setUdpGro` and
 *   `groSegmentSize`, which reads the segment size a `UDP_GRO` receive reports.
 *
 * Values are checked before any system call: a wrong type or shape is a
 * `TypeError`, a fractional or out-of-range number a `RangeError`, each naming
 * the option and quoting the value. What the kernel refuses (a read-only
 * option, a value out of its own range) is its `SocketError`, with its errno.
 *
 * @example Encoding a value and decoding it back
 * ```ts
 * import { decodeOption, encodeOption, resolveOption } from "@bsdsock/socket/options";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const spec = resolveOption("SOL_SOCKET", "SO_RCVTIMEO");
 * assertEquals(spec.codec.name, "timeval");
 * const bytes = encodeOption(spec, 1500); // 1.5 s
 * assertEquals(bytes.length, 16);
 * assertEquals(decodeOption(spec, bytes), 1500);
 * assertThrows(() => encodeOption(spec, -1), RangeError, "SOL_SOCKET/SO_RCVTIMEO");
 * ```
 *
 * @example Joining a multicast group (the bytes of `struct ip_mreqn`)
 * ```ts
 * import { encodeOption, resolveOption } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const join = resolveOption("IPPROTO_IP", "IP_ADD_MEMBERSHIP");
 * assertEquals(join.writeOnly, true);
 * const bytes = encodeOption(join, { multiaddr: "239.1.2.3", ifindex: 2 });
 * assertEquals([...bytes.subarray(0, 4)], [239, 1, 2, 3]);
 * ```
 *
 * @example Unknown numbers pass, unknown names do not
 * ```ts
 * import { encodeOption, optionName, resolveOption } from "@bsdsock/socket/options";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const spec = resolveOption("SOL_SOCKET", 4242);
 * assertEquals(optionName(spec.level, spec.name), "SOL_SOCKET/4242");
 * assertEquals(encodeOption(spec, 1).length, 4);
 * assertThrows(() => resolveOption("SOL_SOCKET", "SO_NOPE"), TypeError, '"SO_NOPE"');
 * ```
 *
 * @module
 */
export type { OptionCodec } from "./_codec.ts";
export { bytesCodec, type Codecs, codecs, stringCodec } from "./codecs.ts";
export type {
  IpMreq,
  IpMreqn,
  IpMreqSource,
  Ipv6Mreq,
  Linger,
  SoTimestamping,
  Ucred,
} from "./structs.ts";
export type { TcpInfo } from "./tcp_info.ts";
export {
  decodeOption,
  encodeOption,
  listOptions,
  lookupOption,
  optionName,
  type OptionSpec,
  resolveOption,
} from "./registry.ts";
export {
  getKeepAlive,
  type KeepAlive,
  type OptionTarget,
  setBroadcast,
  setKeepAlive,
  setLinger,
  setNoDelay,
  setRecvBufferSize,
  setReuseAddress,
  setReusePort,
  setSendBufferSize,
  setV6Only,
  tcpInfo,
} from "./helpers.ts";
export {
  groSegmentSize,
  GSO_SIZE_MAX,
  setUdpGro,
  setUdpSegment,
  type UdpAncillary,
  udpSegmentAncillary,
} from "./udp.ts";
