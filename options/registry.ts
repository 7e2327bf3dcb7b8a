/**
 * The option registry of the running OS: `resolveOption`, `lookupOption`, `encodeOption`,
 * `decodeOption`, `optionName` and `listOptions`, over the rows of `table.ts`.
 *
 * @module
 */
import { INT_MAX, INT_MIN, quote } from "../_internal/check.ts";
import { darwin } from "../constants/darwin.ts";
import { linux } from "../constants/linux.ts";
import { hostOs } from "../_internal/os.ts";
import type { OptionCodec } from "./_codec.ts";
import { intOrBytes } from "./codecs.ts";
import { DARWIN_ROWS, type LevelRows, LINUX_LEVELS } from "./table.ts";

/**
 * One socket option: its numbers, C names, value codec and access.
 *
 * @example
 * ```ts
 * import { resolveOption } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * const spec = resolveOption("SOL_SOCKET", "SO_LINGER");
 * assertEquals(spec.codec.name, "linger");
 * assertEquals(spec.readOnly, false);
 * ```
 */
export interface OptionSpec {
  /** The level number (`SOL_SOCKET`, `IPPROTO_TCP`…) on the running OS. */
  readonly level: number;
  /** The option number on the running OS. */
  readonly name: number;
  /** The level's C name, or its number as text when the registry does not know it. */
  readonly levelName: string;
  /** The option's C name, or its number as text when the registry does not know it. */
  readonly optionName: string;
  /** How its value is encoded and decoded. */
  readonly codec: OptionCodec<unknown>;
  /** `setsockopt(2)` refuses it: the kernel computes the value (`SO_ERROR`, `TCP_INFO`…). */
  readonly readOnly: boolean;
  /** `getsockopt(2)` refuses it: an action rather than a state (`IP_ADD_MEMBERSHIP`…). */
  readonly writeOnly: boolean;
}

/** The lookup tables of one OS. */
export interface Registry {
  /** Level number → its C name. */
  readonly levelNames: ReadonlyMap<number, string>;
  /** Level C name (and alias, and any other `SOL_*`/`IPPROTO_*` of the table) → number. */
  readonly levels: ReadonlyMap<string, number>;
  /** Level number → option number → spec. */
  readonly byNumber: ReadonlyMap<number, ReadonlyMap<number, OptionSpec>>;
  /** Level number → option C name (aliases too) → spec. */
  readonly byName: ReadonlyMap<number, ReadonlyMap<string, OptionSpec>>;
  /** Every spec once, level by level in table order. */
  readonly specs: readonly OptionSpec[];
}

/** The number `table` gives `name`, if it has one. */
function constant(table: object, name: string): number | undefined {
  if (!Object.hasOwn(table, name)) return undefined;
  const value = (table as { readonly [key: string]: unknown })[name];
  return typeof value === "number" ? value : undefined;
}

/**
 * Builds the registry of an OS from its constants table: Linux's rows, with
 * `extra` rows replacing those of the same name and adding others.
 */
export function buildRegistry(
  table: object,
  levels: readonly LevelRows[] = LINUX_LEVELS,
  extra: Readonly<Record<string, readonly LevelRows["rows"][number][]>> = {},
): Registry {
  const levelNames = new Map<number, string>();
  const levelNumbers = new Map<string, number>();
  const byNumber = new Map<number, Map<number, OptionSpec>>();
  const byName = new Map<number, Map<string, OptionSpec>>();
  const specs: OptionSpec[] = [];
  for (const key of Object.keys(table)) {
    const n = constant(table, key);
    if (n !== undefined && /^(SOL|IPPROTO)_/.test(key)) levelNumbers.set(key, n);
  }
  for (const { level: levelName, aliases, rows } of levels) {
    const level = constant(table, levelName);
    if (level === undefined) continue;
    for (const alias of aliases) {
      if (constant(table, alias) === level) levelNumbers.set(alias, level);
    }
    levelNames.set(level, levelName);
    const numbers = new Map<number, OptionSpec>();
    const names = new Map<string, OptionSpec>();
    const replaced = new Map((extra[levelName] ?? []).map((row) => [row[0], row]));
    const all = [...rows.map((row) => replaced.get(row[0]) ?? row)];
    for (const row of extra[levelName] ?? []) if (!rows.some((r) => r[0] === row[0])) all.push(row);
    for (const [optionName, codec, access] of all) {
      const name = constant(table, optionName);
      if (name === undefined) continue;
      let spec = numbers.get(name);
      if (spec === undefined) {
        spec = Object.freeze({
          level,
          name,
          levelName,
          optionName,
          codec,
          readOnly: access === "r",
          writeOnly: access === "w",
        });
        numbers.set(name, spec);
        specs.push(spec);
      }
      names.set(optionName, spec);
    }
    byNumber.set(level, numbers);
    byName.set(level, names);
  }
  return { levelNames, levels: levelNumbers, byNumber, byName, specs: Object.freeze(specs) };
}

