/**
 * The fuzzer's random values: a seeded PRNG (mulberry32, so a seed replays its
 * draws) and the arguments it draws — buffers, `MSG_*` flags, call options,
 * option levels, names and values — good ones mostly, bad ones (wrong types,
 * NaN, negative, huge, detached) often enough. Addresses are drawn in
 * _child.ts, which knows the sockets' names.
 *
 * @module
 */
import { mulberry32 } from "../../tests/_prng.ts";

/** The largest buffer drawn (memory stays bounded). */
export const MAX_BUF = 65536;

let rnd = mulberry32(1);

/** Starts the draws over from `seed`. */
export function seed(n: number): void {
  rnd = mulberry32(n);
}
/** An integer from 0 to `n` - 1. */
export const int = (n: number): number => Math.floor(rnd() * n);
/** True with probability `p`. */
export const chance = (p: number): boolean => rnd() < p;
/** One element of `list`. */
export function pick<T>(list: readonly T[]): T {
  return list[int(list.length)];
}

/** A float in [0, 1). */
export function random(): number {
  return rnd();
}

/** A short, readable rendering of an argument, for the trace and the failure lines. */
export function show(v: unknown, depth = 0): string {
  if (v instanceof Uint8Array) {
    const b = v.buffer as ArrayBuffer & { detached?: boolean };
    if (b.detached) return "Uint8Array(detached)";
    const shared = typeof SharedArrayBuffer !== "undefined" &&
      v.buffer instanceof SharedArrayBuffer;
    return `Uint8Array(${v.byteLength}${shared ? ",shared" : ""})`;
  }
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.byteLength})`;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (v instanceof AbortSignal) return `AbortSignal(${v.aborted ? "aborted" : "live"})`;
  if (Array.isArray(v)) {
    if (depth > 2) return "[…]";
    const items = v.slice(0, 8).map((x) => show(x, depth + 1));
    return `[${items.join(", ")}${v.length > 8 ? `, …${v.length}` : ""}]`;
  }
  if (v && typeof v === "object") {
    if (depth > 2) return "{…}";
    return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x, depth + 1)}`).join(", ")}}`;
  }
  return String(v);
}

export const NAN = Number.NaN;

export function detached(n: number): Uint8Array {
  const b = new Uint8Array(n);
  structuredClone(b.buffer, { transfer: [b.buffer] });
  return b;
}

export function buffer(): unknown {
  if (chance(0.92)) {
    const n = pick([0, 1, 1, 7, 16, 64, 512, 1500, 4096, 16384, MAX_BUF]);
    const b = new Uint8Array(n);
    if (n > 0) b[int(n)] = int(256);
    if (chance(0.1) && n > 2) return b.subarray(1, n - 1);
    return b;
  }
  return pick<() => unknown>([
    () => "abc",
    () => null,
    () => undefined,
    () => 5,
    () => NAN,
    () => ({}),
    () => [1, 2, 3],
    () => detached(16),
    () => new Uint16Array(4),
    () => new DataView(new ArrayBuffer(8)),
    () => new ArrayBuffer(8),
    () => new Uint8Array(new SharedArrayBuffer(32)),
    () => new Uint8ClampedArray(8),
  ])();
}

export function buffers(): unknown {
  if (chance(0.3)) return buffer();
  if (chance(0.85)) {
    const n = pick([0, 1, 2, 3, 8]);
    return Array.from({ length: n }, () => chance(0.9) ? new Uint8Array(int(2048)) : buffer());
  }
  return pick<() => unknown>([
    () => new Array(1025).fill(new Uint8Array(1)),
    () => "abc",
    () => null,
    () => 5,
    () => [null],
    () => [detached(4)],
  ])();
}

export const MSG = [
  0x1,
  0x2,
  0x4,
  0x20,
  0x40,
  0x80,
  0x100,
  0x800,
  0x2000,
  0x4000,
  0x8000,
  0x40000000,
];

export function flags(): unknown {
  if (chance(0.6)) return 0;
  if (chance(0.8)) return pick(MSG) | (chance(0.3) ? pick(MSG) : 0);
  return pick<unknown>([
    "x",
    1.5,
    2 ** 33,
    NAN,
    -1,
    null,
    undefined,
    0xffffffff,
    -(2 ** 31),
    int(2 ** 31),
    Infinity,
  ]);
}

/** Call options; `bounded` says whether the call is meant to end by itself. */
export function callOptions(): unknown {
  const r = rnd();
  if (r < 0.2) return undefined;
  if (r < 0.5) return { timeout: pick([0, 0, 1, 5, 20, 50, 150]) };
  if (r < 0.65) return { signal: AbortSignal.timeout(pick([1, 5, 20, 100])) };
  if (r < 0.75) {
    const c = new AbortController();
    if (chance(0.3)) c.abort(new Error("fuzz: aborted before the call"));
    else setTimeout(() => c.abort(), pick([0, 1, 10, 50]));
    return { signal: c.signal, ...(chance(0.3) ? { timeout: 30 } : {}) };
  }
  if (r < 0.92) return {};
  return pick<() => unknown>([
    () => 5,
    () => null,
    () => "x",
    () => ({ signal: "x" }),
    () => ({ signal: null }),
    () => ({ signal: {} }),
    () => ({ timeout: -1 }),
    () => ({ timeout: NAN }),
    () => ({ timeout: "x" }),
    () => ({ timeout: Infinity }),
    () => ({ timeout: 2 ** 40 }),
    () => ({ timeout: null }),
    () => [],
  ])();
}

/** Options never set: they could send traffic off the machine (multicast, device binding). */
export const UNSAFE = new Set([
  // SOL_SOCKET: SO_BINDTODEVICE, SO_BINDTOIFINDEX
  "1:25",
  "1:62",
  // IPPROTO_IP: IP_HDRINCL, IP_UNBLOCK_SOURCE … MCAST_MSFILTER, IP_UNICAST_IF, membership
  ...[3, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50].map((n) => `0:${n}`),
  // IPPROTO_IPV6: membership, anycast, IPV6_UNICAST_IF, MCAST_*
  ...[20, 21, 27, 28, 76, 42, 43, 44, 45, 46, 47, 48].map((n) => `41:${n}`),
]);

export const LEVEL_NAMES: Record<string, number> = {
  SOL_SOCKET: 1,
  IPPROTO_IP: 0,
  SOL_IP: 0,
  IPPROTO_TCP: 6,
  SOL_TCP: 6,
  IPPROTO_UDP: 17,
  IPPROTO_IPV6: 41,
  SOL_IPV6: 41,
};
export const OPT_NAMES: Record<string, number> = {
  SO_REUSEADDR: 2,
  SO_KEEPALIVE: 9,
  SO_LINGER: 13,
  SO_RCVBUF: 8,
  SO_SNDBUF: 7,
  SO_RCVTIMEO: 20,
  SO_SNDTIMEO: 21,
  SO_ERROR: 4,
  SO_TYPE: 3,
  SO_REUSEPORT: 15,
  SO_PASSCRED: 16,
  SO_PEERCRED: 17,
  SO_OOBINLINE: 10,
  SO_PASSPIDFD: 76,
  SO_PEERPIDFD: 77,
  TCP_NODELAY: 1,
  TCP_INFO: 11,
  TCP_KEEPIDLE: 4,
  TCP_MAXSEG: 2,
  TCP_CORK: 3,
  TCP_USER_TIMEOUT: 18,
  IP_TTL: 2,
  IP_TOS: 1,
  IP_RECVTTL: 12,
  IP_PKTINFO: 8,
  IPV6_V6ONLY: 26,
  IPV6_RECVPKTINFO: 49,
  IP_ADD_MEMBERSHIP: 35,
  IP_MULTICAST_IF: 32,
  SO_BINDTODEVICE: 25,
  IPV6_JOIN_GROUP: 20,
};

export function level(): unknown {
  if (chance(0.85)) return pick([1, 1, 0, 6, 17, 41, 6, 1, 41, 0]);
  if (chance(0.5)) return pick(Object.keys(LEVEL_NAMES));
  return pick<unknown>([-1, 9999, 2 ** 31, NAN, "SOL_BOGUS", null, 1.5, 263, 273, 132]);
}

export function optName(): unknown {
  if (chance(0.75)) return int(80);
  if (chance(0.6)) return pick(Object.keys(OPT_NAMES));
  return pick<unknown>([-1, 2 ** 31, NAN, "SO_BOGUS", null, 1.5, 1000]);
}

export function resolves(v: unknown, table: Record<string, number>): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") return table[v];
  return undefined;
}

export function optValue(): unknown {
  return pick<() => unknown>([
    () => int(2),
    () => int(65536),
    () => -1,
    () => 2 ** 31,
    () => 2 ** 40,
    () => NAN,
    () => 1.5,
    () => true,
    () => false,
    () => new Uint8Array(int(64)).map(() => int(256)),
    () => new Uint8Array(0),
    () => detached(4),
    () => ({ onoff: int(2), linger: int(3) }),
    () => ({ onoff: "x" }),
    () => ({ sec: 0, usec: int(100000) }),
    () => ({ seconds: 0, microseconds: 5 }),
    () => ({}),
    () => null,
    () => undefined,
    () => "x",
    () => [1],
    () => 5n,
  ])();
}
