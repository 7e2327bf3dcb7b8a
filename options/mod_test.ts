import { darwin, linux } from "../constants/mod.ts";
import {
  codecs,
  decodeOption,
  encodeOption,
  getKeepAlive,
  listOptions,
  lookupOption,
  optionName,
  resolveOption,
  setBroadcast,
  setKeepAlive,
  setLinger,
  setNoDelay,
  setRecvBufferSize,
  setReuseAddress,
  setReusePort,
  setSendBufferSize,
  setV6Only,
  tcpInfo,
} from "./mod.ts";
import { buildRegistry, resolveIn } from "./registry.ts";
import { DARWIN_ROWS, LINUX_LEVELS } from "./table.ts";
import { assert, assertEquals, assertExists, assertStrictEquals, assertThrows } from "@std/assert";

const L = linux as unknown as Record<string, number>;

Deno.test("resolveOption() takes C names and numbers alike", () => {
  const byName = resolveOption("SOL_SOCKET", "SO_KEEPALIVE");
  assertEquals([byName.level, byName.name], [L.SOL_SOCKET, L.SO_KEEPALIVE]);
  assertStrictEquals(resolveOption(L.SOL_SOCKET, L.SO_KEEPALIVE), byName);
  assertStrictEquals(resolveOption("SOL_SOCKET", L.SO_KEEPALIVE), byName);
  assertStrictEquals(resolveOption(L.SOL_SOCKET, "SO_KEEPALIVE"), byName);
  assertEquals(byName.levelName, "SOL_SOCKET");
  assertEquals(byName.optionName, "SO_KEEPALIVE");
  assertStrictEquals(
    resolveOption("SOL_TCP", "TCP_NODELAY"),
    resolveOption("IPPROTO_TCP", "TCP_NODELAY"),
  );
  assertStrictEquals(resolveOption("SOL_IP", "IP_TTL"), resolveOption("IPPROTO_IP", "IP_TTL"));
});

Deno.test("names sharing a number are one option, named by the first", () => {
  const join = resolveOption("IPPROTO_IPV6", "IPV6_ADD_MEMBERSHIP");
  assertStrictEquals(join, resolveOption("IPPROTO_IPV6", "IPV6_JOIN_GROUP"));
  assertEquals(join.optionName, "IPV6_JOIN_GROUP");
  if (L.SO_RCVTIMEO_OLD === L.SO_RCVTIMEO) {
    assertEquals(resolveOption("SOL_SOCKET", "SO_RCVTIMEO_OLD").optionName, "SO_RCVTIMEO");
  }
});

Deno.test("the registry knows codecs and read-only options", () => {
  const codecOf = (level: string, name: string) => resolveOption(level, name).codec.name;
  assertEquals(codecOf("SOL_SOCKET", "SO_LINGER"), "linger");
  assertEquals(codecOf("SOL_SOCKET", "SO_SNDTIMEO"), "timeval");
  assertEquals(codecOf("SOL_SOCKET", "SO_PEERCRED"), "ucred");
  assertEquals(codecOf("SOL_SOCKET", "SO_BINDTODEVICE"), "string");
  assertEquals(codecOf("SOL_SOCKET", "SO_RCVBUF"), "int");
  assertEquals(codecOf("IPPROTO_IP", "IP_ADD_MEMBERSHIP"), "ip_mreqn");
  assertEquals(codecOf("IPPROTO_IP", "IP_MULTICAST_IF"), "in_addr");
  assertEquals(codecOf("IPPROTO_IP", "IP_MULTICAST_TTL"), "int");
  assertEquals(codecOf("IPPROTO_IPV6", "IPV6_JOIN_GROUP"), "ipv6_mreq");
  assertEquals(codecOf("IPPROTO_IPV6", "IPV6_V6ONLY"), "bool");
  assertEquals(codecOf("IPPROTO_TCP", "TCP_INFO"), "tcp_info");
  assertEquals(codecOf("IPPROTO_TCP", "TCP_CONGESTION"), "string");
  const readOnly = listOptions().filter((s) => s.readOnly).map((s) => s.optionName);
  for (
    const name of [
      "SO_TYPE",
      "SO_ERROR",
      "SO_ACCEPTCONN",
      "SO_DOMAIN",
      "SO_PROTOCOL",
      "SO_PEERCRED",
      "TCP_INFO",
      "IP_MTU",
    ]
  ) assert(readOnly.includes(name), name);
  assertEquals(resolveOption("SOL_SOCKET", "SO_KEEPALIVE").readOnly, false);
  assertEquals(resolveOption("IPPROTO_IP", "IP_ADD_MEMBERSHIP").writeOnly, true);
});

