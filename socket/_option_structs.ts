/**
 * Codecs of the small `SOL_SOCKET` structs: `struct linger` (`SO_LINGER`),
 * `struct timeval` (`SO_RCVTIMEO`, `SO_SNDTIMEO`), `struct ucred`
 * (`SO_PEERCRED`) and `struct so_timestamping` (`SO_TIMESTAMPING`). Their
 * layouts are Linux x86-64's (macOS agrees on 64-bit machines) and are compared
 * with gcc's by `tests/options_layout_test.ts`.
 *
 * @module
 */
import {
  checkFlag,
  checkInteger,
  checkLength,
  checkStruct,
  fixedCodec,
  INT_MAX,
  INT_MIN,
  LE,
  type OptionCodec,
  UINT32_MAX,
  view,
} from "./_option_codec.ts";
import { quote } from "./_quote.ts";

/**
 * The value of `SO_LINGER` (`struct linger`, socket(7)).
 *
 * @example
 * ```ts
 * import { decodeOption, encodeOption, type Linger, resolveOption } from "./options.ts";
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
  const seconds = checkInteger(s.linger, "linger of a struct linger", INT_MIN, INT_MAX);
  v.setInt32(0, onoff ? 1 : 0, LE);
  v.setInt32(4, seconds, LE);
}, (v) => ({ onoff: v.getInt32(0, LE) !== 0, linger: v.getInt32(4, LE) }));

/**
 * `struct timeval { time_t tv_sec; suseconds_t tv_usec; }` (16 bytes, two
 * 64-bit fields) ⇄ milliseconds, as `SO_RCVTIMEO`/`SO_SNDTIMEO` take them.
 *
 * `0` (and `Infinity`) mean no timeout, as in C. A fraction of a millisecond is
 * kept to the microsecond, rounded up so a positive timeout never becomes 0.
 * Decoding gives `tv_sec * 1000 + tv_usec / 1000`.
 */
export const timeval: OptionCodec<number> = fixedCodec<number>("timeval", 16, (v, x) => {
  if (typeof x !== "number") {
    throw new TypeError(`A timeval option value must be milliseconds (a number), got ${quote(x)}`);
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
  v.setBigInt64(0, us / 1_000_000n, LE);
  v.setBigInt64(8, us % 1_000_000n, LE);
}, (v) => Number(v.getBigInt64(0, LE)) * 1000 + Number(v.getBigInt64(8, LE)) / 1000);

/**
 * The value of `SO_PEERCRED` (`struct ucred`, unix(7)): the peer's credentials
 * at `connect` (read-only).
 *
 * @example
 * ```ts
 * import { codecs, type Ucred } from "./options.ts";
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
export const ucred: OptionCodec<Ucred> = fixedCodec<Ucred>("ucred", 12, (v, x) => {
  const s = checkStruct(x, "ucred", "{ pid, uid, gid }");
  v.setInt32(0, checkInteger(s.pid, "pid of a struct ucred", INT_MIN, INT_MAX), LE);
  v.setUint32(4, checkInteger(s.uid, "uid of a struct ucred", 0, UINT32_MAX), LE);
  v.setUint32(8, checkInteger(s.gid, "gid of a struct ucred", 0, UINT32_MAX), LE);
}, (v) => ({ pid: v.getInt32(0, LE), uid: v.getUint32(4, LE), gid: v.getUint32(8, LE) }));

/**
 * The value of `SO_TIMESTAMPING` (`struct so_timestamping`, `<linux/net_tstamp.h>`).
 *
 * @example
 * ```ts
 * import { codecs, type SoTimestamping } from "./options.ts";
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
    v.setInt32(0, checkInteger(s.flags, "flags of a struct so_timestamping", INT_MIN, INT_MAX), LE);
    const phc = s.bindPhc ?? 0;
    v.setInt32(4, checkInteger(phc, "bindPhc of a struct so_timestamping", INT_MIN, INT_MAX), LE);
    return out;
  },
  decode(bytes: Uint8Array): SoTimestamping {
    const v = view(checkLength(bytes, 4, "so_timestamping"));
    const flags = v.getInt32(0, LE);
    return bytes.length >= 8 ? { flags, bindPhc: v.getInt32(4, LE) } : { flags };
  },
});
