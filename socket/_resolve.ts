/**
 * Turning what a caller passes as an address into a literal SockAddr: the
 * family filled in from the socket's domain, and a hostname resolved.
 *
 * @module
 */
import { isIPv4, isIPv6 } from "../address/inet.ts";
import { normalizeSockAddr } from "../address/normalize.ts";
import type { SockAddr, SockAddrFamily, SockAddrInput } from "../address/types.ts";
import { linux as C } from "../constants/mod.ts";

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

/**
 * Normalises `input` for a socket of `domain` and resolves a hostname that is
 * not a literal address (the runtime's resolver, which reads /etc/hosts).
 */
export async function resolveAddr(input: SockAddrInput, domain: number): Promise<SockAddr> {
  const addr = normalizeAddr(input, domain);
  if (addr.family !== "inet" && addr.family !== "inet6") return addr;
  const literal = addr.family === "inet"
    ? isIPv4(addr.hostname)
    : isIPv6(addr.hostname.split("%")[0]);
  if (literal) return addr;
  const dns = await import("node:dns/promises");
  const found = await dns.lookup(addr.hostname, { family: addr.family === "inet" ? 4 : 6 });
  return { ...addr, hostname: found.address };
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
