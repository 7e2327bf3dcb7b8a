/**
 * UDP on the ffi backend against python3 peers (tests/py/udp_peer.py):
 * addresses both ways, scatter/gather, truncation, ICMP errors on a connected
 * socket, and async iteration over datagrams.
 *
 * @module
 */
import { assertEquals, assertGreater } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import type { SockAddr } from "../address/mod.ts";
import { socket } from "../mod.ts";
import {
  fdLedger,
  loopback,
  portOf,
  python,
  rejectsWith,
  safetyWakeups,
  text,
  udpSocket,
  until,
  utf8,
} from "./_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first datagram test", fds.start);

const T = { timeout: 5000 };

for (const family of ["inet", "inet6"] as const) {
  Deno.test(`UDP/${family}: recvfrom() reports python3's sender address and port`, async () => {
    await using py = python("udp_peer.py", [family]);
    const { port: pyPort } = await py.read<{ port: number }>();
    using s = udpSocket(family);
    const buf = new Uint8Array(64);
    const receiving = s.recvfrom(buf, 0, T); // parked before python sends
    await py.write({ op: "sendto", port: portOf(s.getsockname()), data: "from python" });
    const [n, from] = await receiving;
    assertEquals(text(buf.subarray(0, n)), "from python");
    assertEquals(from.family, family);
    assertEquals((from as { hostname: string }).hostname, loopback(family));
    assertEquals(portOf(from), pyPort);
    await py.read();
  });

  Deno.test(`UDP/${family}: python3 receives what sendto() sends, from our bound port`, async () => {
    await using py = python("udp_peer.py", [family]);
    const { port: pyPort } = await py.read<{ port: number }>();
    using s = udpSocket(family);
    await py.write({ op: "recvfrom" });
    const sent = await s.sendto(
      utf8("to python"),
      { hostname: loopback(family), port: pyPort },
      0,
      T,
    );
    assertEquals(sent, 9);
    const got = await py.read<{ data: string; host: string; port: number }>();
    assertEquals(got, { data: "to python", host: loopback(family), port: portOf(s.getsockname()) });
  });
}

Deno.test("UDP: sendmsg() gathers buffers into one datagram; recvmsg() scatters and names the sender", async () => {
  await using py = python("udp_peer.py", ["inet"]);
  const { port: pyPort } = await py.read<{ port: number }>();
  using s = udpSocket("inet");
  const to = { hostname: "127.0.0.1", port: pyPort };
  await py.write({ op: "recvfrom" });
  assertEquals(
    await s.sendmsg([utf8("one "), utf8("two "), utf8("three")], { addr: to, ...T }),
    13,
  );
  assertEquals((await py.read()).data, "one two three");

  await py.write({ op: "sendto", port: portOf(s.getsockname()), data: "abcdefgh" });
  const a = new Uint8Array(3);
  const b = new Uint8Array(10);
  const r = await s.recvmsg([a, b], T);
  assertEquals(r.bytes, 8);
  assertEquals([text(a), text(b.subarray(0, 5))], ["abc", "defgh"]);
  assertEquals(r.flags & C.MSG_TRUNC, 0);
  assertEquals(portOf(r.addr!), pyPort);
  await py.read();
});

Deno.test("UDP: a datagram longer than the buffer is cut, and MSG_TRUNC says how long it was", async () => {
  using a = udpSocket("inet");
  using b = udpSocket("inet");
  const small = new Uint8Array(4);
  for (let i = 0; i < 2; i++) await a.sendto(utf8("0123456789"), b.getsockname(), 0, T);
  const r = await b.recvmsg([small], T);
  assertEquals([r.bytes, text(small)], [4, "0123"]);
  assertEquals(r.flags & C.MSG_TRUNC, C.MSG_TRUNC, "recvmsg reports MSG_TRUNC in its flags");
  assertEquals(await b.recv(small, C.MSG_TRUNC, T), 10, "recv(MSG_TRUNC) returns the real length");
  assertEquals(text(small), "0123");
});

Deno.test("UDP: a connected socket sending to a closed port gets ECONNREFUSED on its next call", async () => {
  using closed = udpSocket("inet"); // bound, then closed below: nobody is there
  const port = portOf(closed.getsockname());
  closed.close();
  using s = socket(C.AF_INET, C.SOCK_DGRAM, 0, { backend: "ffi" });
  await s.connect({ hostname: "127.0.0.1", port }, T);
  const receiving = s.recv(new Uint8Array(8), 0, T); // parked: the ICMP error must wake it
  await s.send(utf8("anyone?"), 0, T);
  await rejectsWith(() => receiving, "ECONNREFUSED");
});

Deno.test("a datagram socket iterates as [bytes, sender] and ends when closed", async () => {
  await using py = python("udp_peer.py", ["inet"]);
  const { port: pyPort } = await py.read<{ port: number }>();
  const s = udpSocket("inet");
  const seen: [string, SockAddr][] = [];
  const iterating = (async () => {
    for await (const item of s) {
      const [bytes, from] = item as [Uint8Array, SockAddr];
      seen.push([text(bytes), from]);
    }
  })();
  for (const data of ["a", "bb", "ccc"]) {
    await py.write({ op: "sendto", port: portOf(s.getsockname()), data });
    await py.read();
  }
  await until(() => seen.length === 3, "three datagrams");
  s.close(); // the iterator is parked in recvfrom(): it must end, not throw
  await iterating;
  assertEquals(seen.map(([t]) => t), ["a", "bb", "ccc"]);
  for (const [, from] of seen) assertEquals(portOf(from), pyPort);
});

Deno.test("UDP: sendto() of 64 KiB fails with EMSGSIZE naming the address", async () => {
  using s = udpSocket("inet");
  const to = { family: "inet" as const, hostname: "127.0.0.1", port: portOf(s.getsockname()) };
  const err = await rejectsWith(() => s.sendto(new Uint8Array(65536), to, 0, T), "EMSGSIZE");
  assertEquals(err.message, `sendto: Message too long (EMSGSIZE) 127.0.0.1:${to.port}`);
  assertGreater(await s.sendto(new Uint8Array(65507), to, 0, T), 0, "the largest IPv4 datagram");
});

Deno.test("datagram tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the datagram tests", fds.assertUnchanged);
