/**
 * The scalar codecs (`int`, `bool`, `uint32`, `uint64`, `byte`, text, raw
 * bytes), gathered with the struct, address and `tcp_info` codecs into
 * `codecs`. Integers are in the host's byte order, as the kernel takes them.
 *
 * @module
 */
import { checkInt, INT_MAX, INT_MIN, littleEndian, quote, UINT32_MAX } from "../_internal/check.ts";
import { checkFlag, checkLength, checkUint64, fixedCodec, type OptionCodec } from "./_codec.ts";
import {
  inAddr,
  type IpMreq,
  ipMreq,
  type IpMreqn,
  ipMreqn,
  type IpMreqSource,
  ipMreqSource,
  type Ipv6Mreq,
  ipv6Mreq,
  type Linger,
  linger,
  type SoTimestamping,
  soTimestamping,
  timeval,
  type Ucred,
  ucred,
} from "./structs.ts";
import { type TcpInfo, tcpInfo } from "./tcp_info.ts";

/** C `int` (4 bytes): a number from −2³¹ to 2³¹−1; booleans are refused. */
export const int: OptionCodec<number> = fixedCodec<number>(
  "int",
  4,
  (v, x) => v.setInt32(0, checkInt(x, "An int option value", INT_MIN, INT_MAX), littleEndian),
  (v) => v.getInt32(0, littleEndian),
);

/** A C `int` flag: `true`/`false` (or 1/0) in, a boolean out (any non-zero int is `true`). */
export const bool: OptionCodec<boolean> = fixedCodec<boolean>(
  "bool",
  4,
  (v, x) => v.setInt32(0, checkFlag(x, "A boolean option value") ? 1 : 0, littleEndian),
  (v) => v.getInt32(0, littleEndian) !== 0,
);

/** `uint32_t` (4 bytes): a number from 0 to 2³²−1. */
export const uint32: OptionCodec<number> = fixedCodec<number>(
  "uint32",
  4,
  (v, x) => v.setUint32(0, checkInt(x, "A uint32 option value", 0, UINT32_MAX), littleEndian),
  (v) => v.getUint32(0, littleEndian),
);

/** `uint64_t` (8 bytes): a bigint (or a non-negative safe integer) in, always a bigint out. */
export const uint64: OptionCodec<bigint> = fixedCodec<bigint>(
  "uint64",
  8,
  (v, x) => v.setBigUint64(0, checkUint64(x, "A uint64 option value"), littleEndian),
  (v) => v.getBigUint64(0, littleEndian),
);

/**
 * `UDP_SEGMENT`'s C `int`, udp(7): the segment size of UDP segmentation offload
 * (GSO), from 1 to 65535, or 0 for none (the kernel's range, `USHRT_MAX`).
 */
export const gsoSize: OptionCodec<number> = fixedCodec<number>(
  "gso_size",
  4,
  (v, x) => v.setInt32(0, checkInt(x, "A UDP_SEGMENT segment size", 0, 0xffff), littleEndian),
  (v) => v.getInt32(0, littleEndian),
);

/** `unsigned char` (1 byte): a number from 0 to 255 (macOS's `IP_MULTICAST_TTL`). */
export const byte: OptionCodec<number> = fixedCodec<number>(
  "byte",
  1,
  (v, x) => v.setUint8(0, checkInt(x, "A byte option value", 0, 0xff)),
  (v) => v.getUint8(0),
);

const utf8 = new TextEncoder();
const text = new TextDecoder();

/**
 * NUL-terminated text in a buffer of `size` bytes (`SO_BINDTODEVICE` with
 * `IFNAMSIZ` = 16, `TCP_CONGESTION` with `TCP_CA_NAME_MAX` = 16): a string of at
 * most `size - 1` UTF-8 bytes, without NUL, is sent with its terminating NUL;
 * decoding stops at the first NUL.
 *
 * @param size The buffer size, terminating NUL included.
 * @returns The codec, named `"string"`.
 * @throws {RangeError} If `size` is not an integer from 1 to 65536.
 *
 * @example A 32-byte text option
 * ```ts
 * import { stringCodec } from "@bsdsock/socket/options";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const codec = stringCodec(32);
 * assertEquals([...codec.encode("bbr")], [0x62, 0x62, 0x72, 0]);
 * assertEquals(codec.decode(new Uint8Array([0x6c, 0x6f, 0, 0, 0])), "lo");
 * assertThrows(() => codec.encode("x".repeat(32)), RangeError, "at most 31 bytes");
 * ```
 */
