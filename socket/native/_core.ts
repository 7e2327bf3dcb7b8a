/**
 * What the two native socket kinds (stream, datagram) implement beneath the
 * `NativeSocket` facade, and the scatter/gather helpers they share.
 *
 * @module
 */
import type { SockAddr } from "../../address/types.ts";
import type { Op } from "../_backend.ts";

/** One received message (or stream read), before the facade shapes it per call. */
export interface Received {
  /** What recv(2) returns: bytes copied, or the datagram's length with `MSG_TRUNC`. */
  bytes: number;
  /** `msg_flags` (`MSG_TRUNC` when a datagram did not fit). */
  flags: number;
  /** The sender, where the socket reports one (datagram sockets). */
  from: SockAddr | undefined;
}

/** The operations of one native socket kind; arguments already checked by `Socket`. */
export interface NativeCore {
  bind(addr: SockAddr): void;
  listen(backlog: number): void;
  accept(op: Op): Promise<[NativeCore, SockAddr]>;
  connect(addr: SockAddr, op: Op): Promise<void>;
  /** send/sendto/sendmsg: `to` is the address given, if any. */
  transmit(
    data: Uint8Array,
    to: SockAddr | undefined,
    flags: number,
    op: Op,
    syscall: string,
  ): Promise<number>;
  /** Every byte of `data` (streams, which do it in one step). */
  sendAll?(data: Uint8Array, flags: number, op: Op): Promise<void>;
  /** recv/recvfrom/recvmsg into `buffers` (scattered in order). */
  receive(buffers: Uint8Array[], flags: number, op: Op, syscall: string): Promise<Received>;
  /** recv/recvfrom into one buffer: what recv(2) returns. */
  recv(buf: Uint8Array, flags: number, op: Op, syscall: string): Promise<number>;
  shutdown(how: number): void;
  close(): void;
  setsockopt(level: number, name: number, value: Uint8Array): void;
  getsockopt(level: number, name: number, size: number): Uint8Array;
  getsockname(): SockAddr;
  getpeername(): SockAddr;
}

/** The buffers of a sendmsg as one (the same array when there is one). */
export function gather(buffers: Uint8Array[]): Uint8Array {
  if (buffers.length === 1) return buffers[0];
  let total = 0;
  for (const b of buffers) total += b.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of buffers) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

/** Copies `src` across `buffers` in order; returns how many bytes fit. */
export function scatter(src: Uint8Array, buffers: Uint8Array[]): number {
  let at = 0;
  for (const b of buffers) {
    if (at >= src.byteLength) break;
    const n = Math.min(b.byteLength, src.byteLength - at);
    b.set(src.subarray(at, at + n));
    at += n;
  }
  return at;
}

/** The room of `buffers` together. */
export function capacity(buffers: Uint8Array[]): number {
  let total = 0;
  for (const b of buffers) total += b.byteLength;
  return total;
}
