/**
 * Datagram conveniences over `socket()`: {@linkcode bind} a UDP socket in one
 * call, join and leave multicast groups (IPv4 and IPv6), iterate over what
 * arrives as `[bytes, sender]` pairs (in batches of up to 1024 per recvmmsg),
 * and send many datagrams in batches of sendmmsg ({@linkcode sendDatagrams}).
 *
 * @example Two sockets, one datagram
 * ```ts
 * import { bind, datagrams } from "@bsdsock/socket/datagram";
 * import { assertEquals } from "@std/assert";
 *
 * using a = bind({ hostname: "127.0.0.1", port: 0 });
 * using b = bind({ hostname: "127.0.0.1", port: 0 });
 * await a.sendto(new Uint8Array([1, 2]), b.getsockname());
 * for await (const [data, from] of datagrams(b)) {
 *   assertEquals(data, new Uint8Array([1, 2]));
 *   assertEquals(from, a.getsockname());
 *   break;
 * }
 * ```
 *
 * @module
 */
import { linux as C } from "../constants/linux.ts";
import { isIPv4, isIPv6 } from "../address/inet.ts";
import type { SockAddr, SockAddrInput } from "../address/types.ts";
import { EBADF } from "../errno/names.ts";
import { SocketError } from "../errno/socket_error.ts";
import { checkInt, cInt, UIO_MAXIOV } from "../_internal/check.ts";
import { type CallOptions, flagsArg, optionsArg } from "./_args.ts";
import type { RecvMmsgResult } from "./_backend.ts";
import { socket, type SocketOptions } from "./create.ts";
import type { MmsgMessage, Socket } from "./socket.ts";

/** Options of {@linkcode bind}. */
export interface BindOptions extends SocketOptions {
  /** `SO_REUSEADDR`. Default `false`. */
  reuseAddr?: boolean;
  /** `SO_REUSEPORT` (several sockets share the port; the kernel spreads datagrams). */
  reusePort?: boolean;
  /** `SO_BROADCAST`. */
  broadcast?: boolean;
  /** For an IPv6 address: also receive IPv4 (`IPV6_V6ONLY` 0). Default `false`. */
  dualStack?: boolean;
}

/**
 * Creates a UDP socket bound to `addr` (port 0 picks a free port).
 *
 * @param addr A literal IPv4 or IPv6 address (or `localhost`) and a port.
 * @param opts Reuse, broadcast and dual-stack options, the backend.
 * @returns The bound socket.
 *
 * @example
 * ```ts
 * import { bind } from "@bsdsock/socket/datagram";
 * import { assertNotEquals } from "@std/assert";
 *
 * using s = bind({ hostname: "::1", port: 0 });
 * assertNotEquals(s.getsockname(), undefined);
 * ```
 */
export function bind(addr: { hostname: string; port: number }, opts: BindOptions = {}): Socket {
  if (!addr || typeof addr !== "object") throw new TypeError("addr must be an object");
  const host = addr.hostname === "localhost" ? "127.0.0.1" : addr.hostname;
  const v6 = !isIPv4(host);
  const s = socket(v6 ? C.AF_INET6 : C.AF_INET, C.SOCK_DGRAM, 0, { backend: opts.backend });
  try {
    if (opts.reuseAddr) s.setsockopt(C.SOL_SOCKET, C.SO_REUSEADDR, true);
    if (opts.reusePort) s.setsockopt(C.SOL_SOCKET, C.SO_REUSEPORT, true);
    if (opts.broadcast) s.setsockopt(C.SOL_SOCKET, C.SO_BROADCAST, true);
    if (v6) s.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, !opts.dualStack);
    s.bind({ ...addr, hostname: host });
    return s;
  } catch (err) {
    s.close();
    throw err;
  }
}

/** Which interface a multicast membership is on. */
export interface MembershipOptions {
  /** Interface index (`if_nametoindex`); 0 lets the kernel choose. */
  ifindex?: number;
  /** IPv4 only: a local address of the interface. */
  interfaceAddress?: string;
}