export function stringCodec(size: number): OptionCodec<string> {
  checkInt(size, "The size of a string codec", 1, 65536);
  return Object.freeze({
    name: "string",
    size,
    encode(value: string): Uint8Array {
      if (typeof value !== "string") {
        throw new TypeError(`A string option value must be a string, got ${quote(value)}`);
      }
      if (value.includes("\0")) {
        throw new TypeError(`A string option value must not contain NUL, got ${quote(value)}`);
      }
      const bytes = utf8.encode(value);
      if (bytes.length > size - 1) {
        throw new RangeError(
          `A string option value must be at most ${size - 1} bytes, got ${quote(value)} ` +
            `(${bytes.length} bytes)`,
        );
      }
      const out = new Uint8Array(bytes.length + 1);
      out.set(bytes);
      return out;
    },
    decode(bytes: Uint8Array): string {
      checkLength(bytes, 0, "string");
      const end = bytes.indexOf(0);
      return text.decode(end < 0 ? bytes : bytes.subarray(0, end));
    },
  });
}

/**
 * Raw bytes, for options whose C type has no codec here (`IP_OPTIONS`,
 * `TCP_MD5SIG`, `SO_PEERNAME`…): a `Uint8Array` in, unchanged; a copy out.
 *
 * @param size The buffer size `getsockopt(2)` is asked for.
 * @returns The codec, named `"bytes"`.
 * @throws {RangeError} If `size` is not an integer from 0 to 65536.
 *
 * @example
 * ```ts
 * import { bytesCodec } from "@bsdsock/socket/options";
 * import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
 *
 * const codec = bytesCodec(40);
 * const options = new Uint8Array([1, 1, 1, 0]);
 * assertStrictEquals(codec.encode(options), options);
 * assertEquals(codec.size, 40);
 * assertThrows(() => codec.encode([1, 1] as unknown as Uint8Array), TypeError, "[1,1]");
 * ```
 */
export function bytesCodec(size: number): OptionCodec<Uint8Array> {
  checkInt(size, "The size of a bytes codec", 0, 65536);
  return Object.freeze({
    name: "bytes",
    size,
    encode(value: Uint8Array): Uint8Array {
      if (!(value instanceof Uint8Array)) {
        throw new TypeError(`A bytes option value must be a Uint8Array, got ${quote(value)}`);
      }
      return value;
    },
    decode(bytes: Uint8Array): Uint8Array {
      return checkLength(bytes, 0, "bytes").slice();
    },
  });
}

/**
 * The codec of an option the registry does not know, as Python's `socket`
 * treats every option: a number or boolean is a C `int`, a `Uint8Array` is
 * passed raw; 4 bytes back decode as an `int`, any other length stays raw.
 */
export const intOrBytes: OptionCodec<number | boolean | Uint8Array> = Object.freeze({
  name: "int_or_bytes",
  size: 4,
  encode(value: number | boolean | Uint8Array): Uint8Array {
    if (value instanceof Uint8Array) return value;
    if (typeof value === "boolean") return int.encode(value ? 1 : 0);
    if (typeof value !== "number") {
      throw new TypeError(
        `An option the registry does not know takes a number, a boolean or a Uint8Array, ` +
          `got ${quote(value)}`,
      );
    }
    return int.encode(value);
  },
  decode(bytes: Uint8Array): number | Uint8Array {
    checkLength(bytes, 0, "value");
    return bytes.length === 4 ? int.decode(bytes) : bytes.slice();
  },
});

