/**
 * The few address-family numbers the address module needs, per OS (the running OS itself comes
 * from `_internal/os.ts`).
 *
 * A private stand-in for `constants/` (which `address` may import but does not
 * need to): the Linux values are checked against `<sys/socket.h>` by a C program
 * in `tests/address_c_test.ts`; the macOS values come from the public
 * `<sys/socket.h>` of the macOS SDK and are not checked on this machine.
 *
 * @module
 */
import { hostOs, type Os } from "../_internal/os.ts";

/** Address-family numbers of one OS; `undefined` where the OS has no such family. */
export interface FamilyTable {
  /** `AF_UNIX` (`AF_LOCAL`). */
  readonly AF_UNIX: number;
  /** `AF_INET`. */
  readonly AF_INET: number;
  /** `AF_INET6`. */
  readonly AF_INET6: number;
  /** `AF_NETLINK` (Linux only). */
  readonly AF_NETLINK: number | undefined;
  /** `AF_PACKET` (Linux only). */
  readonly AF_PACKET: number | undefined;
}

/** Linux, from `<bits/socket.h>`; verified by `tests/address_c_test.ts`. */
export const linuxFamilies = {
  AF_UNIX: 1,
  AF_INET: 2,
  AF_INET6: 10,
  AF_NETLINK: 16,
  AF_PACKET: 17,
} as const satisfies FamilyTable;

/** macOS, from the public macOS SDK `<sys/socket.h>`; not verified here (no macOS machine). */
export const darwinFamilies = {
  AF_UNIX: 1,
  AF_INET: 2,
  AF_INET6: 30,
  AF_NETLINK: undefined,
  AF_PACKET: undefined,
} as const satisfies FamilyTable;

/** The table for `os`. */
export function familiesFor(os: Os): FamilyTable {
  return os === "darwin" ? darwinFamilies : linuxFamilies;
}

/** The address-family numbers of the running OS. */
export const hostFamilies: FamilyTable = familiesFor(hostOs);
