/**
 * sendmmsg(2) and recvmmsg(2) for the ffi socket: one system call per batch,
 * on an {@linkcode MMsgVec} the socket keeps and refills. A vector is made when
 * a call needs more room than the last one had (its shape grows), never per
 * call: a batch of the same shape as the one before costs no allocation to set
 * up, and on the receive side one result object (and its sender's address,
 * copied from the previous one when the sender is the same) per datagram.
 *
 * Concurrent calls on one socket share the vectors: each call fills them right
 * before its system call, in the same turn, and again after any wait.
 *
 * @module
 */
import { UIO_MAXIOV } from "../../_internal/check.ts";
import { linux as C } from "../../constants/linux.ts";
import { linux as E } from "../../errno/linux.ts";
import { SocketError } from "../../errno/socket_error.ts";
import { decodeSockAddr, encodeSockAddr, SOCKADDR_STORAGE_SIZE } from "../../address/sockaddr.ts";
import type { SockAddr } from "../../address/types.ts";
import type { MmsgOut, Op, RecvMmsgResult } from "../_backend.ts";
import { errno } from "./_libc.ts";
import { ancillarySpace, decodeAncillary, encodeAncillaryInto } from "./_msghdr.ts";
import type { Interest } from "./_reactor_types.ts";
import { fail, recvInterest, sameBytes } from "./_ffi_util.ts";
import * as sys from "./sys.ts";
import { MMsgVec } from "./sys.ts";

const EAGAIN = E.EAGAIN.errno;
const EBADF = E.EBADF.errno;
const EINTR = E.EINTR.errno;
const SEND_FLAGS = C.MSG_NOSIGNAL;

/** What the batch calls need of their socket. */
export interface MmsgHost {
  /** The descriptor, `-1` once closed. */
  fd(): number;
  /** Waits until a send may be tried again (`EAGAIN`). */
  parkSend(syscall: string, op: Op, addr: SockAddr | undefined): Promise<void>;
  /** Waits until a receive may be tried again (`EAGAIN`). */
  parkRecv(interest: Interest, syscall: string, op: Op): Promise<void>;
  /** A send went through (resets any send backoff). */
  sent(): void;
  /**
   * `MSG_CMSG_CLOEXEC` where descriptors can arrive (unix sockets), else 0:
   * packet sockets refuse the flag (EINVAL).
   */
  readonly cloexec: number;
}

/** The next power of two ≥ `n`, at most `max`. */
function grow(n: number, max: number): number {
  let c = 1;
  while (c < n) c *= 2;
  return Math.min(c, max);
}

/** The batch calls of one ffi socket, with the vectors they reuse. */
export class MmsgIo {
  readonly #host: MmsgHost;
  #send: MMsgVec | undefined;
  // The last destination encoded, for the messages after it that share it.
  #toAddr: SockAddr | undefined;
  #toName: Uint8Array | null = null;
  #control = new Uint8Array(0);
  #controlView = new DataView(this.#control.buffer);
  #recv: MMsgVec | undefined;
  #names: Uint8Array[] = [];
  #controls: (Uint8Array | null)[] = [];
  #controlSize = -1;
  // The last sender decoded: its sockaddr bytes and its SockAddr.
  readonly #fromName = new Uint8Array(SOCKADDR_STORAGE_SIZE);
  #fromLength = 0;
  #from: SockAddr | undefined;

  /** @param host The socket the calls are made on. */
  constructor(host: MmsgHost) {
    this.#host = host;
  }

