/**
 * `sys`: libc's socket calls with C semantics, one wrapper per call. The ffi
 * backend and its reactor call these too, never libc directly. Each returns what
 * the C function returns (`-1` on failure) and leaves the reason in `errno()`; a
 * kernel refusal never throws. What does throw, before the call, is a
 * JavaScript-level mistake that would otherwise reach the kernel as a wild
 * pointer or length: a length beyond a buffer's `byteLength`, a detached buffer, a
 * non-integer descriptor. The checks allocate nothing, so a call whose arguments
 * are right pays a few comparisons (and a `size_t` is made only when a length
 * differs from the previous call's).
 *
 * Sizes and addresses are the C structs as bytes: build them with
 * `encodeSockAddr` and read them with `decodeSockAddr` from
 * `@bsdsock/socket/address`.
 *
 * @example A socket refused by the kernel
 * ```ts
 * import { errno, sys } from "@bsdsock/socket/raw";
 * import { errnoName } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(sys.socket(9999, 1, 0), -1);
 * assertEquals(errnoName(errno()), "EAFNOSUPPORT");
 * ```
 *
 * @module
 */
import { isDetached, quote, UINT32_MAX, UIO_MAXIOV } from "../../_internal/check.ts";
import { addressOf, libc, linuxSys as K, MAX_IO, openLibc } from "./_libc.ts";

/** A C `int`; an unsigned 32-bit value passes as the `int` of the same bits. */
function int(value: number, what: string): number {
  if (typeof value === "number") {
    const i = value | 0;
    if (i === value) return i;
    if (Number.isInteger(value) && value > 0 && value <= UINT32_MAX) return i;
  }
  return notInt(value, what);
}

// The throws live apart from the checks, which stay small enough to inline.
function notInt(value: unknown, what: string): never {
  throw new TypeError(`${what} must be a 32-bit integer, got ${quote(value)}`);
}

function buf(value: Uint8Array | null, what: string): Uint8Array | null {
  if (value === null) return null;
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${what} must be a Uint8Array or null, got ${quote(value)}`);
  }
  // A detached buffer reads as empty: only then is its ArrayBuffer asked.
  if (value.byteLength === 0 && isDetached(value.buffer)) {
    throw new TypeError(`${what} is backed by a detached ArrayBuffer`);
  }
  return value;
}

function lengthError(room: number, n: number, what: string): never {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${quote(n)}`);
  }
  throw new RangeError(`${what} ${n} is beyond the buffer's ${room} bytes`);
}

/** A byte count within `b`, capped at {@linkcode MAX_IO}: a `socklen_t` or an `int`. */
function count(b: Uint8Array | null, n: number, what: string): number {
  const room = b === null ? 0 : b.byteLength;
  if (!Number.isInteger(n) || n < 0 || n > room) lengthError(room, n, what);
  return n > MAX_IO ? MAX_IO : n;
}

// A `size_t` goes to FFI as a BigInt (a number leaves V8's fast call), and
// BigInt(n) allocates; a loop of sends or receives passes the same length each
// time, so the last one made is kept.
let lastCount = 0;
let lastSize = 0n;

/** {@linkcode count} as a `size_t`. */
function size(b: Uint8Array | null, n: number, what: string): bigint {
  const c = count(b, n, what);
  if (c !== lastCount) {
    lastSize = BigInt(c);
    lastCount = c;
  }
  return lastSize;
}

/** A `socklen_t` in/out cell: its first value is the size of `room`, passed as is. */
function socklen(
  cell: Uint32Array | null,
  room: Uint8Array | null,
  what: string,
): Uint32Array | null {
  if (cell === null) return null;
  if (!(cell instanceof Uint32Array) || cell.length < 1) {
    throw new TypeError(`${what} must be a Uint32Array(1)`);
  }
  const bytes = room === null ? 0 : room.byteLength;
  if (cell[0] > bytes) {
    throw new RangeError(`${what} ${cell[0]} is beyond the buffer's ${bytes} bytes`);
  }
  return cell;
}

