/**
 * The parsers and printers behind `inetPton`, `inetNtop`, `isIPv4` and
 * `isIPv6`: glibc's `inet_pton(3)` acceptance rules and RFC 5952's text.
 *
 * @module
 */
import { hostFamilies } from "./_family.ts";
import { quote } from "./_quote.ts";

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