  #fd(syscall: string): number {
    const fd = this.#host.fd();
    if (fd < 0) throw new SocketError(EBADF, syscall);
    return fd;
  }

  /**
   * sendmmsg(2) of every message, in one call; waits while the first cannot go
   * (`EAGAIN`). Resolves with the number the kernel took: fewer than given when a
   * later message met an error (the kernel reports it to the call that retries it).
   */
  async send(
    messages: readonly MmsgOut[],
    addrs: readonly (SockAddr | undefined)[],
    flags: number,
    op: Op,
  ): Promise<number> {
    const n = messages.length;
    for (;;) {
      const fd = this.#fd("sendmmsg");
      const vec = this.#fillSend(messages, addrs);
      const sent = sys.sendmmsg(fd, vec, n, flags | SEND_FLAGS);
      if (sent >= 0) {
        this.#host.sent();
        return sent;
      }
      const e = errno();
      if (e === EINTR) continue;
      if (e !== EAGAIN || (flags & C.MSG_DONTWAIT)) throw fail("sendmmsg", addrs[0], e);
      await this.#host.parkSend("sendmmsg", op, addrs[0]);
    }
  }

  #fillSend(messages: readonly MmsgOut[], addrs: readonly (SockAddr | undefined)[]): MMsgVec {
    const n = messages.length;
    let iovs = 0;
    let control = 0;
    for (let i = 0; i < n; i++) {
      const m = messages[i];
      const b = m.buffers;
      iovs += b instanceof Uint8Array ? 1 : b.length;
      const items = m.ancillary;
      if (items !== undefined && items.length > 0) control += ancillarySpace(items);
    }
    let vec = this.#send;
    if (vec === undefined || vec.capacity < n || vec.iovCapacity < iovs) {
      const cap = grow(n, UIO_MAXIOV);
      vec = this.#send = new MMsgVec(cap, Math.max(grow(iovs, UIO_MAXIOV * UIO_MAXIOV), cap));
    }
    if (this.#control.byteLength < control) {
      this.#control = new Uint8Array(grow(control, 1 << 30));
      this.#controlView = new DataView(this.#control.buffer);
    }
    vec.clear();
    let at = 0;
    for (let i = 0; i < n; i++) {
      const m = messages[i];
      const to = addrs[i];
      let name: Uint8Array | null = null;
      if (to !== undefined) {
        if (to !== this.#toAddr) {
          // The same destination as before keeps its bytes (and their known address).
          const bytes = encodeSockAddr(to);
          if (!sameBytes(this.#toName, bytes)) this.#toName = bytes;
          this.#toAddr = to;
        }
        name = this.#toName;
      }
      const items = m.ancillary;
      let cmsgs: Uint8Array | null = null;
      if (items !== undefined && items.length > 0) {
        const end = encodeAncillaryInto(this.#control, this.#controlView, at, items);
        cmsgs = this.#control.subarray(at, end);
        at = end;
      }
      vec.push(m.buffers, name, cmsgs);
    }
    return vec;
  }

  /**
   * recvmmsg(2) into `buffers`, one datagram each: waits for the first and takes
   * every one ready (`MSG_WAITFORONE`), in one call.
   */
  async recv(
    buffers: readonly Uint8Array[],
    ancillarySize: number,
    flags: number,
    op: Op,
  ): Promise<RecvMmsgResult[]> {
    const n = buffers.length;
    for (;;) {
      const fd = this.#fd("recvmmsg");
      const vec = this.#fillRecv(buffers, ancillarySize);
      const got = sys.recvmmsg(fd, vec, n, flags | C.MSG_WAITFORONE | this.#host.cloexec);
      if (got >= 0) {
        // The kernel echoes MSG_CMSG_CLOEXEC in msg_flags: only a caller who asked sees it.
        const keep = flags & C.MSG_CMSG_CLOEXEC ? -1 : ~C.MSG_CMSG_CLOEXEC;
        return this.#results(vec, got, ancillarySize, keep);
      }
      const e = errno();
      if (e === EINTR) continue;
      if (e !== EAGAIN || (flags & (C.MSG_DONTWAIT | C.MSG_ERRQUEUE))) {
        throw fail("recvmmsg", undefined, e);
      }
      await this.#host.parkRecv(recvInterest(flags), "recvmmsg", op);
    }
  }

  #fillRecv(buffers: readonly Uint8Array[], ancillarySize: number): MMsgVec {
    const n = buffers.length;
    let vec = this.#recv;
    if (vec === undefined || vec.capacity < n) {
      const cap = grow(n, UIO_MAXIOV);
      vec = this.#recv = new MMsgVec(cap);
      const names = new Uint8Array(cap * SOCKADDR_STORAGE_SIZE);
      this.#names = [];
      for (let i = 0; i < cap; i++) {
        this.#names.push(
          names.subarray(i * SOCKADDR_STORAGE_SIZE, (i + 1) * SOCKADDR_STORAGE_SIZE),
        );
      }
      this.#controlSize = -1;
    }
    if (this.#controlSize !== ancillarySize) {
      const cap = vec.capacity;
      const all = ancillarySize > 0 ? new Uint8Array(cap * ancillarySize) : null;
      this.#controls = [];
      for (let i = 0; i < cap; i++) {
        this.#controls.push(all && all.subarray(i * ancillarySize, (i + 1) * ancillarySize));
      }
      this.#controlSize = ancillarySize;
    }
    vec.clear();
    const names = this.#names;
    const controls = this.#controls;
    for (let i = 0; i < n; i++) vec.push(buffers[i], names[i], controls[i]);
    return vec;
  }

  #results(vec: MMsgVec, got: number, ancillarySize: number, keep: number): RecvMmsgResult[] {
    const out: RecvMmsgResult[] = new Array(got);
    for (let i = 0; i < got; i++) {
      const nameLength = vec.nameLength(i);
      const addr = nameLength > 0 ? this.#sender(i, nameLength) : undefined;
      if (ancillarySize > 0) {
        const control = this.#controls[i]!;
        out[i] = {
          bytes: vec.length(i),
          addr,
          flags: vec.flags(i) & keep,
          ancillary: decodeAncillary(control, Math.min(vec.controlLength(i), ancillarySize)),
        };
      } else {
        out[i] = { bytes: vec.length(i), addr, flags: vec.flags(i) & keep };
      }
    }
    return out;
  }

  /** The sender of message `i`: a copy of the last one decoded when its bytes are the same. */
  #sender(i: number, length: number): SockAddr {
    const len = Math.min(length, SOCKADDR_STORAGE_SIZE);
    const name = this.#names[i];
    const last = this.#fromName;
    let same = this.#from !== undefined && len === this.#fromLength;
    for (let k = 0; same && k < len; k++) same = name[k] === last[k];
    if (same) return { ...this.#from! };
    const addr = decodeSockAddr(name, len);
    last.set(name.subarray(0, len));
    this.#fromLength = len;
    this.#from = addr;
    return { ...addr };
  }
}
