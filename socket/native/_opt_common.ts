/**
 * Options every native socket answers alike: the read-only `SOL_SOCKET` ones
 * the backend knows (`SO_TYPE`, `SO_DOMAIN`, `SO_PROTOCOL`, `SO_ERROR`,
 * `SO_ACCEPTCONN`), and the error for an option native cannot reach.
 *
 * @module
 */
import { linux as C } from "../../constants/mod.ts";
import { ENOPROTOOPT, errnoFromError, type SocketError } from "../../errno/mod.ts";
import { optionName } from "../options.ts";
import { fail, nativeLimit } from "./_errors.ts";
import { intBytes } from "./_optval.ts";

/** What a socket knows of itself, for the read-only options. */
export interface SocketFacts {
  /** `SOCK_STREAM` or `SOCK_DGRAM`. */
  type: number;
  /** `AF_INET`, `AF_INET6` or `AF_UNIX`. */
  domain: number;
  /** `IPPROTO_TCP`, `IPPROTO_UDP` or 0. */
  protocol: number;
  /** Whether it listens (`SO_ACCEPTCONN`). */
  listening: boolean;
  /** The pending error (`SO_ERROR`), cleared by reading it. */
  takeError(): Error | null;
}

const READ_ONLY = new Set<number>([
  C.SO_TYPE,
  C.SO_DOMAIN,
  C.SO_PROTOCOL,
  C.SO_ERROR,
  C.SO_ACCEPTCONN,
]);

/** Whether (`level`, `name`) is one of the read-only options above. */
export function isReadOnly(level: number, name: number): boolean {
  return level === C.SOL_SOCKET && READ_ONLY.has(name);
}

/**
 * getsockopt of a read-only option, or `undefined` when (`level`, `name`) is
 * not one. `SO_ERROR` takes the pending error.
 */
export function readOnlyOption(
  level: number,
  name: number,
  size: number,
  facts: SocketFacts,
): Uint8Array | undefined {
  if (!isReadOnly(level, name)) return undefined;
  let value: number;
  if (name === C.SO_TYPE) value = facts.type;
  else if (name === C.SO_DOMAIN) value = facts.domain;
  else if (name === C.SO_PROTOCOL) value = facts.protocol;
  else if (name === C.SO_ACCEPTCONN) value = facts.listening ? 1 : 0;
  else {
    const err = facts.takeError();
    value = err === null ? 0 : errnoFromError(err) ?? 0;
  }
  return intBytes(level, value, size);
}

/** setsockopt of a read-only option: `ENOPROTOOPT`, as Linux answers. */
export function readOnlyRefusal(): SocketError {
  return fail(ENOPROTOOPT, "setsockopt");
}

/** An option the native backend cannot set or read: `ENOPROTOOPT`, marked as a native limit. */
export function optionLimit(
  syscall: string,
  level: number,
  name: number,
  detail = "",
): SocketError {
  return nativeLimit(ENOPROTOOPT, syscall, `${optionName(level, name)}${detail}`);
}
