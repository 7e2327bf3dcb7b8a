/**
 * The codec interface of socket option values and the checks every codec
 * shares: a value is checked in full (type, integer, range) before any byte
 * is written, and a `TypeError`/`RangeError` quotes the offending value.
 *
 * @module
 */
import { quote } from "../_internal/check.ts";

/**
 * How one socket option's value travels between JavaScript and the bytes
 * `setsockopt(2)` takes and `getsockopt(2)` fills.
 *
 * @typeParam T The JavaScript value: a number, a boolean, or an object for a C struct.
 *
 * @example A codec round trip
 * ```ts
 * import { codecs } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const bytes = codecs.linger.encode({ onoff: true, linger: 5 });
 * assertEquals(bytes.length, codecs.linger.size);
 * assertEquals(codecs.linger.decode(bytes), { onoff: true, linger: 5 });
 * ```
 */
export interface OptionCodec<T> {
  /** The C type it stands for: `"int"`, `"linger"`, `"tcp_info"`… */
  readonly name: string;
  /** The bytes `getsockopt(2)` is asked for (the C `sizeof`, or a buffer size for text and raw bytes). */
  readonly size: number;
  /**
   * Encodes `value` for `setsockopt(2)`.
   *
   * @throws {TypeError} If `value` has the wrong type or shape (quoted in the message).
   * @throws {RangeError} If a number is fractional or does not fit the C field.
   */
  encode(value: T): Uint8Array;
  /**
   * Decodes what `getsockopt(2)` returned (only the bytes it wrote).
   *
   * @throws {RangeError} If there are fewer bytes than the C type needs.
   */
  decode(bytes: Uint8Array): T;
}

/** The largest `uint64_t`. */
export const UINT64_MAX: bigint = 0xffff_ffff_ffff_ffffn;

/** `value` as a boolean: `true`/`false`, or the numbers 1 and 0 that C uses. */
export function checkFlag(value: unknown, what: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value !== "number") {
    throw new TypeError(`${what} must be a boolean (or 0 or 1), got ${quote(value)}`);
  }
  if (value !== 0 && value !== 1) {
    throw new RangeError(`${what} must be a boolean (or 0 or 1), got ${quote(value)}`);
  }
  return value === 1;
}

/** `value` as a `uint64_t`: a bigint from 0 to 2⁶⁴−1, or a non-negative safe integer. */
export function checkUint64(value: unknown, what: string): bigint {
  if (typeof value === "bigint") {
    if (value < 0n || value > UINT64_MAX) {
      throw new RangeError(`${what} must be from 0 to ${UINT64_MAX}, got ${quote(value)}`);
    }
    return value;
  }
  if (typeof value !== "number") {
    throw new TypeError(`${what} must be a bigint or a number, got ${quote(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `${what} must be a non-negative safe integer (or a bigint), got ${quote(value)}`,
    );
  }
  return BigInt(value);
}

/** `value` as a plain object (a struct's fields), or the `TypeError` naming the C struct. */
export function checkStruct(
  value: unknown,
  struct: string,
  shape: string,
): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`A struct ${struct} value must be an object ${shape}, got ${quote(value)}`);
  }
  if (value instanceof Uint8Array) {
    throw new TypeError(`A struct ${struct} value must be an object ${shape}, got ${quote(value)}`);
  }
  return value as Record<string, unknown>;
}

/** `bytes` if it holds at least `size` bytes, else the `RangeError` naming the C type. */
export function checkLength(bytes: Uint8Array, size: number, type: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`Option bytes must be a Uint8Array, got ${quote(bytes)}`);
  }
  if (bytes.length < size) {
    throw new RangeError(`A value of type ${type} needs ${size} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** A `DataView` over exactly the bytes of `bytes`. */
export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A codec of `size` bytes; `write` checks the value (typed `unknown`: callers may pass anything). */
export function fixedCodec<T>(
  name: string,
  size: number,
  write: (v: DataView, value: unknown) => void,
  read: (v: DataView) => T,
): OptionCodec<T> {
  return Object.freeze({
    name,
    size,
    encode(value: unknown): Uint8Array {
      const out = new Uint8Array(size);
      write(view(out), value);
      return out;
    },
    decode(bytes: Uint8Array): T {
      return read(view(checkLength(bytes, size, name)));
    },
  });
}
