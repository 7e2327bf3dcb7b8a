/**
 * Typed helpers over `setsockopt`/`getsockopt` for the options everyone sets.
 * Each is one or a few calls on any object with the Socket's two methods;
 * values are checked in full before the first call.
 *
 * @module
 */
import { checkInt, INT_MAX, INT_MIN, quote } from "../_internal/check.ts";
import { checkFlag } from "./_codec.ts";
import { decodeOption, encodeOption, lookupOption, type OptionSpec } from "./registry.ts";
import type { TcpInfo } from "./tcp_info.ts";

/**
 * What the helpers need of a socket: the two option calls of the `Socket`
 * class, with numeric level and name.
 *
 * @example A stand-in that records what is set
 * ```ts
 * import { type OptionTarget, setNoDelay } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const set: unknown[] = [];
 * const sock: OptionTarget = { setsockopt: (_l, _n, value) => set.push(value), getsockopt: () => 0 };
 * setNoDelay(sock);
 * assertEquals(set, [true]);
 * ```
 */
export interface OptionTarget {
  /** setsockopt(2): the value as the option's codec takes it. */
  setsockopt(level: number, name: number, value: number | boolean | Uint8Array | object): void;
  /** getsockopt(2): the decoded value (or raw bytes when `size` is given). */
  getsockopt(level: number, name: number, size?: number): unknown;
}

/** The spec of the first of `names` the running OS has at `level`, or the `TypeError`. */
function spec(level: string, ...names: string[]): OptionSpec {
  for (const name of names) {
    const found = lookupOption(level, name);
    if (found) return found;
  }
  throw new TypeError(`${level}/${names.join(" or ")} does not exist on this OS`);
}

function set(sock: OptionTarget, s: OptionSpec, value: number | boolean | object): void {
  sock.setsockopt(s.level, s.name, value);
}

function get(sock: OptionTarget, s: OptionSpec): unknown {
  const value = sock.getsockopt(s.level, s.name);
  return value instanceof Uint8Array ? decodeOption(s, value) : value;
}

function flag(sock: OptionTarget, s: OptionSpec, on: boolean): void {
  set(sock, s, checkFlag(on, `${s.optionName}'s value`));
}

/**
 * Keep-alive settings of a TCP socket (socket(7) `SO_KEEPALIVE`, tcp(7) `TCP_KEEP*`).
 *
 * @example
 * ```ts
 * import { type KeepAlive, setKeepAlive } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const settings: KeepAlive = { idle: 30, count: 3 };
 * const values: unknown[] = [];
 * setKeepAlive({ setsockopt: (_l, _n, v) => values.push(v), getsockopt: () => 0 }, settings);
 * assertEquals(values, [true, 30, 3]);
 * ```
 */
export interface KeepAlive {
  /** `SO_KEEPALIVE`: whether idle connections are probed (default `true` when setting). */
  enable?: boolean;
  /** `TCP_KEEPIDLE` (macOS: `TCP_KEEPALIVE`): idle seconds before the first probe. */
  idle?: number;
  /** `TCP_KEEPINTVL`: seconds between probes. */
  interval?: number;
  /** `TCP_KEEPCNT`: unanswered probes before the connection is dropped. */
  count?: number;
}

/**
 * Turns TCP keep-alive on or off and tunes it: `SO_KEEPALIVE` (socket(7)), then
 * `TCP_KEEPIDLE`, `TCP_KEEPINTVL`, `TCP_KEEPCNT` (tcp(7)) for those given.
 * Times are whole seconds, as the kernel takes them (1–32767 on Linux).
 *
 * @param sock The socket.
 * @param options `enable` (default `true`), and `idle`, `interval`, `count` to set.
 * @throws {TypeError} If a value has the wrong type (before any call).
 * @throws {RangeError} If a number is not an integer C `int` (before any call).
 *
 * @example Probing after 60 s idle, every 10 s, 5 times
 * ```ts
 * import { setKeepAlive } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const calls: number[][] = [];
 * const sock = {
 *   setsockopt: (level: number, name: number, value: unknown) => calls.push([name, Number(value)]),
 *   getsockopt: () => 0,
 * };
 * setKeepAlive(sock, { idle: 60, interval: 10, count: 5 });
 * assertEquals(calls.map(([, value]) => value), [1, 60, 10, 5]);
 * ```
 */
