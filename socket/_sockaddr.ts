/**
 * The bytes of `struct sockaddr_*` for Linux and macOS.
 *
 * Linux: a 2-byte host-order `sa_family_t` first. macOS (BSD): a length byte
 * (`sin_len`, `sun_len` …) and a 1-byte family. The Linux layouts are checked
 * against gcc and the kernel in `tests/address_c_test.ts`; the macOS ones follow
 * the public SDK headers and are not tested on a Mac here.
 *
 * @module
 */
import type { SockAddr } from "./_addr_union.ts";
import { checkInt, checkSockAddr, SUN_PATH_DARWIN, SUN_PATH_LINUX, unixPath } from "./_check.ts";
import { littleEndian } from "./_endian.ts";
import { type AddressOs, familiesFor } from "./_family.ts";
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6Zone } from "./_inet.ts";
import { quote } from "./_quote.ts";
import { decodePath } from "./_utf8.ts";

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
function header(os: AddressOs, family: number, size: number): [Uint8Array, DataView] {
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

function missing(family: string, os: AddressOs): never {
  throw new TypeError(`${family} socket addresses do not exist on ${os} (C gives EAFNOSUPPORT)`);
}

/** `encodeSockAddr` for the layout of `os`. */
export function encodeSockAddrFor(input: SockAddr, os: AddressOs): Uint8Array {
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
  os: AddressOs,
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
