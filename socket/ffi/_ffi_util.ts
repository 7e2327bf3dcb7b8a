/**
 * Small helpers of the ffi socket: errors from errno, the interest a recv flag
 * set waits on, checks that a waiting call's buffers are still attached, and
 * reading a sockaddr the kernel fills.
 *
 * @module
 */
import { isDetached } from "../../_internal/check.ts";
import { linux as C } from "../../constants/linux.ts";
import { SocketError } from "../../errno/socket_error.ts";
import { decodeSockAddr, SOCKADDR_STORAGE_SIZE } from "../../address/sockaddr.ts";
import type { SockAddr } from "../../address/types.ts";
import { errno } from "./_libc.ts";
import { Interest } from "./_reactor_types.ts";

/** A SocketError for `syscall` from `errno` (read now, on this thread) or the given code. */
export function fail(syscall: string, addr?: SockAddr, code = errno()): SocketError {
  return new SocketError(code, syscall, addr);
}

/** Whether `a` holds the same bytes as `b` (`false` for `null`). */
export function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  if (a === null || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < b.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What a recv with `flags` waits for. */
export function recvInterest(flags: number): Interest {
  if (flags & C.MSG_ERRQUEUE) return Interest.ErrorQueue;
  if (flags & C.MSG_OOB) return Interest.Priority;
  return Interest.Read;
}

/**
 * Throws `TypeError` when one of `buffers` was detached (its ArrayBuffer transferred)
 * while the call waited: the call must not go on with a stale pointer, which would
 * read or write memory that now belongs to another buffer, or pass NULL.
 */
export function attached(buffers: readonly Uint8Array[], syscall: string, what: string): void {
  for (let i = 0; i < buffers.length; i++) {
    if (buffers[i].byteLength === 0 && isDetached(buffers[i].buffer)) {
      const name = buffers.length > 1 ? `${what}[${i}]` : what;
      throw new TypeError(`${syscall}(): ${name} was detached while the call waited`);
    }
  }
}

/** Reads a sockaddr the kernel fills, through a getsockname-shaped call of `sys`. */
export function readName(
  call: (fd: number, sa: Uint8Array, len: Uint32Array) => number,
  fd: number,
  syscall: string,
): SockAddr {
  const sa = new Uint8Array(SOCKADDR_STORAGE_SIZE);
  const len = new Uint32Array([SOCKADDR_STORAGE_SIZE]);
  if (call(fd, sa, len) < 0) throw fail(syscall);
  return decodeSockAddr(sa, Math.min(len[0], SOCKADDR_STORAGE_SIZE));
}

/** {@linkcode attached} for one buffer, without an array on the hot path. */
export function attachedOne(buffer: Uint8Array, syscall: string, what: string): void {
  if (buffer.byteLength === 0 && isDetached(buffer.buffer)) {
    throw new TypeError(`${syscall}(): ${what} was detached while the call waited`);
  }
}
