/**
 * TLS over a {@linkcode Transport}, for `secureTransport: "on"` and `startTls()`.
 *
 * One way on every runtime and backend: `node:tls` over a `Duplex` that reads
 * and writes the package's own Socket. Node, Bun and Deno (whose `node:tls`
 * has its own TLS engine for a stream that is not a runtime socket) all wrap an
 * arbitrary `Duplex`, so an ffi socket — a descriptor the runtime knows
 * nothing of — gets TLS without moving to the runtime's TCP, and a native one
 * gets the same code. The certificate is checked against the runtime's
 * default CAs (`DENO_CERT` on Deno, `NODE_EXTRA_CA_CERTS` on Node and Bun add
 * to them). `node:tls` is loaded on the first TLS connection only.
 *
 * @module
 */
import type { Duplex } from "node:stream";
import type { ConnectionOptions, TLSSocket } from "node:tls";
import type { Transport } from "./_transport.ts";
import { isIpLiteral } from "./_address.ts";
import { nextTurn } from "../_internal/turn.ts";

/** What the handshake needs. */
export interface TlsSetup {
  /** The name the certificate must carry (or the IP literal it must list). */
  host: string;
  /** The ALPN protocols to offer, in order; none when empty. */
  alpn: readonly string[];
}

/** Bytes the TLS layer decrypts ahead of the reader before it stops reading the socket. */
const HIGH_WATER = 256 * 1024;
/** Bytes one read of the socket under TLS takes. */
const READ_SIZE = 16 * 1024;

/**
 * Runs a TLS client handshake over `plain`, reading it as `owner`; `signal`
 * abandons it. Resolves once the handshake is complete, the certificate
 * checked and the client's last handshake message handed to the kernel (so a
 * close() right after cannot cut it off); on any failure `plain` is closed.
 *
 * @returns The TLS transport, which owns `plain`.
 */
export async function startTls(
  plain: Transport,
  owner: object,
  setup: TlsSetup,
  signal: AbortSignal,
): Promise<Transport> {
  let sock: TLSSocket | undefined;
  try {
    const [tls, stream] = await Promise.all([import("node:tls"), import("node:stream")]);
    signal.throwIfAborted();
    const under = duplexOver(stream.Duplex, plain, owner);
    const tlsSock = sock = tls.connect({
      socket: under.duplex,
      host: setup.host,
      servername: isIpLiteral(setup.host) ? undefined : setup.host,
      ALPNProtocols: setup.alpn.length > 0 ? [...setup.alpn] : undefined,
      // Passed on to the TLSSocket (not in @types/node): the socket decides what a FIN means.
      allowHalfOpen: true,
    } as ConnectionOptions);
    await abortable(
      new Promise<void>((resolve, reject) => {
        tlsSock.once("secureConnect", resolve);
        tlsSock.once("error", reject);
        tlsSock.once(
          "close",
          () => reject(new Error("The connection closed during the TLS handshake")),
        );
      }),
      signal,
    );
    // Node emits secureConnect before it hands the client's Finished to the stream (in the same
    // turn): let that turn end, then wait for the write.
    await abortable(nextTurn(), signal);
    await abortable(under.drained(), signal);
  } catch (err) {
    sock?.destroy();
    plain.close();
    throw err;
  }
  return new TlsTransport(sock, plain);
}

/** `promise`, or the signal's reason once it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * A Duplex whose reads are `plain.read(…, owner)` (only as fast as TLS asks) and writes
 * `plain.write`; `drained()` resolves when no write is under way.
 */
function duplexOver(
  DuplexClass: typeof Duplex,
  plain: Transport,
  owner: object,
): { duplex: Duplex; drained: () => Promise<void> } {
  let reading = false;
  let writing = 0;
  let idle: (() => void)[] = [];
  const duplex: Duplex = new DuplexClass({
    allowHalfOpen: true,
    read() {
      if (reading) return;
      reading = true;
      (async () => {
        try {
          for (;;) {
            const buf = new Uint8Array(READ_SIZE);
            const n = await plain.read(buf, owner);
            if (n === null || n === 0) {
              duplex.push(null);
              return;
            }
            if (!duplex.push(buf.subarray(0, n))) return;
          }
        } catch (err) {
          duplex.destroy(err as Error);
        } finally {
          reading = false;
        }
      })();
    },
    write(chunk: Uint8Array, _encoding: string, callback: (err?: Error | null) => void) {
      writing++;
      plain.write(chunk).then(() => callback(), callback).finally(() => {
        if (--writing > 0) return;
        const waiting = idle;
        idle = [];
        for (const wake of waiting) wake();
      });
    },
    final(callback: (err?: Error | null) => void) {
      plain.closeWrite().then(() => callback(), callback);
    },
  });
  const drained = () =>
    writing === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve));
  return { duplex, drained };
}

/** A TLS connection as a {@linkcode Transport}; closing it closes the socket under it. */
class TlsTransport implements Transport {
  readonly #tls: TLSSocket;
  readonly #plain: Transport;
  readonly #chunks: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #error: Error | null = null;
  #cancelled = false;
  #wake: (() => void) | null = null;
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly alpn: string | null;

  constructor(tls: TLSSocket, plain: Transport) {
    this.#tls = tls;
    this.#plain = plain;
    this.remoteAddress = plain.remoteAddress;
    this.localAddress = plain.localAddress;
    this.alpn = typeof tls.alpnProtocol === "string" ? tls.alpnProtocol : null;
    tls.on("data", (chunk: Uint8Array) => {
      if (this.#cancelled) return;
      this.#chunks.push(chunk);
      this.#queued += chunk.byteLength;
      if (this.#queued >= HIGH_WATER) tls.pause();
      this.#notify();
    });
    tls.on("end", () => {
      this.#ended = true;
      this.#notify();
    });
    tls.on("error", (err: Error) => {
      this.#error ??= err;
      this.#notify();
    });
    tls.on("close", () => {
      this.#ended = true;
      this.#notify();
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  claim(): void {
    // One owner for good: nothing upgrades a TLS connection again.
  }

  async read(buf: Uint8Array): Promise<number | null> {
    for (;;) {
      if (this.#chunks.length > 0) {
        let n = 0;
        while (n < buf.byteLength && this.#chunks.length > 0) {
          const head = this.#chunks[0];
          const k = Math.min(head.byteLength, buf.byteLength - n);
          buf.set(head.subarray(0, k), n);
          n += k;
          if (k === head.byteLength) this.#chunks.shift();
          else this.#chunks[0] = head.subarray(k);
        }
        this.#queued -= n;
        if (this.#queued < HIGH_WATER && this.#tls.isPaused()) this.#tls.resume();
        return n;
      }
      if (this.#error !== null) throw this.#error;
      if (this.#ended) return 0;
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
  }

  write(data: Uint8Array): Promise<void> {
    if (this.#error !== null) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#tls.write(data, (err?: Error | null) => err ? reject(err) : resolve());
    });
  }

  closeWrite(): Promise<void> {
    const tls = this.#tls;
    if (tls.writableFinished || tls.destroyed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      tls.once("error", onError);
      tls.once("close", () => resolve());
      tls.end(() => {
        tls.off("error", onError);
        resolve();
      });
    });
  }

  cancelRead(): void {
    this.#cancelled = true;
    this.#chunks.length = 0;
    this.#queued = 0;
    if (this.#tls.isPaused()) this.#tls.resume();
  }

  close(): void {
    this.#tls.destroy();
    this.#plain.close();
    this.#ended = true;
    this.#notify();
  }
}
