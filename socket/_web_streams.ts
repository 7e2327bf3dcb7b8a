/**
 * The web streams of a connected stream socket: one `ReadableStream` and one
 * `WritableStream` per Socket, made on first use and kept, behind the
 * `Socket.readable` / `Socket.writable` getters (as on `Deno.Conn`) and the
 * `readable(sock)` / `writable(sock)` functions of the stream module.
 *
 * It imports the Socket only as a type, so socket.ts can import it without a cycle.
 *
 * @module
 */
import { linux as C } from "../constants/linux.ts";
import type { Socket } from "./socket.ts";

/** The largest chunk one pull of a default reader reads. */
export const CHUNK_SIZE = 65536;

const readables = new WeakMap<Socket, ReadableStream<Uint8Array>>();
const writables = new WeakMap<Socket, WritableStream<Uint8Array>>();

/**
 * The socket's readable byte stream, made on the first call and the same one after.
 * Each pull is one recv(2) into the reader's buffer (a BYOB reader's own, or a
 * `chunkSize` one a default reader gets), so nothing is read ahead of what the
 * consumer asks for and the peer feels the backpressure. End of stream closes
 * it; cancelling it is shutdown(SHUT_RD); a failed recv (or close()) errors it.
 *
 * @param sock A connected stream socket.
 * @param chunkSize The largest chunk one pull of a default reader reads; used
 *   by the call that makes the stream.
 * @returns The socket's stream.
 */
export function readableOf(
  sock: Socket,
  chunkSize: number = CHUNK_SIZE,
): ReadableStream<Uint8Array> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  let stream = readables.get(sock);
  if (stream === undefined) {
    stream = makeReadable(sock, chunkSize);
    readables.set(sock, stream);
  }
  return stream;
}

/**
 * The socket's writable byte stream, made on the first call and the same one
 * after. Each chunk is sent in full (`sendAll`) before the next is taken, so a
 * slow peer holds the writer back; closing it is shutdown(SHUT_WR) (the peer
 * reads end of stream, and the socket can still read); aborting it closes the socket.
 *
 * @param sock A connected stream socket.
 * @returns The socket's stream.
 */
export function writableOf(sock: Socket): WritableStream<Uint8Array> {
  let stream = writables.get(sock);
  if (stream === undefined) {
    stream = makeWritable(sock);
    writables.set(sock, stream);
  }
  return stream;
}

function makeReadable(sock: Socket, chunkSize: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: chunkSize,
    async pull(controller: ReadableByteStreamController) {
      const req = controller.byobRequest!;
      const view = new Uint8Array(req.view!.buffer, req.view!.byteOffset, req.view!.byteLength);
      const n = await sock.recv(view);
      if (n === 0) {
        controller.close();
        req.respond(0);
      } else req.respond(n);
    },
    cancel() {
      if (!sock.closed) sock.shutdown(C.SHUT_RD);
    },
  }, { highWaterMark: 0 });
}

function makeWritable(sock: Socket): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    write(chunk) {
      return sock.sendAll(chunk);
    },
    close() {
      if (!sock.closed) sock.shutdown(C.SHUT_WR);
    },
    abort() {
      sock.close();
    },
  }, { highWaterMark: 1 });
}
