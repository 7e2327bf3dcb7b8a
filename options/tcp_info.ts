/**
 * `TCP_INFO` (tcp(7)): Linux's `struct tcp_info` from `<linux/tcp.h>`, field by
 * field, as far as that header goes (through `tcpi_snd_wnd`, 232 bytes). The
 * kernel fills only as much as it knows and as the buffer holds; a field the
 * returned bytes do not reach is absent from the decoded object.
 *
 * `__u64` fields decode as `bigint` (pacing rates default to `~0ULL`, which a
 * number cannot hold exactly); every other field is a number.
 *
 * @module
 */
import { checkInt, littleEndian, UINT32_MAX } from "../_internal/check.ts";
import { checkLength, checkStruct, checkUint64, type OptionCodec, view } from "./_codec.ts";

/**
 * The decoded `struct tcp_info`. Field names are the C ones without `tcpi_`,
 * in camelCase (`tcpi_snd_cwnd` → `sndCwnd`). Times are in microseconds
 * (`rtt`, `rto`…) or milliseconds (`lastDataSent`…), as tcp(7) and the header
 * say. The fields from `rto` through `totalRetrans` are in every Linux since
 * 2.6; the later ones are there when the kernel returned them.
 *
 * @example Reading a few fields
 * ```ts
 * import { codecs, type TcpInfo } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const bytes = new Uint8Array(codecs.tcpInfo.size);
 * bytes[0] = 1; // TCP_ESTABLISHED
 * bytes[68] = 0x10; // tcpi_rtt = 16 µs
 * const info: TcpInfo = codecs.tcpInfo.decode(bytes);
 * assertEquals([info.state, info.rtt, info.bytesAcked], [1, 16, 0n]);
 * ```
 */
export interface TcpInfo {
  /** `tcpi_state`: `TCP_ESTABLISHED` = 1, … `TCP_LISTEN` = 10. */ state: number;
  /** `tcpi_ca_state`: congestion-avoidance state (`TCP_CA_Open` = 0…). */ caState: number;
  /** `tcpi_retransmits`. */ retransmits: number;
  /** `tcpi_probes`. */ probes: number;
  /** `tcpi_backoff`. */ backoff: number;
  /** `tcpi_options`: `TCPI_OPT_*` bits (timestamps, SACK, window scaling…). */ options: number;
  /** `tcpi_snd_wscale` (4 bits). */ sndWscale: number;
  /** `tcpi_rcv_wscale` (4 bits). */ rcvWscale: number;
  /** `tcpi_delivery_rate_app_limited` (1 bit). */ deliveryRateAppLimited: boolean;
  /** `tcpi_fastopen_client_fail` (2 bits). */ fastopenClientFail: number;
  /** `tcpi_rto` (µs). */ rto: number;
  /** `tcpi_ato` (µs). */ ato: number;
  /** `tcpi_snd_mss`. */ sndMss: number;
  /** `tcpi_rcv_mss`. */ rcvMss: number;
  /** `tcpi_unacked`. */ unacked: number;
  /** `tcpi_sacked`. */ sacked: number;
  /** `tcpi_lost`. */ lost: number;
  /** `tcpi_retrans`. */ retrans: number;
  /** `tcpi_fackets`. */ fackets: number;
  /** `tcpi_last_data_sent` (ms ago). */ lastDataSent: number;
  /** `tcpi_last_ack_sent` (not kept by Linux: 0). */ lastAckSent: number;
  /** `tcpi_last_data_recv` (ms ago). */ lastDataRecv: number;
  /** `tcpi_last_ack_recv` (ms ago). */ lastAckRecv: number;
  /** `tcpi_pmtu`. */ pmtu: number;
  /** `tcpi_rcv_ssthresh`. */ rcvSsthresh: number;
  /** `tcpi_rtt`: smoothed round-trip time (µs). */ rtt: number;
  /** `tcpi_rttvar` (µs). */ rttvar: number;
  /** `tcpi_snd_ssthresh`. */ sndSsthresh: number;
  /** `tcpi_snd_cwnd` (segments). */ sndCwnd: number;
  /** `tcpi_advmss`. */ advmss: number;
  /** `tcpi_reordering`. */ reordering: number;
  /** `tcpi_rcv_rtt` (µs). */ rcvRtt: number;
  /** `tcpi_rcv_space`. */ rcvSpace: number;
  /** `tcpi_total_retrans`. */ totalRetrans: number;
  /** `tcpi_pacing_rate` (bytes/s). */ pacingRate?: bigint;
  /** `tcpi_max_pacing_rate` (bytes/s; `~0` when unlimited). */ maxPacingRate?: bigint;
  /** `tcpi_bytes_acked`. */ bytesAcked?: bigint;
  /** `tcpi_bytes_received`. */ bytesReceived?: bigint;
  /** `tcpi_segs_out`. */ segsOut?: number;
  /** `tcpi_segs_in`. */ segsIn?: number;
  /** `tcpi_notsent_bytes`. */ notsentBytes?: number;
  /** `tcpi_min_rtt` (µs). */ minRtt?: number;
  /** `tcpi_data_segs_in`. */ dataSegsIn?: number;
  /** `tcpi_data_segs_out`. */ dataSegsOut?: number;
  /** `tcpi_delivery_rate` (bytes/s). */ deliveryRate?: bigint;
  /** `tcpi_busy_time` (µs). */ busyTime?: bigint;
  /** `tcpi_rwnd_limited` (µs). */ rwndLimited?: bigint;
  /** `tcpi_sndbuf_limited` (µs). */ sndbufLimited?: bigint;
  /** `tcpi_delivered`. */ delivered?: number;
  /** `tcpi_delivered_ce`. */ deliveredCe?: number;
  /** `tcpi_bytes_sent`. */ bytesSent?: bigint;
  /** `tcpi_bytes_retrans`. */ bytesRetrans?: bigint;
  /** `tcpi_dsack_dups`. */ dsackDups?: number;
  /** `tcpi_reord_seen`. */ reordSeen?: number;
  /** `tcpi_rcv_ooopack`. */ rcvOoopack?: number;
  /** `tcpi_snd_wnd` (bytes, after scaling). */ sndWnd?: number;
}