export function setKeepAlive(sock: OptionTarget, options: KeepAlive = {}): void {
  const { enable = true, idle, interval, count } = options ?? {};
  checkFlag(enable, "enable");
  const tuning: Array<[OptionSpec, number]> = [];
  const add = (value: number | undefined, what: string, ...names: string[]) => {
    if (value === undefined) return;
    tuning.push([spec("IPPROTO_TCP", ...names), checkInt(value, what, INT_MIN, INT_MAX)]);
  };
  add(idle, "Keep-alive idle seconds", "TCP_KEEPIDLE", "TCP_KEEPALIVE");
  add(interval, "Keep-alive interval seconds", "TCP_KEEPINTVL");
  add(count, "Keep-alive probe count", "TCP_KEEPCNT");
  set(sock, spec("SOL_SOCKET", "SO_KEEPALIVE"), enable);
  for (const [s, value] of tuning) set(sock, s, value);
}

/**
 * Reads the keep-alive settings: `SO_KEEPALIVE` and, where the OS has them,
 * `TCP_KEEPIDLE` (or `TCP_KEEPALIVE`), `TCP_KEEPINTVL`, `TCP_KEEPCNT`.
 *
 * @param sock A TCP socket.
 * @returns `{ enable, idle, interval, count }` (times in seconds).
 *
 * @example
 * ```ts
 * import { getKeepAlive } from "@bsdsock/socket/options";
 * import { SO_KEEPALIVE, TCP_KEEPCNT, TCP_KEEPIDLE, TCP_KEEPINTVL } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * const kernel: Record<number, unknown> = { [SO_KEEPALIVE]: true, [TCP_KEEPCNT]: 9 };
 * Object.assign(kernel, { [TCP_KEEPIDLE!]: 7200, [TCP_KEEPINTVL!]: 75 });
 * const sock = { setsockopt: () => {}, getsockopt: (_level: number, name: number) => kernel[name] };
 * assertEquals(getKeepAlive(sock), { enable: true, idle: 7200, interval: 75, count: 9 });
 * ```
 */
export function getKeepAlive(sock: OptionTarget): Required<KeepAlive> {
  const out = { enable: Boolean(get(sock, spec("SOL_SOCKET", "SO_KEEPALIVE"))) } as Required<
    KeepAlive
  >;
  const read = (key: "idle" | "interval" | "count", ...names: string[]) => {
    const s = names.map((n) => lookupOption("IPPROTO_TCP", n)).find((x) => x !== undefined);
    if (s) out[key] = get(sock, s) as number;
  };
  read("idle", "TCP_KEEPIDLE", "TCP_KEEPALIVE");
  read("interval", "TCP_KEEPINTVL");
  read("count", "TCP_KEEPCNT");
  return out;
}

/**
 * Turns Nagle's algorithm off (`on = true`) or back on: `TCP_NODELAY`, tcp(7).
 *
 * @param sock A TCP socket.
 * @param on Send small segments at once (default `true`).
 *
 * @example
 * ```ts
 * import { setNoDelay } from "@bsdsock/socket/options";
 * import { IPPROTO_TCP, TCP_NODELAY } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * let seen: unknown[] = [];
 * setNoDelay({ setsockopt: (...args: unknown[]) => (seen = args), getsockopt: () => 0 });
 * assertEquals(seen, [IPPROTO_TCP, TCP_NODELAY, true]);
 * ```
 */
