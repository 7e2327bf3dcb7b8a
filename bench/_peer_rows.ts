/**
 * The benchmark rows against a peer in another process (a C program): the ffi and native
 * Sockets and Deno.Conn / Deno.listen as a client of the C echo server, as a server for a C
 * client, and opening or accepting many connections. Each returns a {@linkcode Sample}
 * measured in this process, so the peer's CPU is never counted.
 *
 * A server row takes a listener already bound (its port was announced to the parent, which
 * started the C client) and returns once the client is done.
 *
 * @module
 */
import { AF_INET, IPPROTO_TCP, SOCK_STREAM, TCP_NODELAY } from "../constants/mod.ts";
import { socket } from "../socket/create.ts";
import type { Socket } from "../socket/socket.ts";
import { type Backend, connIo, pingPong, socketIo, writeFull } from "./_rows.ts";
import { clock, type Sample } from "./_sample.ts";

/** The backlog of every server row: Deno.listen's, which cannot be set. */
export const BACKLOG = 511;
const LOOPBACK = "127.0.0.1";
/** What a server row reads into at a time. */
const BUF = 64 * 1024;

/**
 * `warm` then `rounds` round trips of `size` bytes with the echo server at 127.0.0.1:`port`,
 * TCP_NODELAY on; the clock runs over the last `rounds`.
 */
export async function socketClient(
  port: number,
  rounds: number,
  size: number,
  warm: number,
  backend: Backend,
): Promise<Sample> {
  using c = socket(AF_INET, SOCK_STREAM, 0, { backend });
  await c.connect({ hostname: LOOPBACK, port });
  c.setsockopt(IPPROTO_TCP, TCP_NODELAY, true);
  return await pingPong(socketIo(c), rounds, size, warm);
}

/** {@linkcode socketClient} on Deno.connect. */
export async function connClient(
  port: number,
  rounds: number,
  size: number,
  warm: number,
): Promise<Sample> {
  using c = await Deno.connect({ hostname: LOOPBACK, port });
  c.setNoDelay(true);
  return await pingPong(connIo(c), rounds, size, warm);
}

/** A Socket listening on 127.0.0.1, a port the kernel picks. */
export function socketListener(backend: Backend): Socket {
  const l = socket(AF_INET, SOCK_STREAM, 0, { backend });
  l.bind({ hostname: LOOPBACK, port: 0 });
  l.listen(BACKLOG);
  return l;
}

/** The port `l` listens on. */
export function portOf(l: Socket | Deno.TcpListener): number {
  return "getsockname" in l ? (l.getsockname() as { port: number }).port : l.addr.port;
}

/**
 * Accepts one connection and echoes it until it ends, as the server of the C ping-pong client
 * (`warm` + `rounds` round trips of `size` bytes); the clock starts once the warm-up's bytes are
 * echoed. Throws unless exactly the expected bytes came.
 */
export async function socketServer(
  l: Socket,
  rounds: number,
  size: number,
  warm: number,
): Promise<Sample> {
  const [c] = await l.accept();
  using _c = c;
  c.setsockopt(IPPROTO_TCP, TCP_NODELAY, true);
  const buf = new Uint8Array(BUF);
  const warmBytes = warm * size;
  let echoed = 0;
  let stop = warmBytes ? undefined : clock();
  for (;;) {
    const n = await c.recv(buf);
    if (n === 0) break;
    await c.sendAll(buf.subarray(0, n));
    echoed += n;
    if (!stop && echoed >= warmBytes) stop = clock();
  }
  return checkedServer(stop, echoed, warmBytes, rounds, size);
}

/** {@linkcode socketServer} on Deno.listen. */
export async function connServer(
  l: Deno.TcpListener,
  rounds: number,
  size: number,
  warm: number,
): Promise<Sample> {
  using c = await l.accept();
  c.setNoDelay(true);
  const buf = new Uint8Array(BUF);
  const warmBytes = warm * size;
  let echoed = 0;
  let stop = warmBytes ? undefined : clock();
  for (;;) {
    const n = await c.read(buf);
    if (n === null) break;
    await writeFull(c, buf.subarray(0, n));
    echoed += n;
    if (!stop && echoed >= warmBytes) stop = clock();
  }
  return checkedServer(stop, echoed, warmBytes, rounds, size);
}

function checkedServer(
  stop: ((ops: number, checked?: number) => Sample) | undefined,
  echoed: number,
  warmBytes: number,
  rounds: number,
  size: number,
): Sample {
  if (!stop || echoed !== warmBytes + rounds * size) {
    throw new Error(`echoed ${echoed} bytes, expected ${warmBytes + rounds * size}`);
  }
  return stop(rounds, echoed - warmBytes);
}

