/**
 * Stream conveniences over `socket()`: {@linkcode connect} and {@linkcode listen}
 * do what Python's `socket.create_connection` and `socket.create_server` do, and
 * {@linkcode readable} / {@linkcode writable} wrap a connected stream socket in
 * web streams with backpressure.
 *
 * @example An echo over loopback
 * ```ts
 * import { connect, listen, readable, writable } from "@bsdsock/socket/stream";
 * import { assertEquals } from "@std/assert";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * const accepted = server.accept();
 * using client = await connect(server.getsockname());
 * const [conn] = await accepted;
 * using _conn = conn;
 *
 * const writer = writable(client).getWriter();
 * await writer.write(new TextEncoder().encode("hello"));
 * await writer.close(); // shutdown(SHUT_WR)
 * const text = await new Response(readable(conn)).text();
 * assertEquals(text, "hello");
 * ```
 *
 * @module
 */
import { linux as C } from "../constants/linux.ts";
import { SocketError } from "../errno/socket_error.ts";
import type { SockAddr } from "../address/types.ts";
import { isIPv4, isIPv6 } from "../address/inet.ts";
import { optionsArg, timeoutArg } from "./_args.ts";
import { lookup } from "./_resolve.ts";
import { checkInt, quote } from "../_internal/check.ts";
import { socket, type SocketOptions } from "./create.ts";
import { isNativeLimit } from "./native/_errors.ts";
import type { Socket } from "./socket.ts";
import { CHUNK_SIZE, readableOf, writableOf } from "./_web_streams.ts";

/** Where {@linkcode connect} goes: a host and port, or a unix socket path. */
export type ConnectAddress = { hostname: string; port: number } | { path: string } | SockAddr;

/** Options of {@linkcode connect}. */
export interface ConnectOptions extends SocketOptions {
  /** Milliseconds for the whole attempt, across every resolved address. */
  timeout?: number | null;
  /** Aborts the attempt. */
  signal?: AbortSignal;
}

/**
 * Connects a stream socket to `addr`, as Python's `create_connection` does: a
 * hostname is resolved and every address is tried in order, each failed socket
 * closed, until one connects; when none does, the first error is thrown.
 *
 * @param addr `{ hostname, port }`, `{ path }` or a SockAddr.
 * @param opts Timeout for the whole attempt, an abort signal, the backend.
 * @returns The connected socket.
 *
 * @example
 * ```ts
 * import { connect, listen } from "@bsdsock/socket/stream";
 * import { assertEquals } from "@std/assert";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * const { port } = server.getsockname() as { port: number };
 * using client = await connect({ hostname: "localhost", port });
 * assertEquals(client.getpeername().family, "inet");
 * ```
 */
export async function connect(addr: ConnectAddress, opts: ConnectOptions = {}): Promise<Socket> {
  optionsArg(opts);
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) {
    throw new TypeError(`signal must be an AbortSignal, got ${quote(opts.signal)}`);
  }
  const timeout = timeoutArg(opts.timeout);
  const deadline = timeout === null ? null : performance.now() + timeout;
  const candidates = await resolveAll(addr);
  let first: unknown;
  for (const target of candidates) {
    const left = deadline === null ? null : Math.max(0, deadline - performance.now());
    const domain = target.family === "inet"
      ? C.AF_INET
      : target.family === "inet6"
      ? C.AF_INET6
      : C.AF_UNIX;
    const sock = socket(domain, C.SOCK_STREAM, 0, { backend: opts.backend });
    try {
      await sock.connect(target, { timeout: left ?? undefined, signal: opts.signal });
      return sock;
    } catch (err) {
      sock.close();
      if (opts.signal?.aborted) throw err;
      first ??= err;
    }
  }
  throw first;
}

async function resolveAll(addr: ConnectAddress): Promise<SockAddr[]> {
  if (!addr || typeof addr !== "object") {
    throw new TypeError(`addr must be an object, got ${quote(addr)}`);
  }
  if ("path" in addr) return [{ family: "unix", path: addr.path }];
  if (!("hostname" in addr)) throw new TypeError("addr must have a hostname and port, or a path");
  const { hostname, port } = addr as { hostname: string; port: number };
  if (typeof hostname !== "string") {
    throw new TypeError(`hostname must be a string, got ${quote(hostname)}`);
  }
  const base = addr as Partial<Extract<SockAddr, { family: "inet6" }>>;
  if (isIPv4(hostname)) return [{ family: "inet", hostname, port }];
  if (isIPv6(hostname.split("%")[0])) {
    return [{ family: "inet6", hostname, port, flowinfo: base.flowinfo, scopeId: base.scopeId }];
  }
  const found = await lookup(hostname, checkInt(port, "port", 0, 65535), 0);
  return found.map((a) =>
    a.family === 6
      ? { family: "inet6" as const, hostname: a.address, port }
      : { family: "inet" as const, hostname: a.address, port }
  );
}

