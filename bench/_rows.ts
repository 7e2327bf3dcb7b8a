/**
 * The Deno-side benchmark rows: the ffi and native Sockets and Deno.Conn doing the same work
 * as the C and node:net peers.
 *
 * @module
 */
import { AF_INET, IPPROTO_TCP, SOCK_STREAM, TCP_NODELAY } from "../constants/mod.ts";
import { socket } from "../socket/create.ts";
import type { Socket } from "../socket/socket.ts";

/** Which backend a row's sockets use. */
export type Backend = "ffi" | "native";

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

async function recvFull(s: Socket, buf: Uint8Array): Promise<void> {
  let got = 0;
  while (got < buf.byteLength) {
    const n = await s.recv(got ? buf.subarray(got) : buf);
    if (n === 0) throw new Error("unexpected end of stream");
    got += n;
  }
}

/** Round trips per second of `size`-byte messages between two Sockets of this process. */
export async function socketPingPong(
  rounds: number,
  size: number,
  backend: Backend = "ffi",
): Promise<number> {
  const [c, s] = await socketPair(backend);
  const echo = (async () => {
    const buf = new Uint8Array(size);
    for (let i = 0; i < rounds; i++) {
      await recvFull(s, buf);
      await s.sendAll(buf);
    }
  })();
  const msg = new Uint8Array(size);
  const back = new Uint8Array(size);
  const t = performance.now();
  for (let i = 0; i < rounds; i++) {
    await c.sendAll(msg);
    await recvFull(c, back);
  }
  const rate = rounds / ((performance.now() - t) / 1000);
  await echo;
  c.close();
  s.close();
  return rate;
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

async function readFull(c: Deno.Conn, buf: Uint8Array): Promise<void> {
  let got = 0;
  while (got < buf.byteLength) {
    const n = await c.read(got ? buf.subarray(got) : buf);
    if (n === null) throw new Error("unexpected end of stream");
    got += n;
  }
}

async function writeFull(c: Deno.Conn, buf: Uint8Array): Promise<void> {
  let off = 0;
  while (off < buf.byteLength) off += await c.write(off ? buf.subarray(off) : buf);
}

/** Round trips per second between two Deno.Conn of this process. */
export async function connPingPong(rounds: number, size: number): Promise<number> {
  const [c, s] = await connPair();
  const echo = (async () => {
    const buf = new Uint8Array(size);
    for (let i = 0; i < rounds; i++) {
      await readFull(s, buf);
      await writeFull(s, buf);
    }
  })();
  const msg = new Uint8Array(size);
  const back = new Uint8Array(size);
  const t = performance.now();
  for (let i = 0; i < rounds; i++) {
    await writeFull(c, msg);
    await readFull(c, back);
  }
  const rate = rounds / ((performance.now() - t) / 1000);
  await echo;
  c.close();
  s.close();
  return rate;
}

/** Bytes per second from one Socket to another through loopback, on `backend`. */
export async function socketBulk(
  bytes: number,
  chunk: number,
  backend: Backend = "ffi",
): Promise<number> {
  const [c, s] = await socketPair(backend);
  const t = performance.now();
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
  const rate = bytes / ((performance.now() - t) / 1000);
  c.close();
  s.close();
  return rate;
}

/** Bytes per second from one Deno.Conn to another through loopback. */
export async function connBulk(bytes: number, chunk: number): Promise<number> {
  const [c, s] = await connPair();
  const t = performance.now();
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
  const rate = bytes / ((performance.now() - t) / 1000);
  c.close();
  s.close();
  return rate;
}

/** socket()+close() pairs per second on the ffi backend. */
export function ffiCreate(count: number): number {
  const t = performance.now();
  for (let i = 0; i < count; i++) socket(AF_INET, SOCK_STREAM, 0, { backend: "ffi" }).close();
  return count / ((performance.now() - t) / 1000);
}
