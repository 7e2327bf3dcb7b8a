/**
 * `traceroute HOST`: the route to a host, hop by hop, printed the way
 * `traceroute -n` prints it. Each probe is a UDP datagram to a high port with a
 * rising TTL (`IP_TTL`, `IPV6_UNICAST_HOPS`); the router where the TTL runs out
 * answers "time exceeded", and the host itself "port unreachable". With
 * `IP_RECVERR` on, the kernel queues each answer on the socket's error queue,
 * where `recvmsg(MSG_ERRQUEUE)` reads who sent it: no raw socket, no privilege.
 * Node's `dgram` can set the TTL but not `IP_RECVERR`, and neither it nor
 * `Deno.listenDatagram` reads the error queue (nodejs/node#7631, denoland/deno#5709).
 *
 * ```sh
 * deno run --allow-ffi --allow-net examples/traceroute.ts 10.0.2.2
 * ```
 *
 * ```text
 * traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets
 *  1  10.0.1.1  0.947 ms  0.126 ms  0.086 ms
 *  2  10.0.2.2  0.105 ms  0.079 ms  0.054 ms
 * ```
 *
 * Options: `-m MAX_TTL` (default 30), `-q PROBES` per hop (default 3), `-w SECONDS`
 * to wait for each answer (default 3), `-p PORT` of the first probe (default
 * 33434), `-4`/`-6`. A probe nobody answers prints `*`; `!H`, `!N`, `!P`, `!X`
 * mark host, network, protocol and administratively unreachable, as traceroute does;
 * the trace ends at the hop where the destination or such a mark answers.
 * Exit status: 0 when the destination answered, 1 when it did not, 2 on a usage
 * or resolver error.
 *
 * @module
 */
import {
  AF_INET,
  AF_INET6,
  decodeSockAddr,
  ETIMEDOUT,
  IPPROTO_IP,
  IPPROTO_IPV6,
  isIPv6,
  linux,
  SOCK_DGRAM,
  socket,
  SocketError,
} from "../mod.ts";

/** `sizeof(struct sock_extended_err)` (`<linux/errqueue.h>`); the offender's sockaddr follows it. */
export const SOCK_EXTENDED_ERR_SIZE = 16;
/** Data bytes per probe: 60-byte IPv4 packets, as traceroute sends. */
const PROBE_DATA = 32;

/** ICMP types and codes (RFC 792, RFC 4443; `<netinet/ip_icmp.h>`, `<netinet/icmp6.h>`). */
export const ICMP = {
  ICMP_DEST_UNREACH: 3,
  ICMP_TIME_EXCEEDED: 11,
  ICMP_NET_UNREACH: 0,
  ICMP_HOST_UNREACH: 1,
  ICMP_PROT_UNREACH: 2,
  ICMP_PORT_UNREACH: 3,
  ICMP_NET_ANO: 9,
  ICMP_HOST_ANO: 10,
  ICMP_PKT_FILTERED: 13,
  ICMP6_DST_UNREACH: 1,
  ICMP6_TIME_EXCEEDED: 3,
  ICMP6_DST_UNREACH_NOROUTE: 0,
  ICMP6_DST_UNREACH_ADMIN: 1,
  ICMP6_DST_UNREACH_ADDR: 3,
  ICMP6_DST_UNREACH_NOPORT: 4,
} as const;

/** What each family's answers mean. */
const ANSWERS = {
  4: {
    origin: linux.SO_EE_ORIGIN_ICMP,
    unreachable: ICMP.ICMP_DEST_UNREACH,
    portUnreachable: ICMP.ICMP_PORT_UNREACH,
    // traceroute's marks for the other unreachable codes
    marks: {
      [ICMP.ICMP_NET_UNREACH]: "!N",
      [ICMP.ICMP_HOST_UNREACH]: "!H",
      [ICMP.ICMP_PROT_UNREACH]: "!P",
      [ICMP.ICMP_NET_ANO]: "!X",
      [ICMP.ICMP_HOST_ANO]: "!X",
      [ICMP.ICMP_PKT_FILTERED]: "!X",
    } as Record<number, string>,
  },
  6: {
    origin: linux.SO_EE_ORIGIN_ICMP6,
    unreachable: ICMP.ICMP6_DST_UNREACH,
    portUnreachable: ICMP.ICMP6_DST_UNREACH_NOPORT,
    marks: {
      [ICMP.ICMP6_DST_UNREACH_NOROUTE]: "!N",
      [ICMP.ICMP6_DST_UNREACH_ADMIN]: "!X",
      [ICMP.ICMP6_DST_UNREACH_ADDR]: "!H",
    } as Record<number, string>,
  },
} as const;