function msghdr(msg: MsgHdr): Uint8Array {
  if (!(msg instanceof MsgHdr)) throw new TypeError("msg must be a MsgHdr");
  msg.checkAttached();
  return msg.hdr;
}

/** socket(2). */
export function socket(domain: number, type: number, protocol: number): number {
  return libc().socket(int(domain, "domain"), int(type, "type"), int(protocol, "protocol"));
}
/** socketpair(2); `sv` receives the two descriptors. */
export function socketpair(domain: number, type: number, protocol: number, sv: Int32Array): number {
  if (!(sv instanceof Int32Array) || sv.length < 2) {
    throw new TypeError("sv must be an Int32Array(2)");
  }
  return libc().socketpair(
    int(domain, "domain"),
    int(type, "type"),
    int(protocol, "protocol"),
    sv,
  );
}
/** bind(2). */
export function bind(fd: number, addr: Uint8Array, addrlen: number): number {
  return libc().bind(int(fd, "fd"), buf(addr, "addr"), count(addr, addrlen, "addrlen"));
}
/** listen(2). */
export function listen(fd: number, backlog: number): number {
  return libc().listen(int(fd, "fd"), int(backlog, "backlog"));
}
/** accept4(2). */
export function accept4(
  fd: number,
  addr: Uint8Array | null,
  addrlen: Uint32Array | null,
  flags: number,
): number {
  return libc().accept4(
    int(fd, "fd"),
    buf(addr, "addr"),
    socklen(addrlen, addr, "addrlen"),
    int(flags, "flags"),
  );
}
/** connect(2). */
export function connect(fd: number, addr: Uint8Array, addrlen: number): number {
  return libc().connect(int(fd, "fd"), buf(addr, "addr"), count(addr, addrlen, "addrlen"));
}
/** send(2). */
export function send(fd: number, data: Uint8Array, n: number, flags: number): number {
  return libc().send(int(fd, "fd"), buf(data, "data"), size(data, n, "len"), int(flags, "flags"));
}
/** recv(2). */
export function recv(fd: number, data: Uint8Array, n: number, flags: number): number {
  return libc().recv(int(fd, "fd"), buf(data, "buf"), size(data, n, "len"), int(flags, "flags"));
}
/** sendto(2). */
export function sendto(
  fd: number,
  data: Uint8Array,
  n: number,
  flags: number,
  addr: Uint8Array | null,
  addrlen: number,
): number {
  return libc().sendto(
    int(fd, "fd"),
    buf(data, "data"),
    size(data, n, "len"),
    int(flags, "flags"),
    buf(addr, "addr"),
    count(addr, addrlen, "addrlen"),
  );
}
/** recvfrom(2). */
export function recvfrom(
  fd: number,
  data: Uint8Array,
  n: number,
  flags: number,
  addr: Uint8Array | null,
  addrlen: Uint32Array | null,
): number {
  return libc().recvfrom(
    int(fd, "fd"),
    buf(data, "buf"),
    size(data, n, "len"),
    int(flags, "flags"),
    buf(addr, "addr"),
    socklen(addrlen, addr, "addrlen"),
  );
}
/** sendmsg(2); build the header with {@linkcode MsgHdr}, which keeps its buffers alive. */
export function sendmsg(fd: number, msg: MsgHdr, flags: number): number {
  const hdr = msghdr(msg);
  return libc().sendmsg(int(fd, "fd"), hdr, int(flags, "flags"));
}
/** recvmsg(2); read `nameLength`, `controlLength` and `flags` from the MsgHdr afterwards. */
export function recvmsg(fd: number, msg: MsgHdr, flags: number): number {
  const hdr = msghdr(msg);
  return libc().recvmsg(int(fd, "fd"), hdr, int(flags, "flags"));
}

