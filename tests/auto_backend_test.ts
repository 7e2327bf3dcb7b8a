/**
 * The "auto" backend as API.md describes it, each case in a fresh process with
 * exactly the permissions it is about: with FFI permitted every socket is the
 * kernel's (a descriptor, bind's errors at bind); with `--allow-net` alone,
 * native carries TCP, UDP and unix stream sockets (no descriptor, bind deferred
 * to listen) and an option only ffi has is ENOPROTOOPT saying how to get it.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runDeno } from "./_helpers.ts";

const PRELUDE = `
import * as S from "@bsdsock/socket";
const out: Record<string, unknown> = {};
const tryIt = (name: string, f: () => unknown) => {
  try { out[name] = f(); } catch (e) {
    out[name] = { error: (e as Error).name, code: (e as { code?: string }).code, message: (e as Error).message };
  }
};
`;

Deno.test("auto with --allow-ffi: every kind is the kernel's socket, with a real descriptor", async () => {
  const run = await runDeno(
    PRELUDE + `
const kind = (s: S.Socket) => [s.backend, s.fd >= 0];
tryIt("tcp", () => { using s = S.socket(S.AF_INET, S.SOCK_STREAM); return kind(s); });
tryIt("udp6", () => { using s = S.socket(S.AF_INET6, S.SOCK_DGRAM); return kind(s); });
tryIt("unix", () => { using s = S.socket(S.AF_UNIX, S.SOCK_STREAM); return kind(s); });
tryIt("seqpacket", () => { using s = S.socket(S.AF_UNIX, S.SOCK_SEQPACKET); return kind(s); });
tryIt("icmp", () => { using s = S.socket(S.AF_INET, S.SOCK_RAW, "icmp"); return kind(s); });
tryIt("wrongProto", () => S.socket(S.AF_INET, S.SOCK_STREAM, S.IPPROTO_UDP));
console.log(JSON.stringify(out));
`,
    ["--allow-ffi", "--allow-net"],
  );
  assertEquals(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  for (const k of ["tcp", "udp6", "unix", "seqpacket", "icmp"]) {
    assertEquals(out[k], ["ffi", true], k);
  }
  assertEquals(out.wrongProto.code, "EPROTONOSUPPORT");
});

Deno.test("auto with --allow-ffi: bind's errors at bind, a unix path on disk, a descriptor to pass", async () => {
  const run = await runDeno(
    PRELUDE + `
using a = S.socket(S.AF_INET, S.SOCK_STREAM);
a.bind({ hostname: "127.0.0.1", port: 0 });
a.listen();
using b = S.socket(S.AF_INET, S.SOCK_STREAM);
tryIt("tcpInUse", () => b.bind(a.getsockname()));
const dir = Deno.makeTempDirSync();
const path = dir + "/s.sock";
using u = S.socket(S.AF_UNIX, S.SOCK_STREAM);
u.bind({ path });
// bind → chmod → listen: the file exists between them.
Deno.chmodSync(path, 0o600);
out.mode = Deno.statSync(path).mode! & 0o777;
u.listen();
using u2 = S.socket(S.AF_UNIX, S.SOCK_STREAM);
tryIt("unixInUse", () => u2.bind({ path }));
// A TCP socket's descriptor crosses a unix socket.
const [x, y] = S.socketpair(S.AF_UNIX, S.SOCK_STREAM);
await S.sendFds(x, new Uint8Array([1]), [a.fd]);
const got = await S.recvFds(y, new Uint8Array(1), 1);
out.passed = got.fds.length;
for (const fd of got.fds) S.Socket.fromFd(fd).close();
x.close();
y.close();
Deno.removeSync(dir, { recursive: true });
console.log(JSON.stringify(out));
`,
    ["--allow-ffi", "--allow-net", "--allow-read", "--allow-write"],
  );
  assertEquals(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assertEquals([out.tcpInUse.code, out.unixInUse.code], ["EADDRINUSE", "EADDRINUSE"]);
  assertStringIncludes(out.tcpInUse.message, "bind");
  assertEquals(out.mode, 0o600);
  assertEquals(out.passed, 1);
});

Deno.test("auto without --allow-ffi: streams and datagrams work, an ffi-only option is ENOPROTOOPT saying how", async () => {
  const run = await runDeno(
    PRELUDE + `
using server = S.socket(S.AF_INET, S.SOCK_STREAM);
server.bind({ hostname: "127.0.0.1", port: 0 });
server.listen();
using c = S.socket(S.AF_INET, S.SOCK_STREAM);
const accepted = server.accept();
await c.connect(server.getsockname());
const [conn] = await accepted;
await c.sendAll(new TextEncoder().encode("ping"));
const buf = new Uint8Array(8);
out.echo = await conn.recv(buf);
conn.close();
using u = S.socket(S.AF_INET, S.SOCK_DGRAM);
u.bind({ hostname: "127.0.0.1", port: 0 });
await u.sendto(new Uint8Array([1, 2, 3]), u.getsockname());
out.udp = (await u.recvfrom(buf))[0];
using fresh = S.socket(S.AF_INET, S.SOCK_STREAM);
tryIt("priority", () => fresh.setsockopt(S.SOL_SOCKET, S.SO_PRIORITY, 3));
out.backend = fresh.backend;
out.fd = fresh.fd;
// Native defers bind to listen: the port in use is reported there.
using late = S.socket(S.AF_INET, S.SOCK_STREAM);
tryIt("bindInUse", () => late.bind(server.getsockname()));
tryIt("listenInUse", () => late.listen());
tryIt("raw", () => S.socket(S.AF_INET, S.SOCK_RAW, "icmp"));
tryIt("unixSeqpacket", () => S.socket(S.AF_UNIX, S.SOCK_SEQPACKET));
tryIt("sctp", () => S.socket(S.AF_INET, S.SOCK_SEQPACKET, "sctp"));
tryIt("rdm", () => S.socket(S.AF_INET, S.SOCK_RDM));
tryIt("tcpAsUdp", () => S.socket(S.AF_INET, S.SOCK_STREAM, "udp"));
tryIt("family", () => S.socket(9999, S.SOCK_STREAM));
tryIt("type", () => S.socket(S.AF_INET6, 77));
console.log(JSON.stringify(out));
`,
    ["--allow-net"],
  );
  assertEquals(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assertEquals([out.echo, out.udp, out.backend, out.fd], [4, 3, "native", -1]);
  assertEquals([out.bindInUse, out.listenInUse.code], [undefined, "EADDRINUSE"]);
  assertEquals(out.priority.code, "ENOPROTOOPT");
  assertStringIncludes(out.priority.message, "--allow-ffi");
  assertStringIncludes(out.priority.message, 'backend: "ffi"');
  // A kind of socket only ffi carries (SCTP: if the kernel has the module)
  // surfaces Deno's own permission error…
  assertEquals([out.raw, out.unixSeqpacket, out.sctp].map((e) => e.error), [
    "NotCapable",
    "NotCapable",
    "NotCapable",
  ]);
  // …but one every Linux refuses is refused with the kernel's errno.
  assertEquals(
    [out.rdm, out.tcpAsUdp, out.family, out.type].map((e) => [e.error, e.code]),
    [
      ["SocketError", "ESOCKTNOSUPPORT"],
      ["SocketError", "EPROTONOSUPPORT"],
      ["SocketError", "EAFNOSUPPORT"],
      ["SocketError", "EINVAL"],
    ],
  );
});
