/**
 * Socket options on the ffi backend, observed from outside the process where
 * the kernel shows them: keep-alive timers and receive buffers in `ss`, a zero
 * linger as a reset python3 sees; and a round trip (set, get back) of common
 * options on IPv4 and IPv6.
 *
 * @module
 */
import { assert, assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { socket } from "../mod.ts";
import type { Socket } from "../socket/socket.ts";
import type { SockAddr } from "../address/types.ts";
import {
  getKeepAlive,
  setKeepAlive,
  setLinger,
  setRecvBufferSize,
  tcpInfo,
} from "../options/mod.ts";
import {
  domainOf,
  fdLedger,
  pairOf,
  portOf,
  python,
  safetyWakeups,
  tcpListener,
  tcpPair,
  throwsWith,
  utf8,
} from "./_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first options test", fds.start);

const T = { timeout: 5000 };

/** `addr` as `ss` filters on it: `127.0.0.1:80`, `[::1]:80`. */
function ssEndpoint(addr: SockAddr): string {
  if (addr.family !== "inet" && addr.family !== "inet6") throw new TypeError("Not an IP address");
  return addr.family === "inet6"
    ? `[${addr.hostname}]:${addr.port}`
    : `${addr.hostname}:${addr.port}`;
}

/**
 * `ss -tnoimH` for our socket's established connection, filtered on both ends:
 * Linux reuses a source port toward other destinations, so the port alone may
 * match someone else's connection.
 */