function mmsgvec(vec: MMsgVec, vlen: number): Uint8Array {
  if (!(vec instanceof MMsgVec)) throw new TypeError("vec must be an MMsgVec");
  if (!Number.isInteger(vlen) || vlen < 0 || vlen > vec.count) {
    throw new RangeError(`vlen must be an integer from 0 to the ${vec.count} messages set`);
  }
  vec.checkAttached(vlen);
  return vec.hdr;
}
/** sendmmsg(2): the first `vlen` messages of `vec`; read each one's `length(i)` afterwards. */
export function sendmmsg(fd: number, vec: MMsgVec, vlen: number, flags: number): number {
  const hdr = mmsgvec(vec, vlen);
  return libc().sendmmsg(int(fd, "fd"), hdr, vlen, int(flags, "flags"));
}
/**
 * recvmmsg(2) into the first `vlen` messages of `vec`, with no timeout (a wait
 * belongs to the reactor); read each one's `length(i)`, `nameLength(i)`,
 * `controlLength(i)` and `flags(i)` afterwards.
 */
export function recvmmsg(fd: number, vec: MMsgVec, vlen: number, flags: number): number {
  const hdr = mmsgvec(vec, vlen);
  return libc().recvmmsg(int(fd, "fd"), hdr, vlen, int(flags, "flags"), null);
}
/**
 * ioctl(2) with a pointer argument (`FIONREAD`, `SIOCATMARK`…). `arg` must hold
 * what the kernel writes: the size a request encodes (`_IOR`/`_IOW`), and at least
 * an `int` for the older requests that encode none.
 */
export function ioctl(fd: number, request: number, arg: Uint8Array): number {
  const req = int(request, "request") >>> 0;
  const room = buf(arg, "arg")?.byteLength ?? 0;
  const need = req >>> 30 ? (req >>> 16) & 0x3fff : 4;
  if (room < need) {
    throw new RangeError(
      `arg of ioctl request 0x${req.toString(16)} must hold ${need} bytes, got ${room}`,
    );
  }
  return libc().ioctl(int(fd, "fd"), BigInt(req), arg);
}
/** epoll_create1(2). */
export function epollCreate1(flags: number): number {
  return libc().epoll_create1(int(flags, "flags"));
}
/** epoll_ctl(2); `event` is a 12-byte struct epoll_event (packed on x86-64). */
export function epollCtl(epfd: number, op: number, fd: number, event: Uint8Array | null): number {
  if (event !== null && buf(event, "event")!.byteLength < 12) {
    throw new RangeError("event must hold 12 bytes");
  }
  return libc().epoll_ctl(int(epfd, "epfd"), int(op, "op"), int(fd, "fd"), event);
}
/** epoll_wait(2) with `events` room for `maxEvents` 12-byte entries; never call it with a long timeout from the main thread. */
export function epollWait(
  epfd: number,
  events: Uint8Array,
  maxEvents: number,
  timeout: number,
): number {
  if (int(maxEvents, "maxEvents") < 1 || maxEvents * 12 > buf(events, "events")!.byteLength) {
    throw new RangeError(
      `maxEvents ${maxEvents} does not fit events' ${events.byteLength} bytes`,
    );
  }
  return libc().epoll_wait(int(epfd, "epfd"), events, maxEvents, int(timeout, "timeout"));
}
/** shutdown(2). */
export function shutdown(fd: number, how: number): number {
  return libc().shutdown(int(fd, "fd"), int(how, "how"));
}
/** close(2). */
export function close(fd: number): number {
  return libc().close(int(fd, "fd"));
}
/** setsockopt(2). */
export function setsockopt(
  fd: number,
  level: number,
  name: number,
  value: Uint8Array | null,
  optlen: number,
): number {
  return libc().setsockopt(
    int(fd, "fd"),
    int(level, "level"),
    int(name, "name"),
    buf(value, "value"),
    count(value, optlen, "optlen"),
  );
}
/** getsockopt(2). */
export function getsockopt(
  fd: number,
  level: number,
  name: number,
  value: Uint8Array | null,
  optlen: Uint32Array,
): number {
  return libc().getsockopt(
    int(fd, "fd"),
    int(level, "level"),
    int(name, "name"),
    buf(value, "value"),
    socklen(optlen, value, "optlen"),
  );
}
/** getsockname(2). */
export function getsockname(fd: number, addr: Uint8Array, addrlen: Uint32Array): number {
  return libc().getsockname(int(fd, "fd"), buf(addr, "addr"), socklen(addrlen, addr, "addrlen"));
}
/** getpeername(2). */
export function getpeername(fd: number, addr: Uint8Array, addrlen: Uint32Array): number {
  return libc().getpeername(int(fd, "fd"), buf(addr, "addr"), socklen(addrlen, addr, "addrlen"));
}
/** fcntl(2) with an integer argument. */
export function fcntl(fd: number, cmd: number, arg = 0): number {
  return libc().fcntl(int(fd, "fd"), int(cmd, "cmd"), int(arg, "arg"));
}
/** sockatmark(3). */
export function sockatmark(fd: number): number {
  return libc().sockatmark(int(fd, "fd"));
}
/** if_nametoindex(3); `0` when there is no such interface. */
export function ifNameToIndex(name: string): number {
  if (typeof name !== "string" || name.includes("\0")) {
    throw new TypeError("name must be a string without NUL");
  }
  return libc().if_nametoindex(new TextEncoder().encode(name + "\0"));
}
/** getpid(2). */
export function getpid(): number {
  return libc().getpid();
}
/** kill(2): sends signal `sig` to process `pid`. */
export function kill(pid: number, sig: number): number {
  return libc().kill(int(pid, "pid"), int(sig, "sig"));
}

