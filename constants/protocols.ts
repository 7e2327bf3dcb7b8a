/**
 * Protocol names and numbers as protocols(5) gives them: {@linkcode getprotobyname},
 * {@linkcode getprotobynumber}, and {@linkcode resolveProtocol} for `socket()`'s `protocol`
 * argument.
 *
 * The entries come from `/etc/protocols` when the process may already read it — Deno's read
 * permission for that path is asked of `Deno.permissions.querySync`, which never prompts; on Node
 * it is read with `process.getBuiltinModule("node:fs")` — and from a built-in table otherwise, or
 * when the file is missing or unreadable. The file is read and parsed once. The built-in table is
 * Debian netbase 6.4's `/etc/protocols` (the IANA numbers plus Linux's `mptcp`), so a lookup
 * gives the same answer with or without the permission on such a system. Like protocols(5) it
 * has no `raw` entry: use `IPPROTO_RAW`.
 *
 * Names and aliases match case-sensitively, as in C (`"tcp"` and `"TCP"` are both listed; `"Tcp"`
 * is not).
 *
 * @module
 */
import { BUILT_IN_PROTOCOLS } from "./_protocols_builtin.ts";

/** One protocols(5) entry, as C's `struct protoent` holds it. */
export interface ProtocolEntry {
  /** The official name (`p_name`): `"tcp"`. */
  readonly name: string;
  /** The other names (`p_aliases`), in file order: `["TCP"]`. */
  readonly aliases: readonly string[];
  /** The protocol number (`p_proto`): `6`. */
  readonly number: number;
}

const PATH = "/etc/protocols";

/**
 * Parses protocols(5) text: one entry per line, `name number [alias…]`, separated by blanks;
 * `#` starts a comment that runs to the end of the line; a line without a name and a decimal
 * number is skipped, as the C library skips it.
 *
 * @param text The contents of a protocols file.
 * @returns The entries in file order, frozen.
 * @throws {TypeError} If `text` is not a string.
 *
 * @example Usage
 * ```ts
 * import { parseProtocols } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * const text = "# comment\ntcp\t6\tTCP\t\t# transmission control protocol\nbroken x\n";
 * assertEquals(parseProtocols(text), [{ name: "tcp", aliases: ["TCP"], number: 6 }]);
 * ```
 */
export function parseProtocols(text: string): ProtocolEntry[] {
  if (typeof text !== "string") {
    throw new TypeError(`Cannot parse protocols: text must be a string, got ${typeof text}`);
  }
  const entries: ProtocolEntry[] = [];
  for (const raw of text.split("\n")) {
    const hash = raw.indexOf("#");
    const fields = (hash === -1 ? raw : raw.slice(0, hash)).split(/[ \t\r\f\v]+/).filter(Boolean);
    if (fields.length < 2 || !/^\d+$/.test(fields[1])) continue;
    entries.push(Object.freeze({
      name: fields[0],
      aliases: Object.freeze(fields.slice(2)),
      number: Number(fields[1]),
    }));
  }
  return entries;
}

let builtIn: readonly ProtocolEntry[] | undefined;
/** The parsed file; `null` once reading it failed. */
let fromFile: readonly ProtocolEntry[] | null | undefined;

type Runtime = {
  Deno?: {
    permissions?: { querySync?(d: { name: "read"; path: string }): { state: string } };
    readTextFileSync?(path: string): string;
  };
  process?: {
    getBuiltinModule?(id: string): { readFileSync?(path: string, enc: string): string } | undefined;
  };
};

/** The file's text; `undefined` while reading it is not permitted, `null` when it failed. */
function readFile(): string | null | undefined {
  const { Deno: deno, process } = globalThis as Runtime;
  try {
    if (deno) {
      const state = deno.permissions?.querySync?.({ name: "read", path: PATH }).state;
      if (state !== "granted" || !deno.readTextFileSync) return undefined;
      return deno.readTextFileSync(PATH);
    }
    const fs = process?.getBuiltinModule?.("node:fs");
    return fs?.readFileSync ? fs.readFileSync(PATH, "utf8") : undefined;
  } catch {
    return null;
  }
}

