/**
 * Native stream sockets (TCP over IPv4/IPv6, unix stream) with BSD semantics
 * over a runtime that binds and listens in one call: `bind()` records the
 * address (checked as Linux checks it), `listen()` makes the runtime
 * listener, `connect()` makes the runtime connection.
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import {
  EAGAIN,
  EALREADY,
  EBADF,
  ECONNABORTED,
  EINPROGRESS,
  EINVAL,
  EISCONN,
  ENOTCONN,
  EOPNOTSUPP,
  EPIPE,
} from "../../errno/names.ts";
import { errnoFromError } from "../../errno/deno_errors.ts";
import { SocketError } from "../../errno/socket_error.ts";
import type { SockAddr } from "../../address/types.ts";
import type { Op } from "../_backend.ts";
import { AcceptQueue } from "./_accept.ts";
import { attempt, type Dial, probeUnixPath, tcpDial, unixDial } from "./_dial.ts";
import {
  fromRuntime as addrOf,
  ipAddrErrno,
  ipTarget,
  isV4Mapped,
  isWildcard,
  unixAddrErrno,
  unspecified,
} from "./_addr.ts";
import { capacity, type NativeCore, type Received, scatter } from "./_core.ts";
import { fail, fromRuntime, nativeLimit } from "./_errors.ts";
import * as rt from "./_runtime.ts";
import { StreamIo } from "./_stream_io.ts";
import { type StreamFacts, StreamOptions } from "./_stream_options.ts";
import type { Triple } from "./_triple.ts";
import { Waiters } from "./_wait.ts";

type State = "idle" | "bound" | "listening" | "connecting" | "connected";

/** A TCP or unix stream socket on the native backend. */
export class NativeStream implements NativeCore {
  readonly #triple: Triple;
  readonly #tcp: boolean;
  readonly #opts: StreamOptions;
  #state: State = "idle";
  #closed = false;
  /** What bind() recorded; the listener's address once listening. */
  #bound: SockAddr | undefined;
  #accepts: AcceptQueue | undefined;
  #io: StreamIo | undefined;
  #local: SockAddr | undefined;
  #peer: SockAddr | undefined;
  #attempt: AbortController | undefined;
  /** A non-blocking connect succeeded: the next connect() returns 0 once (Linux's SS_CONNECTING). */
  #unconfirmed = false;
  /** A non-blocking connect failed: the next connect() reports it (ECONNABORTED once SO_ERROR took it). */
  #failed: { error: Error | null } | undefined;
  readonly #connWait = new Waiters();

  /**
   * @param triple The socket's kind, domain and protocol.
   * @param opts Options to start with (an accepted connection inherits the listener's).
   */
  constructor(triple: Triple, opts?: StreamOptions) {
    this.#triple = triple;
    this.#tcp = triple.kind === "tcp";
    this.#opts = opts ?? new StreamOptions(this.#tcp, triple.domain);
  }

  #live(syscall: string, addr?: SockAddr): void {
    if (this.#closed) throw fail(EBADF, syscall, addr);
  }

