/**
 * `NativeSocket`: the native backend's `SocketImpl`, on the runtime's own
 * socket APIs (`Deno.connect`, `Deno.listen`, `node:dgram`) — no FFI, no
 * `--allow-ffi`, no unstable flag.
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import { EBADF, EOPNOTSUPP } from "../../errno/names.ts";
import type { SockAddr } from "../../address/types.ts";
import {
  type Ancillary,
  type Op,
  type RecvMsgResult,
  sendEvery,
  type SocketImpl,
} from "../_backend.ts";
import type { MmsgOut, RecvMmsgResult } from "../_backend.ts";
import { recvEach, sendEach } from "./_mmsg.ts";
import { unspecified } from "./_addr.ts";
import { gather, type NativeCore } from "./_core.ts";
import { NativeDatagram } from "./_datagram.ts";
import { fail, nativeLimit } from "./_errors.ts";
import { NativeStream } from "./_stream.ts";
import { carries, classify } from "./_triple.ts";

/**
 * A socket on the native backend: TCP and UDP over IPv4 and IPv6, and unix
 * stream sockets, with BSD semantics and Linux's errno. Create it with
 * {@linkcode NativeSocket.create}; the public `Socket` wraps it.
 *
 * It has no descriptor (`fd` is `-1`). What it cannot express (see the
 * module documentation of `socket/native/mod.ts`) fails with a `SocketError`
 * whose message says so and which `isNativeLimit` recognises.
 *
 * @example A TCP echo over loopback
 * ```ts ignore
 * import { NativeSocket } from "./mod.ts";
 *
 * const op = { deadline: null, nonblocking: false, signal: undefined };
 * const server = NativeSocket.create(2, 1, 0); // AF_INET, SOCK_STREAM
 * server.bind({ family: "inet", hostname: "127.0.0.1", port: 0 });
 * server.listen(16);
 * const client = NativeSocket.create(2, 1, 0);
 * const accepted = server.accept(op);
 * await client.connect(server.getsockname(), op);
 * const [conn] = await accepted;
 * await client.send(new TextEncoder().encode("hi"), 0, op);
 * const buf = new Uint8Array(2);
 * await conn.recv(buf, 0x100, op); // MSG_WAITALL
 * for (const s of [client, conn, server]) s.close();
 * ```
 */
export class NativeSocket implements SocketImpl {
  /** Always `"native"`. */
  readonly backend = "native" as const;
  #core: NativeCore;
  #closed = false;

  private constructor(core: NativeCore) {
    this.#core = core;
  }

  /**
   * socket(2) on the native backend.
   *
   * @param domain `AF_INET`, `AF_INET6` or `AF_UNIX`.
   * @param type `SOCK_STREAM` or `SOCK_DGRAM` (`SOCK_NONBLOCK`/`SOCK_CLOEXEC` bits allowed).
   * @param protocol `0`, `IPPROTO_TCP` or `IPPROTO_UDP` (or `PF_UNIX` for a unix socket).
   * @returns The socket.
   * @throws {SocketError} With Linux's errno for a triple Linux refuses
   * (`EINVAL`, `EAFNOSUPPORT`, `EPROTONOSUPPORT`, `ESOCKTNOSUPPORT`), or a
   * native limit for one Linux accepts but native cannot carry (raw, packet,
   * unix datagram/seqpacket sockets, MPTCP, ping sockets, other families).
   */
  static create(domain: number, type: number, protocol: number): NativeSocket {
    const triple = classify(domain, type, protocol);
    return new NativeSocket(
      triple.kind === "udp" ? new NativeDatagram(triple) : new NativeStream(triple),
    );
  }

  /**
   * Whether the native backend carries socket(`domain`, `type`, `protocol`):
   * TCP and UDP over `AF_INET`/`AF_INET6`, and `AF_UNIX` `SOCK_STREAM`.
   *
   * @param domain `AF_*`.
   * @param type `SOCK_*`, possibly with `SOCK_NONBLOCK`/`SOCK_CLOEXEC`.
   * @param protocol `0` or an `IPPROTO_*` number.
   * @returns Whether {@linkcode NativeSocket.create} would succeed.
   */
  static canCarry(domain: number, type: number, protocol: number): boolean {
    return carries(domain, type, protocol);
  }

  /** Always `-1`: a native socket has no descriptor the program can use. */
  get fd(): number {
    return -1;
  }

  #live(syscall: string): NativeCore {
    if (this.#closed) throw fail(EBADF, syscall);
    return this.#core;
  }

  /** bind(2): checked and recorded; TCP and unix addresses take effect at listen(). */
  bind(addr: SockAddr): void {
    this.#live("bind").bind(addr);
  }

  /** listen(2): makes the runtime's listener. */
  listen(backlog: number): void {
    this.#live("listen").listen(backlog);
  }

