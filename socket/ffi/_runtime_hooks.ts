/**
 * The runtime under the ffi backend: which loader binds libc (`Deno.dlopen` on
 * Deno, `bun:ffi` on Bun, koffi on Node), and the few other runtime calls the
 * backend and its reactor make (the SIGIO listener, the OS name, the network
 * permission). Each runtime's side lives in its own `_load_*.ts`; this file
 * picks one, once, on first use. Nothing here opens a library at import.
 *
 * @module
 */
import type { SockAddr } from "../../address/types.ts";
import type { Libc } from "./_libc.ts";
import { denoRuntime } from "./_load_deno.ts";
import { bunRuntime } from "./_load_bun.ts";
import { koffiRuntime } from "./_load_koffi.ts";

/** One symbol of `LIBC_SYMBOLS` (`_libc.ts`): its C signature in Deno's FFI type names. */
export interface SymbolSpec {
  /** Parameter types (`"i32"`, `"usize"`, `"buffer"`…). */
  readonly parameters: readonly string[];
  /** Result type. */
  readonly result: string;
  /** The name in the library, when it differs from the key. */
  readonly name?: string;
  /** Missing from the library is not an error: the function is left out. */
  readonly optional?: boolean;
}

/** The table a loader binds: `LIBC_SYMBOLS`, adjusted for the OS. */
export type SymbolTable = Readonly<Record<string, SymbolSpec>>;

/** What the ffi backend needs from the runtime it runs on. */
export interface FfiRuntime {
  /** The runtime, for messages. */
  readonly name: "deno" | "bun" | "node";
  /** The loader, for messages: `"Deno.dlopen"`, `"bun:ffi"`, `"koffi"`. */
  readonly loader: string;
  /** The OS as `Deno.build.os` names it (`"linux"`, `"darwin"`, `"windows"`…). */
  os(): string;
  /** An environment variable, read only where that needs no permission prompt. */
  env(name: string): string | undefined;
  /** Whether FFI can be used here now, asked without a prompt and without throwing. */
  available(): boolean;
  /**
   * Binds `symbols` of the library at `path`. Throws the runtime's permission
   * error, or a `SocketError` `EOPNOTSUPP` (for `syscall`) saying how to get FFI.
   */
  open(path: string, symbols: SymbolTable, syscall: string): Libc;
  /** The calling thread's errno: read it right after the failing call. */
  errno(): number;
  /** The address of `buf`'s first byte (`0n` for `null` or an empty buffer), stable while `buf` lives. */
  addressOf(buf: Uint8Array | null): bigint;
  /** Adds the process's SIGIO listener (kept for the life of the process). */
  onSigio(listener: () => void): void;
  /**
   * Has the event loop call `listener` whenever `fd` is readable, without
   * holding the loop open; `false` when the runtime cannot (then SIGIO wakes
   * the reactor).
   */
  watchReadable?(fd: number, listener: () => void): boolean;
  /**
   * Throws the runtime's own permission error unless it lets this process reach
   * `addr` (an inet or inet6 address); a runtime without a network permission
   * model lets everything through.
   */
  checkNet(addr: SockAddr & { family: "inet" | "inet6" }): void;
}

let current: FfiRuntime | undefined;

/** The runtime this process runs on, picked once: Deno, else Bun, else Node (koffi). */
export function ffiRuntime(): FfiRuntime {
  if (current) return current;
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  current = g.Deno !== undefined ? denoRuntime : g.Bun !== undefined ? bunRuntime : koffiRuntime;
  return current;
}

/**
 * Whether the ffi backend can work here, asked without a prompt: on Deno,
 * `Deno.dlopen` exists and `--allow-ffi` is granted; on Bun, always; on Node,
 * koffi resolves and loads (not under `--permission` without `--allow-addons`).
 *
 * @returns `true` when an ffi socket can be made.
 */
export function ffiAvailable(): boolean {
  return ffiRuntime().available();
}

/**
 * Adds the process's SIGIO listener through the runtime
 * (`Deno.addSignalListener` or `process.on`).
 *
 * @param listener Called on each SIGIO.
 */
export function onSigio(listener: () => void): void {
  ffiRuntime().onSigio(listener);
}

/**
 * The running OS as `Deno.build.os` names it.
 *
 * @returns `"linux"`, `"darwin"`…
 */
export function runtimeOs(): string {
  return ffiRuntime().os();
}

/**
 * Has the runtime's event loop watch `fd` for readability and call `listener`
 * (the reactor's wakeup), where it can: on Node, uv_poll through
 * `koffi.node.poll` (koffi 2.15 and later) on the reactor's epoll descriptor,
 * so no descriptor needs `O_ASYNC` and no signal is raised. Chosen by
 * measurement on Node 20, 2 cores, 64-byte round trips against the C echo
 * server of bench/c in another process: alternating runs of 3,000 round trips,
 * uv_poll 31–39 µs per round trip and 36–45 µs of CPU, SIGIO 40–47 µs and
 * 47–56 µs of CPU; `bench/runtimes.ts` (best of 5 × 20,000) 27,860 against
 * 27,059 round trips/s, 24.0 against 26.0 µs of CPU. Within one process the two
 * are alike (the microtask polls answer before either wakes). A SIGIO costs a
 * handler, a write to libuv's signal pipe and a read back, and an `fcntl` per
 * descriptor switched. Deno and Bun offer no such watch: SIGIO there (Bun's
 * `process.on("SIGIO")` works, and a listener does not hold its loop open).
 * `BSDSOCK_READINESS=sigio` picks SIGIO on Node too, for comparison.
 *
 * @param fd The descriptor (the reactor's epoll instance).
 * @param listener Called on the event loop when `fd` is readable.
 * @returns Whether the loop watches `fd`.
 */
export function watchReadable(fd: number, listener: () => void): boolean {
  return ffiRuntime().watchReadable?.(fd, listener) ?? false;
}
