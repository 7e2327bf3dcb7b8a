/**
 * `encodeSockAddr`, `decodeSockAddr` and `SOCKADDR_STORAGE_SIZE` for the
 * running OS.
 *
 * @module
 */
import type { SockAddr } from "./_addr_union.ts";
import { hostOs } from "./_family.ts";
import { decodeSockAddrFor, encodeSockAddrFor } from "./_sockaddr.ts";

/**
 * `sizeof(struct sockaddr_storage)`: 128 bytes on Linux and macOS, room for any
 * socket address; the buffer to hand to `accept`, `recvfrom` and `getsockname`.
 *
 * @example
 * ```ts
 * import { decodeSockAddr, encodeSockAddr, SOCKADDR_STORAGE_SIZE } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const storage = new Uint8Array(SOCKADDR_STORAGE_SIZE);
 * const written = encodeSockAddr({ family: "unix", path: "/tmp/s" });
 * storage.set(written);
 * assertEquals(decodeSockAddr(storage, written.length), { family: "unix", path: "/tmp/s" });
 * ```
 */
export const SOCKADDR_STORAGE_SIZE = 128;

/**
 * Encodes a socket address as the running OS's `struct sockaddr_*`, the bytes
 * and length to pass to bind(2), connect(2) or sendto(2).
 *
 * Sizes on Linux: `sockaddr_in` 16, `sockaddr_in6` 28 (`flowinfo` in network
 * order, `scopeId` in host order), `sockaddr_ll` 20 (`protocol` in network
 * order), `sockaddr_nl` 12. A `sockaddr_un` is as long as unix(7) says: a
 * pathname is `offsetof(sun_path)` + its UTF-8 bytes + the NUL (at most 107
 * bytes of path), an abstract `"\0name"` is `offsetof(sun_path)` + 1 + the name's
 * bytes with no NUL (at most 108 bytes with the leading NUL), and the unnamed
 * `""` is `sizeof(sa_family_t)`, 2 bytes (binding that autobinds).
 *
 * On macOS the layouts start with a length byte and a 1-byte family, `sun_path`
 * holds 104 bytes, and packet, netlink and abstract addresses do not exist
 * (`TypeError`). The macOS branch follows the SDK headers; it is not tested on
 * a Mac.
 *
 * @param addr The address; `inet`/`inet6` hostnames must be IP literals (an
 * `inet6` one may carry a numeric zone, `"fe80::1%2"`, standing for `scopeId`).
 * @returns A new buffer exactly as long as the address.
 * @throws {TypeError} For a hostname that is not an IP literal of the family (the
 * socket layer resolves names first), an unknown family, a wrong field type, a
 * NUL inside a pathname.
 * @throws {RangeError} For a port outside 0–65535 or not an integer, a `flowinfo`,
 * `scopeId`, `pid` or `groups` outside u32, a path too long for `sun_path` (the
 * message quotes the value and the limit).
 *
 * @example The kernel's bytes
 * ```ts
 * import { decodeSockAddr, encodeSockAddr, SOCKADDR_STORAGE_SIZE } from "@bsdsock/socket/address";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const sin = encodeSockAddr({ family: "inet", hostname: "127.0.0.1", port: 0x1234 });
 * assertEquals(sin.length, 16);
 * assertEquals(sin.subarray(2, 8), new Uint8Array([0x12, 0x34, 127, 0, 0, 1]));
 * assertEquals(decodeSockAddr(sin), { family: "inet", hostname: "127.0.0.1", port: 0x1234 });
 * assertEquals(sin.length <= SOCKADDR_STORAGE_SIZE, true);
 * assertEquals(encodeSockAddr({ family: "unix", path: "/tmp/s" }).length, 2 + 6 + 1);
 * assertEquals(encodeSockAddr({ family: "unix", path: "\0s" }).length, 2 + 1 + 1);
 * assertEquals(encodeSockAddr({ family: "unix", path: "" }).length, 2);
 * assertThrows(
 *   () => encodeSockAddr({ family: "inet", hostname: "localhost", port: 80 }),
 *   TypeError,
 *   '"localhost"',
 * );
 * assertThrows(
 *   () => encodeSockAddr({ family: "inet", hostname: "127.0.0.1", port: 65536 }),
 *   RangeError,
 *   "65536",
 * );
 * ```
 */
export function encodeSockAddr(addr: SockAddr): Uint8Array {
  return encodeSockAddrFor(addr, hostOs);
}

/**
 * Decodes the running OS's `struct sockaddr_*` as the kernel filled it in
 * accept(2), recvfrom(2), getsockname(2) or getpeername(2).
 *
 * `length` is the `addrlen` the kernel returned; it decides what a `sockaddr_un`
 * holds: 2 bytes is an unnamed socket (`""`), a NUL first is an abstract name
 * (`"\0name"`, every byte up to `length` counts), anything else a pathname (up
 * to its NUL). A `sockaddr_ll` carries `sll_halen` address bytes. IPv6 results
 * always carry `flowinfo` and `scopeId`, packet results `hatype`, `pkttype` and
 * `address`. Path bytes that are not UTF-8 become lone surrogates U+DC80–U+DCFF,
 * which `encodeSockAddr` turns back into the same bytes.
 *
 * @param buf The buffer the kernel wrote into.
 * @param length The address length the kernel returned; the whole buffer when
 * left out (which suits every family but an abstract unix name, whose length
 * only addrlen tells; at most `sun_path`'s 108 bytes count).
 * @returns The address, IP hostnames in canonical text (see `inetNtop`).
 * @throws {RangeError} If `length` is beyond the buffer, shorter than the
 * family field (2 bytes: the caller knows its own domain's unnamed address), or
 * shorter than the family's structure.
 * @throws {TypeError} If the family is not `AF_INET`, `AF_INET6`, `AF_UNIX`,
 * `AF_PACKET` or `AF_NETLINK` (the message gives the number), or `buf` is not a
 * `Uint8Array`.
 *
 * @example addrlen decides the unix kind
 * ```ts
 * import { decodeSockAddr, encodeSockAddr, SOCKADDR_STORAGE_SIZE } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const storage = new Uint8Array(SOCKADDR_STORAGE_SIZE); // what the kernel writes into
 * storage.set(encodeSockAddr({ family: "unix", path: "\0app" }));
 * assertEquals(decodeSockAddr(storage, 2 + 4), { family: "unix", path: "\0app" });
 * assertEquals(decodeSockAddr(storage, 2), { family: "unix", path: "" });
 *
 * const sin6 = encodeSockAddr({ family: "inet6", hostname: "FE80::0001", port: 9, scopeId: 3 });
 * assertEquals(decodeSockAddr(sin6), {
 *   family: "inet6",
 *   hostname: "fe80::1",
 *   port: 9,
 *   flowinfo: 0,
 *   scopeId: 3,
 * });
 * ```
 */
export function decodeSockAddr(buf: Uint8Array, length?: number): SockAddr {
  return decodeSockAddrFor(buf, length, hostOs);
}
