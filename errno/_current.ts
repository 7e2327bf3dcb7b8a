/**
 * Picks the errno and getaddrinfo(3) error tables of the running OS (`hostOs`, decided once
 * without asking for any permission) and indexes them.
 *
 * @module
 */
import { hostOs } from "../_internal/os.ts";
import { darwin } from "./darwin.ts";
import { gaiDarwin } from "./gai_darwin.ts";
import { gaiLinux } from "./gai_linux.ts";
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

/** An `EAI_*` name defined on both Linux and macOS. */
export type CommonGaiName = keyof typeof gaiLinux & keyof typeof gaiDarwin;

/** An `EAI_*` name defined on Linux, macOS or both. */
export type AnyGaiName = keyof typeof gaiLinux | keyof typeof gaiDarwin;

/** The running OS's getaddrinfo(3) error table. */
export const currentGai: ErrnoTable = hostOs === "darwin" ? gaiDarwin : gaiLinux;

/** The running OS's canonical `EAI_*` name of each number (aliases left out). */
const gaiNames: ReadonlyMap<number, string> = new Map(
  Object.entries(currentGai)
    .filter(([, info]) => info.aliasOf === undefined)
    .map(([name, info]) => [info.errno, name]),
);

/** The running OS's `EAI_*` name for `n`, or `undefined`. */
export function lookupGaiNumber(n: number): string | undefined {
  return gaiNames.get(n);
}

/** The running OS's number for an `EAI_*` name both OSes define. */
export function gaiCommon(name: CommonGaiName): number {
  return (currentGai as Readonly<Record<CommonGaiName, ErrnoInfo>>)[name].errno;
}

/** The running OS's number for an `EAI_*` name only one OS defines; `undefined` on the other. */
export function gaiOnly(name: AnyGaiName): number | undefined {
  return Object.hasOwn(currentGai, name) ? currentGai[name].errno : undefined;
}
