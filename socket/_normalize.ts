/**
 * `normalizeSockAddr`: a caller's socket address checked and completed.
 *
 * @module
 */
import type { SockAddr, SockAddrFamily, SockAddrInput } from "./_addr_union.ts";
import { checkSockAddr } from "./_check.ts";
import { hostOs } from "./_family.ts";
import { quote } from "./_quote.ts";

const DOMAINS: readonly SockAddrFamily[] = ["inet", "inet6", "unix", "packet", "netlink"];

/**
 * Checks a socket address a caller gave and returns it complete: `family`
 * filled in from the socket's domain where left out, IP literals in canonical
 * text (a numeric zone `"fe80::1%2"` moved to `scopeId`), optional numbers as 0
 * and a packet `address` as an empty buffer where left out.
 *
 * A hostname that is not an IP literal is kept as given for the socket layer to
 * resolve (so is an IPv6 literal whose zone is an interface name, `fe80::1%eth0`),
 * unless it cannot be a name: empty, with whitespace or `:`, or numeric like a
 * malformed IPv4 address (`01.2.3.4`, `127.1`, `0x7f.1`; RFC 1123 names never
 * end in a numeric label), which a resolver might read as another address. An
 * IPv4 literal for an `inet6` address is refused, not mapped: write
 * `::ffff:a.b.c.d`. A `family`
 * that contradicts the domain is returned as given — the socket layer passes it
 * on and the kernel answers (`EAFNOSUPPORT`, `EINVAL`).
 *
 * @param input The address as given; `family` may be left out.
 * @param domainFamily The family of the socket's domain.
 * @returns The checked address.
 * @throws {TypeError} For a wrong shape or field type, an unknown family, a
 * hostname that cannot be of the family, a NUL inside a pathname.
 * @throws {RangeError} For a number outside its field's range or a path too long
 * for `sun_path` (quoted).
 *
 * @example Fill in and canonicalize
 * ```ts
 * import { normalizeSockAddr } from "@bsdsock/socket/address";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * assertEquals(normalizeSockAddr({ hostname: "FE80::1%2", port: 9 }, "inet6"), {
 *   family: "inet6",
 *   hostname: "fe80::1",
 *   port: 9,
 *   flowinfo: 0,
 *   scopeId: 2,
 * });
 * assertEquals(
 *   normalizeSockAddr({ hostname: "example.com", port: 443 }, "inet"),
 *   { family: "inet", hostname: "example.com", port: 443 },
 * );
 * assertThrows(() => normalizeSockAddr({ hostname: "::1", port: -1 }, "inet6"), RangeError, "-1");
 * assertThrows(() => normalizeSockAddr({ hostname: "010.0.0.1", port: 1 }, "inet"), TypeError);
 * ```
 */
export function normalizeSockAddr(
  input: SockAddrInput,
  domainFamily: SockAddrFamily,
): SockAddr {
  if (!DOMAINS.includes(domainFamily)) {
    throw new TypeError(
      `Unknown socket domain family: ${quote(domainFamily)} (expected ${
        DOMAINS.map((d) => `"${d}"`).join(", ")
      })`,
    );
  }
  if (input === null || typeof input !== "object") {
    throw new TypeError(`A socket address must be an object, got ${quote(input)}`);
  }
  const family = (input as { family?: unknown }).family ?? domainFamily;
  return checkSockAddr({ ...input, family } as SockAddr, hostOs, false);
}
