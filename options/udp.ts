/**
 * UDP segmentation offload (GSO) and receive offload (GRO), udp(7), Linux only.
 *
 * - **GSO** (`UDP_SEGMENT`): one send of up to 64 KiB leaves as a train of
 *   datagrams of the segment size (the last one may be shorter), cut by the
 *   kernel or the NIC. Set it for the socket with {@linkcode setUdpSegment}, or
 *   for one send with the ancillary item {@linkcode udpSegmentAncillary}.
 * - **GRO** (`UDP_GRO`): with {@linkcode setUdpGro}, the kernel may hand over
 *   a train of equal datagrams from one sender as one buffer; the ancillary item
 *   it then attaches carries the segment size, which {@linkcode groSegmentSize}
 *   reads. Receive with room for ancillary data (`recvmsg` / `recvmmsg` with
 *   `ancillarySize` of at least `CMSG_SPACE(4)`, 24 bytes).
 *
 * @example A GSO send and what a GRO receiver reads (the ancillary items as data)
 * ```ts
 * import { groSegmentSize, udpSegmentAncillary } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * if (Deno.build.os === "linux") {
 *   const out = udpSegmentAncillary(1400);
 *   assertEquals([out.level, out.type, [...out.data]], [17, 103, [0x78, 0x05]]);
 *   const received = [{ level: 17, type: 104, data: new Uint8Array([0x78, 0x05, 0, 0]) }];
 *   assertEquals(groSegmentSize(received), 1400);
 * }
 * ```
 *
 * @module
 */
import { checkInt, littleEndian, quote } from "../_internal/check.ts";
import { IPPROTO_UDP, UDP_GRO, UDP_SEGMENT } from "../constants/names.ts";
import { checkFlag } from "./_codec.ts";
import type { OptionTarget } from "./helpers.ts";

/** One ancillary data item, as `sendmsg`/`recvmsg` take and give them (`Ancillary` of the socket module). */
export interface UdpAncillary {
  /** The cmsg level: `IPPROTO_UDP` (`SOL_UDP`). */
  level: number;
  /** The cmsg type: `UDP_SEGMENT` or `UDP_GRO`. */
  type: number;
  /** The payload. */
  data: Uint8Array;
}

/** The largest segment size the kernel takes (`USHRT_MAX`). */
export const GSO_SIZE_MAX = 0xffff;

function linuxOnly(name: string, value: number | undefined): number {
  if (value === undefined) throw new TypeError(`IPPROTO_UDP/${name} does not exist on this OS`);
  return value;
}

function segmentSize(size: unknown): number {
  return checkInt(size, "A UDP_SEGMENT segment size", 0, GSO_SIZE_MAX);
}

/**
 * Sets the socket's GSO segment size: `setsockopt(IPPROTO_UDP, UDP_SEGMENT, size)`.
 * Every later send longer than `size` leaves as datagrams of `size` bytes (the
 * last one shorter); `0` turns it off.
 *
 * @param sock A UDP socket.
 * @param size The segment size, 0 to 65535.
 * @throws {RangeError} If `size` is not an integer from 0 to 65535.
 * @throws {TypeError} If `size` is not a number, or the OS has no `UDP_SEGMENT`.
 *
 * @example
 * ```ts
 * import { setUdpSegment } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * if (Deno.build.os === "linux") {
 *   const set: unknown[] = [];
 *   setUdpSegment({ setsockopt: (...args: unknown[]) => set.push(args), getsockopt: () => 0 }, 1200);
 *   assertEquals(set, [[17, 103, 1200]]);
 * }
 * ```
 */
export function setUdpSegment(sock: OptionTarget, size: number): void {
  const name = linuxOnly("UDP_SEGMENT", UDP_SEGMENT);
  sock.setsockopt(IPPROTO_UDP, name, segmentSize(size));
}

/**
 * Turns UDP receive offload on or off: `setsockopt(IPPROTO_UDP, UDP_GRO, on)`.
 * A GRO socket may receive several datagrams of one sender as one buffer, with
 * a `UDP_GRO` ancillary item giving the segment size ({@linkcode groSegmentSize}).
 *
 * @param sock A UDP socket.
 * @param on Whether to coalesce (default `true`).
 * @throws {TypeError} If `on` is not a boolean (or 0/1), or the OS has no `UDP_GRO`.
 *
 * @example
 * ```ts
 * import { setUdpGro } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * if (Deno.build.os === "linux") {
 *   const set: unknown[] = [];
 *   setUdpGro({ setsockopt: (...args: unknown[]) => set.push(args), getsockopt: () => 0 });
 *   assertEquals(set, [[17, 104, true]]);
 * }
 * ```
 */
export function setUdpGro(sock: OptionTarget, on: boolean = true): void {
  const name = linuxOnly("UDP_GRO", UDP_GRO);
  sock.setsockopt(IPPROTO_UDP, name, checkFlag(on, "UDP_GRO's value"));
}

/**
 * The ancillary item that sets the GSO segment size of one send (`sendmsg`,
 * `sendmmsg`): level `IPPROTO_UDP`, type `UDP_SEGMENT`, a `__u16`, as udp(7)
 * takes it. It overrides the socket's `UDP_SEGMENT` for that send.
 *
 * @param size The segment size, 1 to 65535 (0: none for this send).
 * @returns The item, for a message's `ancillary` list.
 * @throws {RangeError} If `size` is not an integer from 0 to 65535.
 * @throws {TypeError} If `size` is not a number, or the OS has no `UDP_SEGMENT`.
 *
 * @example One send cut into 1200-byte datagrams
 * ```ts ignore
 * import { udpSegmentAncillary } from "@bsdsock/socket/options";
 *
 * await sock.sendmsg([payload], { addr, ancillary: [udpSegmentAncillary(1200)] });
 * ```
 */
export function udpSegmentAncillary(size: number): UdpAncillary {
  const type = linuxOnly("UDP_SEGMENT", UDP_SEGMENT);
  const data = new Uint8Array(2);
  new DataView(data.buffer).setUint16(0, segmentSize(size), littleEndian);
  return { level: IPPROTO_UDP, type, data };
}

/**
 * The segment size a GRO receive reports: the `int` of the `IPPROTO_UDP`
 * `UDP_GRO` item among `ancillary`, or `undefined` when there is none (the
 * buffer holds one datagram).
 *
 * @param ancillary The ancillary items of a `recvmsg` or `recvmmsg` result.
 * @returns The segment size, or `undefined`.
 * @throws {TypeError} If `ancillary` is not an array.
 *
 * @example
 * ```ts
 * import { groSegmentSize } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(groSegmentSize([]), undefined);
 * ```
 */
export function groSegmentSize(ancillary: readonly UdpAncillary[]): number | undefined {
  if (!Array.isArray(ancillary)) {
    throw new TypeError(`ancillary must be an array, got ${quote(ancillary)}`);
  }
  if (UDP_GRO === undefined) return undefined;
  for (const item of ancillary) {
    if (item?.level !== IPPROTO_UDP || item.type !== UDP_GRO) continue;
    const data = item.data;
    if (!(data instanceof Uint8Array) || data.byteLength < 4) continue;
    return new DataView(data.buffer, data.byteOffset, 4).getInt32(0, littleEndian);
  }
  return undefined;
}
