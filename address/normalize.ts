/**
 * `normalizeSockAddr`: a caller's socket address checked and completed, with the shape and range
 * checks that `encodeSockAddr` shares (which needs literals, where `normalizeSockAddr` lets names
 * through for the socket layer to resolve).
 *
 * @module
 */
import { checkInt, quote } from "../_internal/check.ts";
import { hostOs, type Os } from "../_internal/os.ts";
import { encodePath } from "./_utf8.ts";
import { formatIPv6, parseIPv4, parseIPv6Zone } from "./inet.ts";
import type {
  Inet6Addr,
  InetAddr,
  NetlinkAddr,
  PacketAddr,
  SockAddr,
  SockAddrFamily,
  SockAddrInput,
  UnixAddr,
} from "./types.ts";

const DOMAINS: readonly SockAddrFamily[] = ["inet", "inet6", "unix", "packet", "netlink"];

/**
 * Checks a socket address a caller gave and returns it complete: `family`
 * filled in from the socket's domain where left out, IP literals in canonical
 * text (a numeric zone `"fe80::1%2"` moved to `scopeId`), optional numbers as 0
 * and a packet `address` as an empty buffer where left out.
 *
 * A hostname that is not an IP literal is kept as given for the socket layer to
 * resolve (so is an IPv6 literal whose zone is an interface name, `fe80::1%eth0`),
 * unless it cannot be a name: empty, with whitespace or `:`, or numeric like a
 * malformed IPv4 address (`01.2.3.4`, `127.1`, `0x7f.1`; RFC 1123 names never
 * end in a numeric label), which a resolver might read as another address. An
 * IPv4 literal for an `inet6` address is refused, not mapped: write
 * `::ffff:a.b.c.d`. A `family`
 * that contradicts the domain is returned as given — the socket layer passes it
 * on and the kernel answers (`EAFNOSUPPORT`, `EINVAL`).
 *
 * @param input The address as given; `family` may be left out.
 * @param domainFamily The family of the socket's domain.
 * @returns The checked address.
 * @throws {TypeError} For a wrong shape or field type, an unknown family, a
 * hostname that cannot be of the family, a NUL inside a pathname.
 * @throws {RangeError} For a number outside its field's range or a path too long
 * for `sun_path` (quoted).
 *
 * @example Fill in and canonicalize
 * ```ts
 * import { normalizeSockAddr } from "@bsdsock/socket/address";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * assertEquals(normalizeSockAddr({ hostname: "FE80::1%2", port: 9 }, "inet6"), {
 *   family: "inet6",
 *   hostname: "fe80::1",
 *   port: 9,
 *   flowinfo: 0,
 *   scopeId: 2,
 * });
 * assertEquals(
 *   normalizeSockAddr({ hostname: "example.com", port: 443 }, "inet"),
 *   { family: "inet", hostname: "example.com", port: 443 },
 * );
 * assertThrows(() => normalizeSockAddr({ hostname: "::1", port: -1 }, "inet6"), RangeError, "-1");
 * assertThrows(() => normalizeSockAddr({ hostname: "010.0.0.1", port: 1 }, "inet"), TypeError);
 * ```
 */
export function normalizeSockAddr(
  input: SockAddrInput,
  domainFamily: SockAddrFamily,
): SockAddr {
  if (!DOMAINS.includes(domainFamily)) {
    throw new TypeError(
      `Unknown socket domain family: ${quote(domainFamily)} (expected ${
        DOMAINS.map((d) => `"${d}"`).join(", ")
      })`,
    );
  }
  if (input === null || typeof input !== "object") {
    throw new TypeError(`A socket address must be an object, got ${quote(input)}`);
  }
  const family = (input as { family?: unknown }).family ?? domainFamily;
  return checkSockAddr({ ...input, family } as SockAddr, hostOs, false);
}

/** The bytes of `sun_path` on Linux; macOS has 104. */
export const SUN_PATH_LINUX = 108;
/** The bytes of `sun_path` on macOS (from the public SDK headers). */
export const SUN_PATH_DARWIN = 104;

function optionalInt(value: unknown, what: string, min: number, max: number): number {
  return value === undefined ? 0 : checkInt(value, what, min, max);
}