/** The running OS's registry, built once at import. */
export const registry: Registry = hostOs === "darwin"
  ? buildRegistry(darwin, LINUX_LEVELS, DARWIN_ROWS)
  : buildRegistry(linux);

function checkNumber(value: number, what: string): number {
  if (!Number.isInteger(value) || value < INT_MIN || value > INT_MAX) {
    throw new RangeError(`${what} must be an integer (a C int), got ${quote(value)}`);
  }
  return value;
}

function levelOf(reg: Registry, level: unknown, strict: boolean): number | undefined {
  if (typeof level === "number") return checkNumber(level, "An option level");
  if (typeof level !== "string") {
    throw new TypeError(`An option level must be a number or a C name, got ${quote(level)}`);
  }
  const n = reg.levels.get(level);
  if (n === undefined && strict) {
    throw new TypeError(
      `Unknown option level ${quote(level)} (expected SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6, ` +
        `IPPROTO_TCP, IPPROTO_UDP… or a number)`,
    );
  }
  return n;
}

function unknownName(reg: Registry, level: number, name: string): TypeError {
  const levelName = reg.levelNames.get(level) ?? String(level);
  const home = [...reg.byName].find(([, names]) => names.has(name));
  const hint = home ? ` (it is an option of ${reg.levelNames.get(home[0])})` : "";
  return new TypeError(`Unknown option ${quote(name)} for level ${levelName}${hint}`);
}

/** {@linkcode lookupOption} against `reg`. */
export function lookupIn(reg: Registry, level: unknown, name: unknown): OptionSpec | undefined {
  const l = levelOf(reg, level, false);
  if (typeof name === "number") checkNumber(name, "An option name");
  else if (typeof name !== "string") {
    throw new TypeError(`An option name must be a number or a C name, got ${quote(name)}`);
  }
  if (l === undefined) return undefined;
  return typeof name === "number" ? reg.byNumber.get(l)?.get(name) : reg.byName.get(l)?.get(name);
}

/** {@linkcode resolveOption} against `reg`. */
export function resolveIn(reg: Registry, level: unknown, name: unknown): OptionSpec {
  const l = levelOf(reg, level, true)!;
  const found = lookupIn(reg, l, name);
  if (found) return found;
  if (typeof name === "string") throw unknownName(reg, l, name);
  return Object.freeze({
    level: l,
    name: name as number,
    levelName: reg.levelNames.get(l) ?? String(l),
    optionName: String(name),
    codec: intOrBytes as OptionCodec<unknown>,
    readOnly: false,
    writeOnly: false,
  });
}