export function setNoDelay(sock: OptionTarget, on: boolean = true): void {
  flag(sock, spec("IPPROTO_TCP", "TCP_NODELAY"), on);
}

/**
 * Sets how `close(2)` lingers over unsent data: `SO_LINGER`, socket(7) (on macOS
 * `SO_LINGER_SEC`, whose time is in seconds too). `null` turns lingering off
 * (close returns at once, data is sent in the background); `0` resets the
 * connection on close; `n` blocks close up to `n` seconds.
 *
 * @param sock The socket.
 * @param seconds Seconds to linger, or `null` for off.
 * @throws {RangeError} If `seconds` is not an integer from 0 to 2³¹−1.
 *
 * @example
 * ```ts
 * import { setLinger } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const values: unknown[] = [];
 * const sock = { setsockopt: (_l: number, _n: number, v: unknown) => values.push(v), getsockopt: () => 0 };
 * setLinger(sock, 5);
 * setLinger(sock, null);
 * assertEquals(values, [{ onoff: true, linger: 5 }, { onoff: false, linger: 0 }]);
 * ```
 */
export function setLinger(sock: OptionTarget, seconds: number | null): void {
  const s = spec("SOL_SOCKET", "SO_LINGER_SEC", "SO_LINGER");
  const value = seconds === null
    ? { onoff: false, linger: 0 }
    : { onoff: true, linger: checkInt(seconds, "Linger seconds", 0, INT_MAX) };
  encodeOption(s, value);
  set(sock, s, value);
}

/**
 * Lets `bind(2)` reuse a local address in `TIME_WAIT`: `SO_REUSEADDR`, socket(7).
 *
 * @param sock The socket, before `bind`.
 * @param on Allow reuse (default `true`).
 *
 * @example
 * ```ts
 * import { setReuseAddress } from "@bsdsock/socket/options";
 * import { SO_REUSEADDR } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * let name = -1;
 * setReuseAddress({ setsockopt: (_l: number, n: number) => (name = n), getsockopt: () => 0 });
 * assertEquals(name, SO_REUSEADDR);
 * ```
 */
export function setReuseAddress(sock: OptionTarget, on: boolean = true): void {
  flag(sock, spec("SOL_SOCKET", "SO_REUSEADDR"), on);
}

/**
 * Lets several sockets bind the same address and port, the kernel spreading
 * connections or datagrams among them: `SO_REUSEPORT`, socket(7).
 *
 * @param sock The socket, before `bind`.
 * @param on Allow sharing (default `true`).
 *
 * @example
 * ```ts
 * import { setReusePort } from "@bsdsock/socket/options";
 * import { SO_REUSEPORT } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * let name = -1;
 * setReusePort({ setsockopt: (_l: number, n: number) => (name = n), getsockopt: () => 0 });
 * assertEquals(name, SO_REUSEPORT);
 * ```
 */
export function setReusePort(sock: OptionTarget, on: boolean = true): void {
  flag(sock, spec("SOL_SOCKET", "SO_REUSEPORT"), on);
}

/**
 * Allows sending datagrams to a broadcast address: `SO_BROADCAST`, socket(7).
 *
 * @param sock A datagram socket.
 * @param on Allow broadcast (default `true`).
 *
 * @example
 * ```ts
 * import { setBroadcast } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * let value: unknown;
 * setBroadcast({ setsockopt: (_l: number, _n: number, v: unknown) => (value = v), getsockopt: () => 0 }, false);
 * assertEquals(value, false);
 * ```
 */
export function setBroadcast(sock: OptionTarget, on: boolean = true): void {
  flag(sock, spec("SOL_SOCKET", "SO_BROADCAST"), on);
}

function bufferSize(sock: OptionTarget, name: string, bytes: number): void {
  set(sock, spec("SOL_SOCKET", name), checkInt(bytes, `${name} bytes`, 0, INT_MAX));
}

