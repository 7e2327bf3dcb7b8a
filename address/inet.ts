/**
 * IP addresses as text and bytes: `inetPton`, `inetNtop`, `isIPv4`, `isIPv6`, and the parsers and
 * printers behind them (glibc's `inet_pton(3)` acceptance rules and RFC 5952's text).
 *
 * @module
 */
import { quote } from "../_internal/check.ts";
import { hostFamilies } from "./_family.ts";

/** Resolves `"inet"`/`"inet6"` or the running OS's `AF_INET`/`AF_INET6` number. */
export function ipFamily(family: unknown, fn: string): "inet" | "inet6" {
  if (family === "inet" || family === hostFamilies.AF_INET) return "inet";
  if (family === "inet6" || family === hostFamilies.AF_INET6) return "inet6";
  throw new TypeError(
    `Unsupported address family for ${fn}: ${quote(family)} (expected "inet", "inet6", ` +
      `${hostFamilies.AF_INET} or ${hostFamilies.AF_INET6}; C gives EAFNOSUPPORT)`,
  );
}

/**
 * glibc's `inet_pton4`: exactly four dotted decimal parts 0–255, no leading
 * zeros, nothing else; parses `s[start, end)` into `dst[at, at + 4)`.
 */
function parse4(s: string, start: number, end: number, dst: Uint8Array, at: number): boolean {
  const tmp = [0, 0, 0, 0];
  let tp = 0;
  let octets = 0;
  let sawDigit = false;
  for (let i = start; i < end; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 0x30 && ch <= 0x39) {
      if (sawDigit && tmp[tp] === 0) return false; // a leading zero
      const value = tmp[tp] * 10 + (ch - 0x30);
      if (value > 255) return false;
      tmp[tp] = value;
      if (!sawDigit) {
        if (++octets > 4) return false;
        sawDigit = true;
      }
    } else if (ch === 0x2e && sawDigit) {
      if (octets === 4) return false;
      tmp[++tp] = 0;
      sawDigit = false;
    } else {
      return false;
    }
  }
  if (octets < 4) return false;
  dst.set(tmp, at);
  return true;
}

function hexValue(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (ch >= 0x61 && ch <= 0x66) return ch - 0x61 + 10;
  if (ch >= 0x41 && ch <= 0x46) return ch - 0x41 + 10;
  return -1;
}

/**
 * glibc's `inet_pton6` (2.26 and later), step for step: groups of 1–4 hex
 * digits, at most one `::`, a dotted IPv4 tail where four bytes remain.
 */
function parse6(s: string): Uint8Array | null {
  const end = s.length;
  const tmp = new Uint8Array(16);
  let tp = 0;
  let colonp = -1;
  let i = 0;
  if (end === 0) return null;
  if (s.charCodeAt(0) === 0x3a) { // a leading ':' must be '::'
    i++;
    if (i === end || s.charCodeAt(i) !== 0x3a) return null;
  }
  let curtok = i;
  let digits = 0;
  let value = 0;
  while (i < end) {
    const ch = s.charCodeAt(i++);
    const digit = hexValue(ch);
    if (digit >= 0) {
      if (digits === 4) return null;
      value = (value << 4) | digit;
      digits++;
      continue;
    }
    if (ch === 0x3a) {
      curtok = i;
      if (digits === 0) {
        if (colonp >= 0) return null;
        colonp = tp;
        continue;
      } else if (i === end) {
        return null; // a trailing single ':'
      }
      if (tp + 2 > 16) return null;
      tmp[tp++] = value >> 8;
      tmp[tp++] = value & 0xff;
      digits = 0;
      value = 0;
      continue;
    }
    if (ch === 0x2e && tp + 4 <= 16 && parse4(s, curtok, end, tmp, tp)) {
      tp += 4;
      digits = 0;
      break;
    }
    return null;
  }
  if (digits > 0) {
    if (tp + 2 > 16) return null;
    tmp[tp++] = value >> 8;
    tmp[tp++] = value & 0xff;
  }
  if (colonp >= 0) {
    if (tp === 16) return null; // '::' would stand for no group at all
    const n = tp - colonp;
    tmp.copyWithin(16 - n, colonp, tp);
    tmp.fill(0, colonp, 16 - n);
    tp = 16;
  }
  return tp === 16 ? tmp : null;
}

/** The 4 bytes of IPv4 text, or `null` where glibc's `inet_pton` refuses it. */
export function parseIPv4(text: string): Uint8Array | null {
  const out = new Uint8Array(4);
  return parse4(text, 0, text.length, out, 0) ? out : null;
}

/** The 16 bytes of IPv6 text, or `null` where glibc's `inet_pton` refuses it. */
export function parseIPv6(text: string): Uint8Array | null {
  return parse6(text);
}

/**
 * Splits an IPv6 literal with an optional zone (`fe80::1%2`, `fe80::1%eth0`):
 * the address bytes and the zone text, or `null` if the part before `%` is not
 * an IPv6 literal or the zone is empty.
 */
export function parseIPv6Zone(text: string): { bytes: Uint8Array; zone?: string } | null {
  const cut = text.indexOf("%");
  if (cut < 0) {
    const bytes = parse6(text);
    return bytes && { bytes };
  }
  const bytes = parse6(text.slice(0, cut));
  const zone = text.slice(cut + 1);
  return bytes && zone !== "" ? { bytes, zone } : null;
}

function format4(b: Uint8Array, at = 0): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** RFC 5952 text of 16 bytes (see `inetNtop` for the one divergence from glibc). */
function format6(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i] << 8) | b[i + 1]);
  // The longest run of zero groups, the first of equals; a single group stays.
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  // IPv4-mapped (::ffff:0:0/96): mixed notation, RFC 5952 section 5.
  if (bestBase === 0 && bestLen === 5 && words[5] === 0xffff) return `::ffff:${format4(b, 12)}`;
  if (bestBase < 0) return words.map((w) => w.toString(16)).join(":");
  const head = words.slice(0, bestBase).map((w) => w.toString(16)).join(":");
  const tail = words.slice(bestBase + bestLen).map((w) => w.toString(16)).join(":");
  return `${head}::${tail}`;
}

/** The canonical text (`inetNtop`) of an IPv4 address's bytes. */
export function formatIPv4(bytes: Uint8Array): string {
  return format4(bytes);
}

/** The canonical text (`inetNtop`) of an IPv6 address's bytes. */
export function formatIPv6(bytes: Uint8Array): string {
  return format6(bytes);
}

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
