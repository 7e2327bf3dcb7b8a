/**
 * `ping HOST`: ICMP echo requests and their replies, printed the way ping(8)
 * prints them. Deno, Node and Bun have no ICMP of their own (denoland/deno#5709,
 * nodejs/node#7631); here it is `socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)`.
 *
 * ```sh
 * deno run --allow-ffi --allow-net examples/ping.ts 127.0.0.1 -c 3
 * ```
 *
 * ```text
 * PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
 * 64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=6.17 ms
 * 64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.954 ms
 * 64 bytes from 127.0.0.1: icmp_seq=3 ttl=64 time=0.623 ms
 *
 * --- 127.0.0.1 ping statistics ---
 * 3 packets transmitted, 3 received, 0% packet loss, time 2009ms
 * rtt min/avg/max/mdev = 0.623/2.583/6.174/2.542 ms
 * ```
 *
 * A raw socket needs root or `CAP_NET_RAW`. Without it, ping says so and uses
 * the ping socket instead, `socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)`, which
 * Linux gives to the groups listed in `net.ipv4.ping_group_range` (a setting of
 * each network namespace); when that is refused too, it tells you the sysctl.
 * IPv6 works the same way (`ping.ts ::1`, or `-6` for a name), with ICMPv6.
 *
 * Options: `-c COUNT` (default: until Ctrl-C), `-i SECONDS` between requests
 * (default 1), `-W SECONDS` to wait for the last reply (default 2), `-4`/`-6`.
 * Exit status: 0 when any reply came, 1 when none did, 2 on a usage or socket error.
 *
 * @module
 */
import {
  AF_INET,
  AF_INET6,
  EACCES,
  EPERM,
  IP_RECVTTL,
  IP_TTL,
  IPPROTO_ICMP,
  IPPROTO_ICMPV6,
  IPPROTO_IP,
  IPPROTO_IPV6,
  IPV6_HOPLIMIT,
  IPV6_RECVHOPLIMIT,
  isIPv4,
  isIPv6,
  SOCK_DGRAM,
  SOCK_RAW,
  type Socket,
  socket,
  SocketError,
} from "../mod.ts";

// The library's types, which the signatures below name (deno doc wants them public here).
export type * from "../mod.ts";

/** ICMP echo types (RFC 792, RFC 4443; `<netinet/ip_icmp.h>`, `<netinet/icmp6.h>`). */
export const ICMP = {
  ICMP_ECHO: 8,
  ICMP_ECHOREPLY: 0,
  ICMP6_ECHO_REQUEST: 128,
  ICMP6_ECHO_REPLY: 129,
} as const;
const ECHO = {
  4: { request: ICMP.ICMP_ECHO, reply: ICMP.ICMP_ECHOREPLY },
  6: { request: ICMP.ICMP6_ECHO_REQUEST, reply: ICMP.ICMP6_ECHO_REPLY },
} as const;
/** Bytes of data after the 8-byte ICMP header, as ping(8) sends by default. */
export const PAYLOAD_SIZE = 56;

/** Which kind of socket carries the echoes. */
export type IcmpKind = "raw" | "ping socket";

/** An ICMP socket and what it is. */
export interface IcmpSocket {
  /** The socket: raw, or the unprivileged ping socket. */
  socket: Socket;
  /** `"raw"` (`SOCK_RAW`) or `"ping socket"` (`SOCK_DGRAM`, where the kernel keeps the id). */
  kind: IcmpKind;
  /** Why the raw socket was refused, when `kind` is the ping socket. */
  rawRefused?: SocketError;
}

/**
 * Opens an ICMP socket for `family`: raw when permitted, else the ping socket.
 *
 * @param family 4 or 6.
 * @returns The socket and its kind.
 * @throws {SocketError} The ping socket's refusal (its `cause` is the raw
 *   socket's), when neither is permitted.
 */
export function openIcmpSocket(family: 4 | 6): IcmpSocket {
  const domain = family === 4 ? AF_INET : AF_INET6;
  const protocol = family === 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
  let rawRefused: SocketError;
  try {
    return { socket: socket(domain, SOCK_RAW, protocol), kind: "raw" };
  } catch (err) {
    if (!(err instanceof SocketError) || err.errno !== EPERM) throw err;
    rawRefused = err;
  }
  try {
    return { socket: socket(domain, SOCK_DGRAM, protocol), kind: "ping socket", rawRefused };
  } catch (err) {
    if (err instanceof SocketError) err.cause = rawRefused;
    throw err;
  }
}

/**
 * The numeric address of `host` for `family`, as the library's resolver gives
 * it: a UDP socket connected to it (which sends nothing) names its peer.
 *
 * @param host A name or an IP literal.
 * @param family 4 or 6.
 * @returns The address as text.
 */
export async function resolveHost(host: string, family: 4 | 6): Promise<string> {
  if (family === 4 ? isIPv4(host) : isIPv6(host)) return host;
  using probe = socket(family === 4 ? AF_INET : AF_INET6, SOCK_DGRAM);
  await probe.connect({ hostname: host, port: 9 });
  const peer = probe.getpeername();
  if (peer.family !== "inet" && peer.family !== "inet6") throw new Error("not an IP peer");
  return peer.hostname;
}

