/**
 * Helpers of the native backend's integration tests (tests/native_*_test.ts):
 * the shared helpers of tests/_helpers.ts with their sockets on the native
 * backend, python3 peers (tests/py/native_peer.py) talking JSON lines, and
 * what only these tests need.
 *
 * @module
 */
import { errnoName, SocketError } from "../errno/mod.ts";
import { socket } from "../socket/create.ts";
import type { Socket } from "../socket/socket.ts";
import * as shared from "./_helpers.ts";
import type { Inet, Pair, PythonPeer } from "./_helpers.ts";

export {
  domainOf,
  type Inet,
  loopback,
  type Pair,
  portOf,
  rejectsWith,
  sha256,
  tempDir,
  throwsWith,
} from "./_helpers.ts";

/** A socket on the native backend: `socket(domain, type, protocol, { backend: "native" })`. */
export function nativeSocket(domain: number, type: number, protocol = 0): Socket {
  return socket(domain, type, protocol, { backend: "native" });
}

/** A native TCP socket listening on a kernel-chosen loopback port. */
export function tcpListener(family: Inet = "inet", backlog = 16): Socket {
  return shared.tcpListener(family, backlog, "native");
}

/** A connected native TCP pair over loopback: `[client, accepted]`. */
export function tcpPair(family: Inet = "inet"): Promise<Pair> {
  return shared.tcpPair(family, "native");
}

/** A native UDP socket bound to a kernel-chosen loopback port. */
export function udpSocket(family: Inet = "inet"): Socket {
  return shared.udpSocket(family, "native");
}

/** Deterministic bytes: `n` of them from `seed` (an xorshift stream). */
export function pattern(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Reads from `sock` until end of stream; returns every byte. */
export async function readAll(sock: Socket, timeout = 10_000): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const buf = new Uint8Array(64 * 1024);
  for (;;) {
    const n = await sock.recv(buf, 0, { timeout });
    if (n === 0) break;
    chunks.push(buf.slice(0, n));
    total += n;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The errno name a call ends with: `"ok"`, or the `SocketError`'s code; anything else is rethrown. */
export async function outcome(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return "ok";
  } catch (err) {
    if (err instanceof SocketError) return errnoName(err.errno) ?? String(err.errno);
    throw err;
  }
}

/**
 * Starts `python3 tests/py/<script> ...args` (see tests/_peers.ts `python()`);
 * the peer dies on its own after `timeout` ms.
 */
export function python(script: string, args: readonly string[], timeout = 20_000): PythonPeer {
  return shared.python(script, args, { timeout });
}
