/**
 * Turning what a caller passes as an address into a literal SockAddr: the
 * family filled in from the socket's domain, and a hostname resolved.
 *
 * @module
 */
import { isIPv4, isIPv6 } from "../address/inet.ts";
import { normalizeSockAddr } from "../address/normalize.ts";
import type { SockAddr, SockAddrFamily, SockAddrInput } from "../address/types.ts";
import { linux as C } from "../constants/linux.ts";
import * as EAI_NAMES from "../errno/gai_names.ts";
import { SocketError } from "../errno/socket_error.ts";
import { quote } from "../_internal/check.ts";
import { hostPort, requireNet } from "../_internal/deno_net.ts";

const FAMILY_OF_DOMAIN = new Map<number, SockAddrFamily>([
  [C.AF_INET, "inet"],
  [C.AF_INET6, "inet6"],
  [C.AF_UNIX, "unix"],
  [C.AF_PACKET, "packet"],
  [C.AF_NETLINK, "netlink"],
]);

/** The SockAddr family a socket domain uses, or `undefined` for domains with no address form here. */
export function familyOfDomain(domain: number): SockAddrFamily | undefined {
  return FAMILY_OF_DOMAIN.get(domain);
}

/** Whether `addr` needs no name lookup: not an inet or inet6 address, or one with a literal host. */
export function isResolved(addr: SockAddr): boolean {
  if (addr.family === "inet") return isIPv4(addr.hostname);
  if (addr.family === "inet6") return isIPv6(addr.hostname.split("%")[0]);
  return true;
}

/**
 * Normalises `input` for a socket of `domain` and resolves a hostname that is
 * not a literal address (the runtime's resolver, which reads /etc/hosts).
 */
export async function resolveAddr(input: SockAddrInput, domain: number): Promise<SockAddr> {
  const addr = normalizeAddr(input, domain);
  if (addr.family !== "inet" && addr.family !== "inet6") return addr;
  if (isResolved(addr)) return addr;
  const [found] = await lookup(addr.hostname, addr.port, addr.family === "inet" ? 4 : 6, addr);
  return { ...addr, hostname: found.address };
}

/** libuv's `UV_EAI_NODATA`, which Deno's node:dns gives with Node's code "ENOTFOUND". */
const UV_EAI_NODATA = -3007;

/**
 * The running OS's number for the `EAI_*` name behind a node:dns error: its `code` ("EAI_AGAIN"),
 * or for "ENOTFOUND", which stands for both, `EAI_NODATA` or `EAI_NONAME` by its libuv `errno`.
 */
function eaiOf(code: unknown, errno: unknown): number | undefined {
  if (typeof code !== "string") return undefined;
  const name = code !== "ENOTFOUND" ? code : errno === UV_EAI_NODATA ? "EAI_NODATA" : "EAI_NONAME";
  return Object.hasOwn(EAI_NAMES, name)
    ? (EAI_NAMES as Readonly<Record<string, number | undefined>>)[name]
    : undefined;
}

/**
 * Resolves `hostname` as getaddrinfo(3) does (the runtime's resolver: /etc/hosts,
 * then DNS). A refused lookup is a `SocketError` with an EAI code; a missing
 * permission is Deno's own `NotCapable`.
 *
 * @param hostname The name.
 * @param port The port, for the permission check and the message.
 * @param family 4 or 6 for one family, 0 for both in the resolver's order.
 * @param address The unresolved address, carried by the error (else one is made of `hostname`
 *   and `port`, for the message: `getaddrinfo: … (EAI_NONAME) host:80`).
 * @returns At least one address.
 */
export async function lookup(
  hostname: string,
  port: number,
  family: 0 | 4 | 6,
  address?: SockAddr,
): Promise<{ address: string; family: number }[]> {
  if (typeof hostname !== "string") {
    throw new TypeError(`hostname must be a string, got ${quote(hostname)}`);
  }
  requireNet(hostPort(hostname, port));
  const target: SockAddr = address ?? { family: family === 6 ? "inet6" : "inet", hostname, port };
  const dns = await import("node:dns/promises");
  let found: { address: string; family: number }[];
  try {
    found = await dns.lookup(hostname, { family, all: true, verbatim: true });
  } catch (err) {
    throw lookupError(err, hostname, target);
  }
  if (found.length === 0) throw new SocketError(EAI_NAMES.EAI_NONAME, "getaddrinfo", target);
  return found;
}

/** The error of a failed node:dns lookup: a getaddrinfo `SocketError` where it names an EAI. */
function lookupError(err: unknown, hostname: string, address: SockAddr): Error {
  const { code, errno } = (err ?? {}) as { code?: unknown; errno?: unknown };
  if (code === "EPERM") {
    // The runtime's own resolver asks for the bare host's permission.
    return new Deno.errors.NotCapable(
      `Requires net access to "${hostname}", run again with the --allow-net flag`,
      { cause: err },
    );
  }
  const eai = eaiOf(code, errno);
  if (eai === undefined) return err instanceof Error ? err : new Error(String(err));
  return new SocketError(eai, "getaddrinfo", address, { cause: err });
}

/** `normalizeSockAddr` with the family taken from `domain`; no resolution. */
export function normalizeAddr(input: SockAddrInput, domain: number): SockAddr {
  const family = familyOfDomain(domain);
  if (family === undefined) {
    if (
      input && typeof input === "object" && "family" in input && typeof input.family === "string"
    ) {
      return normalizeSockAddr(input, input.family as SockAddrFamily);
    }
    throw new TypeError(`An address for domain ${domain} must name its family`);
  }
  return normalizeSockAddr(input, family);
}

/** The synchronous form, for bind(): a hostname must already be literal. */
export function literalAddr(input: SockAddrInput, domain: number): SockAddr {
  const addr = normalizeAddr(input, domain);
  if (addr.family === "inet" || addr.family === "inet6") {
    const host = addr.hostname.split("%")[0];
    if (!(addr.family === "inet" ? isIPv4(host) : isIPv6(host))) {
      if (addr.hostname === "localhost") {
        return { ...addr, hostname: addr.family === "inet" ? "127.0.0.1" : "::1" };
      }
      throw new TypeError(
        `bind() takes a literal address; resolve ${JSON.stringify(addr.hostname)} first`,
      );
    }
  }
  return addr;
}