async function ssLine(sock: Socket): Promise<string> {
  const local = ssEndpoint(sock.getsockname());
  const remote = ssEndpoint(sock.getpeername());
  const out = await new Deno.Command("ss", {
    args: ["-tnoimH", "state", "established", `( src ${local} and dst ${remote} )`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  const text = new TextDecoder().decode(out.stdout).replace(/\n\s+/g, " ").trim();
  assertEquals(text.split("\n").length, 1, `one connection ${local} -> ${remote}:\n${text}`);
  return text;
}

/**
 * Another established connection from the same source port as `sock`, toward
 * another destination (from 127.0.0.2, as Linux reuses a port for another
 * 4-tuple): what a busy machine shows `ss`. Closing the result closes both ends.
 */
async function sameSourcePort(sock: Socket): Promise<Disposable> {
  using listener = tcpListener("inet");
  const decoy = socket(C.AF_INET, C.SOCK_STREAM, 0, { backend: "ffi" });
  try {
    decoy.bind({ hostname: "127.0.0.2", port: portOf(sock.getsockname()) });
    const accepted = listener.accept(T);
    await decoy.connect(listener.getsockname(), T);
    const [peer] = await accepted;
    return pairOf(decoy, peer);
  } catch (err) {
    decoy.close();
    throw err;
  }
}

/** Seconds left on the keep-alive timer `ss` shows, or `undefined` when there is none. */
function keepaliveSeconds(line: string): number | undefined {
  const m = /timer:\(keepalive,(?:(\d+)min)?(?:(\d+)sec)?(?:(\d+)ms)?,\d+\)/.exec(line);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Number(m[3] ?? 0) / 1000;
}

for (const family of ["inet", "inet6"] as const) {
  Deno.test(`setKeepAlive() on TCP/${family} shows in ss as a keepalive timer of the idle time`, async () => {
    using pair = await tcpPair(family);
    const [client, server] = pair;
    using _decoyClient = await sameSourcePort(client);
    using _decoyServer = await sameSourcePort(server);
    assertEquals(keepaliveSeconds(await ssLine(client)), undefined, "off by default");

    setKeepAlive(client, { idle: 600, interval: 30, count: 4 });
    assertEquals(getKeepAlive(client), { enable: true, idle: 600, interval: 30, count: 4 });
    const left = keepaliveSeconds(await ssLine(client));
    assert(left !== undefined && left > 590 && left <= 600, `timer ≈ 600 s: ${left}`);
    assertEquals(keepaliveSeconds(await ssLine(server)), undefined, "the other end is untouched");

    setKeepAlive(client, { idle: 45 }); // re-arms the running timer
    const shorter = keepaliveSeconds(await ssLine(client));
    assert(shorter !== undefined && shorter > 35 && shorter <= 45, `timer ≈ 45 s: ${shorter}`);

    setKeepAlive(client, { enable: false });
    assertEquals(keepaliveSeconds(await ssLine(client)), undefined, "off again");
    assertEquals(client.getsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE), false);
  });
}

Deno.test("setRecvBufferSize() shows in ss as the doubled rb of skmem", async () => {
  using pair = await tcpPair();
  const [client] = pair;
  setRecvBufferSize(client, 40_000);
  assertEquals(client.getsockopt(C.SOL_SOCKET, C.SO_RCVBUF), 80_000, "the kernel doubles it");
  assertMatch(await ssLine(client), /skmem:\(r\d+,rb80000,/);
});

Deno.test("setLinger(0) makes close() reset the connection: python3 sees ECONNRESET", async () => {
  await using py = python("tcp_peer.py", ["inet"]);
  const { port } = await py.read<{ port: number }>();
  const s = socket(C.AF_INET, C.SOCK_STREAM, 0, { backend: "ffi" });
  try {
    await s.connect({ hostname: "127.0.0.1", port }, T);
    await py.read();
    setLinger(s, 0);
    assertEquals(s.getsockopt(C.SOL_SOCKET, C.SO_LINGER), { onoff: true, linger: 0 });
    await s.sendAll(utf8("last words"), 0, T);
    await py.write({ op: "read_eof" });
  } finally {
    s.close();
  }
  const seen = await py.read<{ error?: string; data: string }>();
  assertEquals(seen.error, "ECONNRESET", JSON.stringify(seen));
});

Deno.test("tcpInfo() of a live connection: established, with the bytes that went through", async () => {
  using pair = await tcpPair();
  const [client, server] = pair;
  await client.sendAll(new Uint8Array(1000), 0, T);
  assertEquals(await server.recv(new Uint8Array(1000), C.MSG_WAITALL, T), 1000);
  const info = tcpInfo(server);
  assertEquals(info.state, 1);
  assertEquals(info.bytesReceived, 1000n);
  assertEquals(tcpInfo(client).bytesAcked, 1001n, "1000 bytes and the SYN");
});

/** [level, name, a value unlike the default, the value read back]. */
type Case = [string, string, unknown, unknown];
const COMMON: Case[] = [
  ["SOL_SOCKET", "SO_REUSEADDR", true, true],
  ["SOL_SOCKET", "SO_REUSEPORT", true, true],
  ["SOL_SOCKET", "SO_KEEPALIVE", true, true],
  ["SOL_SOCKET", "SO_SNDBUF", 50_000, 100_000],
  ["SOL_SOCKET", "SO_LINGER", { onoff: true, linger: 7 }, { onoff: true, linger: 7 }],
  ["SOL_SOCKET", "SO_RCVTIMEO", 1500, 1500],
  ["SOL_SOCKET", "SO_PRIORITY", 3, 3],
  ["IPPROTO_TCP", "TCP_NODELAY", true, true],
  ["IPPROTO_TCP", "TCP_MAXSEG", 1200, 1200],
  ["IPPROTO_TCP", "TCP_KEEPIDLE", 77, 77],
  ["IPPROTO_TCP", "TCP_USER_TIMEOUT", 9000, 9000],
];
const PER_FAMILY: Record<"inet" | "inet6", Case[]> = {
  inet: [["IPPROTO_IP", "IP_TTL", 17, 17], ["IPPROTO_IP", "IP_TOS", 0x10, 0x10]],
  inet6: [
    ["IPPROTO_IPV6", "IPV6_UNICAST_HOPS", 17, 17],
    ["IPPROTO_IPV6", "IPV6_V6ONLY", true, true],
    ["IPPROTO_IPV6", "IPV6_TCLASS", 0x10, 0x10],
  ],
};

for (const family of ["inet", "inet6"] as const) {
  Deno.test(`options round-trip on a TCP/${family} socket: default differs, set, read back`, () => {
    using s = socket(domainOf(family), C.SOCK_STREAM, 0, { backend: "ffi" });
    for (const [level, name, value, back] of [...COMMON, ...PER_FAMILY[family]]) {
      const what = `${level}/${name}`;
      assertNotEquals(s.getsockopt(level, name), back, `${what} starts elsewhere`);
      s.setsockopt(level, name, value as number);
      assertEquals(s.getsockopt(level, name), back, what);
    }
    // And by number, raw: SO_TYPE is read-only, 4 bytes.
    const raw = s.getsockopt(C.SOL_SOCKET, C.SO_TYPE, 4) as Uint8Array;
    assertEquals(new DataView(raw.buffer, raw.byteOffset).getInt32(0, true), C.SOCK_STREAM);
  });
}

Deno.test("a refused option is the kernel's SocketError: TCP_MAXSEG of 1 is EINVAL", () => {
  using s = socket(C.AF_INET, C.SOCK_STREAM, 0, { backend: "ffi" });
  const err = throwsWith(() => s.setsockopt("IPPROTO_TCP", "TCP_MAXSEG", 1), "EINVAL");
  assertEquals(err.syscall, "setsockopt");
});

Deno.test("options tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the options tests", fds.assertUnchanged);