/**
 * Finds a socket option of the running OS in the registry.
 *
 * @param level The level: a number (`SOL_SOCKET`, `IPPROTO_TCP`…) or its C name
 * (`"SOL_SOCKET"`, `"IPPROTO_TCP"`, `"SOL_TCP"`).
 * @param name The option: a number or its C name (`"SO_KEEPALIVE"`).
 * @returns Its spec, or `undefined` if the registry does not know it.
 * @throws {TypeError} If `level` or `name` is neither a number nor a string.
 * @throws {RangeError} If a number is not a C `int`.
 *
 * @example By name and by number
 * ```ts
 * import { lookupOption } from "@bsdsock/socket/options";
 * import { IPPROTO_TCP, TCP_NODELAY } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(lookupOption("IPPROTO_TCP", "TCP_NODELAY")?.name, TCP_NODELAY);
 * assertEquals(lookupOption(IPPROTO_TCP, TCP_NODELAY)?.optionName, "TCP_NODELAY");
 * assertEquals(lookupOption("SOL_SOCKET", "SO_NO_SUCH_OPTION"), undefined);
 * ```
 */
export function lookupOption(
  level: number | string,
  name: number | string,
): OptionSpec | undefined {
  return lookupIn(registry, level, name);
}

/**
 * Finds a socket option as `setsockopt`/`getsockopt` need it. C names must be
 * known; numbers the registry does not know are allowed and get a spec whose
 * codec (`"int_or_bytes"`) takes a number or boolean as a C `int` and a
 * `Uint8Array` raw, the way Python's `socket` treats every option.
 *
 * @param level The level: a number or its C name (`"SOL_SOCKET"`).
 * @param name The option: a number or its C name (`"SO_KEEPALIVE"`).
 * @returns The option's spec.
 * @throws {TypeError} If a C name is unknown (quoted in the message), or an
 * argument is neither a number nor a string.
 * @throws {RangeError} If a number is not a C `int`.
 *
 * @example Names, numbers and unknown numbers
 * ```ts
 * import { resolveOption } from "@bsdsock/socket/options";
 * import { SO_KEEPALIVE, SOL_SOCKET } from "@bsdsock/socket/constants";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const spec = resolveOption("SOL_SOCKET", "SO_KEEPALIVE");
 * assertEquals([spec.level, spec.name, spec.codec.name], [SOL_SOCKET, SO_KEEPALIVE, "bool"]);
 * assertEquals(resolveOption(SOL_SOCKET, 9999).codec.name, "int_or_bytes");
 * assertThrows(() => resolveOption("SOL_SOCKET", "SO_KEEPALIV"), TypeError, '"SO_KEEPALIV"');
 * ```
 */
export function resolveOption(level: number | string, name: number | string): OptionSpec {
  return resolveIn(registry, level, name);
}

/** Rethrows a codec's `TypeError`/`RangeError` with the option's name in front. */
function named<T>(spec: OptionSpec, run: () => T): T {
  try {
    return run();
  } catch (err) {
    const where = `${spec.levelName}/${spec.optionName}`;
    if (err instanceof RangeError) throw new RangeError(`${where}: ${err.message}`, { cause: err });
    if (err instanceof TypeError) throw new TypeError(`${where}: ${err.message}`, { cause: err });
    throw err;
  }
}

function checkSpec(spec: OptionSpec): OptionSpec {
  if (spec === null || typeof spec !== "object" || typeof spec.codec?.encode !== "function") {
    throw new TypeError(`Not an option spec (see resolveOption): ${quote(spec)}`);
  }
  return spec;
}

/**
 * Encodes a value for `setsockopt(2)` with the option's codec. A `Uint8Array`
 * is passed through unchanged, whatever the option. Read-only options are not
 * refused here: the kernel answers them (`ENOPROTOOPT`), with its own errno.
 *
 * @param spec The option, from {@linkcode resolveOption}.
 * @param value A number, a boolean, a `Uint8Array`, or the codec's object (`{ onoff, linger }`…).
 * @returns The bytes to hand to `setsockopt(2)`.
 * @throws {TypeError} If the value has the wrong type or shape for the option
 * (an object where a number is wanted, a malformed address…); the message
 * names the option and quotes the value.
 * @throws {RangeError} If a number is fractional or out of the C type's range.
 *
 * @example Values of several options
 * ```ts
 * import { encodeOption, resolveOption } from "@bsdsock/socket/options";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const nodelay = resolveOption("IPPROTO_TCP", "TCP_NODELAY");
 * assertEquals(encodeOption(nodelay, true), new Uint8Array([1, 0, 0, 0]));
 * const linger = resolveOption("SOL_SOCKET", "SO_LINGER");
 * assertEquals(encodeOption(linger, { onoff: true, linger: 2 }).length, 8);
 * assertThrows(() => encodeOption(nodelay, { on: true }), TypeError, "TCP_NODELAY");
 * assertThrows(() => encodeOption(resolveOption("SOL_SOCKET", "SO_SNDBUF"), 1.5), RangeError);
 * ```
 */
