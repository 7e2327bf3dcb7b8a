/**
 * The macOS (Darwin) getaddrinfo(3) error table: every `EAI_*` name of `<netdb.h>` with its
 * number and the text Apple's `gai_strerror()` gives for it.
 *
 * **Not verified** (no macOS machine here): unlike `gai_linux.ts`, which `tools/gen_errno.ts` reads
 * from the system headers and the C library, this table follows the KAME numbering that macOS's
 * Libinfo shares with FreeBSD; only the `EAI_NONAME` text is confirmed by macOS output. Check it
 * against a Mac's `<netdb.h>` and `gai_strerror()` before relying on the other texts:
 *
 * - names and numbers: `<netdb.h>` of Apple's Libinfo (the KAME numbering FreeBSD also uses:
 *   positive, `EAI_ADDRFAMILY` `1` to `EAI_OVERFLOW` `14`), the same numbers `errno` uses, so a
 *   number alone does not say which table it belongs to;
 * - texts: the KAME `ai_errlist` Apple's `gai_strerror()` derives from ("nodename nor servname
 *   provided, or not known" for `EAI_NONAME`, the text Python's `socket.gaierror` shows on macOS).
 *
 * `EAI_MAX` (`15`) is a bound, not an error, and is left out; an unknown number gives
 * "Unknown error".
 *
 * @module
 */
import type { ErrnoTable } from "./types.ts";

/**
 * Every macOS getaddrinfo(3) error, keyed by C name, ordered by number (positive, unlike glibc's).
 *
 * @example Usage
 * ```ts
 * import { gaiDarwin } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(gaiDarwin.EAI_NONAME, {
 *   errno: 8,
 *   strerror: "nodename nor servname provided, or not known",
 * });
 * ```
 */
export const gaiDarwin = {
  EAI_ADDRFAMILY: { errno: 1, strerror: "Address family for nodename not supported" },
  EAI_AGAIN: { errno: 2, strerror: "Temporary failure in name resolution" },
  EAI_BADFLAGS: { errno: 3, strerror: "Invalid value for ai_flags" },
  EAI_FAIL: { errno: 4, strerror: "Non-recoverable failure in name resolution" },
  EAI_FAMILY: { errno: 5, strerror: "ai_family not supported" },
  EAI_MEMORY: { errno: 6, strerror: "Memory allocation failure" },
  EAI_NODATA: { errno: 7, strerror: "No address associated with nodename" },
  EAI_NONAME: { errno: 8, strerror: "nodename nor servname provided, or not known" },
  EAI_SERVICE: { errno: 9, strerror: "servname not supported for ai_socktype" },
  EAI_SOCKTYPE: { errno: 10, strerror: "ai_socktype not supported" },
  EAI_SYSTEM: { errno: 11, strerror: "System error returned in errno" },
  EAI_BADHINTS: { errno: 12, strerror: "Invalid value for hints" },
  EAI_PROTOCOL: { errno: 13, strerror: "Resolved protocol is unknown" },
  EAI_OVERFLOW: { errno: 14, strerror: "Argument buffer overflow" },
} as const satisfies ErrnoTable;
