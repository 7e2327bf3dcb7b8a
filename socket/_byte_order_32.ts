/**
 * `htonl(3)` and `ntohl(3)`.
 *
 * @module
 */
import { checkUint, littleEndian } from "./_endian.ts";

function swap32(value: number): number {
  if (!littleEndian) return value;
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) |
    (value >>> 24)) >>> 0;
}

/**
 * Converts a 32-bit integer from host to network byte order, like C's
 * `htonl(3)`: reverses the four bytes on a little-endian host, returns the
 * value unchanged on a big-endian one.
 *
 * @param value An integer from 0 to 4294967295.
 * @returns The same 32 bits in network order, read as an unsigned host integer.
 * @throws {RangeError} If `value` is not an integer from 0 to 4294967295 (quoted).
 * @throws {TypeError} If `value` is not a number.
 *
 * @example INADDR_LOOPBACK in memory
 * ```ts
 * import { htonl, ntohl } from "@bsdsock/socket/address";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const memory = new Uint8Array(new Uint32Array([htonl(0x7f000001)]).buffer);
 * assertEquals(memory, new Uint8Array([127, 0, 0, 1])); // on any host
 * assertEquals(ntohl(htonl(0xdeadbeef)), 0xdeadbeef);
 * assertThrows(() => htonl(-1), RangeError, "-1");
 * ```
 */
export function htonl(value: number): number {
  return swap32(checkUint(value, 0xffffffff, "htonl"));
}

/**
 * Converts a 32-bit integer from network to host byte order, like C's
 * `ntohl(3)` (the same swap as `htonl`).
 *
 * @param value An integer from 0 to 4294967295, as read from network-order memory.
 * @returns The integer in host order, unsigned.
 * @throws {RangeError} If `value` is not an integer from 0 to 4294967295 (quoted).
 * @throws {TypeError} If `value` is not a number.
 *
 * @example An address read from a sockaddr_in
 * ```ts
 * import { htonl, ntohl } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const sinAddr = new Uint32Array(new Uint8Array([192, 0, 2, 1]).buffer)[0];
 * assertEquals(ntohl(sinAddr), 0xc0000201);
 * assertEquals(htonl(ntohl(sinAddr)), sinAddr);
 * ```
 */
export function ntohl(value: number): number {
  return swap32(checkUint(value, 0xffffffff, "ntohl"));
}
