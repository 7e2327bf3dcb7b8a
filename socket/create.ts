/**
 * `socket()` and `socketpair()`: socket(2) and socketpair(2), on the backend
 * the options ask for, and the `"auto"` backend's socket, which starts on native
 * and moves to ffi when it must: before the socket exists anywhere (no bind,
 * listen, connect or transfer yet), an option only ffi can set or read moves it
 * to ffi — a new libc socket of the same domain, type and protocol, with the
 * options set so far applied again — when FFI is permitted. Without FFI the call
 * fails with `SocketError` `ENOPROTOOPT`, saying how to get the option.
 *
 * @module
 */
import { cInt, quote } from "../_internal/check.ts";
import type { SockAddr } from "../address/types.ts";
import { linux as C } from "../constants/linux.ts";
import { resolveProtocol } from "../constants/protocols.ts";
import { ENOPROTOOPT, EOPNOTSUPP } from "../errno/names.ts";
import { SocketError } from "../errno/socket_error.ts";
import { optionName } from "../options/registry.ts";
import {
  type Ancillary,
  type Op,
  type RecvMsgResult,
  sendEvery,
  type SocketImpl,
} from "./_backend.ts";
import { FfiSocket } from "./ffi/socket_ffi.ts";
import { isNativeLimit } from "./native/_errors.ts";
import { NativeSocket } from "./native/socket_native.ts";
import { Socket } from "./socket.ts";

/** Options of {@linkcode socket}. */
export interface SocketOptions {
  /**
   * Which backend carries the socket. `"native"` rides on Deno.connect /
   * Deno.listen / node:dgram (needs only `--allow-net`); `"ffi"` calls libc
   * socket(2) through `Deno.dlopen`. `"auto"` (the default) uses native for
   * TCP, UDP and unix stream sockets and ffi for everything else, and moves a
   * native socket to ffi when, before it is bound or connected, it is asked for
   * an option only ffi has (FFI permitted) — else `ENOPROTOOPT`, saying how.
   * Without FFI, auto refuses what the kernel would refuse with the kernel's
   * errno, and leaves a kind only ffi makes to Deno's permission refusal.
   */
  backend?: "auto" | "native" | "ffi";
}

const TYPE_FLAGS = C.SOCK_NONBLOCK | C.SOCK_CLOEXEC;

type Backend = "auto" | "native" | "ffi";

/** Whether this runtime has the APIs the native backend rides on (Deno's; Node's are not wired yet). */
function nativeAvailable(): boolean {
  return typeof Deno !== "undefined" && typeof Deno.connect === "function";
}

function nativeSocket(d: number, t: number, p: number): SocketImpl {
  if (!nativeAvailable()) {
    throw new Error(
      "The native backend needs Deno.connect and Deno.listen, which this runtime does not offer",
    );
  }
  return NativeSocket.create(d, t, p);
}

/**
 * Without FFI, a socket native does not carry is still refused with the
 * kernel's errno where the kernel would refuse it (a protocol that does not
 * fit the type, an unknown family); a kind only ffi carries falls through to
 * ffi, and so to Deno's own permission refusal (or prompt).
 */
function refuseAsKernel(d: number, t: number, p: number): void {
  try {
    NativeSocket.create(d, t, p).close();
  } catch (err) {
    if (!isNativeLimit(err)) throw err;
  }
}

