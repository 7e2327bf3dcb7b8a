/**
 * Descriptor passing over unix sockets (`SCM_RIGHTS`), shaped like Python's
 * `socket.send_fds` / `socket.recv_fds`.
 *
 * @module
 */
import { linux as C } from "../constants/linux.ts";
import type { SockAddr } from "../address/types.ts";
import { type CallOptions, fdArg, optionsArg } from "./_args.ts";
import { cInt, quote } from "../_internal/check.ts";
import type { Socket } from "./socket.ts";
import { linuxSys } from "./ffi/_libc.ts";
import { close } from "./ffi/sys.ts";

/**
 * `SCM_PIDFD` (Linux 6.5, `include/linux/socket.h`; the system headers here lack it):
 * a pidfd of the sender, attached to every message once `SO_PASSPIDFD` is on.
 */
const SCM_PIDFD = 0x04;
/**
 * Control-buffer room for what the kernel attaches besides `SCM_RIGHTS`: credentials
 * (`CMSG_SPACE(12)`), a pidfd (`CMSG_SPACE(4)`) and a security label.
 */
const OTHER_ANCILLARY = 256;

/** What {@linkcode recvFds} returns. */
export interface RecvFdsResult {
  /** Bytes received into the buffer. */
  bytes: number;
  /** The descriptors received, close-on-exec. The caller owns them. */
  fds: number[];
  /**
   * `msg_flags` (`MSG_CTRUNC` when more descriptors came than `maxFds`; those beyond
   * `maxFds` were closed).
   */
  flags: number;
  /** The sender's address, where there is one. */
  addr: SockAddr | undefined;
}

/**
 * Sends `data` with the descriptors `fds` attached as `SCM_RIGHTS`.
 *
 * @param sock A unix socket.
 * @param data At least one byte (the kernel needs data to carry the descriptors on a stream socket).
 * @param fds Descriptors to pass.
 * @param opts Abort signal and timeout.
 * @returns Bytes sent.
 *
 * @example Passing one end of a socketpair across another
 * ```ts
 * import { AF_UNIX, recvFds, SOCK_STREAM, Socket, sendFds, socketpair } from "@bsdsock/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
 * const [x, y] = socketpair(AF_UNIX, SOCK_STREAM);
 * await sendFds(a, new Uint8Array([1]), [x.fd]);
 * x.close();
 * const got = await recvFds(b, new Uint8Array(1), 4);
 * using passed = Socket.fromFd(got.fds[0]);
 * await passed.send(new Uint8Array([42]));
 * const buf = new Uint8Array(1);
 * await y.recv(buf);
 * assertEquals(buf[0], 42);
 * for (const s of [a, b, y]) s.close();
 * ```
 */
export function sendFds(
  sock: Socket,
  data: Uint8Array,
  fds: readonly number[],
  opts?: CallOptions,
): Promise<number> {
  try {
    optionsArg(opts);
    if (!Array.isArray(fds)) {
      throw new TypeError(`fds must be an array of descriptors, got ${quote(fds)}`);
    }
    const list = new Int32Array(fds.map((fd, i) => {
      if (fd === -1) {
        throw new RangeError(
          `fds[${i}] is -1, the fd of a closed socket or of a native one, which has no ` +
            `descriptor: create it with socket(…, { backend: "ffi" }) and run with --allow-ffi`,
        );
      }
      return fdArg(fd, `fds[${i}]`);
    }));
    return sock.sendmsg([data], {
      ...opts,
      ancillary: [{ level: C.SOL_SOCKET, type: C.SCM_RIGHTS, data: new Uint8Array(list.buffer) }],
    });
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Receives into `buf` and collects up to `maxFds` descriptors passed as `SCM_RIGHTS`.
 *
 * @param sock A unix socket.
 * @param buf Where the data goes.
 * @param maxFds Most descriptors to accept.
 * @param opts Abort signal and timeout.
 * @returns The byte count, descriptors, flags and sender.
 *
 * @example
 * ```ts
 * import { AF_UNIX, recvFds, SOCK_DGRAM, sendFds, socketpair } from "@bsdsock/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
 * await sendFds(a, new Uint8Array([7]), [a.fd]);
 * const { bytes, fds } = await recvFds(b, new Uint8Array(4), 1);
 * assertEquals([bytes, fds.length], [1, 1]);
 * // The received descriptor is ours to close.
 * const { sys } = await import("@bsdsock/socket/raw");
 * sys.close(fds[0]);
 * a.close();
 * b.close();
 * ```
 */
export async function recvFds(
  sock: Socket,
  buf: Uint8Array,
  maxFds: number,
  opts?: CallOptions,
): Promise<RecvFdsResult> {
  optionsArg(opts);
  const max = cInt(maxFds, "maxFds");
  if (max < 1 || max > 253) {
    throw new RangeError(`maxFds must be from 1 to 253 (SCM_MAX_FD), got ${max}`);
  }
  // Room for maxFds descriptors, and before them for what the kernel attaches on its own
  // (SO_PASSCRED, SO_PASSPIDFD, SO_PASSSEC): without it those would take the descriptors'
  // room, and the kernel would close descriptors the caller asked for.
  const ancillarySize = linuxSys.CMSGHDR_SIZE + max * 4 + OTHER_ANCILLARY;
  const r = await sock.recvmsg([buf], { ...opts, ancillarySize });
  const fds: number[] = [];
  const unwanted: number[] = [];
  for (const item of r.ancillary) {
    if (item.level !== C.SOL_SOCKET || (item.type !== C.SCM_RIGHTS && item.type !== SCM_PIDFD)) {
      continue;
    }
    const into = item.type === C.SCM_RIGHTS ? fds : unwanted;
    const view = new DataView(item.data.buffer, item.data.byteOffset, item.data.byteLength);
    for (let off = 0; off + 4 <= item.data.byteLength; off += 4) {
      into.push(view.getInt32(off, true));
    }
  }
  let flags = r.flags;
  if (fds.length > max) {
    // More came than were asked for: report them as the kernel reports those it had no room for.
    unwanted.push(...fds.splice(max));
    flags |= C.MSG_CTRUNC;
  }
  // Descriptors the caller did not ask for are ours to close, or they leak.
  if (unwanted.length > 0) {
    for (const fd of unwanted) close(fd);
  }
  return { bytes: r.bytes, fds, flags, addr: r.addr };
}