/** The Internet checksum (RFC 1071). */
export function inetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length % 2) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** One echo reply. */
export interface PingReply {
  /** Who answered. */
  from: string;
  /** ICMP bytes received (header and data), as ping(8) counts them. */
  bytes: number;
  /** The echo's sequence number. */
  seq: number;
  /** TTL (IPv4) or hop limit (IPv6) of the reply. */
  ttl: number;
  /** Round trip in milliseconds. */
  time: number;
}

/** Options of {@linkcode ping}. */
export interface PingOptions {
  /** Requests to send; default: until `signal` aborts. */
  count?: number;
  /** Milliseconds between requests; default 1000. */
  interval?: number;
  /** Milliseconds to wait for replies after the last request; default 2000. */
  wait?: number;
  /** 4 or 6; default: 6 for an IPv6 literal, else 4. */
  family?: 4 | 6;
  /** Stops sending (and waiting) early. */
  signal?: AbortSignal;
  /** Called once the socket is open and the address known, before the first request. */
  onStart?: (info: { address: string; kind: IcmpKind; rawRefused?: SocketError }) => void;
  /** Called for each reply as it comes. */
  onReply?: (reply: PingReply) => void;
}

/** What {@linkcode ping} returns. */
export interface PingSummary {
  /** The address pinged. */
  address: string;
  /** Requests sent. */
  transmitted: number;
  /** Replies received (one per request at most). */
  received: number;
  /** Round-trip times of the replies, in milliseconds. */
  times: number[];
  /** Milliseconds from the first request to the end. */
  elapsed: number;
}

/**
 * Sends ICMP echo requests to `host` and collects the replies.
 *
 * @param host A name or an IP literal.
 * @param options Count, interval, family, callbacks.
 * @returns The statistics.
 * @throws {SocketError} When no ICMP socket is permitted (see {@linkcode openIcmpSocket}).
 */
export async function ping(host: string, options: PingOptions = {}): Promise<PingSummary> {
  const family = options.family ?? (isIPv6(host) ? 6 : 4);
  const { socket: s, kind, rawRefused } = openIcmpSocket(family);
  using _s = s;
  const address = await resolveHost(host, family);
  options.onStart?.({ address, kind, rawRefused });
  if (family === 4) s.setsockopt(IPPROTO_IP, IP_RECVTTL, true);
  else s.setsockopt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, true);
  const id = Deno.pid & 0xffff; // the ping socket replaces it with its own
  const sentAt = new Map<number, number>();
  const times: number[] = [];
  const done = new AbortController();
  const stop = () => done.abort();
  options.signal?.addEventListener("abort", stop);
  const receiving = receive(s, family, kind, id, sentAt, done.signal, (reply) => {
    times.push(reply.time);
    options.onReply?.(reply);
    if (times.length === options.count) done.abort();
  });
  const start = performance.now();
  let transmitted = 0;
  const interval = options.interval ?? 1000;
  try {
    while (!done.signal.aborted && transmitted !== options.count) {
      const seq = ++transmitted;
      sentAt.set(seq, performance.now());
      await s.sendto(echoRequest(family, id, seq), { hostname: address, port: 0 });
      if (transmitted !== options.count) await sleep(interval, done.signal);
    }
    await sleep(options.wait ?? 2000, done.signal);
  } finally {
    done.abort();
    options.signal?.removeEventListener("abort", stop);
    await receiving;
  }
  return {
    address,
    transmitted,
    received: times.length,
    times,
    elapsed: performance.now() - start,
  };
}

function echoRequest(family: 4 | 6, id: number, seq: number): Uint8Array {
  const m = new Uint8Array(8 + PAYLOAD_SIZE);
  const v = new DataView(m.buffer);
  m[0] = ECHO[family].request;
  v.setUint16(4, id);
  v.setUint16(6, seq);
  for (let i = 8; i < m.length; i++) m[i] = i; // ping(8)'s pattern
  // ICMPv6 checksums cover a pseudo-header: the kernel fills them in.
  if (family === 4) v.setUint16(2, inetChecksum(m));
  return m;
}

