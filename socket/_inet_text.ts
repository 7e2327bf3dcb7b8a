/**
 * `inetPton` and `inetNtop`: IP address text ⇄ network-order bytes.
 *
 * @module
 */
import { formatIPv4, formatIPv6, ipFamily, parseIPv4, parseIPv6 } from "./_inet.ts";
import { quote } from "./_quote.ts";

/**
 * Converts an IP address from text to its network-order bytes, like C's
 * `inet_pton(3)` with exactly glibc's rules (which Python's `socket.inet_pton`
 * also follows):
 *
 * - IPv4: four decimal parts 0–255 joined by `.`; no leading zeros (`01.2.3.4`
 *   is refused), no shorthand (`127.1`), no hex or octal, no surrounding space.
 * - IPv6: RFC 4291 text, groups of 1–4 hex digits in either case, at most one
 *   `::` in any position, and a dotted IPv4 tail where the last 32 bits are
 *   (`::ffff:192.0.2.1`, `::192.0.2.1`, `64:ff9b::192.0.2.1`). A zone (`%eth0`)
 *   is not part of the address and is refused, as by `inet_pton`.
 *
 * C returns 0 for text it refuses; here that is a `TypeError`. A string with a
 * NUL is refused too (C would stop reading at the NUL; Python refuses it).
 *
 * @param family `"inet"`, `"inet6"`, or the running OS's `AF_INET`/`AF_INET6` number.
 * @param text The address text.
 * @returns 4 bytes for IPv4, 16 for IPv6, in network byte order.
 * @throws {TypeError} If the text is not an address of that family (the message
 * quotes it), or the family is neither IPv4 nor IPv6 (the message quotes it; C
 * gives `EAFNOSUPPORT`).
 *
 * @example IPv4 and IPv6
 * ```ts
 * import { inetNtop, inetPton } from "@bsdsock/socket/address";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * assertEquals(inetPton("inet", "192.0.2.1"), new Uint8Array([192, 0, 2, 1]));
 * const mapped = inetPton("inet6", "::FFFF:192.0.2.1");
 * assertEquals(mapped, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]));
 * assertEquals(inetNtop("inet6", mapped), "::ffff:192.0.2.1");
 * assertThrows(() => inetPton("inet", "01.2.3.4"), TypeError, '"01.2.3.4"');
 * assertThrows(() => inetPton("inet6", "1::2::3"), TypeError, '"1::2::3"');
 * ```
 */
export function inetPton(family: "inet" | "inet6" | number, text: string): Uint8Array {
  const which = ipFamily(family, "inetPton");
  if (typeof text !== "string") {
    throw new TypeError(`Address text must be a string, got ${quote(text)}`);
  }
  const bytes = which === "inet" ? parseIPv4(text) : parseIPv6(text);
  if (bytes === null) {
    throw new TypeError(`Invalid ${which === "inet" ? "IPv4" : "IPv6"} address: ${quote(text)}`);
  }
  return bytes;
}

/**
 * Converts network-order address bytes to text, like C's `inet_ntop(3)`.
 *
 * IPv4 is dotted decimal. IPv6 is RFC 5952's canonical form: lowercase hex
 * without leading zeros, the longest run of two or more zero groups written
 * `::` (the first run if two are equally long; a lone zero group is written
 * `0`), and IPv4-mapped addresses in mixed notation (`::ffff:192.0.2.1`).
 *
 * Divergence from glibc: glibc also writes IPv4-compatible addresses (the first
 * 96 bits zero and the seventh group non-zero, a form RFC 4291 deprecates) in
 * mixed notation, `::0.2.0.3` and `::192.0.2.1`. RFC 5952 does not ask for that,
 * and this function writes them in hex like any other address: `::2:3`,
 * `::c000:201`. Both texts parse back to the same bytes. For every other
 * address the text is glibc's.
 *
 * @param family `"inet"`, `"inet6"`, or the running OS's `AF_INET`/`AF_INET6` number.
 * @param bytes 4 bytes for IPv4, 16 for IPv6, in network byte order.
 * @returns The address text.
 * @throws {RangeError} If `bytes` has the wrong length for the family (the
 * message gives the length).
 * @throws {TypeError} If `bytes` is not a `Uint8Array`, or the family is neither
 * IPv4 nor IPv6 (C gives `EAFNOSUPPORT`).
 *
 * @example Canonical text
 * ```ts
 * import { inetNtop, inetPton } from "@bsdsock/socket/address";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * assertEquals(inetNtop("inet", new Uint8Array([127, 0, 0, 1])), "127.0.0.1");
 * assertEquals(inetNtop("inet6", inetPton("inet6", "2001:DB8:0:0:1:0:0:1")), "2001:db8::1:0:0:1");
 * assertEquals(inetNtop("inet6", inetPton("inet6", "::c000:201")), "::c000:201"); // glibc: ::192.0.2.1
 * assertThrows(() => inetNtop("inet", new Uint8Array(5)), RangeError, "5 bytes");
 * ```
 */
export function inetNtop(family: "inet" | "inet6" | number, bytes: Uint8Array): string {
  const which = ipFamily(family, "inetNtop");
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`Address bytes must be a Uint8Array, got ${quote(bytes)}`);
  }
  const want = which === "inet" ? 4 : 16;
  if (bytes.length !== want) {
    throw new RangeError(
      `Invalid ${which === "inet" ? "IPv4" : "IPv6"} address length: ${bytes.length} bytes ` +
        `(expected ${want})`,
    );
  }
  return which === "inet" ? formatIPv4(bytes) : formatIPv6(bytes);
}