/**
 * The codecs of {@linkcode codecs}, by name.
 *
 * @example Each codec knows its C type and size
 * ```ts
 * import { type Codecs, codecs } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const sizes = (c: Codecs) => [c.int.size, c.linger.size, c.ipv6Mreq.size];
 * assertEquals(sizes(codecs), [4, 8, 20]);
 * ```
 */
export interface Codecs {
  /** C `int`: a number from −2³¹ to 2³¹−1. */
  readonly int: OptionCodec<number>;
  /** C `int` 0/1 ⇄ boolean (1 and 0 taken too). */
  readonly bool: OptionCodec<boolean>;
  /** `uint32_t`. */
  readonly uint32: OptionCodec<number>;
  /** `uint64_t`: bigint (or a safe integer) in, bigint out. */
  readonly uint64: OptionCodec<bigint>;
  /** `unsigned char`. */
  readonly byte: OptionCodec<number>;
  /** `UDP_SEGMENT`'s `int`: a GSO segment size from 0 (none) to 65535. */
  readonly gsoSize: OptionCodec<number>;
  /** `struct linger` ⇄ `{ onoff, linger }`. */
  readonly linger: OptionCodec<Linger>;
  /** `struct timeval` ⇄ milliseconds (0: none). */
  readonly timeval: OptionCodec<number>;
  /** `struct ucred` ⇄ `{ pid, uid, gid }`. */
  readonly ucred: OptionCodec<Ucred>;
  /** `struct so_timestamping` ⇄ `{ flags, bindPhc }`. */
  readonly soTimestamping: OptionCodec<SoTimestamping>;
  /** `struct in_addr` ⇄ IPv4 text. */
  readonly inAddr: OptionCodec<string>;
  /** `struct ip_mreq` ⇄ `{ multiaddr, interface }`. */
  readonly ipMreq: OptionCodec<IpMreq>;
  /** `struct ip_mreqn` ⇄ `{ multiaddr, address, ifindex }`. */
  readonly ipMreqn: OptionCodec<IpMreqn>;
  /** `struct ip_mreq_source` ⇄ `{ multiaddr, interface, sourceaddr }`. */
  readonly ipMreqSource: OptionCodec<IpMreqSource>;
  /** `struct ipv6_mreq` ⇄ `{ multiaddr, ifindex }`. */
  readonly ipv6Mreq: OptionCodec<Ipv6Mreq>;
  /** Linux's `struct tcp_info` ⇄ {@linkcode TcpInfo}. */
  readonly tcpInfo: OptionCodec<TcpInfo>;
  /** NUL-terminated text in 16 bytes (`IFNAMSIZ`, `TCP_CA_NAME_MAX`). */
  readonly string: OptionCodec<string>;
  /** Raw bytes, read into 256 bytes. */
  readonly bytes: OptionCodec<Uint8Array>;
  /** What an option unknown to the registry takes: a number or boolean as `int`, or raw bytes. */
  readonly intOrBytes: OptionCodec<number | boolean | Uint8Array>;
}

/**
 * Every codec of the registry, by name. `string` and `bytes` are the 16- and
 * 256-byte instances; {@linkcode stringCodec} and {@linkcode bytesCodec} make others.
 *
 * @example Encoding a struct linger
 * ```ts
 * import { codecs } from "@bsdsock/socket/options";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * assertEquals([...codecs.linger.encode({ onoff: true, linger: 2 })], [1, 0, 0, 0, 2, 0, 0, 0]);
 * assertEquals(codecs.timeval.decode(codecs.timeval.encode(250)), 250);
 * assertThrows(() => codecs.int.encode(1.5), RangeError, "1.5");
 * ```
 */
export const codecs: Codecs = Object.freeze({
  int,
  bool,
  uint32,
  uint64,
  byte,
  gsoSize,
  linger,
  timeval,
  ucred,
  soTimestamping,
  inAddr,
  ipMreq,
  ipMreqn,
  ipMreqSource,
  ipv6Mreq,
  tcpInfo,
  string: stringCodec(16),
  bytes: bytesCodec(256),
  intOrBytes,
});
