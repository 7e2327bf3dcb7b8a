/**
 * The WinterTC Sockets API (`cloudflare:sockets`) on Deno, Node and Bun:
 * {@linkcode connect} returns a {@linkcode Socket} with `readable`, `writable`,
 * `opened`, `closed`, `close()` and `startTls()`, as the draft
 * (https://sockets-api.proposal.wintertc.org/) defines them, so a client
 * written for Workers — a database driver, an SMTP or Redis client — runs
 * here unchanged but for its import.
 *
 * Each socket is a stream Socket of this package (the ffi backend whenever FFI
 * is permitted, else native, as `socket()` chooses), and TLS (`secureTransport`
 * `"on"`, or `"starttls"` then `startTls()`) is `node:tls` over that socket on
 * all three runtimes. Certificates are checked against the runtime's default
 * CAs; `DENO_CERT` (Deno) or `NODE_EXTRA_CA_CERTS` (Node, Bun) adds one.
 *
 * @example An echo over loopback
 * ```ts
 * import { connect } from "@bsdsock/socket/wintertc";
 * import { listen } from "@bsdsock/socket/stream";
 * import { assertEquals } from "@std/assert";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * const { port } = server.getsockname() as { port: number };
 * const echo = server.accept().then(async ([conn]) => {
 *   await conn.readable.pipeTo(conn.writable); // echo until the client's FIN
 *   conn.close();
 * });
 *
 * const socket = connect(`127.0.0.1:${port}`);
 * const writer = socket.writable.getWriter();
 * await writer.write("Hello, World!\r\n");
 * await writer.close(); // FIN: the server's loop ends
 * const text = await new Response(socket.readable).text();
 * assertEquals(text, "Hello, World!\r\n");
 * await socket.close();
 * await echo;
 * ```
 *
 * @module
 */
import { connect as streamConnect } from "../socket/stream.ts";
import { CHUNK_SIZE } from "../socket/_web_streams.ts";
import { type Options, parseAddress, parseOptions, type Target } from "./_address.ts";
import { SocketTransport, type Transport } from "./_transport.ts";
import { startTls as tlsOver } from "./_tls.ts";

/** Where {@linkcode connect} goes: a host name or IP literal and a port. */
export interface SocketAddress {
  /** A host name (`"example.com"`) or IP literal (`"192.0.2.1"`, `"::1"` or `"[::1]"`). */
  hostname: string;
  /** The port, 0 to 65535. */
  port: number;
}

/** A {@linkcode SocketAddress}, or the same as text: `"example.com:443"`, `"[::1]:443"`. */
export type AnySocketAddress = string | SocketAddress;

/** How {@linkcode connect} secures the connection. */
export type SecureTransportKind = "off" | "on" | "starttls";

/** The options of {@linkcode connect}. */
export interface SocketOptions {
  /**
   * `"off"` (the default): plain text. `"on"`: TLS from the start, checked
   * against the default CAs. `"starttls"`: plain text until
   * {@linkcode Socket.startTls} is called.
   */
  secureTransport?: SecureTransportKind;
  /**
   * `false` (the default): when the peer ends its side (FIN) or resets the
   * connection while `readable` is being read, the socket closes its writable
   * side and itself, and `closed` resolves. `true`: the readable ends and the
   * writable stays usable (half-open).
   */
  allowHalfOpen?: boolean;
  /** The Server Name Indication to send, and the name the certificate must carry (TLS only). */
  sni?: string | null;
  /** The ALPN protocols to offer, in order of preference (TLS only). */
  alpn?: string[];
  /**
   * Not in the draft: which backend of this package carries the socket
   * (`socket()`'s option; default `"auto"`).
   */
  backend?: "auto" | "ffi" | "native";
}

/** What {@linkcode Socket.opened} resolves with. */
export interface SocketInfo {
  /** The peer, `"host:port"` (`"[v6]:port"` for IPv6): the address actually connected to. */
  remoteAddress: string | null;
  /** This end, `"host:port"`. */
  localAddress: string | null;
  /** The protocol the server chose from `alpn`, or `null` (none agreed, or no TLS). */
  alpn: string | null;
}

/** The options of {@linkcode Socket.startTls}, as Cloudflare's runtime has them. */
export interface TlsOptions {
  /**
   * The name the server's certificate must carry, and the SNI to send, when it
   * is not the `sni` option or the hostname connected to.
   */
  expectedServerHostname?: string;
}