/** A whole-byte field of `struct tcp_info`: its key, C name, offset and C type. */
export interface TcpInfoField {
  /** The key in {@linkcode TcpInfo}. */
  readonly key: keyof TcpInfo;
  /** The C member (`tcpi_snd_cwnd`). */
  readonly cName: string;
  /** `offsetof(struct tcp_info, member)`. */
  readonly offset: number;
  /** `__u8`, `__u32` or `__u64`. */
  readonly type: "u8" | "u32" | "u64";
}

/** A bit-field of `struct tcp_info`: the byte holding it, and its bits (least significant first). */
export interface TcpInfoBits {
  /** The key in {@linkcode TcpInfo}. */
  readonly key: keyof TcpInfo;
  /** The C member. */
  readonly cName: string;
  /** The offset of the byte holding it. */
  readonly offset: number;
  /** Its lowest bit in that byte (gcc on little-endian machines allocates from bit 0). */
  readonly shift: number;
  /** How many bits it has. */
  readonly width: number;
}

const SIZES = { u8: 1, u32: 4, u64: 8 } as const;

// [key, type]: offsets follow from C's natural alignment; the C test checks each one.
const LAYOUT: ReadonlyArray<readonly [keyof TcpInfo, "u8" | "u32" | "u64" | "bits"]> = [
  ["state", "u8"],
  ["caState", "u8"],
  ["retransmits", "u8"],
  ["probes", "u8"],
  ["backoff", "u8"],
  ["options", "u8"],
  ["sndWscale", "bits"],
  ["deliveryRateAppLimited", "bits"],
  ["rto", "u32"],
  ["ato", "u32"],
  ["sndMss", "u32"],
  ["rcvMss", "u32"],
  ["unacked", "u32"],
  ["sacked", "u32"],
  ["lost", "u32"],
  ["retrans", "u32"],
  ["fackets", "u32"],
  ["lastDataSent", "u32"],
  ["lastAckSent", "u32"],
  ["lastDataRecv", "u32"],
  ["lastAckRecv", "u32"],
  ["pmtu", "u32"],
  ["rcvSsthresh", "u32"],
  ["rtt", "u32"],
  ["rttvar", "u32"],
  ["sndSsthresh", "u32"],
  ["sndCwnd", "u32"],
  ["advmss", "u32"],
  ["reordering", "u32"],
  ["rcvRtt", "u32"],
  ["rcvSpace", "u32"],
  ["totalRetrans", "u32"],
  ["pacingRate", "u64"],
  ["maxPacingRate", "u64"],
  ["bytesAcked", "u64"],
  ["bytesReceived", "u64"],
  ["segsOut", "u32"],
  ["segsIn", "u32"],
  ["notsentBytes", "u32"],
  ["minRtt", "u32"],
  ["dataSegsIn", "u32"],
  ["dataSegsOut", "u32"],
  ["deliveryRate", "u64"],
  ["busyTime", "u64"],
  ["rwndLimited", "u64"],
  ["sndbufLimited", "u64"],
  ["delivered", "u32"],
  ["deliveredCe", "u32"],
  ["bytesSent", "u64"],
  ["bytesRetrans", "u64"],
  ["dsackDups", "u32"],
  ["reordSeen", "u32"],
  ["rcvOoopack", "u32"],
  ["sndWnd", "u32"],
];