Deno.test("every spec is unique, and names sharing a number agree on codec and access", () => {
  const seen = new Set<string>();
  for (const s of listOptions()) {
    const key = `${s.level}/${s.name}`;
    assert(!seen.has(key), key);
    seen.add(key);
    assert(Object.isFrozen(s));
  }
  for (const { level, rows } of LINUX_LEVELS) {
    const names = rows.map((r) => r[0]);
    assertEquals(names.length, new Set(names).size, `duplicate names in ${level}`);
    for (const [name, codec, access] of rows) {
      const spec = lookupOption(level, name);
      if (!spec) continue;
      assertEquals([spec.codec, spec.readOnly, spec.writeOnly], [
        codec,
        access === "r",
        access === "w",
      ], name);
    }
  }
  const counts = Object.fromEntries(
    LINUX_LEVELS.map((l) => [l.level, listOptions(l.level).length]),
  );
  for (const level of ["SOL_SOCKET", "IPPROTO_IP", "IPPROTO_IPV6", "IPPROTO_TCP"]) {
    assert(counts[level] > 10, `${level}: ${counts[level]} options`);
  }
});

Deno.test("unknown names throw TypeError quoting them; unknown numbers get a default spec", () => {
  assertThrows(() => resolveOption("SOL_SOCKET", "SO_NOPE"), TypeError, '"SO_NOPE"');
  assertThrows(() => resolveOption("SOL_NOPE", 1), TypeError, '"SOL_NOPE"');
  assertThrows(() => resolveOption("SOL_SOCKET", "TCP_NODELAY"), TypeError, "IPPROTO_TCP");
  assertThrows(() => resolveOption("SOL_SOCKET", "toString"), TypeError, '"toString"');
  assertThrows(() => resolveOption("constructor", 1), TypeError, '"constructor"');
  assertThrows(() => resolveOption(12345, "SO_KEEPALIVE"), TypeError, '"SO_KEEPALIVE"');
  assertThrows(() => resolveOption(L.SOL_SOCKET, 1.5), RangeError, "1.5");
  assertThrows(() => resolveOption(2 ** 31, 1), RangeError, "2147483648");
  assertThrows(() => resolveOption(true as unknown as number, 1), TypeError, "true");
  assertThrows(() => lookupOption(L.SOL_SOCKET, null as unknown as number), TypeError, "null");
  assertEquals(lookupOption("SOL_SOCKET", "SO_NOPE"), undefined);
  assertEquals(lookupOption("SOL_NOPE", "SO_KEEPALIVE"), undefined);
  const spec = resolveOption(L.SOL_SOCKET, 4242);
  assertEquals(
    [spec.levelName, spec.optionName, spec.codec.name, spec.readOnly, spec.writeOnly],
    ["SOL_SOCKET", "4242", "int_or_bytes", false, false],
  );
  assertEquals(resolveOption(9999, 1).levelName, "9999");
  if (L.IPPROTO_RAW !== undefined) {
    assertEquals(resolveOption("IPPROTO_RAW", 1).level, L.IPPROTO_RAW);
  }
});

