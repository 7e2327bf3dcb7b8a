/**
 * The Socket class: one object per socket(2) descriptor, whichever backend
 * carries it. Arguments are checked here (TypeError/RangeError before any
 * system call); the backend does the rest.
 *
 * @module
 */
import { familyName, protocolName, typeName } from "../constants/lookup.ts";
import { linux as C } from "../constants/linux.ts";
import { SO_PROTOCOL } from "../constants/names.ts";
import { EBADF } from "../errno/names.ts";
import { SocketError } from "../errno/socket_error.ts";
import type { SockAddr, SockAddrInput } from "../address/types.ts";
import {
  type Ancillary,
  type RecvMmsgResult,
  type RecvMsgResult,
  sendEvery,
  type SocketImpl,
} from "./_backend.ts";
import { mmsgAncillaryArg, recvmmsgArgs, sendmmsgArgs } from "./_mmsg_args.ts";
import {
  ancillaryArg,
  bufferArg,
  bufferListArg,
  type CallOptions,
  fdArg,
  flagsArg,
  opOf,
  optionsArg,
  timeoutArg,
} from "./_args.ts";
import { literalAddr, resolveAddr } from "./_resolve.ts";
import { checkInt, cInt } from "../_internal/check.ts";
import { decodeOption, encodeOption, resolveOption } from "../options/registry.ts";
import { FfiSocket } from "./ffi/socket_ffi.ts";
import { readableOf, writableOf } from "./_web_streams.ts";

export type { CallOptions } from "./_args.ts";
export type { Ancillary, RecvMsgResult } from "./_backend.ts";
export type { RecvMmsgResult } from "./_backend.ts";

/** A value `setsockopt` takes: a number, a boolean, raw bytes, or the option codec's object. */
export type OptionValue = number | boolean | Uint8Array | Record<string, unknown>;

/** Options of {@linkcode Socket.sendmsg}. */
export interface SendMsgOptions extends CallOptions {
  /** Ancillary items to send (`SCM_RIGHTS`…). */
  ancillary?: Ancillary[];
  /** `MSG_*` flags. */
  flags?: number;
  /** The destination, for an unconnected datagram socket. */
  addr?: SockAddrInput;
}

/** Options of {@linkcode Socket.recvmsg}. */
export interface RecvMsgOptions extends CallOptions {
  /** Bytes of room for ancillary data (Python's `ancbufsize`). */
  ancillarySize?: number;
  /** `MSG_*` flags. */
  flags?: number;
}

/** One message of {@linkcode Socket.sendmmsg}: a datagram and where it goes. */
export interface MmsgMessage {
  /** The datagram's bytes: one buffer, or several gathered in order. */
  buffers: Uint8Array | readonly Uint8Array[];
  /** Its destination, for an unconnected socket. */
  addr?: SockAddrInput;
  /** Ancillary items for this message (`udpSegmentAncillary(…)` for UDP GSO…). */
  ancillary?: readonly Ancillary[];
}

/** Options of {@linkcode Socket.recvmmsg}. */
export interface RecvMmsgOptions extends CallOptions {
  /** Bytes of room for ancillary data per datagram (`UDP_GRO`…); 0 (the default) asks for none. */
  ancillarySize?: number;
}

const token = Symbol("Socket");
const DATAGRAM_MAX = 65536;

/**
 * One socket. Create it with `socket()`, `socketpair()` or {@linkcode Socket.fromFd}.
 *
 * @example A datagram to oneself
 * ```ts
 * import { AF_INET, SOCK_DGRAM, socket } from "@bsdsock/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_DGRAM);
 * s.bind({ hostname: "127.0.0.1", port: 0 });
 * await s.sendto(new TextEncoder().encode("hi"), s.getsockname());
 * const buf = new Uint8Array(16);
 * const [n, from] = await s.recvfrom(buf);
 * assertEquals(new TextDecoder().decode(buf.subarray(0, n)), "hi");
 * assertEquals(from, s.getsockname());
 * ```
 */
export class Socket implements Disposable, AsyncIterable<unknown> {
  /** The domain (`AF_INET`…). */
  readonly family: number;
  /** The type without `SOCK_NONBLOCK`/`SOCK_CLOEXEC` (`SOCK_STREAM`…). */
  readonly type: number;
  #protocol: number;
  #impl: SocketImpl;
  #closed = false;
  #timeout: number | null;

