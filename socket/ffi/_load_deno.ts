/**
 * The ffi backend on Deno: libc through `Deno.dlopen`, errno through
 * `__errno_location()`, pointers through `Deno.UnsafePointer`, SIGIO through
 * `Deno.addSignalListener`, and `--allow-net` asked before an address is used.
 * The only file in the package that calls `Deno.dlopen`.
 *
 * @module
 */
import { EOPNOTSUPP } from "../../errno/names.ts";
import { SocketError } from "../../errno/socket_error.ts";
import { hostPort, requireNet } from "../../_internal/deno_net.ts";
import type { FfiRuntime, Libc, SymbolTable } from "./_libc.ts";

let errnoView: Deno.UnsafePointerView | undefined;
let errnoOf: (() => Deno.PointerValue) | undefined;
let allNet = false;

function hasDlopen(): boolean {
  return typeof Deno !== "undefined" && typeof Deno.dlopen === "function";
}

/**
 * The Deno side of the ffi backend.
 *
 * @internal
 */
export const denoRuntime: FfiRuntime = {
  name: "deno",
  loader: "Deno.dlopen",
  os: () => Deno.build.os,
  env(name: string): string | undefined {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
      return undefined;
    }
    return Deno.env.get(name);
  },
  available(): boolean {
    if (!hasDlopen()) return false;
    return Deno.permissions.querySync({ name: "ffi" }).state === "granted";
  },
  open(path: string, symbols: SymbolTable, syscall: string): Libc {
    if (!hasDlopen()) {
      const err = new SocketError(EOPNOTSUPP, syscall);
      err.message += " [the ffi backend needs Deno.dlopen, which this Deno does not offer; " +
        'use { backend: "native" }]';
      throw err;
    }
    const lib = Deno.dlopen(path, symbols as Deno.ForeignLibraryInterface);
    const bound = lib.symbols as unknown as Libc;
    errnoOf = bound.__errno_location;
    return bound;
  },
  errno(): number {
    if (!errnoView) {
      const p = errnoOf?.() ?? null;
      if (p === null) throw new Error("libc returned no errno location");
      errnoView = new Deno.UnsafePointerView(p);
    }
    return errnoView.getInt32(0);
  },
  addressOf(buf: Uint8Array | null): bigint {
    if (buf === null || buf.byteLength === 0) return 0n;
    return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buf as Uint8Array<ArrayBuffer>)));
  },
  onSigio(listener: () => void): void {
    Deno.addSignalListener("SIGIO", listener);
  },
  checkNet(addr): void {
    // Sandbox parity: --allow-ffi must not silently widen --allow-net. Deno's own
    // NotCapable error unless net access to the host and port is granted (prompting
    // only where Deno itself would prompt).
    if (allNet) return;
    allNet = requireNet(hostPort(addr.hostname.split("%")[0], addr.port));
  },
};
