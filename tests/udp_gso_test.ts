/**
 * UDP segmentation offload (GSO) and receive offload (GRO) against the kernel
 * and python3 peers, on IPv4 and IPv6: one 65,000-byte send with `UDP_SEGMENT`
 * (the socket option, or a per-send ancillary item through sendmsg and
 * sendmmsg) arrives at a python3 receiver as the expected datagrams; a python3
 * GSO burst received with `UDP_GRO` comes as one buffer whose ancillary data
 * gives the segment size. (On loopback a train of separate sends is never
 * coalesced — GRO runs in a NIC's receive path — but a GSO send reaches a GRO
 * socket whole, as it would after GRO on a real link.)
 *
 * @module
 */
import { assertEquals, assertThrows } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { groSegmentSize, setUdpGro, setUdpSegment, udpSegmentAncillary } from "../options/mod.ts";
import { fdLedger, loopback, portOf, udpSocket } from "./_helpers.ts";
import { burstPayload, hex, pyReceiver, pySender, type Seen } from "./_mmsg_peers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first GSO test", fds.start);

const T = { timeout: 5000 };
const UDP_SEGMENT = C.UDP_SEGMENT;
const UDP_GRO = C.UDP_GRO;

/** `total` bytes, byte i being i % 251 (so every segment differs). */
function pattern(total: number): Uint8Array {
  const out = new Uint8Array(total);
  for (let i = 0; i < total; i++) out[i] = i % 251;
  return out;
}

/** The datagrams a GSO send of `data` in `size`-byte segments becomes. */
function segments(data: Uint8Array, size: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < data.byteLength; at += size) out.push(hex(data.subarray(at, at + size)));
  return out;
}

for (const family of ["inet", "inet6"] as const) {
  Deno.test(`GSO/${family}: one 65,000-byte send with UDP_SEGMENT 1400 arrives as 47 datagrams`, async () => {
    const { peer, port } = await pyReceiver(family, 47);
    await using _ = peer;
    using s = udpSocket(family);
    setUdpSegment(s, 1400);
    assertEquals(s.getsockopt("IPPROTO_UDP", "UDP_SEGMENT"), 1400);
    const data = pattern(65_000);
    assertEquals(await s.sendto(data, { hostname: loopback(family), port }, 0, T), 65_000);
    const { got } = await peer.read<{ got: Seen[] }>();
    assertEquals(got.length, 47);
    assertEquals(got.map(([h]) => h.length / 2), [...new Array(46).fill(1400), 600]);
    assertEquals(got.map(([h]) => h), segments(data, 1400));
    for (const [, host, from] of got) {
      assertEquals([host, from], [loopback(family), portOf(s.getsockname())]);
    }
  });

  Deno.test(`GSO/${family}: the per-send UDP_SEGMENT item, through sendmsg and sendmmsg`, async () => {
    const { peer, port } = await pyReceiver(family, 64 + 10 + 10 + 1);
    await using _ = peer;
    using s = udpSocket(family);
    const addr = { hostname: loopback(family), port };
    const big = pattern(64_000);
    const sent = await s.sendmsg([big.subarray(0, 30_000), big.subarray(30_000)], {
      addr,
      ancillary: [udpSegmentAncillary(1000)],
      ...T,
    });
    assertEquals(sent, 64_000);
    const train = pattern(12_000);
    const batch = await s.sendmmsg(
      [
        { buffers: train, addr, ancillary: [udpSegmentAncillary(1200)] },
        { buffers: new Uint8Array([7]), addr }, // no item: one datagram
        { buffers: train, addr, ancillary: [udpSegmentAncillary(1200)] },
      ],
      0,
      T,
    );
    assertEquals(batch, 3);
    const { got } = await peer.read<{ got: Seen[] }>();
    assertEquals(got.map(([h]) => h), [
      ...segments(big, 1000),
      ...segments(train, 1200),
      "07",
      ...segments(train, 1200),
    ]);
  });

  Deno.test(`GRO/${family}: a python3 GSO burst comes whole, with its segment size`, async () => {
    const { peer, port: pyPort } = await pySender(family);
    await using _ = peer;
    using s = udpSocket(family);
    s.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 1 << 20);
    setUdpGro(s);
    assertEquals(s.getsockopt("SOL_UDP", "UDP_GRO"), true);
    const burst = new Uint8Array(40 * 1400);
    for (let i = 0; i < 40; i++) burst.set(burstPayload(i, 1400), i * 1400);
    // recvmsg, then recvmmsg with room for ancillary data in each message.
    await peer.write({ to: portOf(s.getsockname()), count: 40, size: 1400, gso: true });
    await peer.read();
    const buf = new Uint8Array(1 << 16);
    const one = await s.recvmsg([buf], { ancillarySize: 64, ...T });
    assertEquals(one.bytes, 56_000);
    assertEquals(buf.subarray(0, one.bytes), burst);
    assertEquals(groSegmentSize(one.ancillary), 1400);
    assertEquals(one.ancillary.map((a) => [a.level, a.type]), [[C.IPPROTO_UDP, UDP_GRO]]);
    assertEquals((one.addr as { port: number }).port, pyPort);
    await peer.write({ to: portOf(s.getsockname()), count: 40, size: 1400, gso: true });
    await peer.read();
    await peer.write({ to: portOf(s.getsockname()), count: 1, size: 300 });
    await peer.read();
    const bufs = [new Uint8Array(1 << 16), new Uint8Array(1 << 16)];
    const got = [];
    while (got.length < 2) {
      got.push(...await s.recvmmsg(bufs.slice(got.length), 0, { ancillarySize: 64, ...T }));
    }
    assertEquals(got.map((r) => r.bytes), [56_000, 300]);
    assertEquals(bufs[0].subarray(0, 56_000), burst);
    assertEquals(got.map((r) => groSegmentSize(r.ancillary!)), [1400, undefined]);
  });
}

Deno.test("UDP_SEGMENT values are checked before the call; the kernel's limits are its own", () => {
  using s = udpSocket();
  assertThrows(() => s.setsockopt("IPPROTO_UDP", "UDP_SEGMENT", 65536), RangeError, "65536");
  assertThrows(() => setUdpSegment(s, -1), RangeError, "-1");
  s.setsockopt(C.IPPROTO_UDP, UDP_SEGMENT, 0);
  assertEquals(s.getsockopt(C.IPPROTO_UDP, UDP_SEGMENT), 0);
});

Deno.test("descriptors: none left open by the GSO tests", fds.assertUnchanged);
