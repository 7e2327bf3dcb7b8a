/**
 * Picks the constants table of the running OS, once, without asking for any permission.
 *
 * @module
 */
import { darwin } from "./darwin.ts";
import { linux } from "./linux.ts";
import type {
  CommonConstantName,
  DarwinOnlyConstantName,
  LinuxOnlyConstantName,
  SocketConstants,
} from "./_types.ts";

/** The operating systems with a constants table. */
export type ConstantsOs = "linux" | "darwin";

/**
 * The OS whose numbers this process uses: `Deno.build.os`, else Node's `process.platform` (read
 * from `runtime`, the global object by default); `"darwin"` (macOS) there, `"linux"` for
 * everything else (Linux, Android and unknown hosts).
 */
export function detectOs(runtime: unknown = globalThis): ConstantsOs {
  const g = runtime as {
    Deno?: { build?: { os?: unknown } };
    process?: { platform?: unknown };
  } | undefined;
  const os = g?.Deno?.build?.os ?? g?.process?.platform;
  return os === "darwin" ? "darwin" : "linux";
}

/** The running OS (see {@linkcode detectOs}). */
export const os: ConstantsOs = detectOs();

/** The running OS's table. */
export const current: SocketConstants = os === "darwin" ? darwin : linux;

/** The running OS's value of a name both OSes define. */
export function common(name: CommonConstantName): number {
  return current[name];
}

/** The running OS's value of a name only one OS defines; `undefined` on the other. */
export function only(name: LinuxOnlyConstantName | DarwinOnlyConstantName): number | undefined {
  return current[name];
}