/** One probe's answer. */
export interface Probe {
  /** Who answered; absent when nobody did in time. */
  address?: string;
  /** Milliseconds from sending to the answer. */
  time?: number;
  /** The ICMP type and code of the answer. */
  icmp?: { type: number; code: number };
  /** `!H`, `!N`, `!P`, `!X` for an unreachable other than the port; `""` otherwise. */
  mark: string;
  /** The answer is the destination's "port unreachable": the trace is complete. */
  reached: boolean;
}

/** One TTL's probes. */
export interface Hop {
  /** The TTL (hop limit) the probes left with. */
  ttl: number;
  /** The answers, one per probe. */
  probes: Probe[];
}

/** Options of {@linkcode traceroute}. */
export interface TracerouteOptions {
  /** Largest TTL; default 30. */
  maxHops?: number;
  /** Probes per TTL; default 3. */
  queries?: number;
  /** Milliseconds to wait for each answer; default 3000. */
  wait?: number;
  /** Destination port of the first probe (each probe takes the next); default 33434. */
  port?: number;
  /** 4 or 6; default 6 for an IPv6 literal, else 4. */
  family?: 4 | 6;
}

/**
 * The numeric address `host` resolves to (the library's resolver, through a
 * connected UDP socket, which sends nothing).
 *
 * @param host A name or an IP literal.
 * @param family 4 or 6.
 * @returns The address as text.
 */
export async function resolveHost(host: string, family: 4 | 6): Promise<string> {
  using s = socket(family === 4 ? AF_INET : AF_INET6, SOCK_DGRAM);
  await s.connect({ hostname: host, port: 9 });
  const peer = s.getpeername();
  return "hostname" in peer ? peer.hostname : host;
}

/**
 * Sends one UDP probe with `ttl` and reads the ICMP answer from the error queue.
 *
 * @param address The destination, an IP literal.
 * @param family Its family.
 * @param ttl The probe's TTL (hop limit).
 * @param port The destination port.
 * @param wait Milliseconds to wait for an answer.
 * @returns The answer.
 */
export async function probe(
  address: string,
  family: 4 | 6,
  ttl: number,
  port: number,
  wait: number,
): Promise<Probe> {
  using s = socket(family === 4 ? AF_INET : AF_INET6, SOCK_DGRAM);
  const level = family === 4 ? IPPROTO_IP : IPPROTO_IPV6;
  s.setsockopt(level, family === 4 ? "IP_RECVERR" : "IPV6_RECVERR", true);
  s.setsockopt(level, family === 4 ? "IP_TTL" : "IPV6_UNICAST_HOPS", ttl);
  await s.connect({ hostname: address, port });
  const sent = performance.now();
  await s.send(new Uint8Array(PROBE_DATA));
  // An ICMP error wakes a waiting recv() and fails it (EHOSTUNREACH,
  // ECONNREFUSED…); the queued error says who sent it.
  const buf = new Uint8Array(PROBE_DATA);
  try {
    await s.recv(buf, 0, { timeout: wait });
    // A datagram back: something listens on that port, at the destination.
    return { address, time: performance.now() - sent, mark: "", reached: true };
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    if (err.errno === ETIMEDOUT) return { mark: "", reached: false };
  }
  const time = performance.now() - sent;
  let queued;
  try {
    queued = await s.recvmsg([buf], { flags: linux.MSG_ERRQUEUE, ancillarySize: 512 });
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    return { mark: "", reached: false }; // an error with nothing queued: no one to name
  }
  const ee = queued.ancillary.find((a) => a.level === level);
  const answers = ANSWERS[family];
  // struct sock_extended_err: u32 ee_errno, u8 ee_origin, u8 ee_type, u8 ee_code…
  if (!ee || ee.data[4] !== answers.origin) return { time, mark: "", reached: false };
  const [type, code] = [ee.data[5], ee.data[6]];
  const offender = decodeSockAddr(ee.data.subarray(SOCK_EXTENDED_ERR_SIZE));
  const unreachable = type === answers.unreachable;
  const reached = unreachable && code === answers.portUnreachable;
  return {
    address: "hostname" in offender ? offender.hostname : undefined,
    time,
    icmp: { type, code },
    mark: unreachable && !reached ? answers.marks[code] ?? `!<${code}>` : "",
    reached,
  };
}