  /**
   * Not for direct use: see `socket()`.
   *
   * @ignore
   */
  constructor(
    key: typeof token,
    impl: SocketImpl,
    family: number,
    type: number,
    protocol: number,
    nonblocking: boolean,
  ) {
    if (key !== token) throw new TypeError("Use socket(), socketpair() or Socket.fromFd()");
    this.#impl = impl;
    this.family = family;
    this.type = type;
    this.#protocol = protocol;
    this.#timeout = nonblocking ? 0 : null;
  }

  /**
   * Wraps a backend socket (package-internal).
   *
   * @ignore
   */
  static _wrap(
    impl: SocketImpl,
    family: number,
    type: number,
    protocol: number,
    nonblocking: boolean,
  ): Socket {
    return new Socket(token, impl, family, type, protocol, nonblocking);
  }

  /**
   * Adopts an inherited descriptor (systemd socket activation, `SCM_RIGHTS`),
   * reading its family, type and protocol from the kernel. The descriptor is made
   * non-blocking and close-on-exec; the Socket owns it from then on.
   *
   * @param fd The descriptor.
   * @returns The Socket, on the ffi backend.
   */
  static fromFd(fd: number): Socket {
    const { impl, domain, type, protocol } = FfiSocket.adopt(fdArg(fd));
    return new Socket(token, impl, domain, type, protocol, false);
  }

  /**
   * The protocol number. Where socket() was given `0`, the kernel's choice
   * (`SO_PROTOCOL`: `IPPROTO_TCP` for an inet stream socket), read once.
   */
  get protocol(): number {
    if (this.#protocol === 0 && !this.#closed && SO_PROTOCOL !== undefined) {
      try {
        const bytes = this.#impl.getsockopt(C.SOL_SOCKET, SO_PROTOCOL, 4);
        if (bytes.byteLength === 4) {
          this.#protocol = new DataView(bytes.buffer, bytes.byteOffset).getInt32(0, true);
        }
      } catch {
        // The backend cannot say; 0 stands.
      }
    }
    return this.#protocol;
  }

  /** Which backend carries this socket. */
  get backend(): "native" | "ffi" {
    return this.#impl.backend;
  }

  /** The OS descriptor; `-1` once closed or where the backend has none. */
  get fd(): number {
    return this.#closed ? -1 : this.#impl.fd;
  }

  /** Whether {@linkcode Socket.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Milliseconds a blocking call may wait before failing with `ETIMEDOUT`;
   * `null` waits forever, `0` never waits (`EAGAIN`), like Python's `settimeout`.
   */
  get timeout(): number | null {
    return this.#timeout;
  }
  set timeout(value: number | null) {
    this.#timeout = timeoutArg(value);
  }

  /**
   * A readable byte stream of what a connected stream socket receives, as on
   * `Deno.Conn`: made on first use, the same stream after. Each pull is one
   * recv(2), so the peer feels backpressure; end of stream closes it,
   * cancelling it is shutdown(SHUT_RD), and close() errors a pending read.
   */
  get readable(): ReadableStream<Uint8Array> {
    return readableOf(this);
  }

  /**
   * A writable byte stream to the peer of a connected stream socket, as on
   * `Deno.Conn`: made on first use, the same stream after. Each chunk is sent
   * whole before the next is taken; closing it is shutdown(SHUT_WR); aborting
   * it closes the socket.
   */
  get writable(): WritableStream<Uint8Array> {
    return writableOf(this);
  }

  #live(syscall: string): SocketImpl {
    if (this.#closed) throw new SocketError(EBADF, syscall);
    return this.#impl;
  }

  #op(opts: CallOptions | undefined) {
    return opOf(opts, this.#timeout, false);
  }

  /** bind(2). A hostname must be literal (or `localhost`). */
  bind(addr: SockAddrInput): void {
    const impl = this.#live("bind");
    const sa = literalAddr(addr, this.family);
    impl.bind(sa);
  }

  /** listen(2). */
  listen(backlog = 128): void {
    this.#live("listen").listen(cInt(backlog, "backlog"));
  }

  /** accept(2): the new connection and its peer address. */
  async accept(opts?: CallOptions): Promise<[Socket, SockAddr]> {
    const op = this.#op(opts);
    op.signal?.throwIfAborted();
    const [impl, peer] = await this.#live("accept").accept(op);
    return [new Socket(token, impl, this.family, this.type, this.protocol, false), peer];
  }