  #connected(conn: rt.RuntimeConn): void {
    this.#io = new StreamIo(conn, this.#tcp);
    this.#local = addrOf(conn.localAddr, this.#triple.domain);
    this.#peer = addrOf(conn.remoteAddr, this.#triple.domain);
    this.#state = "connected";
  }

  bind(addr: SockAddr): void {
    this.#live("bind", addr);
    const domain = this.#triple.domain;
    if (this.#tcp) {
      const errno = ipAddrErrno("bind", "tcp", domain, addr, this.#opts.v6only);
      if (errno) throw fail(errno, "bind", addr);
      if (this.#state !== "idle") throw fail(EINVAL, "bind", addr);
      const at = ipTarget(addr, domain).addr;
      if (at.family === "inet6" && this.#opts.v6only && isV4Mapped(at.hostname)) {
        throw fail(EINVAL, "bind", addr);
      }
      this.#bound = at;
      this.#state = "bound";
      return;
    }
    const errno = unixAddrErrno("bind", addr);
    if (errno) throw fail(errno, "bind", addr);
    if (this.#bound !== undefined || this.#state === "listening") throw fail(EINVAL, "bind", addr);
    if (this.#state !== "idle") {
      throw nativeLimit(EOPNOTSUPP, "bind", "naming a connected unix socket", addr);
    }
    const path = (addr as { path: string }).path;
    if (path === "") throw nativeLimit(EOPNOTSUPP, "bind", "unix autobind (an empty path)", addr);
    if (!path.startsWith("\0")) probeUnixPath(path, addr);
    this.#bound = addr;
    this.#state = "bound";
  }

  listen(backlog: number): void {
    this.#live("listen");
    if (this.#state === "listening") return; // Linux adjusts the backlog; Deno cannot.
    if (this.#state !== "idle" && this.#state !== "bound") throw fail(EINVAL, "listen");
    const domain = this.#triple.domain;
    let listener: rt.RuntimeListener;
    if (this.#tcp) {
      const at = this.#bound ?? unspecified(domain);
      if (domain === C.AF_INET6 && this.#opts.v6only && isWildcard(at)) {
        const what = "IPV6_V6ONLY on [::] (Deno's listener is dual-stack)";
        throw nativeLimit(EOPNOTSUPP, "listen", what, at);
      }
      try {
        listener = rt.listenTcp(ipTarget(at, domain), backlog);
      } catch (err) {
        throw fromRuntime(err, "listen", at);
      }
    } else {
      if (this.#bound === undefined) throw fail(EINVAL, "listen");
      try {
        listener = rt.listenUnix((this.#bound as { path: string }).path);
      } catch (err) {
        throw fromRuntime(err, "listen", this.#bound);
      }
    }
    this.#accepts = new AcceptQueue(listener);
    if (this.#tcp) this.#bound = addrOf(listener.addr, domain);
    this.#state = "listening";
  }

  async accept(op: Op): Promise<[NativeCore, SockAddr]> {
    this.#live("accept");
    if (this.#state !== "listening" || this.#accepts === undefined) throw fail(EINVAL, "accept");
    const conn = await this.#accepts.accept(op);
    const child = new NativeStream(this.#triple, this.#opts.inherit());
    child.#connected(conn);
    try {
      child.#opts.apply(conn);
    } catch (err) {
      child.close();
      throw err;
    }
    return [child, child.#peer!];
  }

  async connect(addr: SockAddr, op: Op): Promise<void> {
    this.#live("connect", addr);
    if (this.#state === "connected") {
      if (this.#unconfirmed) {
        this.#unconfirmed = false;
        return;
      }
      throw fail(EISCONN, "connect", addr);
    }
    if (this.#state === "listening") throw fail(this.#tcp ? EISCONN : EINVAL, "connect", addr);
    if (this.#state === "connecting") {
      if (op.nonblocking) throw fail(EALREADY, "connect", addr);
      while (this.#state === "connecting") await this.#connWait.wait(op, "connect", addr);
      return this.connect(addr, op);
    }
    if (this.#failed !== undefined) {
      const error = this.#failed.error ?? fail(ECONNABORTED, "connect", addr);
      this.#failed = undefined;
      throw error;
    }
    const dial = this.#tcp
      ? tcpDial(addr, this.#triple.domain, this.#opts.v6only, this.#bound)
      : unixDial(addr, this.#bound);
    // Linux completes a unix connect at once (0, EAGAIN or an error), even non-blocking.
    const background = op.nonblocking && this.#tcp;
    const result = this.#begin(dial, addr, background ? null : op);
    if (background) {
      result.catch(() => {}); // settled through #failed / #unconfirmed instead
      throw fail(EINPROGRESS, "connect", addr);
    }
    const error = await result;
    if (error !== null) throw error;
  }

  /**
   * Starts a connection attempt. With `op` (a blocking connect) its deadline
   * and signal end the attempt; without (non-blocking) it runs on, and its
   * outcome waits for the next connect() or SO_ERROR, as in Linux.
   */
  #begin(dial: Dial, addr: SockAddr, op: Op | null): Promise<Error | null> {
    const before = this.#state;
    const { controller, done } = attempt(dial, addr, op, () => this.#closed);
    this.#attempt = controller;
    this.#state = "connecting";
    const settle = (error: Error | null): Error | null => {
      this.#attempt = undefined;
      if (error !== null) {
        this.#state = before;
        if (op === null && !this.#closed) this.#failed = { error };
      }
      this.#connWait.notify();
      return error;
    };
    return done.then((conn) => {
      if (this.#closed) {
        conn.close();
        return settle(fail(EBADF, "connect", addr));
      }
      this.#connected(conn);
      const mismatch = this.#boundMismatch();
      if (mismatch !== null) {
        this.#io!.close();
        this.#io = this.#local = this.#peer = undefined;
        return settle(mismatch);
      }
      try {
        this.#opts.apply(conn);
      } catch (err) {
        return settle(err as Error);
      }
      this.#unconfirmed = op === null;
      return settle(null);
    }, (err) => settle(err as Error));
  }

  /** A socket bound to an address with port 0 must connect from that address, as Linux would. */
  #boundMismatch(): Error | null {
    const bound = this.#bound;
    if (bound === undefined || isWildcard(bound) || !("hostname" in bound)) return null;
    const local = this.#local as { hostname?: string } | undefined;
    if (local?.hostname === bound.hostname) return null;
    return nativeLimit(EOPNOTSUPP, "connect", "connecting from a bound address", bound);
  }

  /**
   * The connected stream, waiting for a connection in progress; else the
   * errno Linux gives. After a non-blocking connect failed (and until
   * connect() reports it), the failure comes first, once; then a recv reads
   * end of stream (`null` here), as the reset socket does in Linux.
   */
  async #ready(
    op: Op,
    syscall: string,
    unconnected: number,
    reading = false,
  ): Promise<StreamIo | null> {
    for (;;) {
      this.#live(syscall);
      if (this.#state === "connected") return this.#io!;
      if (this.#state !== "connecting") break;
      if (op.nonblocking) throw fail(EAGAIN, syscall);
      await this.#connWait.wait(op, syscall);
    }
    if (this.#failed !== undefined) {
      const pending = this.#failed.error;
      if (pending !== null) {
        this.#failed.error = null;
        throw new SocketError(errnoFromError(pending) ?? ECONNABORTED, syscall);
      }
      if (reading) return null;
    }
    throw fail(unconnected, syscall);
  }

  /** send(2) family; throws (rather than rejects) what it can tell before waiting. */
  transmit(
    data: Uint8Array,
    to: SockAddr | undefined,
    flags: number,
    op: Op,
    syscall: string,
  ): Promise<number> {
    this.#sendable(to, flags, syscall);
    if (this.#state === "connected") return this.#io!.send(data, flags, op, syscall);
    return this.#ready(op, syscall, this.#tcp ? EPIPE : ENOTCONN)
      .then((io) => io!.send(data, flags, op, syscall));
  }

  /** Every byte of `data`, in one step of the stream's send side; throws what it can tell before waiting. */
  sendAll(data: Uint8Array, flags: number, op: Op): Promise<void> {
    this.#sendable(undefined, flags, "send");
    if (this.#state === "connected") return this.#io!.sendAll(data, flags, op, "send");
    return this.#ready(op, "send", this.#tcp ? EPIPE : ENOTCONN)
      .then((io) => io!.sendAll(data, flags, op, "send"));
  }

  /** The refusals of a send that come before the connection is looked at. */
  #sendable(to: SockAddr | undefined, flags: number, syscall: string): void {
    this.#live(syscall, to);
    if (flags & C.MSG_OOB) throw nativeLimit(EOPNOTSUPP, syscall, "MSG_OOB");
    if (to !== undefined && !this.#tcp) {
      // unix_stream_sendmsg refuses an address; TCP ignores it.
      throw fail(this.#state === "connected" ? EISCONN : EOPNOTSUPP, syscall, to);
    }
    if (flags & (C.MSG_DONTROUTE | (C.MSG_FASTOPEN ?? 0))) {
      throw nativeLimit(EOPNOTSUPP, syscall, "MSG_DONTROUTE and MSG_FASTOPEN");
    }
  }

  async receive(buffers: Uint8Array[], flags: number, op: Op, syscall: string): Promise<Received> {
    if (buffers.length === 1) {
      return { bytes: await this.recv(buffers[0], flags, op, syscall), flags: 0, from: undefined };
    }
    const all = new Uint8Array(capacity(buffers));
    const n = await this.recv(all, flags, op, syscall);
    if (!(this.#tcp && flags & C.MSG_TRUNC)) scatter(all.subarray(0, n), buffers);
    return { bytes: n, flags: 0, from: undefined };
  }

  /** recv(2) into one buffer; throws (rather than rejects) what it can tell before waiting. */
  recv(buf: Uint8Array, flags: number, op: Op, syscall: string): Promise<number> {
    this.#live(syscall);
    if (flags & (C.MSG_ERRQUEUE ?? 0)) throw fail(EAGAIN, syscall); // nothing native does queues errors
    if (flags & C.MSG_OOB) throw nativeLimit(EOPNOTSUPP, syscall, "MSG_OOB");
    if (this.#state === "connected") return this.#io!.recv(buf, flags, op, syscall);
    return this.#ready(op, syscall, this.#tcp ? ENOTCONN : EINVAL, true)
      .then((io) => io === null ? 0 : io.recv(buf, flags, op, syscall));
  }

  shutdown(how: number): void {
    this.#live("shutdown");
    if (how !== C.SHUT_RD && how !== C.SHUT_WR && how !== C.SHUT_RDWR) {
      throw fail(EINVAL, "shutdown");
    }
    if (this.#state === "connected") return this.#io!.shutdown(how);
    if (this.#state === "listening") {
      if (this.#tcp && how !== C.SHUT_WR) {
        // Linux stops listening (pending accepts fail with EINVAL) and keeps the port.
        this.#accepts!.close(fail(EINVAL, "accept"));
        this.#accepts = undefined;
        this.#state = "bound";
      }
      return;
    }
    if (this.#state === "connecting") {
      this.#attempt?.abort(fail(ECONNABORTED, "connect"));
      return;
    }
    if (this.#tcp) throw fail(ENOTCONN, "shutdown");
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#attempt?.abort(fail(EBADF, "connect"));
    this.#accepts?.close(fail(EBADF, "accept"));
    this.#io?.close();
    this.#connWait.fail(fail(EBADF, "connect"));
  }

  #facts(): StreamFacts {
    return {
      type: C.SOCK_STREAM,
      domain: this.#triple.domain,
      protocol: this.#triple.protocol,
      listening: this.#state === "listening",
      bound: this.#state !== "idle",
      conn: this.#io?.conn,
      takeError: () => {
        const failed = this.#failed?.error;
        if (failed) {
          this.#failed!.error = null;
          return failed;
        }
        return this.#io?.takeError() ?? null;
      },
    };
  }

  setsockopt(level: number, name: number, value: Uint8Array): void {
    this.#live("setsockopt");
    this.#opts.set(level, name, value, this.#facts());
  }

  getsockopt(level: number, name: number, size: number): Uint8Array {
    this.#live("getsockopt");
    return this.#opts.get(level, name, size, this.#facts());
  }

  getsockname(): SockAddr {
    this.#live("getsockname");
    if (this.#state === "connected") return this.#local!;
    return this.#bound ?? unspecified(this.#triple.domain);
  }

  getpeername(): SockAddr {
    this.#live("getpeername");
    if (this.#state === "connected") return this.#peer!;
    throw fail(ENOTCONN, "getpeername");
  }
}