/**
 * Traces the route to `address`, one hop at a time, until the destination
 * answers or `maxHops` is reached.
 *
 * @param address The destination, an IP literal (see {@linkcode resolveHost}).
 * @param options Hops, probes, wait, port, family.
 * @returns An async iterator of the hops, in order.
 */
export async function* traceroute(
  address: string,
  options: TracerouteOptions = {},
): AsyncGenerator<Hop, void, undefined> {
  const family = options.family ?? (isIPv6(address) ? 6 : 4);
  const queries = options.queries ?? 3;
  let port = options.port ?? 33434;
  for (let ttl = 1; ttl <= (options.maxHops ?? 30); ttl++) {
    const probes: Probe[] = [];
    for (let q = 0; q < queries; q++) {
      probes.push(await probe(address, family, ttl, port++, options.wait ?? 3000));
    }
    yield { ttl, probes };
    if (probes.some((p) => p.reached || p.mark)) return; // there, or no way on
  }
}

/** A hop as `traceroute -n` prints it: ` 1  10.0.1.1  0.947 ms  0.126 ms  0.086 ms`. */
export function formatHop(hop: Hop): string {
  let line = `${String(hop.ttl).padStart(2)} `;
  let last: string | undefined;
  for (const p of hop.probes) {
    if (p.address === undefined || p.time === undefined) {
      line += " *";
      continue;
    }
    if (p.address !== last) line += ` ${p.address}`;
    last = p.address;
    line += `  ${p.time.toFixed(3)} ms${p.mark ? ` ${p.mark}` : ""}`;
  }
  return line;
}

const USAGE = "usage: traceroute.ts HOST [-m MAX_TTL] [-q PROBES] [-w SECONDS] [-p PORT] [-4|-6]";

/** The command line, parsed; a string is the usage error. */
export function parseArgs(
  args: readonly string[],
): { host: string; family?: 4 | 6 } & Required<Omit<TracerouteOptions, "family">> | string {
  let host: string | undefined;
  let family: 4 | 6 | undefined;
  const opts = { maxHops: 30, queries: 3, wait: 3000, port: 33434 };
  const limits: Record<string, [keyof typeof opts, number, number, number]> = {
    "-m": ["maxHops", 1, 255, 1],
    "-q": ["queries", 1, 10, 1],
    "-w": ["wait", 0.001, 60, 1000],
    "-p": ["port", 1, 65535, 1],
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-4" || a === "-6") family = a === "-4" ? 4 : 6;
    else if (a in limits) {
      const [key, min, max, scale] = limits[a];
      const n = Number(args[++i]);
      if (args[i] === undefined || !(n >= min && n <= max)) {
        return `${a} needs a number from ${min} to ${max}`;
      }
      if (scale === 1 && !Number.isInteger(n)) return `${a} needs a whole number`;
      opts[key] = n * scale;
    } else if (a.startsWith("-")) return `unknown option ${a}`;
    else if (host === undefined) host = a;
    else return `unexpected argument ${a}`;
  }
  if (host === undefined) return "HOST is missing";
  if (opts.port + opts.maxHops * opts.queries > 65536) return "-p is too high for that many probes";
  return { host, family, ...opts };
}

if (import.meta.main) {
  const args = parseArgs(Deno.args);
  if (typeof args === "string") {
    console.error(`traceroute: ${args}\n${USAGE}`);
    Deno.exit(2);
  }
  const family = args.family ?? (isIPv6(args.host) ? 6 : 4);
  let address: string;
  try {
    address = await resolveHost(args.host, family);
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    console.error(`traceroute: ${args.host}: ${err.message}`);
    Deno.exit(2);
  }
  const size = (family === 4 ? 28 : 48) + PROBE_DATA;
  console.log(
    `traceroute to ${args.host} (${address}), ${args.maxHops} hops max, ${size} byte packets`,
  );
  let reached = false;
  for await (const hop of traceroute(address, { ...args, family })) {
    console.log(formatHop(hop));
    reached ||= hop.probes.some((p) => p.reached);
  }
  Deno.exit(reached ? 0 : 1);
}
