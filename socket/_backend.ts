/**
 * What a backend implements: the socket operations after the public Socket has
 * checked its arguments. Both backends (native, ffi) implement this interface;
 * everything above it is shared.
 *
 * @module
 */
import type { SockAddr } from "../address/types.ts";

/** One ancillary data item: Python's `(level, type, data)` triple. */
export interface Ancillary {
  /** The cmsg level (`SOL_SOCKET`, `IPPROTO_IP`…). */
  level: number;
  /** The cmsg type (`SCM_RIGHTS`, `IP_PKTINFO`…). */
  type: number;
  /** The payload. */
  data: Uint8Array;
}

/** What `recvmsg` returns. */
export interface RecvMsgResult {
  /** Bytes received (the datagram's real length when `MSG_TRUNC` was asked). */
  bytes: number;
  /** Ancillary items received. */
  ancillary: Ancillary[];
  /** `msg_flags`: `MSG_TRUNC`, `MSG_CTRUNC`, `MSG_EOR`, `MSG_OOB`, `MSG_ERRQUEUE`. */
  flags: number;
  /** The sender, where the socket reports one. */
  addr: SockAddr | undefined;
}

/** One message of `sendmmsg`, as the backend gets it: checked, its address resolved apart. */
export interface MmsgOut {
  /** The datagram's bytes: one buffer, or several gathered in order. */
  readonly buffers: Uint8Array | readonly Uint8Array[];
  /** Ancillary items for this message (`UDP_SEGMENT`…). */
  readonly ancillary?: readonly Ancillary[];
}

/** One datagram `recvmmsg` received. */
export interface RecvMmsgResult {
  /** Bytes received into its buffer (the datagram's real length when `MSG_TRUNC` was asked). */
  bytes: number;
  /** The sender, where the socket reports one. */
  addr: SockAddr | undefined;
  /** `msg_flags`: `MSG_TRUNC` when the datagram did not fit, `MSG_CTRUNC`… */
  flags: number;
  /** Ancillary items received, when room for them was asked (`ancillarySize`). */
  ancillary?: Ancillary[];
}

/** How a blocking call may end early. */
export interface Op {
  /** `performance.now()` by which the call must finish, `null` for none. */
  deadline: number | null;
  /** Fail with `EAGAIN` instead of waiting (a socket made with `SOCK_NONBLOCK`, or timeout 0). */
  nonblocking: boolean;
  /** Abort: reject with the signal's reason and leave the socket usable. */
  signal: AbortSignal | undefined;
}

/** The operations a backend provides; arguments are already checked. */
export interface SocketImpl {
  /** Which backend this is. */
  readonly backend: "native" | "ffi";
  /** The OS descriptor, or `-1`. */
  readonly fd: number;
  bind(addr: SockAddr): void;
  listen(backlog: number): void;
  accept(op: Op): Promise<[SocketImpl, SockAddr]>;
  connect(addr: SockAddr, op: Op): Promise<void>;
  send(data: Uint8Array, flags: number, op: Op): Promise<number>;
  /** Every byte of `data`, where the backend does it in fewer steps than {@linkcode sendEvery}. */
  sendAll?(data: Uint8Array, flags: number, op: Op): Promise<void>;
  recv(buf: Uint8Array, flags: number, op: Op): Promise<number>;
  sendto(data: Uint8Array, addr: SockAddr, flags: number, op: Op): Promise<number>;
  recvfrom(buf: Uint8Array, flags: number, op: Op): Promise<[number, SockAddr]>;
  sendmsg(
    buffers: Uint8Array[],
    ancillary: Ancillary[],
    flags: number,
    addr: SockAddr | undefined,
    op: Op,
  ): Promise<number>;
  recvmsg(
    buffers: Uint8Array[],
    ancillarySize: number,
    flags: number,
    op: Op,
  ): Promise<RecvMsgResult>;
  /**
   * sendmmsg(2): the messages in one call where the backend can, else one by
   * one (`addrs[i]` is message `i`'s destination).
   */
  sendmmsg(
    messages: readonly MmsgOut[],
    addrs: readonly (SockAddr | undefined)[],
    flags: number,
    op: Op,
  ): Promise<number>;
  /** recvmmsg(2): one datagram per buffer, waiting for the first (or a loop of recvmsg). */
  recvmmsg(
    buffers: readonly Uint8Array[],
    ancillarySize: number,
    flags: number,
    op: Op,
  ): Promise<RecvMmsgResult[]>;
  shutdown(how: number): void;
  close(): void;
  setsockopt(level: number, name: number, value: Uint8Array): void;
  getsockopt(level: number, name: number, size: number): Uint8Array;
  getsockname(): SockAddr;
  getpeername(): SockAddr;
}

/**
 * Sends every byte of `data` through `impl.send`, looping over partial sends
 * (and stopping at an abort between them).
 *
 * @param impl The backend socket.
 * @param data The bytes.
 * @param flags `MSG_*` for each send.
 * @param op The call's deadline and signal.
 */
export async function sendEvery(
  impl: SocketImpl,
  data: Uint8Array,
  flags: number,
  op: Op,
): Promise<void> {
  let off = 0;
  while (off < data.byteLength) {
    op.signal?.throwIfAborted();
    off += await impl.send(off ? data.subarray(off) : data, flags, op);
  }
}
