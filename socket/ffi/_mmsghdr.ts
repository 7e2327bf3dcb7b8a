/**
 * `MMsgVec`: an array of struct mmsghdr for sendmmsg(2) and recvmmsg(2), with
 * its iovec array, built once and refilled message by message for each call.
 * The layout is Linux x86-64's (LP64; sizes checked against the headers by
 * tests/ffi_layout_test.ts): struct msghdr (56 bytes) then `msg_len`.
 *
 * Refilling costs no allocation: an address is asked of the runtime once per
 * ArrayBuffer (the backing store of a buffer does not move while it lives), and
 * a slot that holds the same buffer as before keeps its pointer.
 *
 * @module
 */
import { addressOf, linuxSys as K, openLibc } from "./_libc.ts";

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

/** The most messages one sendmmsg/recvmmsg takes (`UIO_MAXIOV`); the kernel caps `vlen` there. */
export const UIO_MAXIOV = 1024;

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
export function pointerOf(buf: Uint8Array): number {
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