function membership(sock: Socket, group: string, opts: MembershipOptions, join: boolean): void {
  const ifindex = opts.ifindex === undefined ? 0 : cInt(opts.ifindex, "ifindex");
  if (isIPv4(group)) {
    sock.setsockopt(C.IPPROTO_IP, join ? C.IP_ADD_MEMBERSHIP : C.IP_DROP_MEMBERSHIP, {
      multiaddr: group,
      address: opts.interfaceAddress ?? "0.0.0.0",
      ifindex,
    });
  } else if (isIPv6(group)) {
    sock.setsockopt(C.IPPROTO_IPV6, join ? C.IPV6_JOIN_GROUP : C.IPV6_LEAVE_GROUP, {
      multiaddr: group,
      ifindex,
    });
  } else {
    throw new TypeError(
      `group must be an IPv4 or IPv6 multicast address, got ${JSON.stringify(group)}`,
    );
  }
}

/**
 * Joins a multicast group (`IP_ADD_MEMBERSHIP` with an `ip_mreqn`, or
 * `IPV6_JOIN_GROUP` with an `ipv6_mreq`).
 *
 * @param sock A UDP socket of the group's family.
 * @param group The group address.
 * @param opts The interface.
 *
 * @example
 * ```ts
 * import { bind, joinMulticast, leaveMulticast } from "@bsdsock/socket/datagram";
 *
 * using s = bind({ hostname: "0.0.0.0", port: 0 });
 * joinMulticast(s, "239.255.0.1", { interfaceAddress: "127.0.0.1" });
 * leaveMulticast(s, "239.255.0.1", { interfaceAddress: "127.0.0.1" });
 * ```
 */
export function joinMulticast(sock: Socket, group: string, opts: MembershipOptions = {}): void {
  membership(sock, group, opts, true);
}

/**
 * Leaves a multicast group (`IP_DROP_MEMBERSHIP` / `IPV6_LEAVE_GROUP`).
 *
 * @param sock The socket that joined.
 * @param group The group address.
 * @param opts The interface it was joined on.
 *
 * @example
 * ```ts
 * import { bind, joinMulticast, leaveMulticast } from "@bsdsock/socket/datagram";
 *
 * // A membership on an interface chosen by index needs the ffi backend.
 * using s = bind({ hostname: "::", port: 0 }, { backend: "ffi" });
 * joinMulticast(s, "ff02::1:3", { ifindex: 1 });
 * leaveMulticast(s, "ff02::1:3", { ifindex: 1 });
 * ```
 */
export function leaveMulticast(sock: Socket, group: string, opts: MembershipOptions = {}): void {
  membership(sock, group, opts, false);
}

/** Options of {@linkcode datagrams}. */
export interface DatagramsOptions extends CallOptions {
  /**
   * Datagrams taken per system call, 1 to 1024 (default 1): each recvmmsg fills
   * up to this many buffers of `maxSize` bytes (`batch × maxSize` bytes are set
   * aside for the iteration). `signal` and `timeout` apply to each wait.
   */
  batch?: number;
}

/**
 * Iterates over the datagrams a socket receives, each as its own copy with the
 * sender's address, until the socket is closed. Without options, one recvfrom
 * per datagram ({@linkcode Socket.datagrams}); with a `batch`, one recvmmsg
 * takes every datagram already queued, up to `batch`, and they are yielded in
 * order before the next call.
 *
 * @param sock A datagram socket.
 * @param maxSize The largest datagram expected; longer ones are cut (as recvfrom(2) does). Default 65535.
 * @param opts `batch`, and `signal`/`timeout` for each wait.
 * @returns The datagrams.
 *
 * @example One at a time, and in batches
 * ```ts
 * import { bind, datagrams, sendDatagrams } from "@bsdsock/socket/datagram";
 * import { assertEquals } from "@std/assert";
 *
 * using s = bind({ hostname: "127.0.0.1", port: 0 });
 * await s.sendto(new Uint8Array([7]), s.getsockname());
 * for await (const [data] of datagrams(s)) {
 *   assertEquals(data[0], 7);
 *   break;
 * }
 * const payloads = [1, 2, 3, 4].map((n) => new Uint8Array([n]));
 * await sendDatagrams(s, payloads, { addr: s.getsockname() });
 * const seen: number[] = [];
 * for await (const [data] of datagrams(s, 1500, { batch: 64 })) {
 *   seen.push(data[0]);
 *   if (seen.length === 4) break;
 * }
 * assertEquals(seen, [1, 2, 3, 4]);
 * ```
 */
export function datagrams(
  sock: Socket,
  maxSize = 65535,
  opts?: DatagramsOptions,
): AsyncGenerator<[Uint8Array, SockAddr], void, undefined> {
  return opts === undefined ? sock.datagrams(maxSize) : batches(sock, maxSize, opts);
}