/**
 * A hostname that is not a literal may reach the resolver only if it could be a
 * name. A numeric last label cannot be (RFC 1123 section 2.1), nor can text made
 * of numbers only: such text is a malformed address (`01.2.3.4`, `127.1`,
 * `0x7f.1`) that some resolvers (glibc's `inet_aton`) would read as octal or
 * shorthand, so it is refused here rather than silently turned into another address.
 */
function checkName(hostname: string, family: string): string {
  if (hostname === "") throw new TypeError(`Hostname of an ${family} address must not be empty`);
  // deno-lint-ignore no-control-regex
  if (/[\s\x00-\x1f\x7f:%[\]/]/.test(hostname)) {
    throw new TypeError(`Invalid hostname for an ${family} address: ${quote(hostname)}`);
  }
  const numeric = /^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+))*\.?$/i;
  if (/(?:^|\.)[0-9]+\.?$/.test(hostname) || numeric.test(hostname)) {
    throw new TypeError(
      `Invalid IPv4 address: ${quote(hostname)} (four decimal parts 0-255, no leading zeros)`,
    );
  }
  return hostname;
}

function hostnameOf(addr: { hostname?: unknown }, family: string): string {
  if (typeof addr.hostname !== "string") {
    throw new TypeError(
      `Hostname of an ${family} address must be a string, got ${quote(addr.hostname)}`,
    );
  }
  return addr.hostname;
}

function checkInet(addr: InetAddr, literal: boolean): InetAddr {
  const hostname = hostnameOf(addr, "inet");
  const port = checkInt(addr.port, "Port", 0, 0xffff);
  if (parseIPv4(hostname) === null) {
    if (parseIPv6Zone(hostname) !== null) {
      throw new TypeError(
        `Not an IPv4 address: ${quote(hostname)} (an IPv6 address needs family "inet6")`,
      );
    }
    if (literal) {
      throw new TypeError(
        `Not an IPv4 address: ${quote(hostname)} (names are resolved by the socket layer)`,
      );
    }
    checkName(hostname, "inet");
  }
  return { family: "inet", hostname, port };
}

function checkInet6(addr: Inet6Addr, literal: boolean): Inet6Addr {
  let hostname = hostnameOf(addr, "inet6");
  const port = checkInt(addr.port, "Port", 0, 0xffff);
  const flowinfo = optionalInt(addr.flowinfo, "flowinfo", 0, 0xffffffff);
  let scopeId = optionalInt(addr.scopeId, "scopeId", 0, 0xffffffff);
  const parsed = parseIPv6Zone(hostname);
  if (parsed !== null && parsed.zone !== undefined && !/^[0-9]+$/.test(parsed.zone)) {
    // An interface name: if_nametoindex(3) is the socket layer's business.
    if (literal) {
      throw new TypeError(
        `IPv6 zone ${quote(parsed.zone)} of ${quote(hostname)} is an interface name ` +
          `(the socket layer resolves it); give a numeric zone or scopeId`,
      );
    }
  } else if (parsed !== null) {
    if (parsed.zone !== undefined) {
      const zone = Number(parsed.zone);
      if (zone > 0xffffffff) {
        throw new RangeError(`IPv6 zone of ${quote(hostname)} must be from 0 to 4294967295`);
      }
      if (addr.scopeId !== undefined && addr.scopeId !== zone) {
        throw new TypeError(
          `IPv6 zone of ${quote(hostname)} disagrees with scopeId ${quote(addr.scopeId)}`,
        );
      }
      scopeId = zone;
    }
    hostname = formatIPv6(parsed.bytes);
  } else if (parseIPv4(hostname) !== null) {
    throw new TypeError(
      `Not an IPv6 address: ${quote(hostname)} (an inet6 socket takes the IPv4-mapped ` +
        `"::ffff:${hostname}")`,
    );
  } else if (literal || hostname.includes(":")) {
    throw new TypeError(
      `Not an IPv6 address: ${quote(hostname)}` +
        (hostname.includes(":") ? "" : " (names are resolved by the socket layer)"),
    );
  } else {
    checkName(hostname, "inet6");
  }
  return { family: "inet6", hostname, port, flowinfo, scopeId };
}

