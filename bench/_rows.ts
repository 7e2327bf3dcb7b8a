/**
 * The in-process benchmark rows: the ffi and native Sockets and Deno.Conn doing the same work
 * as the C and node:net programs, both ends in this process. Each returns a {@linkcode Sample}
 * measured here (the CPU is both ends').
 *
 * @module
 */
import { AF_INET, IPPROTO_TCP, SOCK_STREAM, TCP_NODELAY } from "../constants/mod.ts";
import { socket } from "../socket/create.ts";
import type { Socket } from "../socket/socket.ts";
import { clock, type Sample } from "./_sample.ts";

/** Which backend a row's sockets use. */
export type Backend = "ffi" | "native";

const MiB = 1024 * 1024;

/** A connected TCP pair on loopback, on `backend`. */
export async function socketPair(backend: Backend): Promise<[Socket, Socket]> {
  using listener = socket(AF_INET, SOCK_STREAM, 0, { backend });
  listener.bind({ hostname: "127.0.0.1", port: 0 });
  listener.listen(1);
  const client = socket(AF_INET, SOCK_STREAM, 0, { backend });
  const accepted = listener.accept();
  await client.connect(listener.getsockname());
  const [server] = await accepted;
  client.setsockopt(IPPROTO_TCP, TCP_NODELAY, true);
  server.setsockopt(IPPROTO_TCP, TCP_NODELAY, true);
  return [client, server];
}

/** Fills `buf` from `s`; an end of stream first is an error. */
export async function recvFull(s: Socket, buf: Uint8Array): Promise<void> {
  let got = 0;
  while (got < buf.byteLength) {
    const n = await s.recv(got ? buf.subarray(got) : buf);
    if (n === 0) {
      throw new Error(`unexpected end of stream after ${got} of ${buf.byteLength} bytes`);
    }
    got += n;
  }
}

/** The two calls a ping-pong client makes per round trip. */
export interface RoundTrip {
  /** Sends all of `buf`. */
  send(buf: Uint8Array): Promise<void>;
  /** Fills `buf`. */
  recv(buf: Uint8Array): Promise<void>;
}

/** {@linkcode RoundTrip} on a Socket. */
export function socketIo(s: Socket): RoundTrip {
  return { send: (b) => s.sendAll(b), recv: (b) => recvFull(s, b) };
}

/** {@linkcode RoundTrip} on a Deno.Conn. */
export function connIo(c: Deno.Conn): RoundTrip {
  return { send: (b) => writeFull(c, b), recv: (b) => readFull(c, b) };
}

/**
 * The client side of a ping-pong: `warm` then `rounds` round trips of `size`-byte messages
 * through `io`, each echo checked; the clock runs over the last `rounds`.
 */
export async function pingPong(
  io: RoundTrip,
  rounds: number,
  size: number,
  warm: number,
): Promise<Sample> {
  const msg = new Uint8Array(size);
  const back = new Uint8Array(size);
  let stop = clock();
  for (let i = 0; i < warm + rounds; i++) {
    if (i === warm) stop = clock();
    msg[0] = i;
    await io.send(msg);
    await io.recv(back);
    if (back[0] !== msg[0]) throw new Error(`round ${i} came back different`);
  }
  return stop(rounds, rounds * size);
}

/**
 * `warm` then `rounds` round trips of `size`-byte messages between two Sockets of this process
 * (the clock runs over the last `rounds`).
 */
export async function socketPingPong(
  rounds: number,
  size: number,
  warm: number,
  backend: Backend,
): Promise<Sample> {
  const [c, s] = await socketPair(backend);
  using _c = c;
  using _s = s;
  const echo = (async () => {
    const buf = new Uint8Array(size);
    for (let i = 0; i < warm + rounds; i++) {
      await recvFull(s, buf);
      await s.sendAll(buf);
    }
  })();
  const sample = await pingPong(socketIo(c), rounds, size, warm);
  await echo;
  return sample;
}

async function connPair(): Promise<[Deno.TcpConn, Deno.TcpConn]> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const server = await accepted;
  client.setNoDelay(true);
  server.setNoDelay(true);
  return [client, server];
}

/** Fills `buf` from `c`; an end of stream first is an error. */
export async function readFull(c: Deno.Conn, buf: Uint8Array): Promise<void> {
  let got = 0;
  while (got < buf.byteLength) {
    const n = await c.read(got ? buf.subarray(got) : buf);
    if (n === null) {
      throw new Error(`unexpected end of stream after ${got} of ${buf.byteLength} bytes`);
    }
    got += n;
  }
}

/** Writes all of `buf` to `c`. */
export async function writeFull(c: Deno.Conn, buf: Uint8Array): Promise<void> {
  let off = 0;
  while (off < buf.byteLength) off += await c.write(off ? buf.subarray(off) : buf);
}

/** {@linkcode socketPingPong} between two Deno.Conn of this process. */
export async function connPingPong(rounds: number, size: number, warm: number): Promise<Sample> {
  const [c, s] = await connPair();
  using _c = c;
  using _s = s;
  const echo = (async () => {
    const buf = new Uint8Array(size);
    for (let i = 0; i < warm + rounds; i++) {
      await readFull(s, buf);
      await writeFull(s, buf);
    }
  })();
  const sample = await pingPong(connIo(c), rounds, size, warm);
  await echo;
  return sample;
}

/** `bytes` from one Socket to another through loopback in `chunk`-byte sends; ops are MiB. */
export async function socketBulk(bytes: number, chunk: number, backend: Backend): Promise<Sample> {
  const [c, s] = await socketPair(backend);
  using _c = c;
  using _s = s;
  const stop = clock();
  const reader = (async () => {
    const buf = new Uint8Array(chunk);
    let got = 0;
    for (;;) {
      const n = await s.recv(buf);
      if (n === 0) return got;
      got += n;
    }
  })();
  const buf = new Uint8Array(chunk);
  for (let left = bytes; left > 0; left -= chunk) {
    await c.sendAll(left >= chunk ? buf : buf.subarray(0, left));
  }
  c.shutdown(1);
  const got = await reader;
  if (got !== bytes) throw new Error(`short bulk transfer: ${got} of ${bytes}`);
  return stop(bytes / MiB, got);
}

/** {@linkcode socketBulk} from one Deno.Conn to another. */
export async function connBulk(bytes: number, chunk: number): Promise<Sample> {
  const [c, s] = await connPair();
  using _c = c;
  using _s = s;
  const stop = clock();
  const reader = (async () => {
    const buf = new Uint8Array(chunk);
    let got = 0;
    for (;;) {
      const n = await s.read(buf);
      if (n === null) return got;
      got += n;
    }
  })();
  const buf = new Uint8Array(chunk);
  for (let left = bytes; left > 0; left -= chunk) {
    await writeFull(c, left >= chunk ? buf : buf.subarray(0, left));
  }
  await c.closeWrite();
  const got = await reader;
  if (got !== bytes) throw new Error(`short bulk transfer: ${got} of ${bytes}`);
  return stop(bytes / MiB, got);
}

/** `count` socket()+close() pairs on the ffi backend. */
export function ffiCreate(count: number): Sample {
  const stop = clock();
  for (let i = 0; i < count; i++) socket(AF_INET, SOCK_STREAM, 0, { backend: "ffi" }).close();
  return stop(count);
}
