/**
 * The ffi backend on Node: libc through koffi, an optional peer dependency the
 * user installs (`npm install koffi`); errno through `koffi.errno()`, addresses
 * through `koffi.address()`; the event loop watches the reactor's epoll
 * descriptor with uv_poll (`koffi.node.poll`), SIGIO where koffi is older. Node's
 * permission model is asked before an address is used, where it has a network
 * scope (`--allow-net`); under `--permission` without `--allow-addons` Node
 * refuses to load koffi, and the error says so.
 *
 * @module
 */
import { platformName } from "../../_internal/os.ts";
import { EOPNOTSUPP } from "../../errno/names.ts";
import { SocketError } from "../../errno/socket_error.ts";
import { requireModule } from "../../_internal/require.ts";
import { hostPort } from "../../_internal/deno_net.ts";
import type { FfiRuntime, Libc, SymbolTable } from "./_libc.ts";

/** The part of koffi used here. */
interface Koffi {
  load(path: string): {
    func(name: string, result: string, args: string[]): (...args: unknown[]) => unknown;
  };
  errno(): number;
  address(value: unknown): bigint;
  version: string;
  /** uv_poll (koffi 2.15 and later). */
  node?: {
    poll?(fd: number, opts: { readable: boolean }, cb: () => void): { unref(): void };
  };
}

/** Deno's FFI type names → koffi's. `buffer` is `void *`, which takes a TypedArray or `null`. */
const TYPES: Readonly<Record<string, string>> = {
  void: "void",
  bool: "bool",
  i8: "int8_t",
  u8: "uint8_t",
  i16: "int16_t",
  u16: "uint16_t",
  i32: "int32_t",
  u32: "uint32_t",
  i64: "int64_t",
  u64: "uint64_t",
  isize: "intptr_t",
  usize: "size_t",
  f32: "float",
  f64: "double",
  buffer: "void *",
  pointer: "void *",
};

function koffiType(t: string, symbol: string): string {
  const out = TYPES[t];
  if (out === undefined) throw new TypeError(`koffi has no type for "${t}" (${symbol})`);
  return out;
}

interface NodeProcess {
  platform: string;
  env: Record<string, string | undefined>;
  on(event: string, listener: () => void): void;
  permission?: { has(scope: string, reference?: string): boolean };
  allowedNodeEnvironmentFlags?: ReadonlySet<string>;
}
/** Set to `"sigio"` to have the reactor woken by SIGIO rather than uv_poll (for measurements). */
export const READINESS_ENV = "BSDSOCK_READINESS";

const proc = (): NodeProcess => (globalThis as unknown as { process: NodeProcess }).process;

let koffi: Koffi | undefined;
const watches: unknown[] = [];
let loadError: unknown;

/** koffi, loaded once; `undefined` when it cannot be (the reason kept in `loadError`). */
function tryKoffi(): Koffi | undefined {
  if (koffi || loadError !== undefined) return koffi;
  try {
    koffi = requireModule("koffi") as Koffi;
  } catch (err) {
    loadError = err ?? new Error("koffi failed to load");
  }
  return koffi;
}

/** Why the ffi backend is missing on Node, and what to do about it. */
function missing(syscall: string): SocketError {
  const code = (loadError as { code?: unknown })?.code;
  const err = new SocketError(EOPNOTSUPP, syscall, undefined, { cause: loadError });
  if (code === "ERR_DLOPEN_DISABLED") {
    err.message += " [the ffi backend loads koffi, a native addon, which Node's permission " +
      'model refuses: run with --allow-addons, or use { backend: "native" }]';
  } else if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") {
    err.message += " [the ffi backend needs koffi on Node: npm install koffi " +
      '(or use { backend: "native" } for TCP, UDP and unix stream sockets)]';
  } else {
    const why = loadError instanceof Error ? loadError.message : String(loadError);
    err.message += ` [the ffi backend needs koffi on Node, which failed to load (${why}): ` +
      "npm install koffi]";
  }
  return err;
}

/** Whether this Node's permission model has a network scope (`--allow-net`, Node 25+). */
function hasNetScope(): boolean {
  return proc().allowedNodeEnvironmentFlags?.has("--allow-net") ?? false;
}

/**
 * The Node side of the ffi backend.
 *
 * @internal
 */
export const koffiRuntime: FfiRuntime = {
  name: "node",
  loader: "koffi",
  os: () => platformName(proc().platform),
  env: (name) => proc().env[name],
  available: () => tryKoffi() !== undefined,
  open(path: string, symbols: SymbolTable, syscall: string): Libc {
    const k = tryKoffi();
    if (!k) throw missing(syscall);
    const lib = k.load(path);
    const bound: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(symbols)) {
      try {
        bound[key] = lib.func(
          spec.name ?? key,
          koffiType(spec.result, key),
          spec.parameters.map((t) => koffiType(t, key)),
        );
      } catch (err) {
        if (!spec.optional) throw err;
      }
    }
    return bound as unknown as Libc;
  },
  errno: () => koffi!.errno(),
  addressOf(buf: Uint8Array | null): bigint {
    if (buf === null || buf.byteLength === 0) return 0n;
    return koffi!.address(buf);
  },
  onSigio(listener: () => void): void {
    proc().on("SIGIO", listener);
  },
  watchReadable(fd: number, listener: () => void): boolean {
    const node = koffi?.node;
    if (typeof node?.poll !== "function" || proc().env[READINESS_ENV] === "sigio") return false;
    // Never closed: it watches the reactor's epoll descriptor, kept for the process's life.
    // Unref'd: the reactor's own timer holds the loop while a call waits.
    // Kept referenced: a collected handle stops watching.
    const handle = node.poll(fd, { readable: true }, listener);
    handle.unref();
    watches.push(handle);
    return true;
  },
  checkNet(addr): void {
    const permission = proc().permission;
    if (!permission || !hasNetScope() || permission.has("net")) return;
    const host = hostPort(addr.hostname.split("%")[0], addr.port);
    // What Node's own networking throws under --permission without --allow-net.
    throw Object.assign(
      new Error(
        `Access to this API has been restricted. Use --allow-net to manage permissions (${host}).`,
      ),
      { code: "ERR_ACCESS_DENIED", permission: "Net", resource: host },
    );
  },
};
