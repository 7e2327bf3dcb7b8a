/**
 * Argument checks of `Socket.sendmmsg` and `Socket.recvmmsg`: every message
 * (and every buffer, ancillary item and address in it) is checked before the
 * first datagram leaves, so a bad one fails the whole batch with a `TypeError`,
 * a `RangeError`, or — for an address of another family than the socket's —
 * the `SocketError` the kernel gives that address, rather than after the
 * messages before it were sent. Nothing is copied: the backend reads the
 * caller's messages, and each address is normalised once per run of messages
 * that share it.
 *
 * @module
 */
import { encodeSockAddr } from "../address/sockaddr.ts";
import type { SockAddr } from "../address/types.ts";
import { linux as C } from "../constants/linux.ts";
import { EAFNOSUPPORT, EINVAL } from "../errno/names.ts";
import { SocketError } from "../errno/socket_error.ts";
import { checkInt, quote, UIO_MAXIOV } from "../_internal/check.ts";
import { bufferArg, bufferListArg, checkAncillary } from "./_args.ts";
import { isResolved, normalizeAddr, resolveAddr } from "./_resolve.ts";

/** The most bytes of ancillary room `recvmmsg` gives each datagram. */
export const MMSG_ANCILLARY_MAX = 65536;

/** What `sendmmsg` resolves its messages' addresses to: one per message. */
type MmsgAddrs = (SockAddr | undefined)[];