  /** connect(2), completing a non-blocking connect through `SO_ERROR`. */
  async connect(addr: SockAddrInput, opts?: CallOptions): Promise<void> {
    const op = this.#op(opts);
    op.signal?.throwIfAborted();
    this.#live("connect");
    const sa = await resolveAddr(addr, this.family);
    await this.#live("connect").connect(sa, op);
  }

  /** send(2) with `MSG_NOSIGNAL`: a dead peer gives `EPIPE`, never SIGPIPE. */
  send(data: Uint8Array, flags = 0, opts?: CallOptions): Promise<number> {
    // Not `async` (a hot path): the checks are wrapped so that they reject, never throw.
    try {
      const buf = bufferArg(data, "data");
      const f = flagsArg(flags);
      const op = this.#op(opts);
      if (op.signal?.aborted) return Promise.reject(op.signal.reason);
      return this.#live("send").send(buf, f, op);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Sends every byte of `data`, looping over partial sends. */
  sendAll(data: Uint8Array, flags = 0, opts?: CallOptions): Promise<void> {
    try {
      const buf = bufferArg(data, "data");
      const f = flagsArg(flags);
      const op = this.#op(opts);
      if (op.signal?.aborted) return Promise.reject(op.signal.reason);
      const impl = this.#live("send");
      return impl.sendAll ? impl.sendAll(buf, f, op) : sendEvery(impl, buf, f, op);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * recv(2) into `buf`; `0` at orderly end of stream. `MSG_WAITALL` on a stream
   * waits for the whole buffer, or returns the bytes it already has when the
   * stream ends or a timeout, abort or close cuts it short. `MSG_OOB` on TCP waits
   * for urgent data while some may still come (`EINVAL` when none can, with
   * `SO_OOBINLINE`, or when the call may not wait).
   */
  recv(buf: Uint8Array, flags = 0, opts?: CallOptions): Promise<number> {
    try {
      const b = bufferArg(buf, "buf");
      const f = flagsArg(flags);
      const op = this.#op(opts);
      if (op.signal?.aborted) return Promise.reject(op.signal.reason);
      return this.#live("recv").recv(b, f, op);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** sendto(2). */
  async sendto(
    data: Uint8Array,
    addr: SockAddrInput,
    flags = 0,
    opts?: CallOptions,
  ): Promise<number> {
    const buf = bufferArg(data, "data");
    const f = flagsArg(flags);
    const op = this.#op(opts);
    op.signal?.throwIfAborted();
    this.#live("sendto");
    const sa = await resolveAddr(addr, this.family);
    return this.#live("sendto").sendto(buf, sa, f, op);
  }

  /** recvfrom(2): bytes read and the sender. */
  recvfrom(buf: Uint8Array, flags = 0, opts?: CallOptions): Promise<[number, SockAddr]> {
    try {
      const b = bufferArg(buf, "buf");
      const f = flagsArg(flags);
      const op = this.#op(opts);
      if (op.signal?.aborted) return Promise.reject(op.signal.reason);
      return this.#live("recvfrom").recvfrom(b, f, op);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** sendmsg(2): scatter/gather with ancillary data. */
  async sendmsg(buffers: Uint8Array | Uint8Array[], opts: SendMsgOptions = {}): Promise<number> {
    optionsArg(opts);
    const bufs = bufferListArg(buffers, "buffers");
    const flags = flagsArg(opts.flags);
    const ancillary = ancillaryArg(opts.ancillary);
    const op = this.#op(opts);
    op.signal?.throwIfAborted();
    this.#live("sendmsg");
    let sa: SockAddr | undefined;
    if (opts.addr !== undefined) {
      sa = await resolveAddr(opts.addr, this.family);
    }
    return this.#live("sendmsg").sendmsg(bufs, ancillary, flags, sa, op);
  }

  /** recvmsg(2): reports `MSG_TRUNC`/`MSG_CTRUNC` in `flags`. */
  recvmsg(buffers: Uint8Array | Uint8Array[], opts: RecvMsgOptions = {}): Promise<RecvMsgResult> {
    try {
      optionsArg(opts);
      const bufs = bufferListArg(buffers, "buffers");
      const flags = flagsArg(opts.flags);
      const size = opts.ancillarySize === undefined
        ? 0
        : checkInt(opts.ancillarySize, "ancillarySize", 0, 1 << 20);
      const op = this.#op(opts);
      if (op.signal?.aborted) return Promise.reject(op.signal.reason);
      return this.#live("recvmsg").recvmsg(bufs, size, flags, op);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * sendmmsg(2): several datagrams in one system call on the ffi backend (on
   * native, and on a backend without the call, one sendmsg after another with
   * the same result). Every message is checked before the first leaves: no
   * message, more than 1024 (`UIO_MAXIOV`), a message without buffers or with a
   * detached one reject with a `TypeError`/`RangeError`, and an address of a
   * family the socket refuses with the `SocketError` the kernel gives it. Waits
   * while the first message cannot go.
   *
   * @param messages Up to 1024 `{ buffers, addr?, ancillary? }`.
   * @param flags `MSG_*` for every message.
   * @param opts `signal`, `timeout`.
   * @returns How many messages were sent: all of them, or fewer when a later one
   *   met an error (the kernel reports it when that message is sent again).
   *
   * @example Three datagrams in one call
   * ```ts
   * import { AF_INET, SOCK_DGRAM, socket } from "@bsdsock/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket(AF_INET, SOCK_DGRAM, 0, { backend: "ffi" });
   * s.bind({ hostname: "127.0.0.1", port: 0 });
   * const addr = s.getsockname();
   * const sent = await s.sendmmsg([1, 2, 3].map((n) => ({ buffers: new Uint8Array([n]), addr })));
   * assertEquals(sent, 3);
   * const got = await s.recvmmsg([new Uint8Array(8), new Uint8Array(8), new Uint8Array(8)]);
   * assertEquals(got.map((r) => r.bytes), [1, 1, 1]);
   * ```
   */
  sendmmsg(messages: readonly MmsgMessage[], flags = 0, opts?: CallOptions): Promise<number> {
    try {
      const f = flagsArg(flags);
      const op = this.#op(opts);
      if (op.signal?.aborted) return Promise.reject(op.signal.reason);
      this.#live("sendmmsg");
      const addrs = sendmmsgArgs(messages, this.family, this.type, this.#protocol);
      if (addrs instanceof Promise) {
        return addrs.then((a) => this.#live("sendmmsg").sendmmsg(messages, a, f, op));
      }
      return this.#live("sendmmsg").sendmmsg(messages, addrs, f, op);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * recvmmsg(2): one datagram into each buffer, in one system call on the ffi
   * backend (on native, a loop of recvmsg with the same result): waits for the
   * first datagram, then takes every one already queued (`MSG_WAITFORONE`).
   * Each result's `flags` has `MSG_TRUNC` when its datagram did not fit.
   *
   * @param buffers One buffer per datagram, 1 to 1024.
   * @param flags `MSG_*` (`MSG_TRUNC` makes `bytes` the datagram's real length).
   * @param opts `ancillarySize` (room per datagram, as recvmsg's), `signal`, `timeout`.
   * @returns At least one `{ bytes, addr, flags, ancillary? }`, in arrival order;
   *   `ancillary` is there when `ancillarySize` is above 0.
   */
  recvmmsg(
    buffers: readonly Uint8Array[],
    flags = 0,
    opts?: RecvMmsgOptions,
  ): Promise<RecvMmsgResult[]> {
    try {
      const bufs = recvmmsgArgs(buffers);
      const f = flagsArg(flags);
      const size = mmsgAncillaryArg(optionsArg(opts)?.ancillarySize);
      const op = this.#op(opts);
      if (op.signal?.aborted) return Promise.reject(op.signal.reason);
      return this.#live("recvmmsg").recvmmsg(bufs, size, f, op);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** shutdown(2): `SHUT_RD`, `SHUT_WR` or `SHUT_RDWR`. */
  shutdown(how: number): void {
    this.#live("shutdown").shutdown(cInt(how, "how"));
  }

  /** close(2); idempotent. A closed Socket never touches its old descriptor number again. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#impl.close();
  }

  /** Same as {@linkcode Socket.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** setsockopt(2); `level`/`name` as numbers or C names ("SOL_SOCKET", "SO_KEEPALIVE"). */
  setsockopt(level: number | string, name: number | string, value: OptionValue): void {
    const spec = resolveOption(level, name);
    const bytes = encodeOption(spec, value);
    this.#live("setsockopt").setsockopt(spec.level, spec.name, bytes);
  }

  /** getsockopt(2): decoded by the option's codec, or raw bytes when `size` is given. */
  getsockopt(level: number | string, name: number | string, size?: number): unknown {
    const spec = resolveOption(level, name);
    if (size !== undefined) {
      const n = cInt(size, "size");
      if (n < 0 || n > 65536) throw new RangeError(`size must be from 0 to 65536, got ${n}`);
      return this.#live("getsockopt").getsockopt(spec.level, spec.name, n);
    }
    const bytes = this.#live("getsockopt").getsockopt(spec.level, spec.name, spec.codec.size);
    return decodeOption(spec, bytes);
  }

  /** getsockname(2). */
  getsockname(): SockAddr {
    return this.#live("getsockname").getsockname();
  }

  /** getpeername(2). */
  getpeername(): SockAddr {
    return this.#live("getpeername").getpeername();
  }

  /**
   * The connections a listening stream socket accepts, in order: `accept()` in a
   * loop. Ends when the socket is closed; any other failure (`EMFILE`…) ends it
   * with that error.
   *
   * @param opts `signal` and per-call options, as {@linkcode Socket.accept} takes them.
   * @returns An async iterator of the accepted Sockets.
   *
   * @example An accept loop
   * ```ts
   * import { AF_INET, SOCK_STREAM, socket } from "@bsdsock/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket(AF_INET, SOCK_STREAM);
   * server.bind({ hostname: "127.0.0.1", port: 0 });
   * server.listen();
   * using client = socket(AF_INET, SOCK_STREAM);
   * await client.connect(server.getsockname());
   * for await (const conn of server.accepted()) {
   *   assertEquals(conn.getpeername(), client.getsockname());
   *   conn.close();
   *   break;
   * }
   * ```
   */
  async *accepted(opts?: CallOptions): AsyncGenerator<Socket, void, undefined> {
    while (!this.#closed) {
      let conn: Socket;
      try {
        [conn] = await this.accept(opts);
      } catch (err) {
        if (this.#closed && err instanceof SocketError && err.errno === EBADF) return;
        throw err;
      }
      yield conn;
    }
  }

  /**
   * The datagrams a datagram (or raw) socket receives, each with its sender:
   * `recvfrom()` in a loop, each datagram copied out of one reused buffer. Ends
   * when the socket is closed.
   *
   * @param maxSize The largest datagram kept whole (a longer one is cut to it, as
   *   recvfrom(2) cuts it).
   * @returns An async iterator of `[bytes, sender]`.
   *
   * @example Receiving one's own datagram
   * ```ts
   * import { AF_INET, SOCK_DGRAM, socket } from "@bsdsock/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket(AF_INET, SOCK_DGRAM);
   * s.bind({ hostname: "127.0.0.1", port: 0 });
   * await s.sendto(new Uint8Array([7]), s.getsockname());
   * for await (const [data, from] of s.datagrams()) {
   *   assertEquals([data[0], from.family], [7, "inet"]);
   *   break;
   * }
   * ```
   */
  async *datagrams(
    maxSize: number = DATAGRAM_MAX,
  ): AsyncGenerator<[Uint8Array, SockAddr], void, undefined> {
    const size = cInt(maxSize, "maxSize");
    if (size < 1) throw new RangeError(`maxSize must be at least 1, got ${size}`);
    const buf = new Uint8Array(size);
    while (!this.#closed) {
      let got: [number, SockAddr];
      try {
        got = await this.recvfrom(buf);
      } catch (err) {
        if (this.#closed && err instanceof SocketError && err.errno === EBADF) return;
        throw err;
      }
      yield [buf.slice(0, got[0]), got[1]];
    }
  }

  /**
   * On a listening stream socket: the accepted Sockets ({@linkcode Socket.accepted});
   * on a datagram or raw socket: `[Uint8Array, SockAddr]` ({@linkcode Socket.datagrams}).
   * The two typed methods spare a cast.
   */
  [Symbol.asyncIterator](): AsyncGenerator<Socket | [Uint8Array, SockAddr], void, undefined> {
    const datagram = this.type === C.SOCK_DGRAM || this.type === C.SOCK_RAW;
    return datagram ? this.datagrams() : this.accepted();
  }

  /**
   * `Socket(fd=5, AF_INET6/SOCK_STREAM/IPPROTO_TCP, ffi)`; a native socket,
   * which has no descriptor of its own, leaves the fd out, and a closed one
   * says `closed` in its place.
   */
  toString(): string {
    const fd = this.fd;
    const state = this.#closed ? "closed, " : fd >= 0 ? `fd=${fd}, ` : "";
    const inet = this.family === C.AF_INET || this.family === C.AF_INET6;
    const proto = inet ? protocolName(this.protocol) : String(this.protocol);
    return `Socket(${state}${familyName(this.family)}/${
      typeName(this.type)
    }/${proto}, ${this.backend})`;
  }

  /** For `console.log` in Deno. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** For `console.log` in Node. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