/** {@linkcode datagrams} with options: recvmmsg into `batch` slices of one buffer. */
async function* batches(
  sock: Socket,
  maxSize: number,
  opts: DatagramsOptions,
): AsyncGenerator<[Uint8Array, SockAddr], void, undefined> {
  const o = optionsArg(opts);
  const batch = o?.batch === undefined ? 1 : checkInt(o.batch, "batch", 1, UIO_MAXIOV);
  const size = cInt(maxSize, "maxSize");
  if (size < 1) throw new RangeError(`maxSize must be at least 1, got ${size}`);
  const call: CallOptions = { signal: o?.signal, timeout: o?.timeout };
  const room = new Uint8Array(batch * size);
  const buffers: Uint8Array[] = [];
  for (let i = 0; i < batch; i++) buffers.push(room.subarray(i * size, (i + 1) * size));
  while (!sock.closed) {
    let got: RecvMmsgResult[];
    try {
      got = await sock.recvmmsg(buffers, 0, call);
    } catch (err) {
      if (sock.closed && err instanceof SocketError && err.errno === EBADF) return;
      throw err;
    }
    for (let i = 0; i < got.length; i++) {
      // A sender the kernel names no address for is an unnamed unix socket.
      yield [buffers[i].slice(0, got[i].bytes), got[i].addr ?? { family: "unix", path: "" }];
    }
  }
}

/** Options of {@linkcode sendDatagrams}. */
export interface SendDatagramsOptions extends CallOptions {
  /** Where the messages given as bare bytes go (else to the connected peer). */
  addr?: SockAddrInput;
  /** `MSG_*` for every message. */
  flags?: number;
  /** Messages per sendmmsg call, 1 to 1024 (the default). */
  batch?: number;
}

/**
 * Sends every message, in as few sendmmsg calls as the batch size allows (on
 * the native backend, one sendmsg each), carrying on after a call that sent only
 * some. A message is a `Uint8Array` (sent to `opts.addr`, or to the connected
 * peer) or a {@linkcode MmsgMessage} `{ buffers, addr?, ancillary? }`. Each batch
 * is checked whole before it is sent (see {@linkcode Socket.sendmmsg}).
 *
 * @param sock A datagram socket.
 * @param messages The datagrams, in order.
 * @param opts `addr` for bare bytes, `flags`, `batch`, `signal`, `timeout`.
 * @returns How many were sent: all of them. When one fails the promise rejects
 *   with its error, and the messages before it have been sent.
 *
 * @example A thousand datagrams to oneself
 * ```ts
 * import { bind, sendDatagrams } from "@bsdsock/socket/datagram";
 * import { assertEquals } from "@std/assert";
 *
 * using s = bind({ hostname: "127.0.0.1", port: 0 }, { backend: "ffi" });
 * s.setsockopt("SOL_SOCKET", "SO_RCVBUF", 1 << 20);
 * const payloads = Array.from({ length: 1000 }, (_, i) => new Uint8Array([i & 0xff]));
 * assertEquals(await sendDatagrams(s, payloads, { addr: s.getsockname(), batch: 256 }), 1000);
 * ```
 */
export async function sendDatagrams(
  sock: Socket,
  messages: readonly (Uint8Array | MmsgMessage)[],
  opts: SendDatagramsOptions = {},
): Promise<number> {
  const o = optionsArg(opts) ?? {};
  if (!Array.isArray(messages)) {
    throw new TypeError(`messages must be an array, got ${typeof messages}`);
  }
  const batch = o.batch === undefined ? UIO_MAXIOV : checkInt(o.batch, "batch", 1, UIO_MAXIOV);
  const flags = flagsArg(o.flags);
  const call: CallOptions = { signal: o.signal, timeout: o.timeout };
  // One array and one wrapper per slot, reused batch after batch.
  const chunk: MmsgMessage[] = [];
  const wrappers: MmsgMessage[] = [];
  let sent = 0;
  while (sent < messages.length) {
    const n = Math.min(batch, messages.length - sent);
    chunk.length = n;
    for (let i = 0; i < n; i++) {
      const m = messages[sent + i];
      if (m instanceof Uint8Array) {
        const w = wrappers[i] ??= { buffers: m };
        w.buffers = m;
        w.addr = o.addr;
        chunk[i] = w;
      } else chunk[i] = m;
    }
    sent += await sock.sendmmsg(chunk, flags, call);
  }
  return sent;
}
