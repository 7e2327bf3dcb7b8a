/**
 * From a number back to its C name: {@linkcode constantName} for any prefix, and the
 * `familyName` / `typeName` / `protocolName` that print a socket's domain, type and protocol the
 * way Rust's socket2 prints `Domain`, `Type` and `Protocol` (the name, else the number).
 *
 * When several names share a number the preferred one is given back: main names before the
 * secondary value sets that share their prefix, names before their aliases (`AF_UNIX`, not
 * `AF_LOCAL`; `SO_TIMESTAMP`, not `SO_TIMESTAMP_OLD`), then the shorter name, then the first in
 * sort order. The lists behind the first two steps are in `_canonical.ts`.
 *
 * @module
 */
import { canonicalName } from "./_canonical.ts";
import type { ConstantTable } from "./types.ts";
import { current } from "./_current.ts";

function checkPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== "string") {
    throw new TypeError(`Cannot look up a constant: prefix must be a string, got ${typeof prefix}`);
  }
}

function checkValue(value: unknown): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`Cannot look up a constant: value must be a number, got ${typeof value}`);
  }
}

/**
 * The C name of `value` among the constants named `prefix + "_…"` (`"AF"`, `"SO"`, `"IPV6"`, or a
 * longer one such as `"SO_EE_ORIGIN"`), on the running OS or in the given table; `undefined` when
 * no such name has that value. Where several names share the value, the preferred one is given
 * (see the module doc).
 *
 * @param prefix The name prefix without the trailing `_`.
 * @param value The number to name.
 * @param table The table to search: the running OS's by default, or `linux` / `darwin`.
 * @returns The name, or `undefined`.
 * @throws {TypeError} If `prefix` is not a string or `value` not a number.
 *
 * @example Usage
 * ```ts
 * import { AF_INET6, constantName, darwin, linux } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(constantName("AF", AF_INET6), "AF_INET6");
 * assertEquals(constantName("AF", 10, linux), "AF_INET6");
 * assertEquals(constantName("AF", 30, darwin), "AF_INET6");
 * assertEquals(constantName("AF", 1, linux), "AF_UNIX"); // not AF_LOCAL or AF_FILE
 * assertEquals(constantName("AF", 12345), undefined);
 * ```
 */
export function constantName(
  prefix: string,
  value: number,
  table: ConstantTable = current,
): string | undefined {
  checkPrefix(prefix);
  checkValue(value);
  return canonicalName(table, prefix.endsWith("_") ? prefix.slice(0, -1) : prefix, value);
}

/**
 * The `AF_*` name of an address family, else the number as a string.
 *
 * @param family An address family number.
 * @param table The table to search: the running OS's by default.
 * @returns `"AF_INET"`, `"AF_UNIX"`…, or `String(family)`.
 *
 * @example Usage
 * ```ts
 * import { AF_INET, familyName } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(familyName(AF_INET), "AF_INET");
 * assertEquals(familyName(9999), "9999");
 * ```
 */
export function familyName(family: number, table: ConstantTable = current): string {
  checkValue(family);
  return canonicalName(table, "AF", family, true) ?? String(family);
}

/**
 * The `SOCK_*` name of a socket type, with `|SOCK_NONBLOCK` and `|SOCK_CLOEXEC` appended for
 * those flags where the OS has them; an unknown type is given as its number
 * (`"99|SOCK_CLOEXEC"`).
 *
 * @param type A socket type, possibly OR'ed with `SOCK_NONBLOCK` / `SOCK_CLOEXEC`.
 * @param table The table to search: the running OS's by default.
 * @returns `"SOCK_STREAM"`, `"SOCK_DGRAM|SOCK_NONBLOCK"`…
 *
 * @example Usage
 * ```ts
 * import { linux, SOCK_DGRAM, SOCK_STREAM, typeName } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(typeName(SOCK_STREAM), "SOCK_STREAM");
 * assertEquals(
 *   typeName(linux.SOCK_DGRAM | linux.SOCK_NONBLOCK | linux.SOCK_CLOEXEC, linux),
 *   "SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC",
 * );
 * assertEquals(typeName(99 | linux.SOCK_CLOEXEC, linux), "99|SOCK_CLOEXEC");
 * assertEquals(typeName(SOCK_DGRAM), "SOCK_DGRAM");
 * ```
 */
export function typeName(type: number, table: ConstantTable = current): string {
  checkValue(type);
  const flags: string[] = [];
  let base = type;
  for (const flag of ["SOCK_NONBLOCK", "SOCK_CLOEXEC"]) {
    const bit = table[flag];
    if (bit !== undefined && Number.isInteger(type) && (type & bit) === bit) {
      flags.push(flag);
      base &= ~bit;
    }
  }
  const name = canonicalName(table, "SOCK", base, true) ?? String(base);
  return [name, ...flags].join("|");
}

/**
 * The `IPPROTO_*` name of a protocol number, else the number as a string. `0` is `"IPPROTO_IP"`
 * (the default protocol of the socket type).
 *
 * @param protocol A protocol number.
 * @param table The table to search: the running OS's by default.
 * @returns `"IPPROTO_TCP"`, `"IPPROTO_ICMPV6"`…, or `String(protocol)`.
 *
 * @example Usage
 * ```ts
 * import { IPPROTO_TCP, protocolName } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(protocolName(IPPROTO_TCP), "IPPROTO_TCP");
 * assertEquals(protocolName(0), "IPPROTO_IP"); // not IPPROTO_HOPOPTS
 * assertEquals(protocolName(254), "254");
 * ```
 */
export function protocolName(protocol: number, table: ConstantTable = current): string {
  checkValue(protocol);
  return canonicalName(table, "IPPROTO", protocol, true) ?? String(protocol);
}
