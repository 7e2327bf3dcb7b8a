/**
 * `Socket.readable` and `Socket.writable`, the web streams every connected
 * stream Socket has (as `Deno.Conn` does; the second half of the Sockets API
 * issue), on both backends against python3 (tests/py/wintertc_peer.py):
 * bytes both ways, one stream per socket shared with the stream module's
 * `readable()`/`writable()`, backpressure each way, closing the writable as
 * shutdown(SHUT_WR), and close() settling what waits.
 *
 * @module
 */
import { assertEquals, assertLess, assertRejects, assertStrictEquals } from "@std/assert";
import { SocketError } from "../errno/mod.ts";
import { connect, readable, writable } from "../socket/stream.ts";
import type { Socket } from "../socket/socket.ts";
import { delay, fdLedger, randomBytes, sha256, text, utf8 } from "./_helpers.ts";
import { type WintertcPeer, wintertcPeer } from "./_wintertc_helpers.ts";

const BACKENDS = ["ffi", "native"] as const;
const MB = 1 << 20;
const fds = fdLedger();
Deno.test("descriptors: counted before the first Socket stream getter test", fds.start);

/** A socket of `backend` connected to a fresh plain wintertc_peer.py. */
async function connected(
  backend: "ffi" | "native",
): Promise<{ server: WintertcPeer; sock: Socket } & AsyncDisposable> {
  const server = await wintertcPeer("plain");
  try {
    const sock = await connect({ hostname: "127.0.0.1", port: server.port }, {
      backend,
      timeout: 5000,
    });
    await server.accepted();
    return {
      server,
      sock,
      async [Symbol.asyncDispose]() {
        sock.close();
        await server[Symbol.asyncDispose]();
      },
    };
  } catch (err) {
    await server[Symbol.asyncDispose]();
    throw err;
  }
}

/** The bytes python3's "flood" sends: byte i is i % 251. */
function floodBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const period = Uint8Array.from({ length: 251 }, (_, i) => i);
  for (let off = 0; off < n; off += 251) out.set(period.subarray(0, Math.min(251, n - off)), off);
  return out;
}

for (const backend of BACKENDS) {
  Deno.test(`[${backend}] Socket.readable / Socket.writable: 1 MiB through python3's echo, byte for byte`, async () => {
    await using c = await connected(backend);
    await c.server.peer.write({ op: "echo" });
    const data = randomBytes(MB);
    const chunks = Array.from({ length: 16 }, (_, i) => data.subarray(i << 16, (i + 1) << 16));
    const [, back] = await Promise.all([
      ReadableStream.from(chunks).pipeTo(c.sock.writable),
      new Response(c.sock.readable).arrayBuffer(),
    ]);
    assertEquals(await c.server.peer.read(), { received: MB });
    assertEquals(await sha256(new Uint8Array(back)), await sha256(data));
  });

  Deno.test(`[${backend}] one stream per socket: the getters return the same streams each time, and readable(sock)/writable(sock) return them`, async () => {
    await using c = await connected(backend);
    assertStrictEquals(c.sock.readable, c.sock.readable);
    assertStrictEquals(c.sock.writable, c.sock.writable);
    assertStrictEquals(readable(c.sock), c.sock.readable);
    assertStrictEquals(writable(c.sock), c.sock.writable);
    const writer = writable(c.sock).getWriter();
    await writer.write(utf8("one line\n"));
    assertEquals(c.sock.writable.locked, true);
    assertEquals(await c.server.ask("line"), { line: "one line\n" });
  });

  Deno.test(`[${backend}] closing Socket.writable is shutdown(SHUT_WR): python3 reads end of stream, and the socket still reads its answer`, async () => {
    await using c = await connected(backend);
    await c.sock.writable.close();
    assertEquals(await c.server.ask("read_eof"), { eof: true, data: "" });
    await c.server.ask("send", { data: "answer after the FIN" });
    await c.server.ask("close");
    assertEquals(
      text(new Uint8Array(await new Response(c.sock.readable).arrayBuffer())),
      "answer after the FIN",
    );
  });

  Deno.test(`[${backend}] Socket.readable reads only as it is consumed: python3's sends stall until it is read, then all 16 MiB arrive`, async () => {
    await using c = await connected(backend);
    const total = 16 * MB;
    await c.server.peer.write({ op: "flood", bytes: total });
    const { sent } = await c.server.peer.read<{ sent: number }>();
    assertLess(sent, total / 2, "the kernel took everything: nothing held python3 back");
    const reader = c.sock.readable.getReader();
    const got = new Uint8Array(total);
    for (let n = 0; n < total;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`end of stream after ${n} bytes`);
      got.set(value, n);
      n += value.byteLength;
    }
    reader.releaseLock();
    assertEquals(await c.server.peer.read(), { done: true });
    assertEquals(await sha256(got), await sha256(floodBytes(total)));
  });

  Deno.test(`[${backend}] Socket.writable holds the writer back while python3 does not read, and loses nothing`, async () => {
    await using c = await connected(backend);
    await c.server.peer.write({ op: "drain_on_cue" });
    const data = randomBytes(16 * MB);
    const writer = c.sock.writable.getWriter();
    let accepted = 0;
    const writing = (async () => {
      for (let off = 0; off < data.byteLength; off += 1 << 16) {
        await writer.ready;
        const chunk = data.subarray(off, off + (1 << 16));
        await writer.write(chunk);
        accepted += chunk.byteLength;
      }
      await writer.close();
    })();
    await delay(200);
    assertLess(accepted, data.byteLength, "the writer went on while python3 read nothing");
    await c.server.peer.write({ op: "go" }); // python3 starts reading
    await writing;
    const report = await c.server.peer.read<{ received: number; sha256: string }>();
    assertEquals(report, { received: data.byteLength, sha256: await sha256(data) });
  });

  Deno.test(`[${backend}] close() settles a read waiting on Socket.readable and a write waiting on Socket.writable`, async () => {
    await using c = await connected(backend);
    const reader = c.sock.readable.getReader();
    const read = reader.read();
    read.catch(() => {});
    const writer = c.sock.writable.getWriter();
    // python3 reads nothing: a write of 32 MiB waits for room.
    const write = writer.write(randomBytes(32 * MB));
    write.catch(() => {});
    await delay(50);
    c.sock.close();
    const err = await assertRejects(() => read, SocketError);
    assertEquals(err.code, "EBADF");
    await assertRejects(() => write, SocketError);
  });
}

Deno.test("descriptors: none left open by the Socket stream getter tests", fds.assertUnchanged);
