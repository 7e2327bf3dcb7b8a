/**
 * The ffi backend on Bun: libc through `bun:ffi`. Bun has no errno accessor and
 * dereferencing libc's `errno` symbol crashes it, so errno is read through
 * `__errno_location()` (a thread-local address, asked once) right after the
 * failing call. SIGIO arrives through `process.on("SIGIO")`. Bun has no network
 * permission model.
 *
 * @module
 */
import { platformName } from "../../_internal/os.ts";
import { requireModule } from "../../_internal/require.ts";
import type { FfiRuntime, Libc, SymbolTable } from "./_libc.ts";

/** The part of `bun:ffi` used here. */
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: Record<string, (...args: unknown[]) => unknown> };
  ptr(view: ArrayBufferView, byteOffset?: number): number;
  read: { i32(ptr: number, byteOffset?: number): number };
}

/** Deno's FFI type names → bun:ffi's. `buffer` is `ptr`, which takes a TypedArray or `null`. */
const TYPES: Readonly<Record<string, string>> = {
  void: "void",
  bool: "bool",
  i8: "i8",
  u8: "u8",
  i16: "i16",
  u16: "u16",
  i32: "i32",
  u32: "u32",
  i64: "i64",
  u64: "u64",
  isize: "i64",
  usize: "usize",
  f32: "f32",
  f64: "f64",
  buffer: "ptr",
  pointer: "ptr",
};

function bunType(t: string, symbol: string): string {
  const out = TYPES[t];
  if (out === undefined) throw new TypeError(`bun:ffi has no type for "${t}" (${symbol})`);
  return out;
}

let ffi: BunFfi | undefined;
let errnoAt = 0;

function bunFfi(): BunFfi {
  return ffi ??= requireModule("bun:ffi") as BunFfi;
}

type Proc = { on(event: string, listener: () => void): void; platform: string };
const proc = (): Proc => (globalThis as unknown as { process: Proc }).process;
const env = (): Record<string, string | undefined> =>
  (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;

/**
 * The Bun side of the ffi backend.
 *
 * @internal
 */
export const bunRuntime: FfiRuntime = {
  name: "bun",
  loader: "bun:ffi",
  os: () => platformName(proc().platform),
  env: (name) => env()[name],
  available: () => true,
  open(path: string, symbols: SymbolTable): Libc {
    const { dlopen } = bunFfi();
    const table: Record<string, { args: string[]; returns: string }> = {};
    const optional: string[] = [];
    for (const [key, spec] of Object.entries(symbols)) {
      if (spec.name !== undefined && spec.name !== key) continue; // bound under its own name below
      if (spec.optional) {
        optional.push(key);
        continue;
      }
      table[key] = {
        args: spec.parameters.map((t) => bunType(t, key)),
        returns: bunType(spec.result, key),
      };
    }
    const bound: Record<string, unknown> = { ...dlopen(path, table).symbols };
    // Renamed symbols (macOS's __error for __errno_location) and optional ones one by one.
    for (const [key, spec] of Object.entries(symbols)) {
      if (key in bound) continue;
      const cName = spec.name ?? key;
      const def = {
        args: spec.parameters.map((t) => bunType(t, key)),
        returns: bunType(spec.result, key),
      };
      try {
        bound[key] = dlopen(path, { [cName]: def }).symbols[cName];
      } catch (err) {
        if (!spec.optional && !optional.includes(key)) throw err;
      }
    }
    const at = (bound.__errno_location as () => number)();
    if (!at) throw new Error("libc returned no errno location");
    errnoAt = at;
    return bound as unknown as Libc;
  },
  errno: () => bunFfi().read.i32(errnoAt, 0),
  addressOf(buf: Uint8Array | null): bigint {
    if (buf === null || buf.byteLength === 0) return 0n;
    // A small typed array lives in memory the collector may move until its
    // ArrayBuffer is asked for: asking pins it, so the address stays valid.
    void buf.buffer;
    return BigInt(bunFfi().ptr(buf));
  },
  onSigio(listener: () => void): void {
    proc().on("SIGIO", listener);
  },
  checkNet(): void {},
};