  /** accept(2). */
  async accept(op: Op): Promise<[SocketImpl, SockAddr]> {
    const [core, peer] = await this.#live("accept").accept(op);
    return [new NativeSocket(core), peer];
  }

  /** connect(2). */
  connect(addr: SockAddr, op: Op): Promise<void> {
    return this.#run("connect", (c) => c.connect(addr, op));
  }

  /** send(2). */
  send(data: Uint8Array, flags: number, op: Op): Promise<number> {
    try {
      return this.#live("send").transmit(data, undefined, flags, op, "send");
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Every byte of `data`: one step on a connected stream, a loop of send(2) otherwise. */
  sendAll(data: Uint8Array, flags: number, op: Op): Promise<void> {
    try {
      const core = this.#live("send");
      return core.sendAll ? core.sendAll(data, flags, op) : sendEvery(this, data, flags, op);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** recv(2). */
  recv(buf: Uint8Array, flags: number, op: Op): Promise<number> {
    try {
      return this.#live("recv").recv(buf, flags, op, "recv");
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** sendto(2). */
  sendto(data: Uint8Array, addr: SockAddr, flags: number, op: Op): Promise<number> {
    return this.#run("sendto", (c) => c.transmit(data, addr, flags, op, "sendto"));
  }

  /** recvfrom(2): a stream socket answers with its peer's address, as the ffi backend does. */
  async recvfrom(buf: Uint8Array, flags: number, op: Op): Promise<[number, SockAddr]> {
    const core = this.#live("recvfrom");
    const r = await core.receive([buf], flags, op, "recvfrom");
    return [r.bytes, r.from ?? this.#peerOr(core)];
  }

  #peerOr(core: NativeCore): SockAddr {
    try {
      return core.getpeername();
    } catch {
      const local = core.getsockname();
      return unspecified(
        local.family === "inet" ? C.AF_INET : local.family === "inet6" ? C.AF_INET6 : C.AF_UNIX,
      );
    }
  }

  /** sendmsg(2): gather; ancillary data is a native limit. */
  sendmsg(
    buffers: Uint8Array[],
    ancillary: Ancillary[],
    flags: number,
    addr: SockAddr | undefined,
    op: Op,
  ): Promise<number> {
    if (ancillary.length > 0 && !this.#closed) {
      return Promise.reject(nativeLimit(EOPNOTSUPP, "sendmsg", "ancillary data"));
    }
    return this.#run("sendmsg", (c) => c.transmit(gather(buffers), addr, flags, op, "sendmsg"));
  }

  /** recvmsg(2): scatter; `MSG_TRUNC` in `flags` when a datagram did not fit; no ancillary data. */
  async recvmsg(
    buffers: Uint8Array[],
    _ancillarySize: number,
    flags: number,
    op: Op,
  ): Promise<RecvMsgResult> {
    const r = await this.#run("recvmsg", (c) => c.receive(buffers, flags, op, "recvmsg"));
    return { bytes: r.bytes, ancillary: [], flags: r.flags, addr: r.from };
  }

  /**
   * sendmmsg(2) as a loop of sendmsg (`_mmsg.ts`): the count sent, rejecting
   * only when the first message fails; errors name `sendmsg`.
   */
  sendmmsg(
    messages: readonly MmsgOut[],
    addrs: readonly (SockAddr | undefined)[],
    flags: number,
    op: Op,
  ): Promise<number> {
    return sendEach(this, messages, addrs, flags, op);
  }

  /**
   * recvmmsg(2) as a loop of recvmsg (`_mmsg.ts`): waits for the first
   * datagram, then takes the ones already queued; no ancillary data.
   */
  recvmmsg(
    buffers: readonly Uint8Array[],
    ancillarySize: number,
    flags: number,
    op: Op,
  ): Promise<RecvMmsgResult[]> {
    return recvEach(this, buffers, ancillarySize, flags, op);
  }

  /** shutdown(2). */
  shutdown(how: number): void {
    this.#live("shutdown").shutdown(how);
  }

  /** close(2); idempotent. Pending calls fail with `EBADF`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#core.close();
  }

  /** setsockopt(2) with the option's bytes. */
  setsockopt(level: number, name: number, value: Uint8Array): void {
    this.#live("setsockopt").setsockopt(level, name, value);
  }

  /** getsockopt(2): at most `size` bytes. */
  getsockopt(level: number, name: number, size: number): Uint8Array {
    return this.#live("getsockopt").getsockopt(level, name, size);
  }

  /** getsockname(2). */
  getsockname(): SockAddr {
    return this.#live("getsockname").getsockname();
  }

  /** getpeername(2). */
  getpeername(): SockAddr {
    return this.#live("getpeername").getpeername();
  }

  #run<T>(syscall: string, fn: (core: NativeCore) => Promise<T>): Promise<T> {
    try {
      return fn(this.#live(syscall));
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
