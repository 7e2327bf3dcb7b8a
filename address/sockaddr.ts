/**
 * The kernel's `struct sockaddr_*` bytes: `encodeSockAddr`, `decodeSockAddr` and
 * `SOCKADDR_STORAGE_SIZE` for the running OS, and the per-OS layouts behind them.
 *
 * @module
 */
import { checkInt, littleEndian, quote } from "../_internal/check.ts";
import { familiesFor } from "./_family.ts";
import { hostOs, type Os } from "../_internal/os.ts";
import { decodePath } from "./_utf8.ts";
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6Zone } from "./inet.ts";
import { checkSockAddr, SUN_PATH_DARWIN, SUN_PATH_LINUX, unixPath } from "./normalize.ts";
import type { SockAddr } from "./types.ts";

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

/** `sizeof(struct sockaddr_in)`, the same on Linux and macOS. */
export const SOCKADDR_IN_SIZE = 16;
/** `sizeof(struct sockaddr_in6)`, the same on Linux and macOS. */
export const SOCKADDR_IN6_SIZE = 28;
/** `sizeof(struct sockaddr_ll)` (Linux). */
export const SOCKADDR_LL_SIZE = 20;
/** `sizeof(struct sockaddr_nl)` (Linux). */
export const SOCKADDR_NL_SIZE = 12;
/** `offsetof(struct sockaddr_un, sun_path)` on both: `sa_family_t`, or `sun_len` + `sun_family`. */
export const SUN_PATH_OFFSET = 2;
/** `offsetof(struct sockaddr_ll, sll_addr)`. */
const SLL_ADDR_OFFSET = 12;

/** A new buffer of `size` zero bytes with the family header written for `os`. */
function header(os: Os, family: number, size: number): [Uint8Array, DataView] {
  const buf = new Uint8Array(size);
  const view = new DataView(buf.buffer);
  if (os === "darwin") {
    buf[0] = size; // sin_len, sin6_len, sun_len
    buf[1] = family;
  } else {
    view.setUint16(0, family, littleEndian);
  }
  return [buf, view];
}

function missing(family: string, os: Os): never {
  throw new TypeError(`${family} socket addresses do not exist on ${os} (C gives EAFNOSUPPORT)`);
}

/** `encodeSockAddr` for the layout of `os`. */
export function encodeSockAddrFor(input: SockAddr, os: Os): Uint8Array {
  const addr = checkSockAddr(input, os, true);
  const af = familiesFor(os);
  switch (addr.family) {
    case "inet": {
      const [buf, view] = header(os, af.AF_INET, SOCKADDR_IN_SIZE);
      view.setUint16(2, addr.port, false);
      buf.set(parseIPv4(addr.hostname)!, 4);
      return buf;
    }
    case "inet6": {
      const [buf, view] = header(os, af.AF_INET6, SOCKADDR_IN6_SIZE);
      view.setUint16(2, addr.port, false);
      view.setUint32(4, addr.flowinfo ?? 0, false); // network order
      buf.set(parseIPv6Zone(addr.hostname)!.bytes, 8);
      view.setUint32(24, addr.scopeId ?? 0, littleEndian); // host order
      return buf;
    }
    case "unix": {
      const { kind, bytes } = unixPath(addr.path, os);
      // unix(7): pathname → offsetof + strlen + 1; abstract → offsetof + 1 + name
      // bytes, no NUL; unnamed → sizeof(sa_family_t).
      const size = SUN_PATH_OFFSET + bytes.length + (kind === "pathname" ? 1 : 0);
      const [buf] = header(os, af.AF_UNIX, size);
      buf.set(bytes, SUN_PATH_OFFSET);
      return buf;
    }
    case "packet": {
      if (af.AF_PACKET === undefined) return missing("AF_PACKET", os);
      const [buf, view] = header(os, af.AF_PACKET, SOCKADDR_LL_SIZE);
      const address = addr.address ?? new Uint8Array(0);
      view.setUint16(2, addr.protocol, false); // sll_protocol, network order
      view.setInt32(4, addr.ifindex, littleEndian);
      view.setUint16(8, addr.hatype ?? 0, littleEndian);
      buf[10] = addr.pkttype ?? 0;
      buf[11] = address.length; // sll_halen
      buf.set(address, SLL_ADDR_OFFSET);
      return buf;
    }
    case "netlink": {
      if (af.AF_NETLINK === undefined) return missing("AF_NETLINK", os);
      const [, view] = header(os, af.AF_NETLINK, SOCKADDR_NL_SIZE);
      view.setUint32(4, addr.pid, littleEndian);
      view.setUint32(8, addr.groups, littleEndian);
      return new Uint8Array(view.buffer);
    }
  }
}

