/**
 * Byte order: `htons`, `ntohs`, `htonl`, `ntohl`, with the argument check they share.
 *
 * @module
 */
import { littleEndian, quote } from "../_internal/check.ts";

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