/** Options of {@linkcode listen}. */
export interface ListenOptions extends SocketOptions {
  /** listen(2)'s backlog. Default 128. */
  backlog?: number;
  /** `SO_REUSEADDR`. Default `true`, as Python's `create_server` does on POSIX. */
  reuseAddr?: boolean;
  /** `SO_REUSEPORT`. Default `false`. */
  reusePort?: boolean;
  /**
   * For an IPv6 address: accept IPv4 connections too (`IPV6_V6ONLY` 0) or not
   * (`IPV6_V6ONLY` 1). Set explicitly either way, never left to the system default.
   * Default `false`.
   */
  dualStack?: boolean;
}

/**
 * Creates a listening stream socket bound to `addr`, as Python's
 * `create_server` does: `SO_REUSEADDR` on, `IPV6_V6ONLY` set explicitly, and a
 * bind error carrying the address.
 *
 * @param addr `{ hostname, port }` (a literal address or `localhost`) or `{ path }`.
 * @param opts Backlog, reuse options, dual stack, backend.
 * @returns The listening socket.
 *
 * @example
 * ```ts
 * import { listen } from "@bsdsock/socket/stream";
 * import { SocketError } from "@bsdsock/socket/errno";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 }, { reuseAddr: false });
 * const err = assertThrows(() => listen(server.getsockname(), { reuseAddr: false }), SocketError);
 * assertEquals(err.code, "EADDRINUSE");
 * ```
 */
export function listen(addr: ConnectAddress, opts: ListenOptions = {}): Socket {
  if (!addr || typeof addr !== "object") throw new TypeError("addr must be an object");
  let domain: number;
  let target: SockAddr;
  if ("path" in addr) {
    domain = C.AF_UNIX;
    target = { family: "unix", path: addr.path };
  } else {
    const { hostname, port } = addr as { hostname: string; port: number };
    const host = hostname === "localhost" ? "127.0.0.1" : hostname;
    const v6 = !isIPv4(host);
    domain = v6 ? C.AF_INET6 : C.AF_INET;
    target = v6 ? { ...(addr as SockAddr), family: "inet6", hostname: host, port } as SockAddr : {
      family: "inet",
      hostname: host,
      port,
    };
  }
  const sock = socket(domain, C.SOCK_STREAM, 0, { backend: opts.backend });
  try {
    if (domain !== C.AF_UNIX) {
      if (opts.reuseAddr ?? true) sock.setsockopt(C.SOL_SOCKET, C.SO_REUSEADDR, true);
      if (opts.reusePort) sock.setsockopt(C.SOL_SOCKET, C.SO_REUSEPORT, true);
      if (domain === C.AF_INET6) sock.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, !opts.dualStack);
    }
    sock.bind(target);
    sock.listen(opts.backlog ?? 128);
    return sock;
  } catch (err) {
    sock.close();
    if (err instanceof SocketError && err.address === undefined && !isNativeLimit(err)) {
      throw new SocketError(err.errno, err.syscall, target, { cause: err });
    }
    throw err;
  }
}

/**
 * The socket's readable byte stream: the same stream as `sock.readable`
 * (made on first use, then kept). Each pull is one recv(2) (so nothing is read
 * ahead of what the consumer asks for); end of stream closes it; cancelling it
 * shuts the socket's read side.
 *
 * @param sock A connected stream socket.
 * @param chunkSize The largest chunk one pull of a default reader reads,
 *   when this call is the one that makes the stream. Default 64 KiB.
 * @returns The stream.
 *
 * @example
 * ```ts
 * import { AF_UNIX, SOCK_STREAM, socketpair } from "@bsdsock/socket";
 * import { readable } from "@bsdsock/socket/stream";
 * import { assertEquals, assertStrictEquals } from "@std/assert";
 *
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
 * await a.sendAll(new Uint8Array([1, 2, 3]));
 * a.close();
 * const got = new Uint8Array(await new Response(readable(b)).arrayBuffer());
 * assertEquals(got, new Uint8Array([1, 2, 3]));
 * assertStrictEquals(readable(b), b.readable);
 * b.close();
 * ```
 */
export function readable(sock: Socket, chunkSize = CHUNK_SIZE): ReadableStream<Uint8Array> {
  return readableOf(sock, chunkSize);
}

/**
 * The socket's writable byte stream: the same stream as `sock.writable`
 * (made on first use, then kept). Each chunk is sent in full (`sendAll`) before
 * the next is taken, so a slow peer holds the writer back; closing it shuts the
 * socket's write side (the peer reads end of stream).
 *
 * @param sock A connected stream socket.
 * @returns The stream.
 *
 * @example
 * ```ts
 * import { AF_UNIX, SOCK_STREAM, socketpair } from "@bsdsock/socket";
 * import { writable } from "@bsdsock/socket/stream";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
 * await ReadableStream.from([new Uint8Array([9])]).pipeTo(writable(a));
 * const buf = new Uint8Array(2);
 * assertEquals(await b.recv(buf), 1);
 * assertEquals(await b.recv(buf), 0);
 * a.close();
 * b.close();
 * ```
 */
export function writable(sock: Socket): WritableStream<Uint8Array> {
  return writableOf(sock);
}