/** How a many-connection server counts: accepts, closes, and bytes echoed after the warm-up. */
class Tally {
  accepted = 0;
  closed = 0;
  echoed = 0;
  stop: ((ops: number, checked?: number) => Sample) | undefined;
  #done = Promise.withResolvers<void>();
  constructor(readonly warm: number, readonly total: number) {}
  /** Call on each accept: the clock starts at the first one after the warm-up's. */
  accept(): boolean {
    if (++this.accepted === this.warm + 1) this.stop = clock();
    return this.accepted > this.warm;
  }
  /** Call on each close; the last one ends the wait. */
  close(): void {
    if (++this.closed === this.total) this.#done.resolve();
  }
  fail(err: unknown): void {
    this.#done.reject(err);
  }
  get done(): Promise<void> {
    return this.#done.promise;
  }
}

/**
 * Echoes `warm` and then `conns` connections, all at once, each until it ends, as the server of
 * the C load client (`bytes` each); the clock starts at the first accept after the warm-up's and
 * stops when the last connection has closed. Throws unless each connection echoed `bytes`.
 */
export async function socketManyServer(
  l: Socket,
  conns: number,
  bytes: number,
  warm: number,
): Promise<Sample> {
  const tally = new Tally(warm, warm + conns);
  const echo = async (c: Socket, counted: boolean) => {
    using _c = c;
    const buf = new Uint8Array(BUF);
    let n = 0;
    let got = 0;
    while ((n = await c.recv(buf)) > 0) {
      await c.sendAll(buf.subarray(0, n));
      got += n;
    }
    if (got !== bytes) throw new Error(`a connection echoed ${got} bytes, expected ${bytes}`);
    if (counted) tally.echoed += got;
  };
  const accepting = (async () => {
    while (tally.accepted < tally.total) {
      const [c] = await l.accept();
      echo(c, tally.accept()).then(() => tally.close(), (err) => tally.fail(err));
    }
  })();
  await Promise.all([accepting, tally.done]);
  return tally.stop!(conns, tally.echoed);
}

/** {@linkcode socketManyServer} on Deno.listen. */
export async function connManyServer(
  l: Deno.TcpListener,
  conns: number,
  bytes: number,
  warm: number,
): Promise<Sample> {
  const tally = new Tally(warm, warm + conns);
  const echo = async (c: Deno.Conn, counted: boolean) => {
    using _c = c;
    const buf = new Uint8Array(BUF);
    let got = 0;
    for (;;) {
      const n = await c.read(buf);
      if (n === null) break;
      await writeFull(c, buf.subarray(0, n));
      got += n;
    }
    if (got !== bytes) throw new Error(`a connection echoed ${got} bytes, expected ${bytes}`);
    if (counted) tally.echoed += got;
  };
  const accepting = (async () => {
    while (tally.accepted < tally.total) {
      const c = await l.accept();
      echo(c, tally.accept()).then(() => tally.close(), (err) => tally.fail(err));
    }
  })();
  await Promise.all([accepting, tally.done]);
  return tally.stop!(conns, tally.echoed);
}

/**
 * Accepts `warm` + `count` connections one after another and closes each at once; the clock
 * starts at the first accept after the warm-up's.
 */
export async function socketAcceptClose(l: Socket, count: number, warm: number): Promise<Sample> {
  const tally = new Tally(warm, warm + count);
  while (tally.accepted < tally.total) {
    const [c] = await l.accept();
    tally.accept();
    c.close();
  }
  return tally.stop!(count);
}

/** {@linkcode socketAcceptClose} on Deno.listen. */
export async function connAcceptClose(
  l: Deno.TcpListener,
  count: number,
  warm: number,
): Promise<Sample> {
  const tally = new Tally(warm, warm + count);
  while (tally.accepted < tally.total) {
    const c = await l.accept();
    tally.accept();
    c.close();
  }
  return tally.stop!(count);
}

/**
 * `warm` + `count` connections to the C server at 127.0.0.1:`port`, one after another, which
 * closes each as it accepts it: connect, wait for the end of stream, close (so the server, not
 * this process, holds the TIME_WAIT, and 20,000 connections never run out of ports).
 */
export async function socketConnectClose(
  port: number,
  count: number,
  warm: number,
  backend: Backend,
): Promise<Sample> {
  const buf = new Uint8Array(16);
  let stop = clock();
  for (let i = 0; i < warm + count; i++) {
    if (i === warm) stop = clock();
    using c = socket(AF_INET, SOCK_STREAM, 0, { backend });
    await c.connect({ hostname: LOOPBACK, port });
    const n = await c.recv(buf);
    if (n !== 0) throw new Error(`the server sent ${n} bytes`);
  }
  return stop(count);
}

/** {@linkcode socketConnectClose} on Deno.connect. */
export async function connConnectClose(
  port: number,
  count: number,
  warm: number,
): Promise<Sample> {
  const buf = new Uint8Array(16);
  let stop = clock();
  for (let i = 0; i < warm + count; i++) {
    if (i === warm) stop = clock();
    using c = await Deno.connect({ hostname: LOOPBACK, port });
    const n = await c.read(buf);
    if (n !== null) throw new Error(`the server sent ${n} bytes`);
  }
  return stop(count);
}
