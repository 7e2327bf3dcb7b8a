/**
 * Helpers of the native backend's integration tests (tests/native_*_test.ts):
 * sockets on the native backend wrapped in the public `Socket`, python3 peers
 * (tests/fixtures/native_peer.py and friends) talking JSON lines, and error
 * assertions (the backend-neutral `rejectsWith`/`throwsWith` of tests/_helpers.ts).
 *
 * @module
 */
import { linux as C } from "../constants/mod.ts";
import { errnoName, SocketError } from "../errno/mod.ts";
import type { SockAddr } from "../socket/address.ts";
import { NativeSocket } from "../socket/native/mod.ts";
import { Socket } from "../socket/socket.ts";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;

/** A socket on the native backend, as `socket(domain, type, protocol, { backend: "native" })` gives. */
export function nativeSocket(domain: number, type: number, protocol = 0): Socket {
  const base = type & ~(C.SOCK_NONBLOCK | C.SOCK_CLOEXEC);
  const impl = NativeSocket.create(domain, type, protocol);
  return Socket._wrap(impl, domain, base, protocol, (type & C.SOCK_NONBLOCK) !== 0);
}

/** An IP family as the tests name it. */
export type Inet = "inet" | "inet6";

/** The loopback address of `family`. */
export function loopback(family: Inet): string {
  return family === "inet" ? "127.0.0.1" : "::1";
}

/** `AF_INET` or `AF_INET6`. */
export function domainOf(family: Inet): number {
  return family === "inet" ? C.AF_INET : C.AF_INET6;
}

/** The port of an IP address. */
export function portOf(addr: SockAddr): number {
  if (addr.family !== "inet" && addr.family !== "inet6") throw new TypeError("Not an IP address");
  return addr.port;
}

/** A native TCP socket listening on a kernel-chosen loopback port. */
export function tcpListener(family: Inet = "inet", backlog = 16): Socket {
  const s = nativeSocket(domainOf(family), C.SOCK_STREAM);
  s.bind({ hostname: loopback(family), port: 0 });
  s.listen(backlog);
  return s;
}

/** Two sockets `using` closes together. */
export type Pair = [Socket, Socket] & Disposable;

/** A connected native TCP pair over loopback: `[client, accepted]`. */
export async function tcpPair(family: Inet = "inet"): Promise<Pair> {
  using listener = tcpListener(family, 4);
  const client = nativeSocket(domainOf(family), C.SOCK_STREAM);
  const accepted = listener.accept({ timeout: 5000 });
  await client.connect(listener.getsockname(), { timeout: 5000 });
  const [server] = await accepted;
  return Object.assign([client, server] as [Socket, Socket], {
    [Symbol.dispose]() {
      client.close();
      server.close();
    },
  });
}

/** A native UDP socket bound to a kernel-chosen loopback port. */
export function udpSocket(family: Inet = "inet"): Socket {
  const s = nativeSocket(domainOf(family), C.SOCK_DGRAM);
  s.bind({ hostname: loopback(family), port: 0 });
  return s;
}

/** A temporary directory `using` removes. */
export function tempDir(): { path: string } & Disposable {
  const path = Deno.makeTempDirSync({ prefix: "bsdsock-native-" });
  return { path, [Symbol.dispose]: () => Deno.removeSync(path, { recursive: true }) };
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

/** The SHA-256 of `data`, in hex. */
export async function sha256(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
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

export { rejectsWith, throwsWith } from "./_helpers.ts";

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

/** A running python3 peer speaking JSON lines on stdout. */
export interface Peer extends AsyncDisposable {
  /** The next JSON line the peer printed. */
  read<T = Record<string, unknown>>(): Promise<T>;
  /** Writes one JSON line to the peer's stdin. */
  write(value: unknown): Promise<void>;
  /** Waits for a clean exit; rejects with the peer's stderr otherwise. */
  done(): Promise<void>;
}

/**
 * Starts `python3 tests/fixtures/<script> ...args`. The peer dies on its own
 * after `timeout` ms (SIGALRM in the script, and a kill here).
 */
export function python(script: string, args: readonly string[], timeout = 20_000): Peer {
  const child = new Deno.Command("python3", {
    args: [fixtures + script, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { PYTHONUNBUFFERED: "1", PEER_TIMEOUT: String(Math.ceil(timeout / 1000)) },
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const writer = child.stdin.getWriter();
  let stderr = "";
  const stderrDone = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (s) => void (stderr += s) }),
  ).catch(() => {});
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const killer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, timeout);
  let buffered = "";
  return {
    async read<T>(): Promise<T> {
      for (;;) {
        const nl = buffered.indexOf("\n");
        if (nl >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          return JSON.parse(line) as T;
        }
        const { value, done } = await lines.read();
        if (done) {
          await status;
          await stderrDone;
          throw new Error(`${script} ended before a line; stderr:\n${stderr}`);
        }
        buffered += value;
      }
    },
    async write(value: unknown): Promise<void> {
      await writer.write(new TextEncoder().encode(JSON.stringify(value) + "\n"));
    },
    async done(): Promise<void> {
      const s = await status;
      await stderrDone;
      if (!s.success) throw new Error(`${script} exited with ${s.code}; stderr:\n${stderr}`);
    },
    async [Symbol.asyncDispose](): Promise<void> {
      if (!exited) {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }
      await status;
      clearTimeout(killer);
      await writer.close().catch(() => {});
      await lines.cancel().catch(() => {});
      await stderrDone;
    },
  };
}
