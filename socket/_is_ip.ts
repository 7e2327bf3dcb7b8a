/**
 * `isIPv4` and `isIPv6`.
 *
 * @module
 */
import { parseIPv4, parseIPv6 } from "./_inet.ts";

/**
 * Tells whether `text` is an IPv4 address that `inetPton("inet", text)` accepts:
 * four dotted decimal parts 0–255 without leading zeros.
 *
 * @param text The text to test; anything that is not a string gives `false`.
 * @returns Whether it is an IPv4 literal.
 *
 * @example
 * ```ts
 * import { isIPv4, isIPv6 } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(isIPv4("192.0.2.1"), true);
 * assertEquals(isIPv4("192.0.2.01"), false); // a leading zero
 * assertEquals(isIPv4("192.0.2"), false);
 * assertEquals([isIPv4("::1"), isIPv6("::1")], [false, true]);
 * ```
 */
export function isIPv4(text: string): boolean {
  return typeof text === "string" && parseIPv4(text) !== null;
}

/**
 * Tells whether `text` is an IPv6 address that `inetPton("inet6", text)`
 * accepts. A zone suffix (`fe80::1%eth0`) is not part of the address: `false`.
 *
 * @param text The text to test; anything that is not a string gives `false`.
 * @returns Whether it is an IPv6 literal.
 *
 * @example
 * ```ts
 * import { isIPv4, isIPv6 } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(isIPv6("2001:db8::1"), true);
 * assertEquals(isIPv6("::ffff:192.0.2.1"), true);
 * assertEquals(isIPv6("1::2::3"), false);
 * assertEquals(isIPv6("fe80::1%eth0"), false);
 * assertEquals([isIPv6("192.0.2.1"), isIPv4("192.0.2.1")], [false, true]);
 * ```
 */
export function isIPv6(text: string): boolean {
  return typeof text === "string" && parseIPv6(text) !== null;
}
