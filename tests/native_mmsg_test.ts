/**
 * sendmmsg/recvmmsg on the native backend, a loop of sendmsg/recvmsg with the
 * kernel's semantics: python3 peers on IPv4 and IPv6 (counts, contents, sender
 * addresses), the result shape the ffi backend gives, MSG_TRUNC per message, a
 * later message's error ending the batch with the count sent, waiting, timeout,
 * abort and close, bad input, and the default ("auto") socket.
 *
 * @module
 */
import { assert, assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { SocketError } from "../errno/mod.ts";
import { socket } from "../mod.ts";
import type { MmsgMessage, Socket } from "../socket/socket.ts";
import { isNativeLimit } from "../socket/native/mod.ts";
import { udpSegmentAncillary } from "../options/mod.ts";
import {
  type Backend,
  delay,
  fdLedger,
  loopback,
  portOf,
  rejectsWith,
  udpSocket,
} from "./_helpers.ts";
import { burstPayload, hex, pyReceiver, pySender, type Seen } from "./_mmsg_peers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first native batch test", fds.start);

const T = { timeout: 5000 };

function buffers(n: number, size: number): Uint8Array[] {
  return Array.from({ length: n }, () => new Uint8Array(size));
}

async function recvAll(s: Socket, count: number, size = 2048) {
  const bufs = buffers(64, size);
  const out: { data: Uint8Array; addr: unknown; flags: number; keys: string }[] = [];
  while (out.length < count) {
    const got = await s.recvmmsg(bufs.slice(0, Math.min(64, count - out.length)), 0, T);
    got.forEach((r, i) =>
      out.push({
        data: bufs[i].slice(0, r.bytes),
        addr: r.addr,
        flags: r.flags,
        keys: Object.keys(r).sort().join(),
      })
    );
  }
  return out;
}

for (const family of ["inet", "inet6"] as const) {
  Deno.test(`native UDP/${family}: sendmmsg of 100 reaches python3 whole, from our port`, async () => {
    const { peer, port } = await pyReceiver(family, 100);
    await using _ = peer;
    using s = udpSocket(family, "native");
    const addr = { hostname: loopback(family), port };
    const messages: MmsgMessage[] = Array.from({ length: 100 }, (_, i) => ({
      buffers: [new Uint8Array([i]), new Uint8Array([0xab, 0xcd])],
      addr,
    }));
    assertEquals(await s.sendmmsg(messages, 0, T), 100);
    const { got } = await peer.read<{ got: Seen[] }>();
    assertEquals(got.length, 100);
    for (const [i, [data, host, from]] of got.entries()) {
      assertEquals(data, hex(new Uint8Array([i, 0xab, 0xcd])));
      assertEquals([host, from], [loopback(family), portOf(s.getsockname())]);
    }
  });

  Deno.test(`native UDP/${family}: recvmmsg takes a python3 burst, as ffi does`, async () => {
    const { peer, port: pyPort } = await pySender(family);
    await using _ = peer;
    for (const backend of ["native", "ffi"] as Backend[]) {
      using s = udpSocket(family, backend);
      s.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 1 << 20);
      await peer.write({ to: portOf(s.getsockname()), count: 150, size: 300 });
      assertEquals((await peer.read<{ sent: number }>()).sent, 150);
      const got = await recvAll(s, 150);
      assertEquals(got.length, 150, backend);
      for (const [i, r] of got.entries()) {
        assertEquals(r.data, burstPayload(i, 300), `${backend} ${i}`);
        assertEquals((r.addr as { port: number }).port, pyPort);
        assertEquals([r.flags, r.keys], [0, "addr,bytes,flags"], backend);
      }
    }
  });
}

Deno.test("native: MSG_TRUNC per message, and the real length when asked", async () => {
  using s = udpSocket("inet", "native");
  const addr = s.getsockname();
  const sizes = [10, 100, 5];
  const send = () =>
    s.sendmmsg(sizes.map((n) => ({ buffers: new Uint8Array(n).fill(n), addr })), 0, T);
  assertEquals(await send(), 3);
  await delay(20);
  const got = await s.recvmmsg(buffers(3, 16), 0, T);
  assertEquals(got.map((r) => [r.bytes, r.flags & C.MSG_TRUNC]), [
    [10, 0],
    [16, C.MSG_TRUNC],
    [5, 0],
  ]);
  await send();
  await delay(20);
  assertEquals((await s.recvmmsg(buffers(3, 16), C.MSG_TRUNC, T)).map((r) => r.bytes), sizes);
});

