/**
 * The Unix-domain socket address type.
 *
 * @module
 */

/**
 * A Unix-domain socket address (`struct sockaddr_un`), one of unix(7)'s three
 * kinds: a file-system pathname, `""` for an unnamed socket, or a leading
 * `"\0"` for a name in the Linux abstract namespace (`"\0name"`).
 *
 * Paths are UTF-8. Bytes that are not UTF-8 appear as lone surrogates
 * U+DC80–U+DCFF (as with Python's `os.fsdecode`) and encode back to the same
 * bytes, so any name the kernel reports survives a round trip.
 *
 * @example The three kinds
 * ```ts
 * import { formatSockAddr, type UnixAddr } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const kinds: UnixAddr[] = [
 *   { family: "unix", path: "/run/app.sock" },
 *   { family: "unix", path: "" },
 *   { family: "unix", path: "\0app" },
 * ];
 * assertEquals(kinds.map(formatSockAddr), ["/run/app.sock", "(unnamed)", "@app"]);
 * ```
 */
export interface UnixAddr {
  /** `AF_UNIX`. */
  family: "unix";
  /** A pathname, `""` (unnamed) or `"\0name"` (abstract). */
  path: string;
}
