/**
 * `socket()` and `socketpair()`: socket(2) and socketpair(2), on the backend
 * the options ask for. `"auto"`, the default, is exact first: the kernel's own
 * socket (ffi) whenever FFI is available and permitted. Only without FFI does
 * it take native for what native can carry; such a socket refuses an option or
 * call only ffi has with the kernel's errno (`ENOPROTOOPT`, `EOPNOTSUPP`) and a
 * message saying how to get it.
 *
 * @module
 */
import { cInt, quote } from "../_internal/check.ts";
import { linux as C } from "../constants/linux.ts";
import { resolveProtocol } from "../constants/protocols.ts";
import { EOPNOTSUPP } from "../errno/names.ts";
import { SocketError } from "../errno/socket_error.ts";
import type { SocketImpl } from "./_backend.ts";
import { FfiSocket } from "./ffi/socket_ffi.ts";
import { ffiAvailable } from "./ffi/_libc.ts";
import { isNativeLimit } from "./native/_errors.ts";
import { NativeSocket } from "./native/socket_native.ts";
import { Socket } from "./socket.ts";

/** Options of {@linkcode socket}. */
export interface SocketOptions {
  /**
   * Which backend carries the socket. `"ffi"` calls libc socket(2) through
   * `Deno.dlopen` (needs `--allow-ffi`): a real descriptor, every error at the
   * call the kernel gives it. `"native"` rides on Deno.connect / Deno.listen /
   * node:dgram (needs only `--allow-net`): TCP, UDP and unix stream sockets, no
   * descriptor. `"auto"` (the default) is exact first: ffi whenever FFI is
   * available and permitted; without it, native for the kinds native carries
   * (an option only ffi has then fails with `ENOPROTOOPT`, saying how), the
   * kernel's errno for what the kernel would refuse, and Deno's permission
   * refusal for a kind only ffi makes.
   */
  backend?: "auto" | "native" | "ffi";
}

const TYPE_FLAGS = C.SOCK_NONBLOCK | C.SOCK_CLOEXEC;

type Backend = "auto" | "native" | "ffi";

/** Whether this runtime has the APIs the native backend rides on (Deno's, or node:net on Node and Bun). */
function nativeAvailable(): boolean {
  return typeof Deno === "undefined" || typeof Deno.connect === "function";
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
 * // With --allow-ffi, "auto" gives the kernel's socket: a real descriptor
 * assertMatch(String(s), /^Socket\(fd=\d+, AF_INET\/SOCK_STREAM\/IPPROTO_TCP, ffi\)$/);
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
  else if (ffiPermitted() || !nativeAvailable()) impl = FfiSocket.create(d, base, p);
  else if (NativeSocket.canCarry(d, base, p)) {
    impl = NativeSocket.create(d, base, p);
  } else {
    refuseAsKernel(d, base, p);
    impl = FfiSocket.create(d, base, p); // Deno's permission refusal (or prompt)
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

/**
 * Whether this process may use FFI, asked without a prompt. A grant is
 * remembered: libc, once opened, stays usable whatever happens to the
 * permission afterwards, and socket() should not pay for the question each time.
 */
export function ffiPermitted(): boolean {
  if (ffiGranted) return true;
  return ffiGranted = ffiAvailable();
}

let ffiGranted = false;