for (const backend of ["native", "ffi"] as Backend[]) {
  Deno.test(`${backend}: a later message's error ends the batch with the count; the retry meets it`, async () => {
    using s = udpSocket("inet", backend);
    const addr = s.getsockname();
    const messages = [
      { buffers: new Uint8Array([1]), addr },
      { buffers: new Uint8Array(70_000), addr }, // beyond a UDP datagram
      { buffers: new Uint8Array([3]), addr },
    ];
    assertEquals(await s.sendmmsg(messages, 0, T), 1);
    await rejectsWith(() => s.sendmmsg(messages.slice(1), 0, T), "EMSGSIZE");
    assertEquals(await s.sendmmsg(messages.slice(2), 0, T), 1);
    const got = await recvAll(s, 2, 8);
    assertEquals(got.map((r) => r.data[0]), [1, 3]);
  });
}

Deno.test("native: recvmmsg waits, times out, aborts, and close() settles it", async () => {
  using s = udpSocket("inet", "native");
  const bufs = buffers(4, 16);
  const pending = s.recvmmsg(bufs, 0, T);
  await delay(20);
  await s.sendto(new Uint8Array([9]), s.getsockname(), 0, T);
  const got = await pending;
  assertEquals([got.length, got[0].bytes, bufs[0][0]], [1, 1, 9]);
  await rejectsWith(() => s.recvmmsg(bufs, 0, { timeout: 30 }), "ETIMEDOUT");
  await rejectsWith(() => s.recvmmsg(bufs, 0, { timeout: 0 }), "EAGAIN");
  const ac = new AbortController();
  const aborted = s.recvmmsg(bufs, 0, { signal: ac.signal });
  ac.abort(new Error("stop"));
  await assertRejects(() => aborted, Error, "stop");
  const closing = s.recvmmsg(bufs);
  s.close();
  await rejectsWith(() => closing, "EBADF");
  await rejectsWith(
    () => s.sendmmsg([{ buffers: bufs[0], addr: { hostname: "::1", port: 9 } }]),
    "EBADF",
  );
});

Deno.test("native: ancillary data is a native limit, refused before anything is sent", async () => {
  using s = udpSocket("inet", "native");
  const addr = s.getsockname();
  const err = await assertRejects(() =>
    s.sendmmsg([{ buffers: new Uint8Array(2800), addr, ancillary: [udpSegmentAncillary(1400)] }])
  );
  assert(isNativeLimit(err), String(err));
  await rejectsWith(() => s.recvmmsg(buffers(2, 8), 0, { timeout: 0 }), "EAGAIN");
});

Deno.test("native: bad input rejects as on ffi, before anything is sent", async () => {
  using s = udpSocket("inet", "native");
  const addr = s.getsockname();
  const ok = { buffers: new Uint8Array([1]), addr };
  const gone = new Uint8Array(8);
  (gone.buffer as ArrayBuffer).transfer();
  // deno-lint-ignore no-explicit-any
  const cases: [() => Promise<unknown>, new (...args: any[]) => Error][] = [
    [() => s.sendmmsg([]), RangeError],
    [() => s.sendmmsg(new Array(1025).fill(ok)), RangeError],
    [() => s.sendmmsg([ok, { addr } as never]), TypeError],
    [() => s.sendmmsg([ok, { buffers: [], addr }]), RangeError],
    [() => s.sendmmsg([ok, { buffers: gone, addr }]), TypeError],
    [
      () =>
        s.sendmmsg([ok, {
          buffers: ok.buffers,
          addr: { family: "inet6", hostname: "::1", port: 9 },
        }]),
      SocketError,
    ],
    [() => s.recvmmsg([]), RangeError],
    [() => s.recvmmsg(buffers(1025, 1)), RangeError],
    [() => s.recvmmsg([gone]), TypeError],
  ];
  for (const [call, type] of cases) {
    const p = call();
    assertInstanceOf(p, Promise);
    await assertRejects(() => p, type);
  }
  await rejectsWith(() => s.recvmmsg(buffers(2, 8), 0, { timeout: 0 }), "EAGAIN");
});

Deno.test("the default socket (auto backend) batches too", async () => {
  using s = socket(C.AF_INET, C.SOCK_DGRAM);
  s.bind({ hostname: "127.0.0.1", port: 0 });
  const addr = s.getsockname();
  const messages = [5, 6, 7].map((n) => ({ buffers: new Uint8Array([n]), addr }));
  assertEquals(await s.sendmmsg(messages, 0, T), 3);
  const got = await recvAll(s, 3, 8);
  assertEquals(got.map((r) => r.data[0]), [5, 6, 7]);
});

Deno.test("descriptors: none left open by the native batch tests", fds.assertUnchanged);
