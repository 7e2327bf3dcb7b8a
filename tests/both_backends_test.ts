/**
 * The stream and datagram modules on both backends: every test here runs once
 * on `native` and once on `ffi`, against python3 peers, with the same
 * expectations except where the native backend's documented limits say
 * otherwise.
 *
 * @module
 */
import { assert, assertEquals, assertLess } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { SocketError } from "../errno/mod.ts";
import type { SockAddr } from "../address/mod.ts";
import { bind, datagrams, joinMulticast, leaveMulticast } from "../socket/datagram.ts";
import { isNativeLimit } from "../socket/native/mod.ts";
import { socket } from "../socket/create.ts";
import { connect, listen, readable, writable } from "../socket/stream.ts";
import {
  delay,
  fdLedger,
  portOf,
  py,
  python,
  randomBytes,
  rejectsWith,
  runDeno,
  safetyWakeups,
  sha256,
  tempDir,
  text,
  utf8,
} from "./_helpers.ts";

const BACKENDS = ["native", "ffi"] as const;
const fds = fdLedger();
const root = new URL("../", import.meta.url).pathname;

Deno.test("descriptors: counted before the first both-backends test", fds.start);

for (const backend of BACKENDS) {
  Deno.test(`[${backend}] stream.connect tries each resolved address in order, closing the ones that fail`, async () => {
    // multi.test resolves to ::1 and then 127.0.0.1, in a mount namespace of the child's own.
    using dir = tempDir();
    const hosts = `${dir.path}/hosts`;
    Deno.writeTextFileSync(hosts, "::1 multi.test\n127.0.0.1 multi.test\n");
    const source = `
      import { connect, listen } from ${JSON.stringify(`${root}socket/stream.ts`)};
      const backend = Deno.args[0];
      const open = () => [...Deno.readDirSync("/proc/self/fd")].length;
      const server = listen({ hostname: "127.0.0.1", port: 0 }, { backend });
      const port = server.getsockname().port;
      // First bring up what stays for the life of the process (ffi: the reactor's epoll and signal pipe).
      (await connect({ hostname: "127.0.0.1", port }, { backend, timeout: 5000 })).close();
      (await server.accept({ timeout: 5000 }))[0].close();
      let before = open();
      const client = await connect({ hostname: "multi.test", port }, { backend, timeout: 5000 });
      const opened = open() - before;
      const peer = client.getpeername();
      client.close();
      server.close();
      before = open();
      const err = await connect({ hostname: "multi.test", port }, { backend }).catch((e) => e);
      const left = open() - before;
      console.log(JSON.stringify({ opened, peer, port, code: err.code, address: err.address, left }));
    `;
    const r = await runDeno(source, ["-A"], {
      args: [backend],
      wrapper: ["unshare", "-m", "sh", "-c", `mount --bind ${hosts} /etc/hosts && exec "$0" "$@"`],
    });
    assertEquals(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim());
    assertEquals(out.opened, 1, "the refused attempt on ::1 left no descriptor behind");
    assertEquals(out.peer, { family: "inet", hostname: "127.0.0.1", port: out.port });
    assertEquals(out.code, "ECONNREFUSED", "when every address refuses, the first error is thrown");
    assertEquals(out.address?.hostname, "::1");
    assertEquals(out.left, 0);
  });

  Deno.test(`[${backend}] stream.listen on [::]: dualStack takes python3's IPv4 client, else IPv6 only`, async () => {
    using server = listen({ hostname: "::", port: 0 }, { backend, dualStack: true });
    assertEquals(server.getsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY), false);
    const port = portOf(server.getsockname());
    const client = py(
      "import socket,sys; s=socket.create_connection(('127.0.0.1', int(sys.argv[1]))); s.sendall(b'v4'); s.close()",
      String(port),
    );
    const [conn, peer] = await server.accept({ timeout: 5000 });
    await client;
    assertEquals((peer as { hostname: string }).hostname, "::ffff:127.0.0.1");
    const buf = new Uint8Array(8);
    assertEquals(
      text(buf.subarray(0, await conn.recv(buf, C.MSG_WAITALL, { timeout: 5000 }))),
      "v4",
    );
    conn.close();
    if (backend === "native") {
      // Deno's listener on [::] is always dual-stack: native says so rather than pretend.
      try {
        listen({ hostname: "::", port: 0 }, { backend });
        throw new Error("an IPv6-only listener on [::] was made on native");
      } catch (err) {
        assert(isNativeLimit(err), String(err));
        assertEquals((err as SocketError).address?.family, "inet6");
      }
      return;
    }
    using only6 = listen({ hostname: "::", port: 0 }, { backend });
    assertEquals(only6.getsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY), true);
    const refused = await py(
      "import socket,sys\ntry:\n socket.create_connection(('127.0.0.1', int(sys.argv[1])))\n print('connected')\nexcept ConnectionRefusedError:\n print('refused')",
      String(portOf(only6.getsockname())),
    );
    assertEquals(refused, "refused");
  });

  Deno.test(`[${backend}] stream.listen: a port with a listener is EADDRINUSE naming it; once closed it is free again`, () => {
    const first = listen({ hostname: "127.0.0.1", port: 0 }, { backend });
    const addr = first.getsockname();
    try {
      listen(addr, { backend });
      throw new Error("a second listener took the port");
    } catch (err) {
      assert(err instanceof SocketError, String(err));
      assertEquals(err.code, "EADDRINUSE");
      assertEquals(err.address, addr);
    }
    first.close();
    listen(addr, { backend }).close();
  });

  Deno.test(`[${backend}] readable/writable: 4 MiB through python3's echo come back byte for byte`, async () => {
    await using peer = python("tcp_peer.py", ["inet"]);
    const { port } = await peer.read<{ port: number }>();
    using sock = await connect({ hostname: "127.0.0.1", port }, { backend, timeout: 5000 });
    await peer.read(); // {peer}
    await peer.write({ op: "echo" });
    const data = randomBytes(4 << 20);
    const chunks = Array.from({ length: 64 }, (_, i) => data.subarray(i << 16, (i + 1) << 16));
    const [, back] = await Promise.all([
      ReadableStream.from(chunks).pipeTo(writable(sock)),
      new Response(readable(sock)).arrayBuffer(),
    ]);
    const report = await peer.read<{ received: number; sha256: string }>();
    assertEquals(report.received, data.byteLength);
    assertEquals(back.byteLength, data.byteLength);
    assertEquals(await sha256(new Uint8Array(back)), await sha256(data));
    assertEquals(report.sha256, await sha256(data));
  });

  Deno.test(`[${backend}] writable holds the writer back while python3 does not read, and loses nothing`, async () => {
    await using peer = python("tcp_peer.py", ["inet"]);
    const { port } = await peer.read<{ port: number }>();
    using sock = await connect({ hostname: "127.0.0.1", port }, { backend, timeout: 5000 });
    await peer.read();
    await peer.write({ op: "drain_later", ms: 1000 });
    const data = randomBytes(32 << 20);
    const writer = writable(sock).getWriter();
    let accepted = 0;
    // What the writer took half a second in, while the peer sleeps.
    const snapshot = Promise.withResolvers<number>();
    setTimeout(() => snapshot.resolve(accepted), 500);
    const writes: Promise<void>[] = [];
    for (let off = 0; off < data.byteLength; off += 1 << 16) {
      await writer.ready;
      const chunk = data.subarray(off, off + (1 << 16));
      writes.push(writer.write(chunk).then(() => void (accepted += chunk.byteLength)));
    }
    await Promise.all(writes);
    await writer.close();
    const held = await snapshot.promise;
    assertLess(held, data.byteLength, "the writer went on while the peer read nothing");
    const report = await peer.read<{ received: number; sha256: string }>();
    assertEquals(report.received, data.byteLength);
    assertEquals(report.sha256, await sha256(data));
  });

  Deno.test(`[${backend}] datagram.bind + datagrams(): python3's datagrams, whole, in order, with its address`, async () => {
    await using peer = python("udp_peer.py", ["inet"]);
    const { port: peerPort } = await peer.read<{ port: number }>();
    const sock = bind({ hostname: "127.0.0.1", port: 0 }, { backend });
    const port = portOf(sock.getsockname());
    for (const data of ["one", "two", "three"]) {
      await peer.write({ op: "sendto", port, data });
      await peer.read();
    }
    const got: [string, SockAddr][] = [];
    for await (const [bytes, from] of datagrams(sock)) {
      got.push([text(bytes), from]);
      if (got.length === 3) sock.close(); // the iteration ends with the socket
    }
    const from: SockAddr = { family: "inet", hostname: "127.0.0.1", port: peerPort };
    assertEquals(got, [["one", from], ["two", from], ["three", from]]);
  });

  Deno.test(`[${backend}] a connected datagram socket sends to its default peer and hears only from it`, async () => {
    await using peer = python("udp_peer.py", ["inet"]);
    const { port: peerPort } = await peer.read<{ port: number }>();
    using sock = bind({ hostname: "127.0.0.1", port: 0 }, { backend });
    const port = portOf(sock.getsockname());
    await sock.connect({ hostname: "127.0.0.1", port: peerPort });
    assertEquals(await sock.send(utf8("hi")), 2);
    await peer.write({ op: "recvfrom" });
    assertEquals(await peer.read(), { data: "hi", host: "127.0.0.1", port });
    using other = bind({ hostname: "127.0.0.1", port: 0 }, { backend });
    await other.sendto(utf8("stranger"), sock.getsockname());
    const buf = new Uint8Array(16);
    await rejectsWith(() => sock.recv(buf, 0, { timeout: 150 }), "ETIMEDOUT");
    await peer.write({ op: "sendto", port, data: "peer" });
    await peer.read();
    assertEquals(text(buf.subarray(0, await sock.recv(buf, 0, { timeout: 3000 }))), "peer");
  });

  Deno.test(`[${backend}] joinMulticast/leaveMulticast: a looped-back group datagram arrives while joined only`, async () => {
    const group = `224.0.0.${200 + Math.floor(Math.random() * 50)}`;
    using r = bind({ hostname: "0.0.0.0", port: 0 }, { backend });
    const port = portOf(r.getsockname());
    joinMulticast(r, group, { interfaceAddress: "127.0.0.1" });
    using s = socket(C.AF_INET, C.SOCK_DGRAM, 0, { backend });
    s.setsockopt(C.IPPROTO_IP, C.IP_MULTICAST_IF, new Uint8Array([127, 0, 0, 1]));
    s.setsockopt(C.IPPROTO_IP, C.IP_MULTICAST_LOOP, true);
    await s.sendto(utf8("joined"), { hostname: group, port });
    const buf = new Uint8Array(16);
    const [n] = await r.recvfrom(buf, 0, { timeout: 3000 });
    assertEquals(text(buf.subarray(0, n)), "joined");
    leaveMulticast(r, group, { interfaceAddress: "127.0.0.1" });
    await s.sendto(utf8("left"), { hostname: group, port });
    await rejectsWith(() => r.recv(buf, 0, { timeout: 150 }), "ETIMEDOUT");
    await delay(0);
  });
}

Deno.test("both-backends tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});
Deno.test("descriptors: none left open by the both-backends tests", fds.assertUnchanged);