/**
 * Sets the receive buffer size: `SO_RCVBUF`, socket(7). Linux doubles the value
 * (for its bookkeeping) and caps it at `net.core.rmem_max`; `getsockopt` shows
 * the doubled size.
 *
 * @param sock The socket.
 * @param bytes The size in bytes.
 * @throws {RangeError} If `bytes` is not an integer from 0 to 2³¹−1.
 *
 * @example
 * ```ts
 * import { setRecvBufferSize } from "@bsdsock/socket/options";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * let value: unknown;
 * const sock = { setsockopt: (_l: number, _n: number, v: unknown) => (value = v), getsockopt: () => 0 };
 * setRecvBufferSize(sock, 65536);
 * assertEquals(value, 65536);
 * assertThrows(() => setRecvBufferSize(sock, -1), RangeError, "-1");
 * ```
 */
export function setRecvBufferSize(sock: OptionTarget, bytes: number): void {
  bufferSize(sock, "SO_RCVBUF", bytes);
}

/**
 * Sets the send buffer size: `SO_SNDBUF`, socket(7) (doubled by Linux, capped
 * at `net.core.wmem_max`).
 *
 * @param sock The socket.
 * @param bytes The size in bytes.
 * @throws {RangeError} If `bytes` is not an integer from 0 to 2³¹−1.
 *
 * @example
 * ```ts
 * import { setSendBufferSize } from "@bsdsock/socket/options";
 * import { SO_SNDBUF } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * const calls: unknown[][] = [];
 * setSendBufferSize({ setsockopt: (...a: unknown[]) => calls.push(a), getsockopt: () => 0 }, 4096);
 * assertEquals(calls[0].slice(1), [SO_SNDBUF, 4096]);
 * ```
 */
export function setSendBufferSize(sock: OptionTarget, bytes: number): void {
  bufferSize(sock, "SO_SNDBUF", bytes);
}

/**
 * Restricts an `AF_INET6` socket to IPv6 (`on = true`) or lets it also carry
 * IPv4 as IPv4-mapped addresses: `IPV6_V6ONLY`, ipv6(7). Set it before `bind`.
 *
 * @param sock An `AF_INET6` socket.
 * @param on IPv6 only (default `true`).
 *
 * @example
 * ```ts
 * import { setV6Only } from "@bsdsock/socket/options";
 * import { IPPROTO_IPV6, IPV6_V6ONLY } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * let seen: unknown[] = [];
 * setV6Only({ setsockopt: (...a: unknown[]) => (seen = a), getsockopt: () => 0 }, false);
 * assertEquals(seen, [IPPROTO_IPV6, IPV6_V6ONLY, false]);
 * ```
 */
export function setV6Only(sock: OptionTarget, on: boolean = true): void {
  flag(sock, spec("IPPROTO_IPV6", "IPV6_V6ONLY"), on);
}

/**
 * Reads the kernel's view of a TCP connection: `TCP_INFO`, tcp(7), decoded
 * from Linux's `struct tcp_info` (`u64` fields as bigint).
 *
 * @param sock A TCP socket.
 * @returns The decoded struct: `state`, `rtt`, `sndCwnd`, `bytesAcked`…
 * @throws {TypeError} If the OS has no `TCP_INFO` in the registry, or the socket gave no struct.
 *
 * @example
 * ```ts
 * import { codecs, tcpInfo } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const bytes = new Uint8Array(codecs.tcpInfo.size);
 * bytes[0] = 1; // TCP_ESTABLISHED
 * const info = tcpInfo({ setsockopt: () => {}, getsockopt: () => bytes });
 * assertEquals(info.state, 1);
 * ```
 */
export function tcpInfo(sock: OptionTarget): TcpInfo {
  const value = get(sock, spec("IPPROTO_TCP", "TCP_INFO"));
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) {
    throw new TypeError(`TCP_INFO gave no struct tcp_info: ${quote(value)}`);
  }
  return value as TcpInfo;
}
