/**
 * Unix domain sockets on the ffi backend: SOCK_SEQPACKET and SOCK_DGRAM message
 * boundaries and truncation over socketpair(2), a filesystem path and an
 * abstract name; descriptor passing (SCM_RIGHTS) with python3
 * (tests/py/fd_peer.py) both ways; Socket.fromFd on descriptors from python3
 * and from `sys.socketpair`.
 *
 * @module
 */
import { assert, assertEquals } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { recvFds, sendFds, Socket, socket } from "../mod.ts";
import type { SockAddr } from "../address/mod.ts";
import { sys } from "../socket/ffi/mod.ts";
import { linuxSys as K } from "../socket/ffi/_libc.ts";
import {
  abstractName,
  delay,
  fdLedger,
  isCloexec,
  openFds,
  type Pair,
  pairOf,
  python,
  safetyWakeups,
  tempDir,
  text,
  throwsWith,
  unixPair,
  utf8,
} from "./_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first unix test", fds.start);

const T = { timeout: 5000 };
const unix = (path: string): SockAddr => ({ family: "unix", path });

/** Two connected unix sockets of `type` over a bound `path`: [client, server end]. */
async function connectedOver(type: number, path: string): Promise<Pair> {
  const ffi = { backend: "ffi" } as const;
  if (type === C.SOCK_DGRAM) {
    // Datagram sockets have no accept: bind both ends, connect each to the other.
    const a = socket(C.AF_UNIX, type, 0, ffi);
    const b = socket(C.AF_UNIX, type, 0, ffi);
    const pair = pairOf(a, b);
    a.bind(unix(path + "-a"));
    b.bind(unix(path + "-b"));
    await a.connect(unix(path + "-b"), T);
    await b.connect(unix(path + "-a"), T);
    return pair;
  }
  using listener = socket(C.AF_UNIX, type, 0, ffi);
  listener.bind(unix(path));
  listener.listen(1);
  const client = socket(C.AF_UNIX, type, 0, ffi);
  try {
    const accepting = listener.accept(T);
    await client.connect(unix(path), T);
    const [server, peer] = await accepting;
    assertEquals(peer, unix(""), "the client end is unnamed");
    return pairOf(client, server);
  } catch (err) {
    client.close();
    throw err;
  }
}

const TYPES = [["SOCK_SEQPACKET", C.SOCK_SEQPACKET], ["SOCK_DGRAM", C.SOCK_DGRAM]] as const;
const WHERE = ["socketpair", "a path", "an abstract name"] as const;

for (const [typeName, type] of TYPES) {
  for (const where of WHERE) {
    Deno.test(`${typeName} over ${where}: message boundaries kept, MSG_TRUNC reported`, async () => {
      using dir = tempDir();
      const name = where === "a path" ? `${dir.path}/s` : abstractName(typeName);
      using pair = where === "socketpair" ? unixPair(type) : await connectedOver(type, name);
      const [a, b] = pair;
      if (where !== "socketpair") {
        const bound = type === C.SOCK_DGRAM ? `${name}-b` : name;
        assertEquals(b.getsockname(), unix(bound), "the server end's name");
        assertEquals(a.getpeername(), unix(bound));
      }
      assertEquals([a.type, b.type], [type, type]);

      for (const m of ["one", "two", "three"]) await a.send(utf8(m), 0, T);
      const buf = new Uint8Array(64);
      for (const m of ["one", "two", "three"]) {
        const n = await b.recv(buf, 0, T);
        assertEquals(text(buf.subarray(0, n)), m, "one message per recv");
      }

      assertEquals(await a.sendmsg([utf8("gath"), utf8("ered")], T), 8);
      assertEquals(text(buf.subarray(0, await b.recv(buf, 0, T))), "gathered");

      const small = new Uint8Array(4);
      await a.send(utf8("0123456789"), 0, T);
      await a.send(utf8("abcdefghij"), 0, T);
      await a.send(utf8("next"), 0, T);
      const r = await b.recvmsg([small], T);
      assertEquals([r.bytes, text(small)], [4, "0123"]);
      assertEquals(r.flags & C.MSG_TRUNC, C.MSG_TRUNC, "recvmsg flags carry MSG_TRUNC");
      assertEquals(await b.recv(small, C.MSG_TRUNC, T), 10, "recv(MSG_TRUNC): the real length");
      assertEquals(text(small), "abcd");
      const last = await b.recvmsg([buf], T);
      assertEquals([text(buf.subarray(0, last.bytes)), last.flags & C.MSG_TRUNC], ["next", 0]);
    });
  }
}

Deno.test("SOCK_DGRAM on a path: recvfrom() names the bound sender", async () => {
  using dir = tempDir();
  using a = socket(C.AF_UNIX, C.SOCK_DGRAM, 0, { backend: "ffi" });
  using b = socket(C.AF_UNIX, C.SOCK_DGRAM, 0, { backend: "ffi" });
  a.bind(unix(`${dir.path}/a`));
  b.bind(unix(`${dir.path}/b`));
  await a.sendto(utf8("hi"), unix(`${dir.path}/b`), 0, T);
  const [n, from] = await b.recvfrom(new Uint8Array(8), 0, T);
  assertEquals([n, from], [2, unix(`${dir.path}/a`)]);
});

