/**
 * Picks the constants table of the running OS (`hostOs`, decided once without asking for any
 * permission) for the named constants.
 *
 * @module
 */
import { hostOs } from "../_internal/os.ts";
import { darwin } from "./darwin.ts";
import { linux } from "./linux.ts";
import type {
  CommonConstantName,
  DarwinOnlyConstantName,
  LinuxOnlyConstantName,
  SocketConstants,
} from "./types.ts";

/** The running OS's table. */
export const current: SocketConstants = hostOs === "darwin" ? darwin : linux;

/** The running OS's value of a name both OSes define. */
export function common(name: CommonConstantName): number {
  return current[name];
}

/** The running OS's value of a name only one OS defines; `undefined` on the other. */
export function only(name: LinuxOnlyConstantName | DarwinOnlyConstantName): number | undefined {
  return current[name];
}
