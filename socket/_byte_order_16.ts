/**
 * `htons(3)` and `ntohs(3)`.
 *
 * @module
 */
import { checkUint, littleEndian } from "./_endian.ts";

function swap16(value: number): number {
  return littleEndian ? ((value & 0xff) << 8) | (value >>> 8) : value;
}

/**
 * Converts a 16-bit integer from host to network byte order, like C's
 * `htons(3)`: swaps the two bytes on a little-endian host (x86-64, arm64),
 * returns the value unchanged on a big-endian one.
 *
 * @param value An integer from 0 to 65535.
 * @returns The same 16 bits in network order, read as a host integer.
 * @throws {RangeError} If `value` is not an integer from 0 to 65535 (quoted).
 * @throws {TypeError} If `value` is not a number.
 *
 * @example Network order in memory
 * ```ts
 * import { htons, ntohs } from "@bsdsock/socket/address";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const memory = new Uint8Array(new Uint16Array([htons(0x1234)]).buffer);
 * assertEquals(memory, new Uint8Array([0x12, 0x34])); // on any host
 * assertEquals(ntohs(htons(8080)), 8080);
 * assertThrows(() => htons(65536), RangeError, "65536");
 * ```
 */
export function htons(value: number): number {
  return swap16(checkUint(value, 0xffff, "htons"));
}

/**
 * Converts a 16-bit integer from network to host byte order, like C's
 * `ntohs(3)` (the same swap as `htons`).
 *
 * @param value An integer from 0 to 65535, as read from network-order memory.
 * @returns The integer in host order.
 * @throws {RangeError} If `value` is not an integer from 0 to 65535 (quoted).
 * @throws {TypeError} If `value` is not a number.
 *
 * @example A port read from a sockaddr_in
 * ```ts
 * import { htons, ntohs } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const sinPort = new Uint16Array(new Uint8Array([0x1f, 0x90]).buffer)[0];
 * assertEquals(ntohs(sinPort), 8080);
 * assertEquals(htons(ntohs(sinPort)), sinPort);
 * ```
 */
export function ntohs(value: number): number {
  return swap16(checkUint(value, 0xffff, "ntohs"));
}