function backendArg(options: SocketOptions | undefined): Backend {
  if (options === undefined) return "auto";
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${quote(options)}`);
  }
  const b = options.backend ?? "auto";
  if (b !== "auto" && b !== "native" && b !== "ffi") {
    throw new TypeError(`backend must be "auto", "native" or "ffi", got ${quote(b)}`);
  }
  return b;
}

/**
 * Creates a socket, as socket(2) does. `type` may be OR'ed with `SOCK_NONBLOCK`
 * (calls then fail with `EAGAIN` instead of waiting) and `SOCK_CLOEXEC` (every
 * descriptor is close-on-exec anyway). A refusal throws `SocketError` with the
 * kernel's errno.
 *
 * @param domain `AF_INET`, `AF_INET6`, `AF_UNIX`, `AF_PACKET`, `AF_NETLINK`…
 * @param type `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_SEQPACKET`, `SOCK_RAW`, `SOCK_RDM`, `SOCK_PACKET`.
 * @param protocol `0`, an `IPPROTO_*` number, or a protocols(5) name such as `"icmp"`.
 * @param options The backend.
 * @returns The socket.
 *
 * @example A TCP socket, and one the kernel refuses
 * ```ts
 * import { AF_INET, SOCK_STREAM, socket, SocketError } from "@bsdsock/socket";
 * import { assertMatch, assertThrows } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_STREAM, "tcp");
 * // "auto" puts a TCP socket on native, which has no descriptor of its own
 * assertMatch(String(s), /^Socket\((fd=\d+, )?AF_INET\/SOCK_STREAM\/IPPROTO_TCP, (native|ffi)\)$/);
 * const err = assertThrows(() => socket(AF_INET, SOCK_STREAM, "udp"), SocketError);
 * assertMatch(err.message, /EPROTONOSUPPORT/);
 * ```
 */
export function socket(
  domain: number,
  type: number,
  protocol: number | string = 0,
  options?: SocketOptions,
): Socket {
  const d = cInt(domain, "domain");
  const t = cInt(type, "type");
  const p = resolveProtocol(protocol);
  const backend = backendArg(options);
  const base = t & ~TYPE_FLAGS;
  let impl: SocketImpl;
  if (backend === "ffi") impl = FfiSocket.create(d, base, p);
  else if (backend === "native") impl = nativeSocket(d, base, p);
  else if (!nativeAvailable()) impl = FfiSocket.create(d, base, p);
  else if (NativeSocket.canCarry(d, base, p)) {
    impl = new AutoImpl(NativeSocket.create(d, base, p), d, base, p);
  } else {
    if (!ffiPermitted()) refuseAsKernel(d, base, p);
    impl = FfiSocket.create(d, base, p);
  }
  return Socket._wrap(impl, d, base, p, (t & C.SOCK_NONBLOCK) !== 0);
}

/**
 * Creates a pair of connected sockets, as socketpair(2) does.
 *
 * @param domain Usually `AF_UNIX`.
 * @param type `SOCK_STREAM`, `SOCK_DGRAM` or `SOCK_SEQPACKET` (with optional `SOCK_NONBLOCK`).
 * @param protocol `0` or a protocol.
 * @returns The two ends.
 *
 * @example Records keep their boundaries
 * ```ts
 * import { AF_UNIX, SOCK_SEQPACKET, socketpair } from "@bsdsock/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = socketpair(AF_UNIX, SOCK_SEQPACKET);
 * using _a = a;
 * using _b = b;
 * await a.send(new Uint8Array([1, 2, 3]));
 * await a.send(new Uint8Array([4]));
 * const buf = new Uint8Array(8);
 * assertEquals(await b.recv(buf), 3);
 * assertEquals(await b.recv(buf), 1);
 * ```
 */
export function socketpair(
  domain: number,
  type: number,
  protocol: number | string = 0,
  options?: SocketOptions,
): [Socket, Socket] {
  const d = cInt(domain, "domain");
  const t = cInt(type, "type");
  const p = resolveProtocol(protocol);
  if (backendArg(options) === "native") {
    const err = new SocketError(EOPNOTSUPP, "socketpair");
    err.message +=
      ' [the native backend has no socketpair; use { backend: "ffi" } with --allow-ffi]';
    throw err;
  }
  const base = t & ~TYPE_FLAGS;
  const nb = (t & C.SOCK_NONBLOCK) !== 0;
  const [a, b] = FfiSocket.pair(d, base, p);
  return [Socket._wrap(a, d, base, p, nb), Socket._wrap(b, d, base, p, nb)];
}

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
