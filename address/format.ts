/**
 * Socket addresses as text, for messages and logs.
 *
 * @module
 */
import { quote } from "../_internal/check.ts";
import { formatIPv6, parseIPv6Zone } from "./inet.ts";
import type { SockAddr } from "./types.ts";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(":");
}

/**
 * Writes a socket address the way tools print it:
 *
 * - inet: `127.0.0.1:9`
 * - inet6: `[::1]:9`, with a non-zero `scopeId` as a numeric zone `[fe80::1%2]:9`
 *   (literals in canonical RFC 5952 text; a name that is not a literal as given)
 * - unix: the path as is, the abstract `"\0name"` as `@name` (as ss(8) prints it),
 *   the unnamed `""` as `(unnamed)`
 * - packet: `packet:ifindex=2,protocol=0x0800`, then `hatype`, `pkttype` when
 *   non-zero and `address` as colon-separated hex when present
 * - netlink: `netlink:pid=0,groups=0x1`
 *
 * It never throws, so error messages can always use it: an object that is not
 * a socket address is written as JSON.
 *
 * @param addr The address.
 * @returns The text.
 *
 * @example Each family
 * ```ts
 * import { formatSockAddr } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(formatSockAddr({ family: "inet", hostname: "127.0.0.1", port: 9 }), "127.0.0.1:9");
 * assertEquals(formatSockAddr({ family: "inet6", hostname: "::1", port: 9 }), "[::1]:9");
 * assertEquals(
 *   formatSockAddr({ family: "inet6", hostname: "fe80::1", port: 9, scopeId: 2 }),
 *   "[fe80::1%2]:9",
 * );
 * assertEquals(formatSockAddr({ family: "unix", path: "/tmp/s" }), "/tmp/s");
 * assertEquals(formatSockAddr({ family: "unix", path: "\0name" }), "@name");
 * assertEquals(formatSockAddr({ family: "unix", path: "" }), "(unnamed)");
 * assertEquals(
 *   formatSockAddr({
 *     family: "packet",
 *     protocol: 3,
 *     ifindex: 2,
 *     hatype: 1,
 *     address: new Uint8Array([2, 0, 0, 0, 0, 1]),
 *   }),
 *   "packet:ifindex=2,protocol=0x0003,hatype=1,address=02:00:00:00:00:01",
 * );
 * assertEquals(formatSockAddr({ family: "netlink", pid: 42, groups: 1 }), "netlink:pid=42,groups=0x1");
 * ```
 */
export function formatSockAddr(addr: SockAddr): string {
  switch (addr?.family) {
    case "inet":
      return `${addr.hostname}:${addr.port}`;
    case "inet6": {
      const parsed = typeof addr.hostname === "string" ? parseIPv6Zone(addr.hostname) : null;
      if (parsed === null) {
        const host = String(addr.hostname);
        return `${host.includes(":") ? `[${host}]` : host}:${addr.port}`;
      }
      const zone = addr.scopeId ? String(addr.scopeId) : parsed.zone;
      const host = formatIPv6(parsed.bytes) + (zone === undefined ? "" : `%${zone}`);
      return `[${host}]:${addr.port}`;
    }
    case "unix": {
      const path = String(addr.path);
      if (path === "") return "(unnamed)";
      return path.startsWith("\0") ? `@${path.slice(1)}` : path;
    }
    case "packet": {
      let text = `packet:ifindex=${addr.ifindex},protocol=0x` +
        Number(addr.protocol).toString(16).padStart(4, "0");
      if (addr.hatype) text += `,hatype=${addr.hatype}`;
      if (addr.pkttype) text += `,pkttype=${addr.pkttype}`;
      if (addr.address instanceof Uint8Array && addr.address.length > 0) {
        text += `,address=${hex(addr.address)}`;
      }
      return text;
    }
    case "netlink":
      return `netlink:pid=${addr.pid},groups=0x${Number(addr.groups).toString(16)}`;
    default:
      return quote(addr);
  }
}