/** A msghdr with its iovec array, holding references to every buffer it points at. */
export class MsgHdr {
  /** The struct msghdr bytes, passed to sendmsg/recvmsg. */
  readonly hdr: Uint8Array;
  readonly #view: DataView;
  // Referenced so the buffers the pointers name stay alive for the call.
  readonly #keep: (Uint8Array | null)[];

  /**
   * Builds the header.
   *
   * @param name Room for (or the bytes of) the peer's sockaddr, or `null`.
   * @param buffers The iovec buffers.
   * @param control Room for (or the bytes of) ancillary data, or `null`.
   */
  constructor(
    name: Uint8Array | null,
    buffers: readonly Uint8Array[],
    control: Uint8Array | null,
  ) {
    openLibc(); // pointers need FFI: fail with its clear error first on a runtime without it
    const iov = new Uint8Array(Math.max(1, buffers.length) * K.IOVEC_SIZE);
    const iv = new DataView(iov.buffer);
    buffers.forEach((b, i) => {
      iv.setBigUint64(i * K.IOVEC_SIZE, addressOf(b), true);
      iv.setBigUint64(i * K.IOVEC_SIZE + 8, BigInt(b.byteLength), true);
    });
    this.hdr = new Uint8Array(K.MSGHDR_SIZE);
    const v = this.#view = new DataView(this.hdr.buffer);
    v.setBigUint64(0, addressOf(name), true);
    v.setUint32(8, name?.byteLength ?? 0, true);
    v.setBigUint64(16, addressOf(iov), true);
    v.setBigUint64(24, BigInt(buffers.length), true);
    v.setBigUint64(32, addressOf(control), true);
    v.setBigUint64(40, BigInt(control?.byteLength ?? 0), true);
    this.#keep = [name, iov, control, ...buffers];
  }

  /** `msg_namelen` after the call. */
  get nameLength(): number {
    return this.#view.getUint32(8, true);
  }

