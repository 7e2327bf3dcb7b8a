/**
 * What the native backend's stream and datagram options share: option values as bytes the way
 * Linux reads and writes them (an `int` setsockopt needs 4 bytes, `EINVAL` otherwise; IPPROTO_IP
 * also takes one byte; a getsockopt answers with as many bytes as asked for, up to 4), and the
 * refusals of read-only options and of options native cannot carry.
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import { EINVAL, ENOPROTOOPT } from "../../errno/names.ts";
import { errnoFromError } from "../../errno/deno_errors.ts";
import type { SocketError } from "../../errno/socket_error.ts";
import { optionName } from "../../options/registry.ts";
import { fail, nativeLimit } from "./_errors.ts";

/** The `int` value of a setsockopt, or `EINVAL` as Linux gives it for a short value. */
export function intValue(level: number, value: Uint8Array): number {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  if (value.byteLength >= 4) return view.getInt32(0, true);
  if (level === C.IPPROTO_IP) return value.byteLength >= 1 ? value[0] : 0;
  throw fail(EINVAL, "setsockopt");
}

/** The bytes getsockopt gives for an `int` option asked with `size` bytes of room. */
export function intBytes(level: number, value: number, size: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value, true);
  if (level === C.IPPROTO_IP && size > 0 && size < 4 && value >= 0 && value <= 255) {
    return out.subarray(0, 1);
  }
  return out.subarray(0, Math.max(0, Math.min(size, 4)));
}

/** The 4 bytes of an IPv4 address in `value` at `offset`, as text. */
export function ipv4At(value: Uint8Array, offset: number): string {
  return Array.from(value.subarray(offset, offset + 4)).join(".");
}

/** An IPv4 address as the 4 bytes of an `in_addr`, cut to `size` bytes of room. */
export function inAddrBytes(address: string, size: number): Uint8Array {
  const out = new Uint8Array(address.split(".").map(Number));
  return out.subarray(0, Math.max(0, Math.min(size, 4)));
}

/** Whether an IPv4 address (text) is multicast, 224.0.0.0/4. */
export function isMulticast4(address: string): boolean {
  const first = Number(address.split(".")[0]);
  return first >= 224 && first <= 239;
}

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

const READ_ONLY = new Set<number>(
  [
    C.SO_TYPE,
    C.SO_DOMAIN,
    C.SO_PROTOCOL,
    C.SO_ERROR,
    C.SO_ACCEPTCONN,
  ].filter((n): n is number => n !== undefined),
);

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