Deno.test("encodeOption() passes bytes through and names the option in errors", () => {
  const nodelay = resolveOption("IPPROTO_TCP", "TCP_NODELAY");
  const raw = new Uint8Array([1, 0, 0, 0]);
  assertStrictEquals(encodeOption(nodelay, raw), raw);
  assertStrictEquals(encodeOption(resolveOption("SOL_SOCKET", "SO_LINGER"), raw), raw);
  assertEquals(encodeOption(nodelay, 1), raw);
  assertEquals(encodeOption(nodelay, false), new Uint8Array(4));
  assertThrows(() => encodeOption(nodelay, { on: true }), TypeError, "IPPROTO_TCP/TCP_NODELAY");
  assertThrows(() => encodeOption(nodelay, 2), RangeError, "IPPROTO_TCP/TCP_NODELAY");
  const rcvbuf = resolveOption("SOL_SOCKET", "SO_RCVBUF");
  assertThrows(() => encodeOption(rcvbuf, true), TypeError, "true");
  assertThrows(() => encodeOption(rcvbuf, { size: 1 }), TypeError, '{"size":1}');
  const linger = resolveOption("SOL_SOCKET", "SO_LINGER");
  assertThrows(() => encodeOption(linger, 5), TypeError, "SOL_SOCKET/SO_LINGER");
  const join = resolveOption("IPPROTO_IP", "IP_ADD_MEMBERSHIP");
  assertThrows(() => encodeOption(join, { multiaddr: "239.0.0.300" }), TypeError, '"239.0.0.300"');
  const unknown = resolveOption(L.SOL_SOCKET, 4242);
  assertEquals(encodeOption(unknown, true), raw);
  assertThrows(() => encodeOption(unknown, { a: 1 }), TypeError, "SOL_SOCKET/4242");
  assertThrows(() => encodeOption({} as never, 1), TypeError, "{}");
});

Deno.test("decodeOption() decodes with the codec and names the option in errors", () => {
  const info = resolveOption("IPPROTO_TCP", "TCP_INFO");
  const bytes = new Uint8Array(codecs.tcpInfo.size);
  bytes[0] = 10;
  assertEquals((decodeOption(info, bytes) as { state: number }).state, 10);
  assertThrows(() => decodeOption(info, new Uint8Array(8)), RangeError, "IPPROTO_TCP/TCP_INFO");
  const unknown = resolveOption(L.SOL_SOCKET, 4242);
  assertEquals(decodeOption(unknown, new Uint8Array([5, 0, 0, 0])), 5);
  assertEquals(decodeOption(unknown, new Uint8Array([5])), new Uint8Array([5]));
  assertEquals(
    decodeOption(resolveOption("SOL_SOCKET", "SO_COOKIE"), new Uint8Array(8).fill(255)),
    2n ** 64n - 1n,
  );
});

Deno.test("optionName() falls back to numbers", () => {
  assertEquals(optionName(L.SOL_SOCKET, L.SO_KEEPALIVE), "SOL_SOCKET/SO_KEEPALIVE");
  assertEquals(optionName("SOL_SOCKET", "SO_KEEPALIVE"), "SOL_SOCKET/SO_KEEPALIVE");
  assertEquals(optionName(L.IPPROTO_IPV6, L.IPV6_ADD_MEMBERSHIP), "IPPROTO_IPV6/IPV6_JOIN_GROUP");
  assertEquals(optionName(L.SOL_SOCKET, 4242), "SOL_SOCKET/4242");
  assertEquals(optionName(9999, 1), "9999/1");
});

Deno.test("macOS's registry has its own codecs and options", () => {
  const reg = buildRegistry(darwin, LINUX_LEVELS, DARWIN_ROWS);
  const D = darwin as unknown as Record<string, number>;
  const ttl = resolveIn(reg, "IPPROTO_IP", "IP_MULTICAST_TTL");
  assertEquals([ttl.level, ttl.name, ttl.codec.name], [D.IPPROTO_IP, D.IP_MULTICAST_TTL, "byte"]);
  assertEquals(resolveIn(reg, "IPPROTO_IP", "IP_ADD_MEMBERSHIP").codec.name, "ip_mreq");
  assertEquals(resolveIn(reg, "SOL_SOCKET", "SO_KEEPALIVE").level, D.SOL_SOCKET);
  assertEquals(resolveIn(reg, "SOL_SOCKET", "SO_NOSIGPIPE").codec.name, "bool");
  assertEquals(resolveIn(reg, "IPPROTO_TCP", "TCP_KEEPALIVE").codec.name, "int");
  assertThrows(() => resolveIn(reg, "SOL_SOCKET", "SO_PEERCRED"), TypeError, '"SO_PEERCRED"');
  for (const s of reg.specs) assertEquals(D[s.optionName], s.name, s.optionName);
});

function fake(values: Record<number, unknown> = {}) {
  const calls: Array<[number, number, unknown]> = [];
  return {
    calls,
    setsockopt(level: number, name: number, value: unknown) {
      calls.push([level, name, value]);
    },
    getsockopt(_level: number, name: number) {
      return values[name];
    },
  };
}