/** What `sun_path` holds for a `UnixAddr` path, checked against the OS's limits. */
export interface UnixPath {
  /** unix(7)'s three kinds of address. */
  kind: "pathname" | "unnamed" | "abstract";
  /** The bytes of `sun_path` that count, without a terminating NUL. */
  bytes: Uint8Array;
}

/** Checks and encodes a `UnixAddr` path for `os`. */
export function unixPath(path: unknown, os: Os): UnixPath {
  if (typeof path !== "string") {
    throw new TypeError(`Path of a unix address must be a string, got ${quote(path)}`);
  }
  const bytes = encodePath(path);
  const room = os === "darwin" ? SUN_PATH_DARWIN : SUN_PATH_LINUX;
  if (bytes.length === 0) return { kind: "unnamed", bytes };
  if (bytes[0] === 0) {
    if (os === "darwin") {
      throw new TypeError(
        `Abstract unix address ${quote(path)} exists only on Linux`,
      );
    }
    if (bytes.length > room) {
      throw new RangeError(
        `Abstract unix address ${quote(path)} is ${bytes.length} bytes with its leading NUL; ` +
          `sun_path holds ${room}`,
      );
    }
    return { kind: "abstract", bytes };
  }
  if (bytes.includes(0)) {
    throw new TypeError(`Unix socket path must not contain a NUL byte: ${quote(path)}`);
  }
  if (bytes.length > room - 1) {
    throw new RangeError(
      `Unix socket path ${quote(path)} is ${bytes.length} bytes; the limit is ${room - 1} ` +
        `(sun_path holds ${room} with the terminating NUL)`,
    );
  }
  return { kind: "pathname", bytes };
}

function checkUnix(addr: UnixAddr, os: Os): UnixAddr {
  unixPath(addr.path, os);
  return { family: "unix", path: addr.path };
}

function checkPacket(addr: PacketAddr): PacketAddr {
  const protocol = checkInt(addr.protocol, "Packet protocol", 0, 0xffff);
  const ifindex = checkInt(addr.ifindex, "ifindex", 0, 0x7fffffff);
  const hatype = optionalInt(addr.hatype, "hatype", 0, 0xffff);
  const pkttype = optionalInt(addr.pkttype, "pkttype", 0, 0xff);
  let address = new Uint8Array(0);
  if (addr.address !== undefined) {
    if (!(addr.address instanceof Uint8Array)) {
      throw new TypeError(`Packet address must be a Uint8Array, got ${quote(addr.address)}`);
    }
    if (addr.address.length > 8) {
      throw new RangeError(
        `Packet address is ${addr.address.length} bytes; sll_addr holds 8`,
      );
    }
    address = addr.address.slice();
  }
  return { family: "packet", protocol, ifindex, hatype, pkttype, address };
}

function checkNetlink(addr: NetlinkAddr): NetlinkAddr {
  const pid = checkInt(addr.pid, "Netlink pid", 0, 0xffffffff);
  const groups = checkInt(addr.groups, "Netlink groups", 0, 0xffffffff);
  return { family: "netlink", pid, groups };
}

/**
 * Checks every field of `addr` and returns it in full form: IP literals in
 * canonical text, left-out optional fields as 0 (an empty `address` for packet).
 * With `literal`, `inet`/`inet6` hostnames must be IP literals; without, a name
 * passes (kept as given) for the socket layer to resolve.
 */
export function checkSockAddr(addr: SockAddr, os: Os, literal: boolean): SockAddr {
  if (addr === null || typeof addr !== "object") {
    throw new TypeError(`A socket address must be an object, got ${quote(addr)}`);
  }
  switch (addr.family) {
    case "inet":
      return checkInet(addr, literal);
    case "inet6":
      return checkInet6(addr, literal);
    case "unix":
      return checkUnix(addr, os);
    case "packet":
      return checkPacket(addr);
    case "netlink":
      return checkNetlink(addr);
    default:
      throw new TypeError(
        `Unknown socket address family: ${quote((addr as { family?: unknown }).family)} ` +
          `(expected "inet", "inet6", "unix", "packet" or "netlink")`,
      );
  }
}
