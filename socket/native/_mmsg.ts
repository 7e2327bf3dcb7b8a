/**
 * sendmmsg and recvmmsg where the backend has no batch call (the native
 * backend, and any socket whose backend lacks one): a loop of `sendmsg` /
 * `recvmsg` with the kernel's semantics and the same results as one
 * sendmmsg(2)/recvmmsg(2) call.
 *
 * - **Send**: message after message, each waiting as a send waits. An error of
 *   the first message rejects; an error of a later one ends the batch, which
 *   resolves with the count sent so far — as sendmmsg(2) does, the failing
 *   message is then the first of the caller's retry, which meets the error.
 * - **Receive**: waits for the first datagram, then takes every one already
 *   queued without waiting (`MSG_WAITFORONE`). A kernel error after the first
 *   (not `EAGAIN`, which only says nothing more is queued) is kept and given to
 *   the socket's next batch receive, as recvmmsg(2) keeps it in `sk_err`; an
 *   abort after the first ends the batch with what it has.
 *
 * @module
 */
import type { SockAddr } from "../../address/types.ts";
import { EAGAIN } from "../../errno/names.ts";
import { SocketError } from "../../errno/socket_error.ts";
import type { Ancillary, MmsgOut, Op, RecvMmsgResult, SocketImpl } from "../_backend.ts";

/** What the loops need of a socket: its sendmsg and recvmsg. */
export type MessageIo = Pick<SocketImpl, "sendmsg" | "recvmsg">;

/** An error a receive loop met after its first datagram, for the socket's next batch. */
const pending = new WeakMap<MessageIo, unknown>();

/** `op` without waiting: `EAGAIN` instead (the abort signal kept). */
function noWait(op: Op): Op {
  return { deadline: null, nonblocking: true, signal: op.signal };
}

/**
 * Sends `messages` one `sendmsg` at a time (`addrs[i]` is message `i`'s
 * destination): resolves with how many were sent, rejects only when the first fails.
 *
 * @param io The socket.
 * @param messages The checked messages.
 * @param addrs Their destinations.
 * @param flags `MSG_*` for each send.
 * @param op The call's deadline and signal.
 * @returns How many messages were sent.
 */
export async function sendEach(
  io: MessageIo,
  messages: readonly MmsgOut[],
  addrs: readonly (SockAddr | undefined)[],
  flags: number,
  op: Op,
): Promise<number> {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    // The backend only reads the lists: they are passed as they are.
    const buffers = m.buffers instanceof Uint8Array ? [m.buffers] : m.buffers as Uint8Array[];
    const ancillary = (m.ancillary ?? []) as Ancillary[];
    try {
      await io.sendmsg(buffers, ancillary, flags, addrs[i], op);
    } catch (err) {
      if (i === 0) throw err;
      return i;
    }
  }
  return messages.length;
}

/**
 * Receives into `buffers`, one datagram each, one `recvmsg` at a time: waits
 * for the first, then takes what is queued without waiting.
 *
 * @param io The socket.
 * @param buffers One buffer per datagram.
 * @param ancillarySize Room for ancillary data per datagram (0: none asked).
 * @param flags `MSG_*` for each receive.
 * @param op The call's deadline and signal (for the first datagram).
 * @returns One result per datagram received, at least one.
 */
export async function recvEach(
  io: MessageIo,
  buffers: readonly Uint8Array[],
  ancillarySize: number,
  flags: number,
  op: Op,
): Promise<RecvMmsgResult[]> {
  if (pending.has(io)) {
    const err = pending.get(io);
    pending.delete(io);
    throw err;
  }
  const out: RecvMmsgResult[] = [];
  for (let i = 0; i < buffers.length; i++) {
    let r;
    try {
      r = await io.recvmsg([buffers[i]], ancillarySize, flags, i === 0 ? op : noWait(op));
    } catch (err) {
      if (i === 0) throw err;
      if (err instanceof SocketError && err.errno !== EAGAIN) pending.set(io, err);
      break;
    }
    out.push(
      ancillarySize > 0
        ? { bytes: r.bytes, addr: r.addr, flags: r.flags, ancillary: r.ancillary }
        : { bytes: r.bytes, addr: r.addr, flags: r.flags },
    );
  }
  return out;
}
