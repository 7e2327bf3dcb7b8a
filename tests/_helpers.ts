/**
 * Shared helpers of the integration tests (tests/*_test.ts): connected pairs of
 * sockets, error assertions and byte utilities here; descriptor accounting
 * (`./_fds.ts`) and python3 / Deno child processes (`./_peers.ts`) re-exported.
 * Every helper that hands back sockets hands back something `using` can dispose.
 *
 * @module
 */
import { assertEquals, assertInstanceOf, assertRejects, assertThrows } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { SocketError } from "../errno/mod.ts";
import type { SockAddr } from "../address/mod.ts";
import { socket, socketpair } from "../socket/create.ts";
import type { Socket } from "../socket/socket.ts";
import { sys } from "../socket/ffi/mod.ts";
import { linuxSys } from "../socket/ffi/_libc.ts";

export * from "./_fds.ts";
export * from "./_peers.ts";

// ------------------------------------------------------------------ sockets

/** Two sockets that `using` closes together; destructure it: `const [a, b] = pair`. */
export type Pair = [Socket, Socket] & Disposable;

/** Wraps two sockets as a {@linkcode Pair}. */
export function pairOf(a: Socket, b: Socket): Pair {
  return Object.assign([a, b] as [Socket, Socket], {
    [Symbol.dispose]() {
      a.close();
      b.close();
    },
  });
}

/** An IP family as the tests name it. */
export type Inet = "inet" | "inet6";

/** The loopback address of `family`. */
export function loopback(family: Inet): string {
  return family === "inet" ? "127.0.0.1" : "::1";
}

/** The `AF_*` number of `family`. */
export function domainOf(family: Inet): number {
  return family === "inet" ? C.AF_INET : C.AF_INET6;
}

/** The backend a helper puts its sockets on: ffi unless a test asks for native. */
export type Backend = "ffi" | "native";

/** A TCP socket listening on a kernel-chosen loopback port. */
export function tcpListener(family: Inet = "inet", backlog = 16, backend: Backend = "ffi"): Socket {
  const s = socket(domainOf(family), C.SOCK_STREAM, 0, { backend });
  try {
    s.bind({ hostname: loopback(family), port: 0 });
    s.listen(backlog);
  } catch (err) {
    s.close();
    throw err;
  }
  return s;
}

/**
 * A connected TCP pair over loopback: `[client, server]`, where `server` is the
 * accepted end. The listening socket is closed before this returns.
 */
export async function tcpPair(family: Inet = "inet", backend: Backend = "ffi"): Promise<Pair> {
  using listener = tcpListener(family, 1, backend);
  const client = socket(domainOf(family), C.SOCK_STREAM, 0, { backend });
  try {
    const accepted = listener.accept({ timeout: 5000 });
    await client.connect(listener.getsockname(), { timeout: 5000 });
    const [server] = await accepted;
    return pairOf(client, server);
  } catch (err) {
    client.close();
    throw err;
  }
}

/** socketpair(AF_UNIX, type) on the ffi backend, as a {@linkcode Pair}. */
export function unixPair(type: number = C.SOCK_STREAM): Pair {
  const [a, b] = socketpair(C.AF_UNIX, type, 0, { backend: "ffi" });
  return pairOf(a, b);
}

/** A UDP socket bound to a kernel-chosen loopback port. */
export function udpSocket(family: Inet = "inet", backend: Backend = "ffi"): Socket {
  const s = socket(domainOf(family), C.SOCK_DGRAM, 0, { backend });
  try {
    s.bind({ hostname: loopback(family), port: 0 });
  } catch (err) {
    s.close();
    throw err;
  }
  return s;
}

/** The port of an inet/inet6 address. */
export function portOf(addr: SockAddr): number {
  if (addr.family !== "inet" && addr.family !== "inet6") {
    throw new TypeError(`Not an IP address: ${JSON.stringify(addr)}`);
  }
  return addr.port;
}

/** An abstract unix socket name (leading NUL), unique to this process and call. */
export function abstractName(tag: string): string {
  return `\0bsdsock-test-${Deno.pid}-${tag}-${crypto.randomUUID().slice(0, 8)}`;
}

/** ioctl(FIONREAD): bytes queued for reading on `sock`. */
export function unreadBytes(sock: Socket): number {
  const n = new Int32Array(1);
  if (sys.ioctl(sock.fd, linuxSys.FIONREAD, new Uint8Array(n.buffer)) < 0) {
    throw new Error(`ioctl(FIONREAD) failed on ${sock}`);
  }
  return n[0];
}

/** Polls `ready` every 5 ms until it holds; fails after `ms` milliseconds. */
export async function until(ready: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!ready()) {
    if (performance.now() > end) throw new Error(`Gave up waiting for ${what} after ${ms} ms`);
    await delay(5);
  }
}

// ------------------------------------------------------------------ errors

/** Asserts that `fn` rejects with a `SocketError` whose `code` is `code`; returns it. */
export async function rejectsWith(
  fn: () => PromiseLike<unknown>,
  code: string,
): Promise<SocketError> {
  const err = await assertRejects(fn);
  assertInstanceOf(err, SocketError, `expected SocketError ${code}, got ${err}`);
  assertEquals(err.code, code, `expected ${code}, got: ${err.message}`);
  return err;
}

/** Asserts that `fn` throws a `SocketError` whose `code` is `code`; returns it. */
export function throwsWith(fn: () => unknown, code: string): SocketError {
  const err = assertThrows(fn);
  assertInstanceOf(err, SocketError, `expected SocketError ${code}, got ${err}`);
  assertEquals(err.code, code, `expected ${code}, got: ${err.message}`);
  return err;
}

// ------------------------------------------------------------------ bytes

/** `n` random bytes. */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += 65536) {
    crypto.getRandomValues(out.subarray(off, Math.min(n, off + 65536)));
  }
  return out;
}

/** The SHA-256 of `bytes`, in hex. */
export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** `bytes` as UTF-8 text. */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
