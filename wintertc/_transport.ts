/**
 * What a Sockets API socket reads from and writes to: a byte stream with an
 * owner. {@linkcode SocketTransport} is a connected stream Socket of this
 * package (either backend); `_tls.ts` puts TLS over one.
 *
 * Reads name their owner. `startTls()` hands the connection to a new owner (the
 * TLS layer) while the old socket's reader may still have a read in flight
 * (a driver's read loop whose reader was released): what that read brings is
 * kept for the new owner — the server's first handshake bytes — and the old
 * reader gets `null`.
 *
 * @module
 */
import { linux as C } from "../constants/linux.ts";
import { formatSockAddr } from "../address/format.ts";
import type { Socket } from "../socket/socket.ts";

/** A connected byte stream under a Sockets API socket. */
export interface Transport {
  /** Reads into `buf`: bytes read, `0` at end of stream, `null` when `owner` no longer owns it. */
  read(buf: Uint8Array, owner: object): Promise<number | null>;
  /** Makes `owner` the one reader; a read of the former owner still in flight keeps its bytes. */
  claim(owner: object): void;
  /** Writes every byte of `data`. */
  write(data: Uint8Array): Promise<void>;
  /** Ends the write side (FIN; for TLS, close_notify first). */
  closeWrite(): Promise<void>;
  /** Stops reading (shutdown(SHUT_RD) where there is one); never throws. */
  cancelRead(): void;
  /** Closes the connection; pending reads and writes settle. Idempotent. */
  close(): void;
  /** The peer as `"host:port"` (`"[v6]:port"`). */
  readonly remoteAddress: string;
  /** This end as `"host:port"`. */
  readonly localAddress: string;
  /** The ALPN protocol TLS agreed on, or `null`. */
  readonly alpn: string | null;
}

/** A connected stream Socket as a {@linkcode Transport}: recv(2), sendAll, shutdown(2). */
export class SocketTransport implements Transport {
  readonly #sock: Socket;
  #owner: object;
  /** Bytes a read of a former owner brought, for the current one. */
  #held: Uint8Array | null = null;
  /** A read of a former owner met end of stream. */
  #heldEnd = false;
  /** Reads run one after another, so the held bytes come first. */
  #tail: Promise<unknown> = Promise.resolve();
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly alpn: null = null;

  /**
   * @param sock A connected stream socket; the transport closes it.
   * @param owner Who reads first.
   */
  constructor(sock: Socket, owner: object) {
    this.#sock = sock;
    this.#owner = owner;
    this.remoteAddress = formatSockAddr(sock.getpeername());
    this.localAddress = formatSockAddr(sock.getsockname());
  }

  claim(owner: object): void {
    this.#owner = owner;
  }

  read(buf: Uint8Array, owner: object): Promise<number | null> {
    const run = this.#tail.then(() => this.#read(buf, owner));
    this.#tail = run.catch(() => {});
    return run;
  }

  async #read(buf: Uint8Array, owner: object): Promise<number | null> {
    if (owner !== this.#owner) return null;
    const held = this.#held;
    if (held !== null) {
      const n = Math.min(held.byteLength, buf.byteLength);
      buf.set(held.subarray(0, n));
      this.#held = n === held.byteLength ? null : held.subarray(n);
      return n;
    }
    if (this.#heldEnd) return 0;
    const n = await this.#sock.recv(buf);
    if (owner === this.#owner) return n;
    if (n === 0) this.#heldEnd = true;
    else this.#held = buf.slice(0, n);
    return null;
  }

  write(data: Uint8Array): Promise<void> {
    return this.#sock.sendAll(data);
  }

  // deno-lint-ignore require-await
  async closeWrite(): Promise<void> {
    if (!this.#sock.closed) this.#sock.shutdown(C.SHUT_WR);
  }

  cancelRead(): void {
    try {
      if (!this.#sock.closed) this.#sock.shutdown(C.SHUT_RD);
    } catch {
      // Already reset by the peer: nothing left to stop.
    }
  }

  close(): void {
    this.#sock.close();
  }
}