/** A chunk the writable takes: bytes, or a string (sent as UTF-8, as Workers do). */
export type SocketChunk = ArrayBuffer | ArrayBufferView | string;

/**
 * The draft's `SocketError`: a `TypeError` whose message starts with
 * `"SocketError: "`. A failure the kernel reported carries this package's
 * `SocketError` (with `errno`, `code`, `syscall`) as its `cause`; a TLS failure
 * carries the runtime's TLS error.
 *
 * @example A malformed address
 * ```ts
 * import { connect, SocketError } from "@bsdsock/socket/wintertc";
 * import { assertInstanceOf, assertMatch, assertThrows } from "@std/assert";
 *
 * const err = assertThrows(() => connect("example.com"), SocketError);
 * assertInstanceOf(err, TypeError);
 * assertMatch(err.message, /^SocketError: The address is missing a port/);
 * ```
 */
export class SocketError extends TypeError {
  /**
   * Makes the error.
   *
   * @param message What failed; `"SocketError: "` is put before it.
   * @param options `cause`: the error underneath.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(`SocketError: ${message}`, options);
  }
}

/** `err` as the draft's SocketError, its cause kept. */
function socketError(err: unknown): SocketError {
  if (err instanceof SocketError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SocketError(message, { cause: err });
}

const encoder = new TextEncoder();

function bytesOf(chunk: unknown): Uint8Array {
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) {
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  throw new TypeError(
    `A socket's writable takes an ArrayBuffer, an ArrayBufferView or a string, got ${typeof chunk}`,
  );
}

const token = Symbol("wintertc.Socket");

/** `Promise.withResolvers()`, which Node 20 lacks. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** How a socket gets its connection (the abort signal is `close()`'s). */
type Open = (owner: object, signal: AbortSignal) => Promise<Transport>;

/** The host a TLS handshake checks: `sni`, else the host connected to. */
function tlsHost(target: Target, options: Options): string {
  return options.sni ?? target.hostname;
}

/**
 * A connection made by {@linkcode connect}: the draft's `Socket` interface,
 * with Cloudflare's `upgraded` and `secureTransport` attributes.
 *
 * `readable` is a byte stream (a default or a BYOB reader) read only as fast as
 * it is consumed; `writable` takes bytes or strings, each sent whole before the
 * next is taken, and closing it ends the write side (FIN). Both can be used at
 * once: what is written before `opened` resolves is sent when it does.
 */
export class Socket {
  readonly #readable: ReadableStream<Uint8Array>;
  readonly #writable: WritableStream<SocketChunk>;
  readonly #opened = deferred<SocketInfo>();
  readonly #closed = deferred<void>();
  readonly #ready: Promise<Transport>;
  readonly #target: Target;
  readonly #options: Options;
  readonly #abort = new AbortController();
  /** The reader's identity for the transport (a new one per owner). */
  readonly #owner: object = {};
  #rc!: ReadableByteStreamController;
  #wc!: WritableStreamDefaultController;
  /** `"closed"` once close() ran, the connection failed, the peer ended it or startTls took it. */
  #state: "opening" | "open" | "closed" = "opening";
  #transport: Transport | undefined;
  #upgraded = false;
  #tlsStarted = false;
  /** Chunks the writable took (its size function counts them). */
  #enqueued = 0;
  /** Chunks the sink started on. */
  #started = 0;
  /** Chunks the sink finished (sent or failed). */
  #written = 0;
  /** No more chunks will reach the sink: it failed, or the stream was errored. */
  #writableDead = false;
  /** Chunks beyond this (startTls was called) are refused. */
  #writeLimit = Infinity;
  #flushWaiters: { limit: number; resolve: () => void }[] = [];
  #readDone = false;
  #writeDone = false;

  /**
   * Not for direct use: see {@linkcode connect}.
   *
   * @ignore
   */
  constructor(key: typeof token, target: Target, options: Options, open: Open) {
    if (key !== token) throw new TypeError("Use connect() to make a Socket");
    this.#target = target;
    this.#options = options;
    // The draft: both promises are marked as handled.
    this.#opened.promise.catch(() => {});
    this.#closed.promise.catch(() => {});
    this.#readable = new ReadableStream({
      type: "bytes",
      autoAllocateChunkSize: CHUNK_SIZE,
      start: (c) => void (this.#rc = c),
      pull: (c) => this.#pull(c),
      cancel: () => {
        this.#readDone = true;
        this.#transport?.cancelRead();
        this.#release();
      },
    }, { highWaterMark: 0 });
    this.#writable = new WritableStream<SocketChunk>({
      start: (c) => void (this.#wc = c),
      write: (chunk) => this.#write(chunk),
      close: () => this.#closeWritable(),
      abort: () => {
        this.#writeDone = true;
        this.#ready.then((t) => t.closeWrite()).catch(() => {});
        this.#release();
      },
    }, {
      highWaterMark: 1,
      size: () => {
        this.#enqueued++;
        return 1;
      },
    });
    this.#ready = open(this.#owner, this.#abort.signal).then((t) => {
      if (this.#state !== "opening") {
        t.close();
        throw new SocketError("The socket was closed before it opened");
      }
      this.#state = "open";
      this.#transport = t;
      this.#opened.resolve({
        remoteAddress: t.remoteAddress,
        localAddress: t.localAddress,
        alpn: t.alpn,
      });
      if (this.#readDone) t.cancelRead();
      this.#release();
      return t;
    }, (err) => {
      const e = socketError(err);
      if (this.#state === "opening") this.#fail(e);
      throw e;
    });
    this.#ready.catch(() => {});
  }

  /** What the server sends: a byte stream, ended by the peer's FIN. */
  get readable(): ReadableStream<Uint8Array> {
    return this.#readable;
  }

  /** What goes to the server: bytes or strings (UTF-8); closing it sends FIN. */
  get writable(): WritableStream<SocketChunk> {
    return this.#writable;
  }

  /**
   * Resolves with the {@linkcode SocketInfo} once connected (for TLS: once the
   * handshake is complete and the certificate checked); rejects with a
   * {@linkcode SocketError} when the connection fails, or with `close()`'s
   * reason when closed first. Marked as handled.
   */
  get opened(): Promise<SocketInfo> {
    return this.#opened.promise;
  }

  /**
   * Resolves when `close()` is called, when the peer ends the connection while
   * `readable` is read (unless `allowHalfOpen`), or when `startTls()` takes the
   * connection over; rejects with the {@linkcode SocketError} of a connection
   * that could not be made. Cancelling `readable` or closing `writable` does
   * not settle it. Marked as handled.
   */
  get closed(): Promise<void> {
    return this.#closed.promise;
  }

  /**
   * Whether {@linkcode Socket.startTls} has taken this socket's connection over
   * (set just before `closed` resolves for it), as on Cloudflare.
   */
  get upgraded(): boolean {
    return this.#upgraded;
  }

  /** The socket's `secureTransport`: `"on"` for the socket `startTls()` returns. */
  get secureTransport(): SecureTransportKind {
    return this.#options.secureTransport;
  }

  /**
   * Closes the socket and its connection at once: `readable` is cancelled and
   * `writable` aborted — with `reason` when one is given, so pending reads and
   * writes reject with it (without one, reads end and writes reject with a
   * {@linkcode SocketError}); a pending `opened` rejects with `reason` (or a
   * SocketError); a connection attempt or handshake under way is abandoned.
   * A write still in progress is cut short: await writes first to be sure
   * they are sent.
   *
   * @param reason Passed on to both streams and to a pending `opened`.
   * @returns The {@linkcode Socket.closed} promise.
   */
  close(reason?: unknown): Promise<void> {
    if (this.#state === "closed") return this.#closed.promise;
    const opening = this.#state === "opening";
    this.#state = "closed";
    const err = reason ?? new SocketError("The socket was closed");
    if (opening) {
      this.#opened.reject(reason ?? new SocketError("The socket was closed before it opened"));
    }
    this.#abort.abort(err);
    this.#endReadable(reason);
    this.#errorWritable(err);
    // After startTls() the connection is the new socket's, even while it waits for the flush.
    if (!this.#tlsStarted) this.#transport?.close();
    this.#transport = undefined;
    this.#closed.resolve();
    return this.#closed.promise;
  }

  /**
   * Upgrades a `secureTransport: "starttls"` socket to TLS over the same
   * connection: once what was written is sent, this socket is closed (its
   * `upgraded` becomes `true`, its streams stop working and `closed` resolves)
   * and the returned socket runs the handshake; its `opened` resolves when the
   * handshake is complete. Bytes a read still in flight on this socket gets
   * belong to the handshake and go to the new socket.
   *
   * @param options `expectedServerHostname`, as on Cloudflare.
   * @returns The TLS socket.
   * @throws {SocketError} On a TLS socket, without `"starttls"`, on a second
   *   call, and on a closed socket.
   */
  startTls(options?: TlsOptions): Socket {
    const kind = this.#options.secureTransport;
    if (kind === "on") throw new SocketError("Cannot startTls on a TLS socket");
    if (kind !== "starttls") {
      throw new SocketError(
        'The secureTransport option must be "starttls" for startTls() to be used',
      );
    }
    if (this.#tlsStarted) throw new SocketError("startTls() can be called only once");
    if (this.#state === "closed") throw new SocketError("The socket is closed");
    if (options !== undefined && (options === null || typeof options !== "object")) {
      throw new TypeError("startTls() options must be an object");
    }
    const expected = options?.expectedServerHostname;
    if (expected !== undefined && (typeof expected !== "string" || expected === "")) {
      throw new TypeError("expectedServerHostname must be a non-empty string");
    }
    this.#tlsStarted = true;
    this.#writeLimit = this.#enqueued;
    const host = expected ?? tlsHost(this.#target, this.#options);
    const handOver = this.#handOver();
    handOver.catch(() => {});
    const options2: Options = { ...this.#options, secureTransport: "on" };
    return new Socket(token, this.#target, options2, async (owner, signal) => {
      const plain = await handOver;
      if (signal.aborted) {
        plain.close();
        signal.throwIfAborted();
      }
      plain.claim(owner);
      return tlsOver(plain, owner, { host, alpn: this.#options.alpn }, signal);
    });
  }

  /** Waits for the writes taken before startTls(), then gives the connection up. */
  async #handOver(): Promise<Transport> {
    const t = await this.#ready;
    await this.#flushed(this.#writeLimit);
    const detached = new SocketError(
      "The socket was upgraded by startTls(): use the socket it returned",
    );
    this.#state = "closed";
    this.#transport = undefined;
    t.claim({});
    this.#errorReadable(detached);
    this.#errorWritable(detached);
    this.#upgraded = true;
    this.#closed.resolve();
    return t;
  }

  async #pull(c: ReadableByteStreamController): Promise<void> {
    const t = await this.#ready;
    const req = c.byobRequest!;
    const view = new Uint8Array(req.view!.buffer, req.view!.byteOffset, req.view!.byteLength);
    let n: number | null;
    try {
      n = await t.read(view, this.#owner);
    } catch (err) {
      if (this.#state === "closed" || this.#readDone) return;
      this.#errorReadable(socketError(err));
      if (!this.#options.allowHalfOpen) this.#peerClosed(false);
      else this.#release();
      return;
    }
    if (n === null || this.#state === "closed") return;
    if (n > 0) {
      req.respond(n);
      return;
    }
    this.#readDone = true;
    c.close();
    req.respond(0);
    if (!this.#options.allowHalfOpen) this.#peerClosed(true);
    else this.#release();
  }

  async #write(chunk: SocketChunk): Promise<void> {
    const seq = ++this.#started;
    try {
      if (seq > this.#writeLimit) {
        throw new SocketError(
          "The socket is being upgraded by startTls(): write to the new socket",
        );
      }
      const bytes = bytesOf(chunk);
      const t = await this.#ready;
      if (bytes.byteLength > 0) await t.write(bytes);
    } catch (err) {
      this.#writableDead = true;
      throw err instanceof TypeError ? err : socketError(err);
    } finally {
      this.#written++;
      this.#wakeFlushers();
    }
  }

  async #closeWritable(): Promise<void> {
    const t = await this.#ready;
    try {
      await t.closeWrite();
    } catch (err) {
      throw socketError(err);
    } finally {
      this.#writeDone = true;
      this.#writableDead = true;
      this.#wakeFlushers();
      this.#release();
    }
  }

  /**
   * Resolves once the sink has finished chunk `limit` (or will take no more),
   * and no write is under way: the connection is then free for what comes next.
   */
  #flushed(limit: number): Promise<void> {
    if (this.#isFlushed(limit)) return Promise.resolve();
    return new Promise((resolve) => this.#flushWaiters.push({ limit, resolve }));
  }

  #isFlushed(limit: number): boolean {
    return (this.#written >= limit || this.#writableDead) && this.#written >= this.#started;
  }

  #wakeFlushers(): void {
    this.#flushWaiters = this.#flushWaiters.filter((w) => {
      if (!this.#isFlushed(w.limit)) return true;
      w.resolve();
      return false;
    });
  }

  /**
   * The peer ended the connection (FIN, or a reset) while `readable` was read,
   * without `allowHalfOpen`: what was written before goes out, then the write
   * side ends, the connection closes and `closed` resolves.
   */
  async #peerClosed(fin: boolean): Promise<void> {
    const t = this.#transport;
    await this.#flushed(this.#enqueued);
    if (this.#state === "closed" || t === undefined) return;
    this.#state = "closed";
    this.#transport = undefined;
    this.#errorWritable(new SocketError("The peer closed the connection"));
    if (fin && !this.#writeDone) await t.closeWrite().catch(() => {});
    t.close();
    this.#closed.resolve();
  }

  /** Both directions are done: the connection is closed (`closed` waits for close()). */
  #release(): void {
    if (this.#readDone && this.#writeDone && this.#state === "open") {
      this.#transport?.close();
    }
  }

  /** close()'s side of cancelling readable: reads end, or reject with the reason. */
  #endReadable(reason: unknown): void {
    if (reason !== undefined) return this.#errorReadable(reason);
    if (this.#readDone) return;
    this.#readDone = true;
    try {
      this.#rc.close();
      this.#rc.byobRequest?.respond(0);
    } catch {
      // Already closed or errored.
    }
  }

  #errorReadable(err: unknown): void {
    this.#readDone = true;
    try {
      this.#rc.error(err);
    } catch {
      // Already closed or errored.
    }
  }

  #errorWritable(err: unknown): void {
    this.#writableDead = true;
    this.#wakeFlushers();
    try {
      this.#wc.error(err);
    } catch {
      // Already closed or errored.
    }
  }

  #fail(err: SocketError): void {
    this.#state = "closed";
    this.#opened.reject(err);
    this.#closed.reject(err);
    this.#errorReadable(err);
    this.#errorWritable(err);
  }
}

/**
 * Opens a TCP connection, as the WinterTC Sockets API's `connect()`: returns
 * the {@linkcode Socket} at once, in a pending state, and connects in the
 * background (a host name is resolved and each address tried in turn). Its
 * streams can be used at once; `opened` says when the connection is made.
 *
 * @param address `"host:port"` (`"[::1]:443"` for IPv6) or `{ hostname, port }`.
 * @param options `secureTransport`, `allowHalfOpen`, `sni`, `alpn`.
 * @returns The socket, pending.
 * @throws {SocketError} A malformed address (no port, an invalid host or port).
 * @throws {TypeError} An option of the wrong type or value; `sni` or `alpn` without TLS.
 *
 * @example A refused connection
 * ```ts
 * import { connect, SocketError } from "@bsdsock/socket/wintertc";
 * import { listen } from "@bsdsock/socket/stream";
 * import { assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
 *
 * const server = listen({ hostname: "127.0.0.1", port: 0 });
 * const { port } = server.getsockname() as { port: number };
 * server.close(); // nothing listens there now
 * const socket = connect({ hostname: "127.0.0.1", port });
 * const err = await assertRejects(() => socket.opened, SocketError);
 * assertEquals((err.cause as { code: string }).code, "ECONNREFUSED");
 * await assertRejects(() => socket.closed, SocketError);
 * ```
 */
export function connect(address: AnySocketAddress, options?: SocketOptions): Socket {
  const target = parseAddress(address);
  if (typeof target === "string") throw new SocketError(target);
  const opts = parseOptions(options);
  return new Socket(token, target, opts, async (owner, signal) => {
    const sock = await streamConnect(
      { hostname: target.hostname, port: target.port },
      { backend: opts.backend, signal },
    );
    let plain: Transport;
    try {
      plain = new SocketTransport(sock, owner);
    } catch (err) {
      sock.close();
      throw err;
    }
    if (signal.aborted) {
      plain.close();
      signal.throwIfAborted();
    }
    if (opts.secureTransport !== "on") return plain;
    return tlsOver(plain, owner, { host: tlsHost(target, opts), alpn: opts.alpn }, signal);
  });
}
