/**
 * The "auto" backend as API.md describes it, each case in a fresh process with
 * exactly the permissions it is about: native for TCP/UDP/unix stream, ffi for
 * the rest, the move to ffi before the socket exists when an option needs it,
 * and ENOPROTOOPT saying how to get the option when FFI is not permitted.
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

Deno.test("auto: TCP, UDP and unix stream sockets start on native; other kinds go to ffi", async () => {
  const run = await runDeno(
    PRELUDE + `
tryIt("tcp", () => { using s = S.socket(S.AF_INET, S.SOCK_STREAM); return s.backend; });
tryIt("udp6", () => { using s = S.socket(S.AF_INET6, S.SOCK_DGRAM); return s.backend; });
tryIt("unix", () => { using s = S.socket(S.AF_UNIX, S.SOCK_STREAM); return s.backend; });
tryIt("seqpacket", () => { using s = S.socket(S.AF_UNIX, S.SOCK_SEQPACKET); return s.backend; });
tryIt("icmp", () => { using s = S.socket(S.AF_INET, S.SOCK_RAW, "icmp"); return s.backend; });
tryIt("wrongProto", () => S.socket(S.AF_INET, S.SOCK_STREAM, S.IPPROTO_UDP));
console.log(JSON.stringify(out));
`,
    ["--allow-ffi", "--allow-net"],
  );
  assertEquals(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assertEquals([out.tcp, out.udp6, out.unix], ["native", "native", "native"]);
  assertEquals([out.seqpacket, out.icmp], ["ffi", "ffi"]);
  assertEquals(out.wrongProto.code, "EPROTONOSUPPORT");
});

Deno.test("auto: an option only ffi has moves a fresh socket to ffi, keeping the options set before", async () => {
  const run = await runDeno(
    PRELUDE + `
using s = S.socket(S.AF_INET, S.SOCK_STREAM);
s.setsockopt(S.IPPROTO_TCP, S.TCP_NODELAY, true);
const before = s.backend;
s.setsockopt(S.SOL_SOCKET, S.SO_PRIORITY, 3);
out.moved = [before, s.backend];
out.priority = s.getsockopt(S.SOL_SOCKET, S.SO_PRIORITY);
out.nodelay = s.getsockopt(S.IPPROTO_TCP, S.TCP_NODELAY);
// Once connected it no longer moves: the native limit stands.
using server = S.socket(S.AF_INET, S.SOCK_STREAM);
server.bind({ hostname: "127.0.0.1", port: 0 });
server.listen();
using c = S.socket(S.AF_INET, S.SOCK_STREAM);
const accepted = server.accept();
await c.connect(server.getsockname());
(await accepted)[0].close();
tryIt("late", () => c.setsockopt(S.SOL_SOCKET, S.SO_PRIORITY, 3));
out.lateBackend = c.backend;
console.log(JSON.stringify(out));
`,
    ["--allow-ffi", "--allow-net"],
  );
  assertEquals(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assertEquals(out.moved, ["native", "ffi"]);
  assertEquals(out.priority, 3);
  assertEquals(out.nodelay, true);
  assertEquals(out.lateBackend, "native");
  assertEquals(out.late.code, "ENOPROTOOPT");
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
  assertEquals([out.echo, out.udp, out.backend], [4, 3, "native"]);
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
