/**
 * Unix stream sockets on the native backend against python3 peers.
 */
import { assert, assertEquals, assertFalse } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { isNativeLimit } from "../socket/native/mod.ts";
import {
  nativeSocket,
  outcome,
  pattern,
  python,
  readAll,
  rejectsWith,
  sha256,
  tempDir,
  throwsWith,
} from "./native_helpers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("unix: 4 MiB through a python3 echo peer come back byte-exact", async () => {
  using dir = tempDir();
  const path = `${dir.path}/echo.sock`;
  await using peer = python("native_peer.py", ["unix", path, "listen"]);
  await peer.read();
  using s = nativeSocket(C.AF_UNIX, C.SOCK_STREAM);
  await s.connect({ path }, { timeout: 5000 });
  assertEquals(s.getsockname(), { family: "unix", path: "" });
  assertEquals(s.getpeername(), { family: "unix", path });
  await peer.write({ op: "echo" });
  const data = pattern(4 << 20, 5);
  const sending = s.sendAll(data).then(() => s.shutdown(C.SHUT_WR));
  const back = await readAll(s);
  await sending;
  const report = await peer.read<{ received: number; sha256: string }>();
  assertEquals(report.received, data.byteLength);
  assertEquals(report.sha256, await sha256(data));
  assertEquals(await sha256(back), report.sha256);
});

Deno.test("unix: a native listener serves a python3 client; the peer is unnamed", async () => {
  using dir = tempDir();
  const path = `${dir.path}/srv.sock`;
  using l = nativeSocket(C.AF_UNIX, C.SOCK_STREAM);
  l.bind({ path });
  assertFalse(exists(path)); // recorded; the runtime binds at listen()
  l.listen(4);
  assert(exists(path));
  assertEquals(l.getsockname(), { family: "unix", path });
  await using peer = python("native_peer.py", ["unix", path, "connect"]);
  const [conn, from] = await l.accept({ timeout: 5000 });
  using _conn = conn;
  await peer.read();
  assertEquals(from, { family: "unix", path: "" });
  assertEquals(conn.getsockname(), { family: "unix", path });
  assertEquals(conn.getpeername(), { family: "unix", path: "" });
  await peer.write({ op: "send", text: "hello unix" });
  const buf = new Uint8Array(32);
  assertEquals(await conn.recv(buf, C.MSG_WAITALL | C.MSG_PEEK), 10);
  const [n, addr] = await conn.recvfrom(buf);
  assertEquals([dec.decode(buf.subarray(0, n)), addr], ["hello unix", {
    family: "unix",
    path: "",
  }]);
  await peer.read();
  await peer.write({ op: "read_eof" });
  await conn.sendAll(enc.encode("bye"));
  conn.shutdown(C.SHUT_WR);
  assertEquals((await peer.read<{ text: string }>()).text, "bye");
  l.close();
  assertFalse(exists(path)); // Deno unlinks a unix listener's path on close (Linux would not)
});

Deno.test("unix: abstract names work both ways", async () => {
  const name = `bsdsock-native-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  using l = nativeSocket(C.AF_UNIX, C.SOCK_STREAM);
  l.bind({ path: `\0${name}` });
  l.listen();
  await using peer = python("native_peer.py", ["unix", `@${name}`, "connect"]);
  const [conn] = await l.accept({ timeout: 5000 });
  using _conn = conn;
  await peer.read();
  assertEquals(conn.getsockname(), { family: "unix", path: `\0${name}` });
  await peer.write({ op: "send", text: "abstract" });
  const buf = new Uint8Array(8);
  assertEquals(await conn.recv(buf, C.MSG_WAITALL), 8);
  assertEquals(dec.decode(buf), "abstract");
});

Deno.test("unix: bind and connect refuse as Linux does", async () => {
  using dir = tempDir();
  const file = `${dir.path}/file`;
  Deno.writeTextFileSync(file, "x");
  using a = nativeSocket(C.AF_UNIX, C.SOCK_STREAM);
  throwsWith(() => a.bind({ path: file }), "EADDRINUSE");
  throwsWith(() => a.bind({ path: `${dir.path}/no/such/dir.sock` }), "ENOENT");
  throwsWith(() => a.bind({ family: "inet", hostname: "127.0.0.1", port: 0 }), "EINVAL");
  throwsWith(() => a.listen(), "EINVAL"); // not bound
  assert(isNativeLimit(throwsWith(() => a.bind({ path: "" }), "EOPNOTSUPP"))); // autobind
  await rejectsWith(() => a.connect({ path: `${dir.path}/none.sock` }), "ENOENT");
  await rejectsWith(() => a.connect({ path: file }), "ECONNREFUSED");
  await rejectsWith(() => a.connect({ path: "" }), "EINVAL");
  await rejectsWith(() => a.recv(new Uint8Array(1)), "EINVAL");
  await rejectsWith(() => a.send(new Uint8Array(1)), "ENOTCONN");
  await rejectsWith(() => a.sendto(new Uint8Array(1), { path: file }), "EOPNOTSUPP");
  a.shutdown(C.SHUT_RDWR); // Linux lets an unconnected unix socket shut down
  throwsWith(() => a.getpeername(), "ENOTCONN");
  throwsWith(() => a.setsockopt(C.IPPROTO_TCP, C.TCP_NODELAY, 1), "EOPNOTSUPP");
  a.setsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE, 1);
  assertEquals(a.getsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE), true);
  assertEquals(a.getsockopt(C.SOL_SOCKET, C.SO_PROTOCOL), 0);
  const path = `${dir.path}/l.sock`;
  using l = nativeSocket(C.AF_UNIX, C.SOCK_STREAM);
  l.bind({ path });
  throwsWith(() => l.bind({ path: `${path}2` }), "EINVAL");
  l.listen();
  await rejectsWith(() => l.connect({ path }), "EINVAL");
  using b = nativeSocket(C.AF_UNIX, C.SOCK_STREAM);
  await b.connect({ path });
  const [conn] = await l.accept();
  using _conn = conn;
  await rejectsWith(() => b.connect({ path }), "EISCONN");
  await rejectsWith(() => b.sendto(new Uint8Array(1), { path }), "EISCONN");
  assertEquals(await outcome(() => b.send(enc.encode("hello"))), "ok");
  const buf = new Uint8Array(2);
  assertEquals(await conn.recv(buf, C.MSG_TRUNC), 2); // MSG_TRUNC means nothing on a unix stream
  assertEquals(dec.decode(buf), "he");
});

Deno.test("unix: a non-blocking connect completes at once, as in Linux", async () => {
  const name = `\0bsdsock-native-nb-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  using l = nativeSocket(C.AF_UNIX, C.SOCK_STREAM);
  l.bind({ path: name });
  l.listen();
  using c = nativeSocket(C.AF_UNIX, C.SOCK_STREAM | C.SOCK_NONBLOCK);
  await c.connect({ path: name });
  assertEquals(c.getpeername(), { family: "unix", path: name });
  (await l.accept())[0].close();
});
