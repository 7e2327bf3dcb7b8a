/**
 * Picks the errno table of the running OS (`hostOs`, decided once without asking for any
 * permission) and indexes it.
 *
 * @module
 */
import { hostOs } from "../_internal/os.ts";
import { darwin } from "./darwin.ts";
import { linux } from "./linux.ts";
import type { ErrnoInfo, ErrnoTable } from "./types.ts";

/** A name defined on both Linux and macOS. */
export type CommonName = keyof typeof linux & keyof typeof darwin;

/** A name defined on Linux, macOS or both. */
export type AnyName = keyof typeof linux | keyof typeof darwin;

/** The running OS's table. */
export const current: ErrnoTable = hostOs === "darwin" ? darwin : linux;

/** The running OS's canonical name of each number (aliases left out). */
const names: ReadonlyMap<number, string> = new Map(
  Object.entries(current)
    .filter(([, info]) => info.aliasOf === undefined)
    .map(([name, info]) => [info.errno, name]),
);

/** The entry for `name` on the running OS; `undefined` when it has none (never inherited keys). */
export function lookupName(name: string): ErrnoInfo | undefined {
  return Object.hasOwn(current, name) ? current[name] : undefined;
}

/** The running OS's canonical name for `errno`, or `undefined`. */
export function lookupNumber(errno: number): string | undefined {
  return names.get(errno);
}

/** The running OS's number for a name both OSes define. */
export function common(name: CommonName): number {
  return (current as Readonly<Record<CommonName, ErrnoInfo>>)[name].errno;
}

/** The running OS's number for a name only one OS defines; `undefined` on the other. */
export function only(name: AnyName): number | undefined {
  return lookupName(name)?.errno;
}