function cNameOf(key: string): string {
  return "tcpi_" + key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

/** The whole-byte fields, in struct order, with their offsets. */
export const TCP_INFO_FIELDS: readonly TcpInfoField[] = (() => {
  const out: TcpInfoField[] = [];
  let at = 0;
  for (const [key, type] of LAYOUT) {
    if (type === "bits") {
      at += 1;
      continue;
    }
    const size = SIZES[type];
    at = Math.ceil(at / size) * size;
    out.push(Object.freeze({ key, cName: cNameOf(key), offset: at, type }));
    at += size;
  }
  return Object.freeze(out);
})();

/** The four bit-fields, in bytes 6 and 7. */
export const TCP_INFO_BITS: readonly TcpInfoBits[] = Object.freeze(
  [
    { key: "sndWscale", cName: "tcpi_snd_wscale", offset: 6, shift: 0, width: 4 },
    { key: "rcvWscale", cName: "tcpi_rcv_wscale", offset: 6, shift: 4, width: 4 },
    {
      key: "deliveryRateAppLimited",
      cName: "tcpi_delivery_rate_app_limited",
      offset: 7,
      shift: 0,
      width: 1,
    },
    {
      key: "fastopenClientFail",
      cName: "tcpi_fastopen_client_fail",
      offset: 7,
      shift: 1,
      width: 2,
    },
  ] as const,
);

const last = TCP_INFO_FIELDS[TCP_INFO_FIELDS.length - 1];
/** `sizeof(struct tcp_info)` of this header: 232 bytes. */
export const TCP_INFO_SIZE: number = last.offset + SIZES[last.type];
/** The bytes every Linux since 2.6 returns: through `tcpi_total_retrans` (104). */
export const TCP_INFO_MIN_SIZE: number = TCP_INFO_FIELDS.find((f) => f.key === "pacingRate")!
  .offset;

function encode(value: unknown): Uint8Array {
  const s = checkStruct(value, "tcp_info", "(a TcpInfo)");
  const out = new Uint8Array(TCP_INFO_SIZE);
  const v = view(out);
  for (const f of TCP_INFO_FIELDS) {
    const given = s[f.key];
    if (given === undefined && f.offset < TCP_INFO_MIN_SIZE) {
      throw new TypeError(`A struct tcp_info value needs ${f.key}`);
    }
    const what = `${f.key} of a struct tcp_info`;
    if (f.type === "u64") v.setBigUint64(f.offset, checkUint64(given ?? 0n, what), littleEndian);
    else if (f.type === "u32") {
      v.setUint32(f.offset, checkInt(given ?? 0, what, 0, UINT32_MAX), littleEndian);
    } else v.setUint8(f.offset, checkInt(given, what, 0, 0xff));
  }
  for (const b of TCP_INFO_BITS) {
    const given = s[b.key];
    const what = `${b.key} of a struct tcp_info`;
    const n = b.width === 1 && typeof given === "boolean"
      ? Number(given)
      : checkInt(given ?? 0, what, 0, (1 << b.width) - 1);
    out[b.offset] |= n << b.shift;
  }
  return out;
}

function decode(bytes: Uint8Array): TcpInfo {
  checkLength(bytes, TCP_INFO_MIN_SIZE, "struct tcp_info");
  const v = view(bytes);
  const info: Record<string, number | bigint | boolean> = {};
  for (const f of TCP_INFO_FIELDS) {
    if (f.offset + SIZES[f.type] > bytes.length) break;
    if (f.key === "rto") {
      // The bit-fields (bytes 6 and 7) go where the struct has them.
      for (const b of TCP_INFO_BITS) {
        const n = (bytes[b.offset] >> b.shift) & ((1 << b.width) - 1);
        info[b.key] = b.width === 1 ? n === 1 : n;
      }
    }
    info[f.key] = f.type === "u64"
      ? v.getBigUint64(f.offset, littleEndian)
      : f.type === "u32"
      ? v.getUint32(f.offset, littleEndian)
      : v.getUint8(f.offset);
  }
  return info as unknown as TcpInfo;
}

/**
 * `struct tcp_info` (232 bytes from this machine's `<linux/tcp.h>`) ⇄
 * {@linkcode TcpInfo}. Decoding needs at least the 104 bytes of the original
 * struct; later fields are present as far as the bytes reach. Encoding (for
 * tests and replay) needs the original fields and zero-fills the others.
 */
export const tcpInfo: OptionCodec<TcpInfo> = Object.freeze({
  name: "tcp_info",
  size: TCP_INFO_SIZE,
  encode,
  decode,
});
