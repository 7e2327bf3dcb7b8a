/**
 * The option registry: for each (level, name) of the running OS, its codec and
 * access, keyed by the numbers of the OS's constants table and by C name.
 *
 * @module
 */
import { darwin, linux } from "../constants/mod.ts";
import type { OptionCodec } from "./_option_codec.ts";
import { INT_MAX, INT_MIN } from "./_option_codec.ts";
import { intOrBytes } from "./_option_codecs.ts";
import { type LevelRows, LINUX_LEVELS } from "./_option_table.ts";
import { DARWIN_ROWS } from "./_option_table_other.ts";
import { quote } from "./_quote.ts";

/**
 * One socket option: its numbers, C names, value codec and access.
 *
 * @example
 * ```ts
 * import { resolveOption } from "./options.ts";
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

function runningOs(): "linux" | "darwin" {
  const g = globalThis as { Deno?: { build?: { os?: string } }; process?: { platform?: string } };
  return (g.Deno?.build?.os ?? g.process?.platform) === "darwin" ? "darwin" : "linux";
}

/** The running OS's registry, built once at import. */
export const registry: Registry = runningOs() === "darwin"
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