/** The entries lookups use: the file's once read, else the built-in table. */
function entries(): readonly ProtocolEntry[] {
  if (fromFile === undefined) {
    const text = readFile();
    if (text !== undefined) fromFile = text === null ? null : parseProtocols(text);
  }
  return fromFile ?? (builtIn ??= parseProtocols(BUILT_IN_PROTOCOLS));
}

/**
 * The protocols(5) entry whose name or one of whose aliases is `name` (case-sensitive), like C's
 * `getprotobyname()`; `undefined` where C returns `NULL`.
 *
 * @param name A protocol name: `"tcp"`, `"ICMP"`, `"ipv6-icmp"`.
 * @returns The entry, or `undefined`.
 * @throws {TypeError} If `name` is not a string.
 *
 * @example Usage
 * ```ts
 * import { getprotobyname } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getprotobyname("tcp"), { name: "tcp", aliases: ["TCP"], number: 6 });
 * assertEquals(getprotobyname("ICMP")?.number, 1);
 * assertEquals(getprotobyname("no-such-protocol"), undefined);
 * ```
 */
export function getprotobyname(name: string): ProtocolEntry | undefined {
  if (typeof name !== "string") {
    throw new TypeError(`Protocol name must be a string, got ${typeof name}`);
  }
  return entries().find((e) => e.name === name || e.aliases.includes(name));
}

/**
 * The first protocols(5) entry with the number `protocol`, like C's `getprotobynumber()`;
 * `undefined` where C returns `NULL`. Numbers are IANA's 8-bit protocol numbers.
 *
 * @param protocol An integer from 0 to 255.
 * @returns The entry, or `undefined`.
 * @throws {TypeError} If `protocol` is not a number.
 * @throws {RangeError} If `protocol` is not an integer from 0 to 255.
 *
 * @example Usage
 * ```ts
 * import { getprotobynumber } from "@bsdsock/socket/constants";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * assertEquals(getprotobynumber(17)?.name, "udp");
 * assertEquals(getprotobynumber(0)?.name, "ip"); // the first entry with 0
 * assertEquals(getprotobynumber(255), undefined);
 * assertThrows(() => getprotobynumber(256), RangeError, '"256"');
 * ```
 */
export function getprotobynumber(protocol: number): ProtocolEntry | undefined {
  if (typeof protocol !== "number") {
    throw new TypeError(`Protocol number must be a number, got ${typeof protocol}`);
  }
  if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255) {
    throw new RangeError(`Protocol number must be an integer from 0 to 255, got "${protocol}"`);
  }
  return entries().find((e) => e.number === protocol);
}

/**
 * The protocol number for `socket()`'s `protocol` argument: a number passes through (the kernel
 * judges it, as in C, so Linux's `IPPROTO_MPTCP` `262` is fine); a name is looked up with
 * {@linkcode getprotobyname}.
 *
 * @param protocol A protocol number (any 32-bit integer) or a protocols(5) name or alias.
 * @returns The number.
 * @throws {TypeError} If `protocol` is neither a number nor a string, or is an unknown name.
 * @throws {RangeError} If `protocol` is a number that is not a 32-bit integer.
 *
 * @example Usage
 * ```ts
 * import { IPPROTO_UDP, resolveProtocol } from "@bsdsock/socket/constants";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * assertEquals(resolveProtocol(0), 0);
 * assertEquals(resolveProtocol(IPPROTO_UDP), IPPROTO_UDP);
 * assertEquals(resolveProtocol("udp"), 17);
 * assertEquals(resolveProtocol("mptcp"), 262);
 * assertThrows(() => resolveProtocol("nope"), TypeError, 'Unknown protocol name "nope"');
 * assertThrows(() => resolveProtocol(1.5), RangeError);
 * ```
 */
export function resolveProtocol(protocol: number | string): number {
  if (typeof protocol === "number") {
    if (!Number.isInteger(protocol) || protocol < -(2 ** 31) || protocol >= 2 ** 31) {
      throw new RangeError(`Protocol number must be a 32-bit integer, got "${protocol}"`);
    }
    return protocol;
  }
  if (typeof protocol !== "string") {
    throw new TypeError(`Protocol must be a number or a name, got ${typeof protocol}`);
  }
  const entry = getprotobyname(protocol);
  if (!entry) throw new TypeError(`Unknown protocol name "${protocol}"`);
  return entry.number;
}
