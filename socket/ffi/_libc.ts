/**
 * The libc symbol table, opened lazily on first use, the Linux numbers the ffi
 * backend passes to it ({@linkcode linuxSys}), and the runtime that binds it. One
 * table, three loaders: the runtime's own (`Deno.dlopen`, `bun:ffi`, koffi on
 * Node), each in its `_load_*.ts`, picked here once on first use
 * ({@linkcode ffiRuntime}); the same runtime gives the backend its SIGIO
 * listener, OS name and network permission. Each libc function is called
 * through its one wrapper in `sys.ts`. Nothing here opens a library at import.
 *
 * Return types: functions returning `ssize_t` are declared `i32`. Every length the
 * package passes is capped at {@linkcode MAX_IO} (below 2^31), so the result fits,
 * and `-1` reads back as `-1`; an `i32` result keeps the call on V8's fast path
 * where `isize` would allocate a BigInt.
 *
 * @module
 */
import type { SockAddr } from "../../address/types.ts";
import { denoRuntime } from "./_load_deno.ts";
import { bunRuntime } from "./_load_bun.ts";
import { koffiRuntime } from "./_load_koffi.ts";

/**
 * One symbol of `LIBC_SYMBOLS` (`_libc.ts`): its C signature in Deno's FFI type names.
 *
 * @internal
 */
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

/**
 * The table a loader binds: `LIBC_SYMBOLS`, adjusted for the OS.
 *
 * @internal
 */
export type SymbolTable = Readonly<Record<string, SymbolSpec>>;

/**
 * What the ffi backend needs from the runtime it runs on.
 *
 * @internal
 */
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

/**
 * The runtime this process runs on, picked once: Deno, else Bun, else Node (koffi).
 *
 * @internal
 */
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

/** The largest byte count one send/recv call is given (Linux's `MAX_RW_COUNT`). */
export const MAX_IO = 0x7ffff000;

/**
 * fcntl(2), epoll(7), ioctl(2) and struct-layout numbers for Linux x86-64, which
 * the ffi backend uses internally. tests/ffi_layout_test.ts compares each with the
 * system headers.
 */
export const linuxSys = {
  F_GETFL: 3,
  F_SETFL: 4,
  F_SETOWN: 8,
  F_GETFD: 1,
  F_SETFD: 2,
  FD_CLOEXEC: 1,
  O_ASYNC: 0x2000,
  O_NONBLOCK: 0x800,
  EPOLLIN: 0x1,
  EPOLLPRI: 0x2,
  EPOLLOUT: 0x4,
  EPOLLERR: 0x8,
  EPOLLHUP: 0x10,
  EPOLLRDHUP: 0x2000,
  EPOLLET: 0x80000000,
  EPOLL_CTL_ADD: 1,
  EPOLL_CTL_DEL: 2,
  EPOLL_CLOEXEC: 0x80000,
  FIONREAD: 0x541b,
  SIOCATMARK: 0x8905,
  SIGIO: 29,
  /** sizeof(struct epoll_event): packed on x86-64. */
  EPOLL_EVENT_SIZE: 12,
  /** sizeof(struct msghdr). */
  MSGHDR_SIZE: 56,
  /** sizeof(struct iovec). */
  IOVEC_SIZE: 16,
  /** sizeof(struct cmsghdr). */
  CMSGHDR_SIZE: 16,
  /** sizeof(struct mmsghdr). */
  MMSGHDR_SIZE: 64,
} as const;

/** Every libc function the ffi backend binds, with its C signature (Deno's FFI type names). */
export const LIBC_SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  socketpair: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  listen: { parameters: ["i32", "i32"], result: "i32" },
  accept4: { parameters: ["i32", "buffer", "buffer", "i32"], result: "i32" },
  connect: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "i32" },
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "i32" },
  sendto: { parameters: ["i32", "buffer", "usize", "i32", "buffer", "u32"], result: "i32" },
  recvfrom: {
    parameters: ["i32", "buffer", "usize", "i32", "buffer", "buffer"],
    result: "i32",
  },
  sendmsg: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  recvmsg: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  sendmmsg: { parameters: ["i32", "buffer", "u32", "i32"], result: "i32" },
  recvmmsg: { parameters: ["i32", "buffer", "u32", "i32", "buffer"], result: "i32" },
  shutdown: { parameters: ["i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  getpeername: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  // fcntl(2) and ioctl(2) are variadic; fcntl gets one int, ioctl one pointer.
  fcntl: { parameters: ["i32", "i32", "i32"], result: "i32" },
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  getpid: { parameters: [], result: "i32" },
  kill: { parameters: ["i32", "i32"], result: "i32" },
  sockatmark: { parameters: ["i32"], result: "i32" },
  if_nametoindex: { parameters: ["buffer"], result: "u32" },
  __errno_location: { parameters: [], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

const LINUX_ONLY = [
  "accept4",
  "sendmmsg",
  "recvmmsg",
  "epoll_create1",
  "epoll_ctl",
  "epoll_wait",
] as const;

/**
 * The bound functions, typed from {@linkcode LIBC_SYMBOLS}.
 *
 * @internal
 */
export type Libc = Deno.DynamicLibrary<typeof LIBC_SYMBOLS>["symbols"];

/** The environment variable that names another libc to open. */
export const LIBC_ENV = "BSDSOCK_LIBC";

let lib: Libc | undefined;

function libcPath(rt: FfiRuntime): string {
  const os = rt.os();
  const override = rt.env(LIBC_ENV) || undefined;
  if (override) return override;
  if (os === "linux") return "libc.so.6";
  if (os === "darwin") return "/usr/lib/libSystem.B.dylib";
  throw new Error(`The ffi backend does not support ${os}`);
}

/**
 * Opens libc on first call and returns its bound functions.
 *
 * @param syscall The call to name in the error when this runtime has no FFI.
 * @returns The symbol table.
 * @internal
 */
export function libc(syscall = "dlopen"): Libc {
  if (lib) return lib;
  const rt = ffiRuntime();
  const symbols: Record<string, SymbolSpec> = { ...LIBC_SYMBOLS };
  if (rt.os() === "darwin") {
    // macOS names the errno accessor __error and lacks the Linux-only calls.
    symbols.__errno_location = { ...LIBC_SYMBOLS.__errno_location, name: "__error" };
    for (const name of LINUX_ONLY) symbols[name] = { ...LIBC_SYMBOLS[name], optional: true };
  }
  lib = rt.open(libcPath(rt), symbols, syscall);
  readErrno = rt.errno;
  return lib;
}

/**
 * Opens libc now, for code about to make pointers: it then fails with the
 * backend's own error (no FFI in this runtime, no `--allow-ffi`, no koffi on
 * Node, an OS without support) rather than a TypeError from a pointer call.
 *
 * @param syscall The call to name in the error.
 */
export function openLibc(syscall?: string): void {
  libc(syscall);
}

/**
 * The calling thread's `errno`. Read it right after the failing call, on the same
 * thread: never after a `nonblocking: true` FFI call, which runs on another thread.
 *
 * @returns The current value of `errno`.
 */
export function errno(): number {
  return readErrno();
}

// The runtime's reader, taken when libc is opened (it needs the library's errno accessor).
let readErrno = (): number => {
  libc();
  return readErrno();
};

/**
 * The address of `buf`'s first byte, for a struct that points at it (a msghdr's
 * iovec); `0n` for `null` or an empty buffer. Keep `buf` referenced while the
 * address is in use.
 *
 * @param buf The buffer.
 * @returns The address.
 */
export function addressOf(buf: Uint8Array | null): bigint {
  return ffiRuntime().addressOf(buf);
}