function needs(length: number, size: number, what: string): void {
  if (length < size) {
    throw new RangeError(`A ${what} needs ${size} bytes, got an address length of ${length}`);
  }
}

/** `decodeSockAddr` for the layout of `os`. */
export function decodeSockAddrFor(
  buf: Uint8Array,
  length: number | undefined,
  os: Os,
): SockAddr {
  if (!(buf instanceof Uint8Array)) {
    throw new TypeError(`A socket address buffer must be a Uint8Array, got ${quote(buf)}`);
  }
  const len = length === undefined ? buf.length : checkInt(length, "Address length", 0, buf.length);
  if (len < 2) {
    throw new RangeError(`An address length of ${len} holds no address family (it needs 2 bytes)`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const family = os === "darwin" ? buf[1] : view.getUint16(0, littleEndian);
  const af = familiesFor(os);
  switch (family) {
    case af.AF_INET:
      needs(len, SOCKADDR_IN_SIZE, "sockaddr_in");
      return {
        family: "inet",
        hostname: formatIPv4(buf.subarray(4, 8)),
        port: view.getUint16(2, false),
      };
    case af.AF_INET6:
      needs(len, SOCKADDR_IN6_SIZE, "sockaddr_in6");
      return {
        family: "inet6",
        hostname: formatIPv6(buf.subarray(8, 24)),
        port: view.getUint16(2, false),
        flowinfo: view.getUint32(4, false),
        scopeId: view.getUint32(24, littleEndian),
      };
    case af.AF_UNIX: {
      // The length the kernel returned decides: 2 is unnamed, a NUL first is
      // abstract (every byte counts), else a pathname up to its NUL.
      const room = os === "darwin" ? SUN_PATH_DARWIN : SUN_PATH_LINUX;
      const path = buf.subarray(SUN_PATH_OFFSET, Math.min(len, SUN_PATH_OFFSET + room));
      if (path.length === 0) return { family: "unix", path: "" };
      if (path[0] === 0 && os !== "darwin") return { family: "unix", path: decodePath(path) };
      const end = path.indexOf(0);
      return { family: "unix", path: decodePath(end < 0 ? path : path.subarray(0, end)) };
    }
    case af.AF_PACKET: {
      needs(len, SLL_ADDR_OFFSET, "sockaddr_ll");
      const halen = Math.min(buf[11], 8, len - SLL_ADDR_OFFSET);
      return {
        family: "packet",
        protocol: view.getUint16(2, false),
        ifindex: view.getInt32(4, littleEndian),
        hatype: view.getUint16(8, littleEndian),
        pkttype: buf[10],
        address: buf.slice(SLL_ADDR_OFFSET, SLL_ADDR_OFFSET + halen),
      };
    }
    case af.AF_NETLINK:
      needs(len, SOCKADDR_NL_SIZE, "sockaddr_nl");
      return {
        family: "netlink",
        pid: view.getUint32(4, littleEndian),
        groups: view.getUint32(8, littleEndian),
      };
    default:
      throw new TypeError(
        `Unsupported address family ${family} in a socket address (this module decodes ` +
          `AF_INET, AF_INET6, AF_UNIX${os === "linux" ? ", AF_PACKET and AF_NETLINK" : ""})`,
      );
  }
}
