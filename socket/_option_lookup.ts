/**
 * The public face of the registry: finding an option by number or C name,
 * encoding a value for `setsockopt(2)`, decoding what `getsockopt(2)` returned,
 * and naming an option for messages.
 *
 * @module
 */
import { lookupIn, type OptionSpec, registry, resolveIn } from "./_option_registry.ts";
import { quote } from "./_quote.ts";

export type { OptionSpec } from "./_option_registry.ts";

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
 * import { lookupOption } from "./options.ts";
 * import { IPPROTO_TCP, TCP_NODELAY } from "../constants/mod.ts";
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
 * import { resolveOption } from "./options.ts";
 * import { SO_KEEPALIVE, SOL_SOCKET } from "../constants/mod.ts";
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
 * import { encodeOption, resolveOption } from "./options.ts";
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
 * import { decodeOption, resolveOption } from "./options.ts";
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
 * import { optionName } from "./options.ts";
 * import { IPPROTO_TCP, TCP_NODELAY } from "../constants/mod.ts";
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
 * import { listOptions } from "./options.ts";
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