Deno.test("setKeepAlive() sets SO_KEEPALIVE then the TCP_KEEP* given", () => {
  const sock = fake();
  setKeepAlive(sock, { idle: 60, interval: 10, count: 5 });
  assertEquals(sock.calls, [
    [L.SOL_SOCKET, L.SO_KEEPALIVE, true],
    [L.IPPROTO_TCP, L.TCP_KEEPIDLE, 60],
    [L.IPPROTO_TCP, L.TCP_KEEPINTVL, 10],
    [L.IPPROTO_TCP, L.TCP_KEEPCNT, 5],
  ]);
  const off = fake();
  setKeepAlive(off, { enable: false });
  assertEquals(off.calls, [[L.SOL_SOCKET, L.SO_KEEPALIVE, false]]);
  const bad = fake();
  assertThrows(() => setKeepAlive(bad, { idle: 60, count: 1.5 }), RangeError, "1.5");
  assertThrows(() => setKeepAlive(bad, { enable: "yes" as never }), TypeError, '"yes"');
  assertEquals(bad.calls, [], "nothing is set when a value is bad");
});

Deno.test("getKeepAlive() reads the four options", () => {
  const sock = fake({
    [L.SO_KEEPALIVE]: true,
    [L.TCP_KEEPIDLE]: 7200,
    [L.TCP_KEEPINTVL]: 75,
    [L.TCP_KEEPCNT]: 9,
  });
  assertEquals(getKeepAlive(sock), { enable: true, idle: 7200, interval: 75, count: 9 });
  const raw = fake({ [L.SO_KEEPALIVE]: new Uint8Array([0, 0, 0, 0]) });
  assertEquals(getKeepAlive(raw).enable, false);
});

Deno.test("flag and size helpers set their option", () => {
  const sock = fake();
  setNoDelay(sock);
  setNoDelay(sock, false);
  setReuseAddress(sock);
  setReusePort(sock, true);
  setBroadcast(sock, false);
  setV6Only(sock, true);
  setRecvBufferSize(sock, 1 << 20);
  setSendBufferSize(sock, 0);
  setLinger(sock, 0);
  setLinger(sock, null);
  assertEquals(sock.calls, [
    [L.IPPROTO_TCP, L.TCP_NODELAY, true],
    [L.IPPROTO_TCP, L.TCP_NODELAY, false],
    [L.SOL_SOCKET, L.SO_REUSEADDR, true],
    [L.SOL_SOCKET, L.SO_REUSEPORT, true],
    [L.SOL_SOCKET, L.SO_BROADCAST, false],
    [L.IPPROTO_IPV6, L.IPV6_V6ONLY, true],
    [L.SOL_SOCKET, L.SO_RCVBUF, 1 << 20],
    [L.SOL_SOCKET, L.SO_SNDBUF, 0],
    [L.SOL_SOCKET, L.SO_LINGER, { onoff: true, linger: 0 }],
    [L.SOL_SOCKET, L.SO_LINGER, { onoff: false, linger: 0 }],
  ]);
  assertThrows(() => setNoDelay(sock, "on" as never), TypeError, '"on"');
  assertThrows(() => setRecvBufferSize(sock, 1.5), RangeError, "1.5");
  assertThrows(() => setSendBufferSize(sock, "1" as never), TypeError, '"1"');
  assertThrows(() => setLinger(sock, -1), RangeError, "-1");
  assertThrows(() => setLinger(sock, undefined as never), TypeError, "undefined");
  assertEquals(sock.calls.length, 10);
});

Deno.test("tcpInfo() returns the decoded struct, decoding raw bytes itself", () => {
  const bytes = new Uint8Array(codecs.tcpInfo.size);
  bytes[0] = 1;
  bytes[80] = 10; // tcpi_snd_cwnd
  const info = tcpInfo(fake({ [L.TCP_INFO]: bytes }));
  assertEquals([info.state, info.sndCwnd, info.bytesAcked], [1, 10, 0n]);
  const decoded = codecs.tcpInfo.decode(bytes);
  assertStrictEquals(tcpInfo(fake({ [L.TCP_INFO]: decoded })), decoded);
  assertThrows(() => tcpInfo(fake({ [L.TCP_INFO]: 0 })), TypeError, "0");
  assertExists(lookupOption("IPPROTO_TCP", "TCP_INFO"));
});
