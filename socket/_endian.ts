/**
 * The host's byte order and the argument check of the byte-order functions.
 *
 * @module
 */
import { quote } from "./_quote.ts";

/** Whether this machine stores integers least significant byte first. */
export const littleEndian: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** `value` if it is an integer from 0 to `max`, else the `TypeError`/`RangeError` for `fn`. */
export function checkUint(value: unknown, max: number, fn: string): number {
  if (typeof value !== "number") {
    throw new TypeError(`${fn}() takes a number, got ${quote(value)}`);
  }
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${fn}() takes an integer from 0 to ${max}, got ${quote(value)}`);
  }
  return value;
}
