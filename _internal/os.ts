/**
 * The one probe of the running OS, for every module that lays out bytes or picks a table per OS.
 * It reads `Deno.build.os`, else Node's and Bun's `process.platform`: neither needs a permission.
 *
 * @module
 */

/** The operating systems with tables of their own; every other OS gets Linux's. */
export type Os = "linux" | "darwin";

/**
 * The OS whose numbers and layouts this process uses: `Deno.build.os`, else `process.platform`
 * (read from `runtime`, the global object by default); `"darwin"` (macOS) there, `"linux"` for
 * everything else (Linux, Android and unknown hosts).
 */
export function detectOs(runtime: unknown = globalThis): Os {
  const g = runtime as {
    Deno?: { build?: { os?: unknown } };
    process?: { platform?: unknown };
  } | undefined;
  const os = g?.Deno?.build?.os ?? g?.process?.platform;
  return os === "darwin" ? "darwin" : "linux";
}

/** The running OS, decided once at import (see {@linkcode detectOs}). */
export const hostOs: Os = detectOs();

/**
 * Node's and Bun's `process.platform` as `Deno.build.os` names the same OS
 * (`"win32"` is `"windows"`, `"sunos"` is `"solaris"`; the rest agree).
 */
export function platformName(platform: string): string {
  return platform === "win32" ? "windows" : platform === "sunos" ? "solaris" : platform;
}