export function encodeOption(spec: OptionSpec, value: unknown): Uint8Array {
  checkSpec(spec);
  if (value instanceof Uint8Array) return value;
  return named(spec, () => spec.codec.encode(value));
}

/**
 * Decodes what `getsockopt(2)` wrote with the option's codec.
 *
 * @param spec The option, from {@linkcode resolveOption}.
 * @param bytes The bytes the kernel wrote (its returned length, not the whole buffer).
 * @returns The value: a number, a boolean, a bigint, a string, raw bytes, or the codec's object.
 * @throws {RangeError} If there are fewer bytes than the codec needs.
 *
 * @example An int and a struct
 * ```ts
 * import { decodeOption, resolveOption } from "@bsdsock/socket/options";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(decodeOption(resolveOption("SOL_SOCKET", "SO_RCVBUF"), new Uint8Array([0, 1, 0, 0])), 256);
 * const linger = resolveOption("SOL_SOCKET", "SO_LINGER");
 * assertEquals(decodeOption(linger, new Uint8Array([1, 0, 0, 0, 5, 0, 0, 0])), { onoff: true, linger: 5 });
 * ```
 */
export function decodeOption(spec: OptionSpec, bytes: Uint8Array): unknown {
  checkSpec(spec);
  return named(spec, () => spec.codec.decode(bytes));
}

/**
 * Names an option for messages: `"SOL_SOCKET/SO_KEEPALIVE"`, with numbers where
 * the registry knows no name (`"SOL_SOCKET/9999"`, `"9999/1"`).
 *
 * @param level The level, a number or a C name.
 * @param name The option, a number or a C name.
 * @returns `"LEVEL/NAME"`.
 *
 * @example
 * ```ts
 * import { optionName } from "@bsdsock/socket/options";
 * import { IPPROTO_TCP, TCP_NODELAY } from "@bsdsock/socket/constants";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(optionName(IPPROTO_TCP, TCP_NODELAY), "IPPROTO_TCP/TCP_NODELAY");
 * assertEquals(optionName("SOL_TCP", TCP_NODELAY), "IPPROTO_TCP/TCP_NODELAY");
 * assertEquals(optionName(IPPROTO_TCP, 9999), "IPPROTO_TCP/9999");
 * ```
 */
export function optionName(level: number | string, name: number | string): string {
  const spec = lookupOption(level, name);
  if (spec) return `${spec.levelName}/${spec.optionName}`;
  const l = typeof level === "string" ? registry.levels.get(level) : level;
  const levelText = l === undefined ? String(level) : registry.levelNames.get(l) ?? String(l);
  return `${levelText}/${name}`;
}

/**
 * Every option the registry knows on the running OS, each once (aliases such
 * as `IPV6_JOIN_GROUP` share the spec of the first name), level by level.
 *
 * @param level Only this level (a number or a C name); all levels if left out.
 * @returns The specs.
 *
 * @example Read-only options of SOL_SOCKET
 * ```ts
 * import { listOptions } from "@bsdsock/socket/options";
 * import { assertArrayIncludes } from "@std/assert";
 *
 * const readOnly = listOptions("SOL_SOCKET").filter((s) => s.readOnly).map((s) => s.optionName);
 * assertArrayIncludes(readOnly, ["SO_TYPE", "SO_ERROR", "SO_ACCEPTCONN"]);
 * ```
 */
export function listOptions(level?: number | string): OptionSpec[] {
  if (level === undefined) return [...registry.specs];
  const l = resolveOption(level, 0).level;
  return registry.specs.filter((s) => s.level === l);
}