  /** `msg_controllen` after the call. */
  get controlLength(): number {
    return Number(this.#view.getBigUint64(40, true));
  }

  /** `msg_flags` after the call. */
  get flags(): number {
    return this.#view.getInt32(48, true);
  }

  /**
   * Throws a TypeError if a buffer the header points at was detached (transferred)
   * after the header was built: its pointer would now name memory the caller no
   * longer owns.
   */
  checkAttached(): void {
    for (const b of this.#keep) {
      if (b && b.byteLength === 0 && isDetached(b.buffer)) {
        throw new TypeError("A buffer of this MsgHdr was detached after the header was built");
      }
    }
  }

  /** Restores the in/out lengths before a retried call. */
  reset(nameSize: number, controlSize: number): void {
    this.#view.setUint32(8, nameSize, true);
    this.#view.setBigUint64(40, BigInt(controlSize), true);
    this.#view.setInt32(48, 0, true);
    void this.#keep;
  }
}

// ---- struct mmsghdr arrays --------------------------------------------------
// `MMsgVec`: an array of struct mmsghdr for sendmmsg(2) and recvmmsg(2), with
// its iovec array, built once and refilled message by message for each call.
// The layout is Linux x86-64's (LP64; sizes checked against the headers by
// tests/ffi_layout_test.ts): struct msghdr (56 bytes) then `msg_len`.
// Refilling costs no allocation: an address is asked of the runtime once per
// ArrayBuffer (the backing store of a buffer does not move while it lives), and
// a slot that holds the same buffer as before keeps its pointer.

/** 32-bit words in one struct mmsghdr. */
const W = K.MMSGHDR_SIZE / 4;
/** 32-bit words in one struct iovec. */
const IW = K.IOVEC_SIZE / 4;
// Word offsets in struct mmsghdr: msg_hdr's fields, then msg_len.
const NAME = 0; // void *msg_name
const NAMELEN = 2; // socklen_t msg_namelen
const IOV = 4; // struct iovec *msg_iov
const IOVLEN = 6; // size_t msg_iovlen
const CONTROL = 8; // void *msg_control
const CONTROLLEN = 10; // size_t msg_controllen
const FLAGS = 12; // int msg_flags
const LEN = 14; // unsigned int msg_len

const TWO_32 = 0x1_0000_0000;

/** Writes the 64-bit `value` (a pointer or a size) as two little-endian words. */
function put64(words: Uint32Array, at: number, value: number): void {
  words[at] = value >>> 0;
  words[at + 1] = (value / TWO_32) >>> 0;
}

const bases = new WeakMap<ArrayBufferLike, number>();

/**
 * The address of `buf[0]` as a number (0 for an empty buffer). The runtime is
 * asked once per ArrayBuffer; the buffer's `.buffer` is read first, which moves a
 * small array's bytes off the V8 heap for good, so the address stays valid while
 * the buffer lives (and is not detached).
 *
 * @param buf The buffer.
 * @returns The address of its first byte.
 */
function pointerOf(buf: Uint8Array): number {
  if (buf.byteLength === 0) return 0;
  const ab = buf.buffer;
  let base = bases.get(ab);
  if (base === undefined) {
    base = Number(addressOf(buf)) - buf.byteOffset;
    bases.set(ab, base);
  }
  return base + buf.byteOffset;
}

function room(value: number, what: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${what} must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

function stale(what: string): never {
  throw new TypeError(
    `A buffer of this MMsgVec (${what}) was detached or shrunk after its message was set`,
  );
}

/**
 * An array of struct mmsghdr for `sys.sendmmsg` and `sys.recvmmsg`, holding
 * references to every buffer it points at. Fill it with {@linkcode MMsgVec.clear}
 * then {@linkcode MMsgVec.push} per message; after a call, read each message's
 * {@linkcode MMsgVec.length}, {@linkcode MMsgVec.nameLength},
 * {@linkcode MMsgVec.controlLength} and {@linkcode MMsgVec.flags}.
 *
 * @example Two datagrams in one sendmmsg(2)
 * ```ts
 * import { errno, sys } from "@bsdsock/socket/raw";
 * import { encodeSockAddr } from "@bsdsock/socket/address";
 * import { assertEquals } from "@std/assert";
 *
 * const fd = sys.socket(2, 2 | 0x80000, 0); // AF_INET, SOCK_DGRAM | SOCK_CLOEXEC
 * try {
 *   const here = encodeSockAddr({ family: "inet", hostname: "127.0.0.1", port: 0 });
 *   assertEquals(sys.bind(fd, here, here.byteLength), 0);
 *   const name = new Uint8Array(128);
 *   const len = new Uint32Array([128]);
 *   sys.getsockname(fd, name, len);
 *   const vec = new sys.MMsgVec(2, 3); // two messages, three buffers in all
 *   vec.push(new Uint8Array([1]), name.subarray(0, len[0]));
 *   vec.push([new Uint8Array([2]), new Uint8Array([3])], name.subarray(0, len[0]));
 *   assertEquals(sys.sendmmsg(fd, vec, 2, 0), 2, `errno ${errno()}`);
 *   assertEquals([vec.length(0), vec.length(1)], [1, 2]);
 * } finally {
 *   sys.close(fd);
 * }
 * ```
 */
export class MMsgVec {
  /** The most messages it holds. */
  readonly capacity: number;
  /** The most iovecs its messages hold together. */
  readonly iovCapacity: number;
  /** The struct mmsghdr array, as passed to the calls. */
  readonly hdr: Uint8Array;
  readonly #words: Uint32Array;
  readonly #iov: Uint8Array;
  readonly #iovWords: Uint32Array;
  readonly #iovAt: number;
  /** The buffer whose address each iovec holds. */
  readonly #bufs: (Uint8Array | undefined)[];
  readonly #names: (Uint8Array | null)[];
  readonly #controls: (Uint8Array | null)[];
  #count = 0;
  #iovCount = 0;

  /**
   * Makes room for `capacity` messages with `iovCapacity` buffers among them.
   *
   * @param capacity Messages, 1 to {@linkcode UIO_MAXIOV}.
   * @param iovCapacity Buffers of all messages together (default: one each).
   * @throws {RangeError} If a count is out of range.
   */
  constructor(capacity: number, iovCapacity: number = capacity) {
    openLibc(); // pointers need FFI: fail with its clear error first on a runtime without it
    this.capacity = room(capacity, "capacity", UIO_MAXIOV);
    this.iovCapacity = room(iovCapacity, "iovCapacity", UIO_MAXIOV * UIO_MAXIOV);
    this.hdr = new Uint8Array(this.capacity * K.MMSGHDR_SIZE);
    this.#words = new Uint32Array(this.hdr.buffer);
    this.#iov = new Uint8Array(this.iovCapacity * K.IOVEC_SIZE);
    this.#iovWords = new Uint32Array(this.#iov.buffer);
    this.#iovAt = pointerOf(this.#iov);
    this.#bufs = new Array(this.iovCapacity).fill(undefined);
    this.#names = new Array(this.capacity).fill(null);
    this.#controls = new Array(this.capacity).fill(null);
  }

  /** Messages set since the last {@linkcode MMsgVec.clear}. */
  get count(): number {
    return this.#count;
  }

  /** Starts over at the first message (the pointers of the slots are kept for reuse). */
  clear(): void {
    this.#count = 0;
    this.#iovCount = 0;
  }

  /**
   * Sets the next message: its buffers, its name (a sockaddr to send to, or room
   * for the sender's) and its control data (ancillary items to send, or room for
   * them). `msg_namelen` and `msg_controllen` are the buffers' lengths; `msg_flags`
   * and `msg_len` start at 0.
   *
   * @param buffers The message's bytes, or room for them: one buffer or several.
   * @param name The sockaddr, or room for one, or `null`.
   * @param control The control bytes, or room for them, or `null`.
   * @returns The message's index.
   * @throws {RangeError} If the message or its buffers do not fit.
   * @throws {TypeError} If a buffer is not a Uint8Array or is detached.
   */
  push(
    buffers: Uint8Array | readonly Uint8Array[],
    name: Uint8Array | null = null,
    control: Uint8Array | null = null,
  ): number {
    const i = this.#count;
    if (i >= this.capacity) throw new RangeError(`This MMsgVec holds ${this.capacity} messages`);
    const first = this.#iovCount;
    let k = first;
    if (buffers instanceof Uint8Array) {
      this.#setIov(k++, buffers);
    } else {
      const n = buffers.length;
      if (first + n > this.iovCapacity) {
        throw new RangeError(`This MMsgVec holds ${this.iovCapacity} buffers in all`);
      }
      for (let j = 0; j < n; j++) this.#setIov(k++, buffers[j]);
    }
    const w = this.#words;
    const m = i * W;
    put64(w, m + IOV, first === k ? 0 : this.#iovAt + first * K.IOVEC_SIZE);
    put64(w, m + IOVLEN, k - first);
    this.#slot(this.#names, i, name, m + NAME, "name");
    w[m + NAMELEN] = name === null ? 0 : name.byteLength;
    this.#slot(this.#controls, i, control, m + CONTROL, "control");
    put64(w, m + CONTROLLEN, control === null ? 0 : control.byteLength);
    w[m + FLAGS] = 0;
    w[m + LEN] = 0;
    this.#iovCount = k;
    this.#count = i + 1;
    return i;
  }

  #setIov(k: number, buf: Uint8Array): void {
    if (k >= this.iovCapacity) {
      throw new RangeError(`This MMsgVec holds ${this.iovCapacity} buffers in all`);
    }
    if (!(buf instanceof Uint8Array)) throw new TypeError("A message buffer must be a Uint8Array");
    const n = buf.byteLength;
    if (n === 0 && (buf.buffer as ArrayBuffer & { detached?: boolean }).detached) stale("iovec");
    const q = k * IW;
    const w = this.#iovWords;
    if (this.#bufs[k] !== buf) {
      put64(w, q, pointerOf(buf));
      this.#bufs[k] = buf;
    }
    put64(w, q + 2, n);
  }

  #slot(
    keep: (Uint8Array | null)[],
    i: number,
    buf: Uint8Array | null,
    at: number,
    what: string,
  ): void {
    if (keep[i] === buf) return;
    if (buf !== null) {
      if (!(buf instanceof Uint8Array)) {
        throw new TypeError(`A message ${what} must be a Uint8Array`);
      }
      if (buf.byteLength === 0 && (buf.buffer as ArrayBuffer & { detached?: boolean }).detached) {
        stale(what);
      }
    }
    put64(this.#words, at, buf === null ? 0 : pointerOf(buf));
    keep[i] = buf;
  }

  /**
   * Throws a TypeError if a buffer one of the first `count` messages points at was
   * detached (or shrunk) after the message was set: its pointer would name memory
   * the caller no longer owns.
   *
   * @param count Messages to check.
   */
  checkAttached(count: number = this.#count): void {
    const w = this.#words;
    const iw = this.#iovWords;
    let iovs = 0;
    for (let i = 0; i < count; i++) {
      const m = i * W;
      const name = this.#names[i];
      if (name !== null && name.byteLength < w[m + NAMELEN]) stale("name");
      const control = this.#controls[i];
      if (control !== null && control.byteLength < w[m + CONTROLLEN]) stale("control");
      iovs += w[m + IOVLEN];
    }
    for (let k = 0; k < iovs; k++) {
      const buf = this.#bufs[k]!;
      if (buf.byteLength < iw[k * IW + 2]) stale("iovec");
    }
  }

  /** `msg_len` of message `i` after the call: the bytes sent or received. */
  length(i: number): number {
    return this.#words[i * W + LEN];
  }

  /** `msg_namelen` of message `i` after a receive: the sender's sockaddr length. */
  nameLength(i: number): number {
    return this.#words[i * W + NAMELEN];
  }

  /** `msg_controllen` of message `i` after a receive: the control bytes written. */
  controlLength(i: number): number {
    return this.#words[i * W + CONTROLLEN];
  }

  /** `msg_flags` of message `i` after a receive (`MSG_TRUNC`, `MSG_CTRUNC`…). */
  flags(i: number): number {
    return this.#words[i * W + FLAGS] | 0;
  }
}