function countArg(value: unknown, what: string, call: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${what} must be an array, got ${quote(value)}`);
  if (value.length === 0) throw new RangeError(`${what} is empty: ${call} needs at least one`);
  if (value.length > UIO_MAXIOV) {
    throw new RangeError(
      `${what} holds ${value.length}; at most ${UIO_MAXIOV} (UIO_MAXIOV) fit one ${call}`,
    );
  }
  return value;
}

/**
 * Whether `value` is a Uint8Array that is surely live, asked without a name
 * string or the ArrayBuffer (a detached buffer reads as empty): the hot path.
 * Anything else goes through {@linkcode buffersArg}, which names the culprit.
 */
function plainlyLive(value: unknown): boolean {
  return value instanceof Uint8Array && value.byteLength > 0;
}

/** Whether `value` is a non-empty list of plainly live buffers, within `UIO_MAXIOV`. */
function plainlyLiveList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0 || value.length > UIO_MAXIOV) return false;
  for (let j = 0; j < value.length; j++) if (!plainlyLive(value[j])) return false;
  return true;
}

/** A message's buffers: one Uint8Array or a non-empty list of them (see `bufferListArg`). */
function buffersArg(value: unknown, what: string): void {
  if (value === undefined) throw new TypeError(`${what} is missing: a message needs its bytes`);
  if (Array.isArray(value) && value.length === 0) {
    throw new RangeError(`${what} is empty: a message needs at least one buffer`);
  }
  bufferListArg(value, what);
}

/** Rethrows a check's error with the message it is about in front. */
function about<T>(what: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof RangeError) throw new RangeError(`${what}: ${err.message}`, { cause: err });
    if (err instanceof TypeError) throw new TypeError(`${what}: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * The errno Linux's sendmsg gives a destination of another family than the
 * socket's (0 where it takes it): `udp_sendmsg`, `raw_sendmsg` and
 * `ping_v4_sendmsg` want a `sockaddr_in` (shorter: `EINVAL`, else
 * `EAFNOSUPPORT`); `udpv6_sendmsg` also takes a `sockaddr_in`, sent as IPv4,
 * and refuses any other family with `EINVAL`; `rawv6_sendmsg` and
 * `ping_v6_sendmsg` want a `sockaddr_in6` (shorter than theirs: `EINVAL`, else
 * `EAFNOSUPPORT`); `unix_dgram_sendmsg` refuses any other family with `EINVAL`.
 * Other sockets are left to the kernel.
 */
function wrongFamily(addr: SockAddr, domain: number, type: number, protocol: number): number {
  if (type !== C.SOCK_DGRAM && type !== C.SOCK_RAW) return 0;
  const length = () => encodeSockAddr(addr).byteLength;
  if (domain === C.AF_INET) {
    if (addr.family === "inet") return 0;
    return length() < 16 ? EINVAL : EAFNOSUPPORT;
  }
  if (domain === C.AF_INET6) {
    if (addr.family === "inet6") return 0;
    if (type === C.SOCK_RAW) return length() < 24 ? EINVAL : EAFNOSUPPORT;
    if (protocol === C.IPPROTO_ICMPV6) return length() < 28 ? EINVAL : EAFNOSUPPORT;
    return addr.family === "inet" ? 0 : EINVAL;
  }
  if (domain === C.AF_UNIX) return addr.family === "unix" ? 0 : EINVAL;
  return 0;
}

/**
 * Checks sendmmsg's `messages` and normalises their addresses for a socket of
 * `domain`/`type`/`protocol`.
 *
 * @returns One address per message; a promise of them when a hostname must be resolved.
 * @throws {TypeError} For a wrong type or a detached buffer.
 * @throws {RangeError} For no message, more than 1024, or a message without buffers.
 * @throws {SocketError} For an address of a family the socket refuses, with the kernel's errno.
 */
export function sendmmsgArgs(
  messages: unknown,
  domain: number,
  type: number,
  protocol: number,
): MmsgAddrs | Promise<MmsgAddrs> {
  const list = countArg(messages, "messages", "sendmmsg");
  const addrs: MmsgAddrs = new Array(list.length);
  let lastInput: unknown = undefined;
  let last: SockAddr | undefined;
  let unresolved: Set<SockAddr> | undefined;
  for (let i = 0; i < list.length; i++) {
    const m = list[i] as { buffers?: unknown; addr?: unknown; ancillary?: unknown } | null;
    if (m === null || typeof m !== "object" || Array.isArray(m) || m instanceof Uint8Array) {
      throw new TypeError(
        `messages[${i}] must be an object { buffers, addr?, ancillary? }, got ${quote(m)}`,
      );
    }
    const b = m.buffers;
    if (!plainlyLive(b) && !plainlyLiveList(b)) buffersArg(b, `messages[${i}].buffers`);
    if (m.ancillary !== undefined) checkAncillary(m.ancillary, `messages[${i}].ancillary`);
    const input = m.addr;
    if (input === undefined) continue;
    if (input !== lastInput) {
      last = about(`messages[${i}].addr`, () => normalizeAddr(input as SockAddr, domain));
      const errno = wrongFamily(last, domain, type, protocol);
      if (errno !== 0) throw new SocketError(errno, "sendmmsg", last);
      if (!isResolved(last)) (unresolved ??= new Set()).add(last);
      lastInput = input;
    }
    addrs[i] = last;
  }
  if (unresolved === undefined) return addrs;
  return resolveAll(addrs, unresolved, domain);
}

async function resolveAll(
  addrs: MmsgAddrs,
  unresolved: Set<SockAddr>,
  domain: number,
): Promise<MmsgAddrs> {
  const found = new Map<SockAddr, SockAddr>();
  for (const addr of unresolved) found.set(addr, await resolveAddr(addr, domain));
  return addrs.map((a) => (a === undefined ? a : found.get(a) ?? a));
}

/**
 * Checks recvmmsg's `buffers`: 1 to 1024 live Uint8Arrays, one per datagram.
 *
 * @returns The buffers.
 */
export function recvmmsgArgs(buffers: unknown): readonly Uint8Array[] {
  const list = countArg(buffers, "buffers", "recvmmsg");
  for (let i = 0; i < list.length; i++) {
    if (!plainlyLive(list[i])) bufferArg(list[i], `buffers[${i}]`);
  }
  return list as Uint8Array[];
}

/** recvmmsg's `ancillarySize`: 0 to {@linkcode MMSG_ANCILLARY_MAX} bytes per datagram. */
export function mmsgAncillaryArg(value: unknown): number {
  return value === undefined ? 0 : checkInt(value, "ancillarySize", 0, MMSG_ANCILLARY_MAX);
}