Deno.test("SOCK_DGRAM: a send parked on the receiver's full queue wakes when it reads, without the safety net", async () => {
  using dir = tempDir();
  using receiver = socket(C.AF_UNIX, C.SOCK_DGRAM, 0, { backend: "ffi" });
  receiver.bind(unix(`${dir.path}/r`));
  using sender = socket(C.AF_UNIX, C.SOCK_DGRAM, 0, { backend: "ffi" });
  await sender.connect(unix(`${dir.path}/r`), T);
  // Fill the receiver's queue (net.unix.max_dgram_qlen datagrams) without waiting.
  let queued = 0;
  while (await sender.send(utf8("q"), C.MSG_DONTWAIT).then(() => true, () => false)) queued++;
  assert(queued > 0 && queued < 10_000, `queued ${queued}`);
  const before = await safetyWakeups();
  const pending = sender.send(utf8("one more"), 0, T); // parks
  await delay(50); // the reactor goes to sleep
  const t0 = performance.now();
  await receiver.recv(new Uint8Array(16), 0, T); // room for one
  assertEquals(await pending, 8);
  const took = performance.now() - t0;
  assertEquals((await safetyWakeups()) - before, 0, `woken by the safety net after ${took} ms`);
});

Deno.test("SEQPACKET: recv() returns 0 at end of stream once the peer closes", async () => {
  const [a, b] = unixPair(C.SOCK_SEQPACKET);
  using _b = b;
  const pending = b.recv(new Uint8Array(8), 0, T);
  a.close();
  assertEquals(await pending, 0);
});

/** Listens on a fresh unix path, starts fd_peer.py in `mode`, and accepts it. */
async function fdPeer(mode: string, ...args: string[]) {
  const dir = tempDir();
  const path = `${dir.path}/fd.sock`;
  const listener = socket(C.AF_UNIX, C.SOCK_STREAM, 0, { backend: "ffi" });
  listener.bind(unix(path));
  listener.listen(1);
  const py = python("fd_peer.py", [mode, path, ...args]);
  const [conn] = await listener.accept(T);
  listener.close();
  return {
    py,
    conn,
    async [Symbol.asyncDispose]() {
      conn.close();
      await py[Symbol.asyncDispose]();
      dir[Symbol.dispose]();
    },
  };
}

Deno.test("sendFds() hands python3 a socket it can talk through", async () => {
  await using peer = await fdPeer("take");
  using pair = unixPair(C.SOCK_STREAM);
  const [mine, theirs] = pair;
  assertEquals(await sendFds(peer.conn, utf8("take this"), [theirs.fd], T), 9);
  theirs.close(); // python holds its own reference now
  assertEquals(await peer.py.read(), {
    data: "take this",
    nfds: 1,
    family: C.AF_UNIX,
    type: C.SOCK_STREAM,
  });
  const buf = new Uint8Array(128);
  const line = "written by python through the passed descriptor";
  assertEquals(await mine.recv(buf.subarray(0, line.length), C.MSG_WAITALL, T), line.length);
  assertEquals(text(buf.subarray(0, line.length)), line);
  await mine.sendAll(utf8("and read back by python"), 0, T);
  assertEquals(await peer.py.read(), { reply: "and read back by python" });
});

Deno.test("recvFds() takes python3's descriptor: new, close-on-exec and usable", async () => {
  await using peer = await fdPeer("give", "1");
  const before = openFds();
  const buf = new Uint8Array(16);
  const r = await recvFds(peer.conn, buf, 4, T);
  assertEquals([text(buf.subarray(0, r.bytes)), r.fds.length, r.flags & C.MSG_CTRUNC], [
    "here",
    1,
    0,
  ]);
  const [fd] = r.fds;
  assert(!before.has(fd), `fd ${fd} is a new descriptor`);
  assert(isCloexec(fd), `received fd ${fd} is close-on-exec (MSG_CMSG_CLOEXEC)`);
  using passed = Socket.fromFd(fd);
  assertEquals([passed.family, passed.type, passed.fd], [C.AF_UNIX, C.SOCK_STREAM, fd]);
  assertEquals(await peer.py.read(), { sent: 1 });
  const line = "python's end speaking";
  const got = new Uint8Array(line.length);
  assertEquals(await passed.recv(got, C.MSG_WAITALL, T), line.length);
  assertEquals(text(got), line);
  await passed.sendAll(utf8("heard you"), 0, T);
  assertEquals(await peer.py.read(), { reply: "heard you" });
});