async function receive(
  s: Socket,
  family: 4 | 6,
  kind: IcmpKind,
  id: number,
  sentAt: Map<number, number>,
  signal: AbortSignal,
  onReply: (reply: PingReply) => void,
): Promise<void> {
  const buf = new Uint8Array(65536);
  for (;;) {
    let r;
    try {
      r = await s.recvmsg([buf], { ancillarySize: 64, signal });
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const now = performance.now();
    // A raw IPv4 socket hands over the IP header too; ICMPv6 and ping sockets do not.
    const ip = family === 4 && kind === "raw" ? (buf[0] & 0x0f) * 4 : 0;
    const icmp = buf.subarray(ip, r.bytes);
    if (icmp.length < 8 || icmp[0] !== ECHO[family].reply) continue;
    const v = new DataView(icmp.buffer, icmp.byteOffset, icmp.byteLength);
    if (kind === "raw" && v.getUint16(4) !== id) continue; // another ping's reply
    const seq = v.getUint16(6);
    const t = sentAt.get(seq);
    if (t === undefined) continue;
    sentAt.delete(seq);
    const level = family === 4 ? IPPROTO_IP : IPPROTO_IPV6;
    const type = family === 4 ? IP_TTL : IPV6_HOPLIMIT;
    const cmsg = r.ancillary.find((a) => a.level === level && a.type === type);
    const ttl = cmsg
      ? new DataView(cmsg.data.buffer, cmsg.data.byteOffset).getInt32(0, true)
      : ip
      ? buf[8]
      : -1;
    const from = r.addr && "hostname" in r.addr ? r.addr.hostname : "";
    onReply({ from, bytes: icmp.length, seq, ttl, time: now - t });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/** A round trip as ping(8) prints it: three significant digits, at least one decimal below 100 ms. */
export function formatTime(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

const USAGE = "usage: ping.ts HOST [-c COUNT] [-i SECONDS] [-W SECONDS] [-4|-6]";

/** The command line, parsed; a string is the usage error. */
export function parseArgs(args: readonly string[]): {
  host: string;
  count?: number;
  interval: number;
  wait: number;
  family?: 4 | 6;
} | string {
  let host: string | undefined;
  let count: number | undefined;
  let interval = 1000;
  let wait = 2000;
  let family: 4 | 6 | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-4" || a === "-6") family = a === "-4" ? 4 : 6;
    else if (a === "-c" || a === "-i" || a === "-W") {
      const n = Number(args[++i]);
      if (args[i] === undefined || !Number.isFinite(n) || n <= 0) return `${a} needs a number > 0`;
      if (a === "-c") {
        if (!Number.isInteger(n)) return "-c needs a whole number";
        count = n;
      } else if (a === "-i") interval = n * 1000;
      else wait = n * 1000;
    } else if (a.startsWith("-")) return `unknown option ${a}`;
    else if (host === undefined) host = a;
    else return `unexpected argument ${a}`;
  }
  if (host === undefined) return "HOST is missing";
  return { host, count, interval, wait, family };
}

if (import.meta.main) {
  const args = parseArgs(Deno.args);
  if (typeof args === "string") {
    console.error(`ping: ${args}\n${USAGE}`);
    Deno.exit(2);
  }
  const stop = new AbortController();
  const onInt = () => stop.abort();
  Deno.addSignalListener("SIGINT", onInt);
  let summary: PingSummary;
  try {
    summary = await ping(args.host, {
      ...args,
      signal: stop.signal,
      onStart({ address, kind, rawRefused }) {
        if (kind === "ping socket") {
          const proto = address.includes(":") ? "IPPROTO_ICMPV6" : "IPPROTO_ICMP";
          console.error(
            `ping: no raw socket without CAP_NET_RAW (${rawRefused?.code}); ` +
              `using the ping socket (SOCK_DGRAM, ${proto}) that net.ipv4.ping_group_range allows`,
          );
        }
        const size = address.includes(":")
          ? `${PAYLOAD_SIZE} data bytes`
          : `${PAYLOAD_SIZE}(${PAYLOAD_SIZE + 28}) bytes of data.`;
        console.log(`PING ${args.host} (${address}) ${size}`);
      },
      onReply(r) {
        console.log(
          `${r.bytes} bytes from ${r.from}: icmp_seq=${r.seq} ttl=${r.ttl} time=${
            formatTime(r.time)
          } ms`,
        );
      },
    });
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    if (err.cause instanceof SocketError && err.errno === EACCES) {
      const v6 = (args.family ?? (isIPv6(args.host) ? 6 : 4)) === 6;
      console.error(
        `ping: no raw socket without CAP_NET_RAW (${err.cause.code}), and the ping socket ` +
          `(SOCK_DGRAM, ${v6 ? "IPPROTO_ICMPV6" : "IPPROTO_ICMP"}) is refused too (${err.code}): ` +
          `your group is outside net.ipv4.ping_group_range.\n` +
          `Run as root, or allow the ping socket: sysctl -w net.ipv4.ping_group_range="0 2147483647"`,
      );
    } else {
      console.error(`ping: ${args.host}: ${err.message}`);
    }
    Deno.exit(2);
  } finally {
    Deno.removeSignalListener("SIGINT", onInt);
  }
  const { transmitted, received, times } = summary;
  const loss = transmitted ? Math.round((100 * (transmitted - received)) / transmitted) : 0;
  console.log(`\n--- ${args.host} ping statistics ---`);
  console.log(
    `${transmitted} packets transmitted, ${received} received, ${loss}% packet loss, time ${
      Math.round(summary.elapsed)
    }ms`,
  );
  if (received) {
    const avg = times.reduce((a, b) => a + b, 0) / received;
    const mdev = Math.sqrt(times.reduce((a, b) => a + (b - avg) ** 2, 0) / received);
    const f = (n: number) => n.toFixed(3);
    console.log(
      `rtt min/avg/max/mdev = ${f(Math.min(...times))}/${f(avg)}/${f(Math.max(...times))}/${
        f(mdev)
      } ms`,
    );
  }
  Deno.exit(received ? 0 : 1);
}
