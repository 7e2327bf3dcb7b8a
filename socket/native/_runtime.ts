/**
 * The runtime boundary of the native backend: the only module that calls
 * `Deno.connect`, `Deno.listen`, `node:dgram` or any other `Deno.*` API. On
 * Node and Bun (no `Deno`), each stream call goes to `_runtime_node.ts`, the
 * same signatures on `node:net`; datagrams ride on `node:dgram` everywhere.
 *
 * Nothing here needs an `--unstable-*` flag: datagrams ride on `node:dgram`
 * (`Deno.listenDatagram` is unstable in Deno 2), and `Deno.listen`'s
 * `reusePort` (unstable) is never passed.
 *
 * @module
 */
import dgram from "node:dgram";
import { EOPNOTSUPP } from "../../errno/names.ts";
import { nativeLimit } from "./_errors.ts";
import * as node from "./_runtime_node.ts";

/** Whether this is Deno (else Node or Bun, on `node:net`). */
const onDeno = typeof Deno !== "undefined";

/** An address as the runtime reports it. */
export type RuntimeAddr = { hostname: string; port: number } | { path: string | null };

/** A connected byte stream: `Deno.TcpConn` or `Deno.UnixConn`. */
export interface RuntimeConn {
  /** Reads into `p`: the count, or `null` at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes from `p`: how many bytes went out (maybe fewer than `p` holds). */
  write(p: Uint8Array): Promise<number>;
  /** shutdown(SHUT_WR). */
  closeWrite(): Promise<void>;
  /** close(2); cancels a pending read. */
  close(): void;
  /** Lets a pending read keep the process alive. */
  ref(): void;
  /** Lets the process end while a read is pending. */
  unref(): void;
  /** getsockname(). */
  readonly localAddr: RuntimeAddr;
  /** getpeername(). */
  readonly remoteAddr: RuntimeAddr;
  /** TCP_NODELAY (TCP only). */
  setNoDelay?(on: boolean): void;
  /** SO_KEEPALIVE (TCP only). */
  setKeepAlive?(on: boolean): void;
}

/** A listening stream socket: `Deno.TcpListener` or `Deno.UnixListener`. */
export interface RuntimeListener {
  /** accept(2), one connection. */
  accept(): Promise<RuntimeConn>;
  /** close(2); a pending accept rejects. A unix listener also unlinks its path (Deno does). */
  close(): void;
  /** Lets a pending accept keep the process alive. */
  ref(): void;
  /** Lets the process end while an accept is pending. */
  unref(): void;
  /** getsockname(). */
  readonly addr: RuntimeAddr;
}

/** A `node:dgram` socket. */
export type UdpSocket = dgram.Socket;

/** An IP literal as the runtime takes it: IPv6 with a `%scope` when there is one. */
export interface HostPort {
  /** IP literal, IPv6 possibly with `%scopeId`. */
  hostname: string;
  /** Port. */
  port: number;
}

/** connect(2) on a new TCP socket; `signal` abandons the attempt (and closes its socket). */
export function connectTcp(to: HostPort, signal?: AbortSignal): Promise<RuntimeConn> {
  if (!onDeno) return node.connectTcp(to, signal);
  return Deno.connect({
    hostname: to.hostname,
    port: to.port,
    transport: "tcp",
    signal,
    autoSelectFamily: false,
  });
}

/** connect(2) on a new unix stream socket. */
export function connectUnix(path: string): Promise<RuntimeConn> {
  if (!onDeno) return node.connectUnix(path);
  return Deno.connect({ transport: "unix", path });
}

/** socket(2) + SO_REUSEADDR + bind(2) + listen(2) for TCP, in one call (Deno always sets SO_REUSEADDR). */
export function listenTcp(at: HostPort, backlog: number): RuntimeListener {
  if (!onDeno) return node.listenTcp(at, backlog);
  return Deno.listen({
    hostname: at.hostname,
    port: at.port,
    transport: "tcp",
    tcpBacklog: backlog,
  });
}

/** socket(2) + bind(2) + listen(2) for a unix stream socket (Deno's backlog: 1024). */
export function listenUnix(path: string): RuntimeListener {
  if (!onDeno) return node.listenUnix(path);
  return Deno.listen({ transport: "unix", path });
}

/** Options of {@linkcode createUdp}, applied before bind(2). */
export interface UdpOptions {
  /** AF_INET6 rather than AF_INET. */
  ipv6: boolean;
  /** SO_REUSEADDR. */
  reuseAddr: boolean;
  /** IPV6_V6ONLY. */
  ipv6Only: boolean;
}

type LookupCallback = (err: Error | null, address: string, family: number) => void;

/**
 * The resolver handed to `node:dgram`: every address reaching it is already a
 * literal, and answering synchronously makes `bind()` complete (or emit its
 * `error`) before it returns.
 */
function literalLookup(address: string, _options: unknown, callback: LookupCallback): void {
  callback(null, address, address.includes(":") ? 6 : 4);
}

/**
 * A `node:dgram` socket, not yet bound. On Bun it is a native limit
 * (`EOPNOTSUPP`): Bun's `node:dgram` binds asynchronously (over
 * `Bun.udpSocket`), so bind(2)'s address and error cannot be had when it
 * returns; Bun always has the ffi backend, which `"auto"` picks there.
 */
export function createUdp(options: UdpOptions): UdpSocket {
  if (typeof (globalThis as { Bun?: unknown }).Bun !== "undefined") {
    throw nativeLimit(EOPNOTSUPP, "bind", "UDP on Bun, whose node:dgram binds asynchronously");
  }
  return dgram.createSocket({
    type: options.ipv6 ? "udp6" : "udp4",
    reuseAddr: options.reuseAddr,
    ipv6Only: options.ipv6Only,
    lookup: literalLookup as unknown as dgram.SocketOptions["lookup"],
  });
}

/**
 * Reads a number from a file such as `/proc/sys/net/core/rmem_max`, only when
 * read permission for it is already granted (never prompts); else `undefined`.
 */
export function readNumberFile(path: string): number | undefined {
  if (!onDeno) return node.readNumberFile(path);
  try {
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
    const n = Number(Deno.readTextFileSync(path).trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** What lstat(2) says of `path` when read permission is already granted; `undefined` when it may not be asked. */
export function probePath(path: string): "exists" | Error | undefined {
  if (!onDeno) return node.probePath(path);
  try {
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
  } catch {
    return undefined;
  }
  try {
    Deno.lstatSync(path);
    return "exists";
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