Deno.test("recvFds() with room for fewer descriptors than sent reports MSG_CTRUNC and leaks none", async () => {
  await using peer = await fdPeer("give", "3");
  const before = openFds();
  const r = await recvFds(peer.conn, new Uint8Array(16), 1, T);
  const opened = [...openFds().keys()].filter((fd) => !before.has(fd));
  using _all = { [Symbol.dispose]: () => opened.forEach((fd) => sys.close(fd)) };
  assertEquals(r.fds.length, 1, "no more than maxFds descriptors");
  assertEquals(r.flags & C.MSG_CTRUNC, C.MSG_CTRUNC);
  assertEquals(opened, r.fds, "the kernel closed the descriptors that did not fit");
  const passed = Socket.fromFd(opened.pop()!);
  using _passed = passed;
  assertEquals(await peer.py.read(), { sent: 3 });
  const got = new Uint8Array(21);
  assertEquals(await passed.recv(got, C.MSG_WAITALL, T), 21);
  await passed.sendAll(utf8("ok"), 0, T);
  assertEquals(await peer.py.read(), { reply: "ok" });
});

Deno.test("recvmsg() without room for ancillary data reports MSG_CTRUNC; the kernel closes the descriptors", async () => {
  using channel = unixPair(C.SOCK_SEQPACKET);
  using target = unixPair(C.SOCK_STREAM);
  const before = openFds();
  await sendFds(channel[0], utf8("fd"), [target[0].fd, target[1].fd], T);
  const r = await channel[1].recvmsg([new Uint8Array(8)], T);
  assertEquals([r.bytes, r.ancillary, r.flags & C.MSG_CTRUNC], [2, [], C.MSG_CTRUNC]);
  assertEquals([...openFds().keys()].filter((fd) => !before.has(fd)), [], "nothing new open");
});

Deno.test("Socket.fromFd() adopts python3's listening TCP socket (socket activation)", async () => {
  await using peer = await fdPeer("give_listener");
  const r = await recvFds(peer.conn, new Uint8Array(4), 1, T);
  using listener = Socket.fromFd(r.fds[0]);
  const { port } = await peer.py.read<{ port: number }>();
  assertEquals(
    [listener.family, listener.type, listener.protocol, listener.backend],
    [C.AF_INET, C.SOCK_STREAM, C.IPPROTO_TCP, "ffi"],
  );
  assertEquals(listener.getsockname(), { family: "inet", hostname: "127.0.0.1", port });
  assertEquals(String(listener), `Socket(fd=${listener.fd}, AF_INET/SOCK_STREAM/IPPROTO_TCP, ffi)`);
  const [conn] = await listener.accept(T);
  using _conn = conn;
  const line = "hello, adopted listener";
  const got = new Uint8Array(line.length);
  assertEquals(await conn.recv(got, C.MSG_WAITALL, T), line.length);
  assertEquals(text(got), line);
  await conn.sendAll(utf8("welcome"), 0, T);
  assertEquals(await peer.py.read(), { reply: "welcome" });
});

Deno.test("Socket.fromFd() on sys.socketpair() descriptors reads the kernel's family and type", async () => {
  const sv = new Int32Array(2);
  assertEquals(sys.socketpair(C.AF_UNIX, C.SOCK_SEQPACKET, 0, sv), 0);
  assert(!isCloexec(sv[0]), "socketpair(2) without SOCK_CLOEXEC");
  assertEquals(sys.fcntl(sv[0], K.F_GETFL) & K.O_NONBLOCK, 0);
  using a = Socket.fromFd(sv[0]);
  using b = Socket.fromFd(sv[1]);
  assertEquals([a.family, a.type, a.protocol], [C.AF_UNIX, C.SOCK_SEQPACKET, 0]);
  assert(isCloexec(a.fd) && isCloexec(b.fd), "adopted descriptors become close-on-exec");
  assertEquals(sys.fcntl(a.fd, K.F_GETFL) & K.O_NONBLOCK, K.O_NONBLOCK, "and non-blocking");
  const pending = b.recv(new Uint8Array(8), 0, T); // parks: the descriptor is non-blocking now
  await a.send(utf8("adopted"), 0, T);
  assertEquals(await pending, 7);
});

Deno.test("Socket.fromFd() on a descriptor that is not a socket throws ENOTSOCK and leaves it open", () => {
  const before = openFds();
  using _file = Deno.openSync(new URL(import.meta.url).pathname);
  const [fd] = [...openFds()].find(([n, what]) => !before.has(n) && what.endsWith(".ts"))!;
  assertEquals(throwsWith(() => Socket.fromFd(fd), "ENOTSOCK").syscall, "getsockopt");
  assert(openFds().has(fd), "the caller still owns it");
});

Deno.test("SCM_RIGHTS between our own sockets: the passed descriptor is the same socket", async () => {
  using channel = unixPair(C.SOCK_STREAM);
  using target = unixPair(C.SOCK_DGRAM);
  await sendFds(channel[0], utf8("x"), [target[0].fd], T);
  const r = await recvFds(channel[1], new Uint8Array(1), 2, T);
  assertEquals(r.fds.length, 1);
  assert(r.fds[0] !== target[0].fd, "a new descriptor number");
  using copy = Socket.fromFd(r.fds[0]);
  await copy.send(utf8("via copy"), 0, T);
  const buf = new Uint8Array(16);
  assertEquals(text(buf.subarray(0, await target[1].recv(buf, 0, T))), "via copy");
});

Deno.test("unix tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the unix tests", fds.assertUnchanged);
