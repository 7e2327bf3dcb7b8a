/**
 * UTF-8 for `AF_UNIX` paths, lossless both ways: bytes that are not UTF-8 decode
 * to lone surrogates U+DC80–U+DCFF and encode back to the same byte, as Python's
 * `surrogateescape` error handler does for file names (`os.fsdecode`).
 *
 * @module
 */
import { quote } from "../_internal/check.ts";

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** The length of the well-formed UTF-8 sequence at `b[i]`, or 0 if there is none. */
function sequenceLength(b: Uint8Array, i: number, end: number): number {
  const lead = b[i];
  if (lead < 0x80) return 1;
  let len: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) len = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    len = 3;
    if (lead === 0xe0) lo = 0xa0; // no overlong forms
    if (lead === 0xed) hi = 0x9f; // no UTF-16 surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    len = 4;
    if (lead === 0xf0) lo = 0x90; // no overlong forms
    if (lead === 0xf4) hi = 0x8f; // nothing above U+10FFFF
  } else return 0;
  if (i + len > end) return 0;
  if (b[i + 1] < lo || b[i + 1] > hi) return 0;
  for (let k = 2; k < len; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return 0;
  return len;
}

/** Decodes `bytes`, turning each byte of an ill-formed sequence into U+DC00 + byte. */
export function decodePath(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // not UTF-8: decode piecewise below
  }
  let out = "";
  let start = 0;
  for (let i = 0; i < bytes.length;) {
    const len = sequenceLength(bytes, i, bytes.length);
    if (len > 0) {
      i += len;
      continue;
    }
    out += strict.decode(bytes.subarray(start, i)) + String.fromCharCode(0xdc00 + bytes[i]);
    start = ++i;
  }
  return out + strict.decode(bytes.subarray(start));
}

/**
 * Encodes `text` as UTF-8, turning lone surrogates U+DC80–U+DCFF back into the
 * bytes they stand for.
 *
 * @throws {TypeError} For any other lone surrogate (it has no bytes).
 */
export function encodePath(text: string): Uint8Array {
  if (text.isWellFormed()) return encoder.encode(text);
  const parts: number[] = [];
  let start = 0;
  const flush = (end: number) => {
    for (const byte of encoder.encode(text.slice(start, end))) parts.push(byte);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    } else if (c < 0xdc00 || c > 0xdfff) {
      continue;
    }
    if (c < 0xdc80 || c > 0xdcff) {
      throw new TypeError(
        `Path has a lone surrogate U+${c.toString(16).toUpperCase()} that stands for no byte: ` +
          quote(text),
      );
    }
    flush(i);
    parts.push(c - 0xdc00);
    start = i + 1;
  }
  flush(text.length);
  return new Uint8Array(parts);
}
