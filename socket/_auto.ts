/**
 * The `"auto"` backend: a socket that starts on native and moves to ffi when
 * it must. Before the socket exists anywhere (no bind, listen, connect or
 * transfer yet), an option only ffi can set or read moves it to ffi — a new
 * libc socket of the same domain, type and protocol, with the options set so
 * far applied again — when FFI is permitted. Without FFI the call fails with
 * `SocketError` `ENOPROTOOPT`, saying how to get the option.
 *
 * @module
 */
import { ENOPROTOOPT } from "../errno/names.ts";
import { SocketError } from "../errno/socket_error.ts";
import type { SockAddr } from "../address/types.ts";
import {
  type Ancillary,
  type Op,
  type RecvMsgResult,
  sendEvery,
  type SocketImpl,
} from "./_backend.ts";
import { FfiSocket } from "./ffi/socket_ffi.ts";
import { isNativeLimit } from "./native/_errors.ts";
import { optionName } from "../options/registry.ts";

/** Whether this process may use FFI, asked without a prompt. */
export function ffiPermitted(): boolean {
  if (typeof Deno === "undefined" || typeof Deno.dlopen !== "function") return false;
  return Deno.permissions.querySync({ name: "ffi" }).state === "granted";
}

/** A native socket that may still move to ffi; see the module doc. */
export class AutoImpl implements SocketImpl {
  #impl: SocketImpl;
  #fresh = true;
  readonly #options: [number, number, Uint8Array][] = [];
  readonly #triple: [number, number, number];

  /**
   * Wraps `native`, made for socket(`domain`, `type`, `protocol`).
   *
   * @param native The native socket.
   * @param domain Its domain.
   * @param type Its type, with `SOCK_NONBLOCK` if it was asked for.
   * @param protocol Its protocol.
   */
  constructor(native: SocketImpl, domain: number, type: number, protocol: number) {
    this.#impl = native;
    this.#triple = [domain, type, protocol];
  }

  /** The backend carrying the socket now. */
  get backend(): "native" | "ffi" {
    return this.#impl.backend;
  }

  /** The descriptor, where the current backend has one. */
  get fd(): number {
    return this.#impl.fd;
  }

  /** The socket from now on exists: it no longer moves. */
  #used(): SocketImpl {
    this.#fresh = false;
    return this.#impl;
  }

  /** Runs an option call; a native limit on a fresh socket moves it to ffi (or explains). */
  #option<T>(level: number, name: number, syscall: string, call: (impl: SocketImpl) => T): T {
    try {
      return call(this.#impl);
    } catch (err) {
      if (!this.#fresh || this.#impl.backend !== "native" || !isNativeLimit(err)) throw err;
      if (!ffiPermitted()) {
        const e = new SocketError(ENOPROTOOPT, syscall, undefined, { cause: err });
        e.message += `: ${optionName(level, name)} needs the ffi backend — run with --allow-ffi, ` +
          `or create the socket with { backend: "ffi" }`;
        throw e;
      }
      this.#moveToFfi();
      return call(this.#impl);
    }
  }

  #moveToFfi(): void {
    const ffi = FfiSocket.create(...this.#triple);
    try {
      for (const [level, name, value] of this.#options) ffi.setsockopt(level, name, value);
    } catch (err) {
      ffi.close();
      throw err;
    }
    this.#impl.close();
    this.#impl = ffi;
  }

  bind(addr: SockAddr): void {
    this.#used().bind(addr);
  }
  listen(backlog: number): void {
    this.#used().listen(backlog);
  }
  accept(op: Op): Promise<[SocketImpl, SockAddr]> {
    return this.#used().accept(op);
  }
  connect(addr: SockAddr, op: Op): Promise<void> {
    return this.#used().connect(addr, op);
  }
  send(data: Uint8Array, flags: number, op: Op): Promise<number> {
    return this.#used().send(data, flags, op);
  }
  sendAll(data: Uint8Array, flags: number, op: Op): Promise<void> {
    const impl = this.#used();
    return impl.sendAll ? impl.sendAll(data, flags, op) : sendEvery(impl, data, flags, op);
  }
  recv(buf: Uint8Array, flags: number, op: Op): Promise<number> {
    return this.#used().recv(buf, flags, op);
  }
  sendto(data: Uint8Array, addr: SockAddr, flags: number, op: Op): Promise<number> {
    return this.#used().sendto(data, addr, flags, op);
  }
  recvfrom(buf: Uint8Array, flags: number, op: Op): Promise<[number, SockAddr]> {
    return this.#used().recvfrom(buf, flags, op);
  }
  sendmsg(
    buffers: Uint8Array[],
    ancillary: Ancillary[],
    flags: number,
    addr: SockAddr | undefined,
    op: Op,
  ): Promise<number> {
    return this.#used().sendmsg(buffers, ancillary, flags, addr, op);
  }
  recvmsg(
    buffers: Uint8Array[],
    ancillarySize: number,
    flags: number,
    op: Op,
  ): Promise<RecvMsgResult> {
    return this.#used().recvmsg(buffers, ancillarySize, flags, op);
  }
  shutdown(how: number): void {
    this.#used().shutdown(how);
  }
  close(): void {
    this.#fresh = false;
    this.#impl.close();
  }
  setsockopt(level: number, name: number, value: Uint8Array): void {
    this.#option(level, name, "setsockopt", (impl) => impl.setsockopt(level, name, value));
    if (this.#fresh) this.#options.push([level, name, value.slice()]);
  }
  getsockopt(level: number, name: number, size: number): Uint8Array {
    return this.#option(level, name, "getsockopt", (impl) => impl.getsockopt(level, name, size));
  }
  getsockname(): SockAddr {
    return this.#impl.getsockname();
  }
  getpeername(): SockAddr {
    return this.#impl.getpeername();
  }
}
