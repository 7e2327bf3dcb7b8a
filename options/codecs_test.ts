import type { OptionCodec } from "./_codec.ts";
import { bytesCodec, codecs, stringCodec } from "./codecs.ts";
import {
  TCP_INFO_BITS,
  TCP_INFO_FIELDS,
  TCP_INFO_MIN_SIZE,
  TCP_INFO_SIZE,
  type TcpInfo,
} from "./tcp_info.ts";
import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";

// deno-lint-ignore no-explicit-any
const c = codecs as unknown as Record<string, OptionCodec<any>>;

/** [codec, value in, value out (when decoding changes it), expected bytes] */
type RoundTrip = [string, unknown, unknown?, number[]?];

const roundTrips: RoundTrip[] = [
  ["int", 0, undefined, [0, 0, 0, 0]],
  ["int", -1, undefined, [0xff, 0xff, 0xff, 0xff]],
  ["int", 0x7fffffff],
  ["int", -0x80000000, undefined, [0, 0, 0, 0x80]],
  ["bool", true, undefined, [1, 0, 0, 0]],
  ["bool", false, undefined, [0, 0, 0, 0]],
  ["bool", 1, true],
  ["bool", 0, false],
  ["uint32", 0xffffffff, undefined, [0xff, 0xff, 0xff, 0xff]],
  ["uint64", 2n ** 64n - 1n],
  ["uint64", 5, 5n, [5, 0, 0, 0, 0, 0, 0, 0]],
  ["uint64", Number.MAX_SAFE_INTEGER, BigInt(Number.MAX_SAFE_INTEGER)],
  ["byte", 255, undefined, [255]],
  ["byte", 0, undefined, [0]],
  ["gsoSize", 1400, undefined, [0x78, 5, 0, 0]],
  ["gsoSize", 0, undefined, [0, 0, 0, 0]],
  ["gsoSize", 65535],
  ["linger", { onoff: true, linger: 30 }, undefined, [1, 0, 0, 0, 30, 0, 0, 0]],
  ["linger", { onoff: 0, linger: 0 }, { onoff: false, linger: 0 }],
  ["timeval", 0, undefined, new Array(16).fill(0)],
  ["timeval", 1500, undefined, [1, 0, 0, 0, 0, 0, 0, 0, 0x20, 0xa1, 7, 0, 0, 0, 0, 0]],
  ["timeval", 1.1],
  ["timeval", 86_400_000],
  ["timeval", 0.0001, 0.001], // a positive timeout stays positive: 1 µs
  ["timeval", Infinity, 0],
  ["ucred", { pid: 1234, uid: 0xffffffff, gid: 100 }],
  ["ucred", { pid: -1, uid: 0, gid: 0 }],
  ["soTimestamping", { flags: 0x58, bindPhc: 2 }, undefined, [0x58, 0, 0, 0, 2, 0, 0, 0]],
  ["soTimestamping", 0x58, { flags: 0x58, bindPhc: 0 }],
  ["inAddr", "192.0.2.1", undefined, [192, 0, 2, 1]],
  ["ipMreq", { multiaddr: "224.0.0.251", interface: "192.0.2.1" }],
  ["ipMreq", { multiaddr: "224.0.0.251" }, { multiaddr: "224.0.0.251", interface: "0.0.0.0" }],
  ["ipMreqn", { multiaddr: "239.1.2.3", address: "10.0.0.1", ifindex: 7 }],
  [
    "ipMreqn",
    { multiaddr: "239.1.2.3", ifindex: 2 },
    { multiaddr: "239.1.2.3", address: "0.0.0.0", ifindex: 2 },
    [239, 1, 2, 3, 0, 0, 0, 0, 2, 0, 0, 0],
  ],
  [
    "ipMreqn",
    { multiaddr: "239.1.2.3", interface: "10.0.0.1" },
    { multiaddr: "239.1.2.3", address: "10.0.0.1", ifindex: 0 },
  ],
  ["ipMreqSource", { multiaddr: "232.1.1.1", interface: "0.0.0.0", sourceaddr: "192.0.2.9" }],
  ["ipv6Mreq", { multiaddr: "ff02::1:3", ifindex: 9 }],
  ["ipv6Mreq", { multiaddr: "FF05:0:0::1" }, { multiaddr: "ff05::1", ifindex: 0 }],
  ["string", "eth0", undefined, [0x65, 0x74, 0x68, 0x30, 0]],
  ["string", "", undefined, [0]],
  ["string", "x".repeat(15)],
  ["string", "é".repeat(7)], // 14 UTF-8 bytes
  ["bytes", new Uint8Array([1, 2, 3]), undefined, [1, 2, 3]],
  ["intOrBytes", 7, undefined, [7, 0, 0, 0]],
  ["intOrBytes", true, 1],
  ["intOrBytes", new Uint8Array([1, 2]), undefined, [1, 2]],
];

Deno.test("every codec round-trips its values", () => {
  for (const [name, value, back, bytes] of roundTrips) {
    const codec = c[name];
    const encoded = codec.encode(value);
    const what = `${name} ${String(value)}`;
    if (!["string", "bytes", "intOrBytes"].includes(name)) {
      assertEquals(encoded.length, codec.size, what);
    }
    if (bytes) assertEquals([...encoded], bytes, what);
    assertEquals(codec.decode(encoded), back === undefined ? value : back, what);
  }
  const names = new Set(roundTrips.map(([name]) => name));
  assertEquals(Object.keys(codecs).filter((k) => k !== "tcpInfo" && !names.has(k)), []);
});

Deno.test("codec names and sizes are those of the C types", () => {
  const sizes = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, [v.name, v.size]]));
  assertEquals(sizes, {
    int: ["int", 4],
    bool: ["bool", 4],
    uint32: ["uint32", 4],
    uint64: ["uint64", 8],
    byte: ["byte", 1],
    gsoSize: ["gso_size", 4],
    linger: ["linger", 8],
    timeval: ["timeval", 16],
    ucred: ["ucred", 12],
    soTimestamping: ["so_timestamping", 8],
    inAddr: ["in_addr", 4],
    ipMreq: ["ip_mreq", 8],
    ipMreqn: ["ip_mreqn", 12],
    ipMreqSource: ["ip_mreq_source", 12],
    ipv6Mreq: ["ipv6_mreq", 20],
    tcpInfo: ["tcp_info", 232],
    string: ["string", 16],
    bytes: ["bytes", 256],
    intOrBytes: ["int_or_bytes", 4],
  });
});

Deno.test("decoding: bool is any non-zero int, text stops at NUL, bytes are copied", () => {
  assertStrictEquals(codecs.bool.decode(new Uint8Array([0, 2, 0, 0])), true);
  assertEquals(codecs.string.decode(new Uint8Array([0x6c, 0x6f, 0, 0x78])), "lo");
  assertEquals(codecs.string.decode(new Uint8Array([0x6c, 0x6f])), "lo");
  const raw = new Uint8Array([1, 2]);
  const copy = codecs.bytes.decode(raw);
  raw[0] = 9;
  assertEquals([...copy], [1, 2]);
  assertStrictEquals(codecs.bytes.encode(raw), raw);
  assertEquals(codecs.intOrBytes.decode(new Uint8Array([1, 2])), new Uint8Array([1, 2]));
  assertEquals(codecs.int.decode(new Uint8Array([1, 0, 0, 0, 9])), 1);
  assertEquals(stringCodec(256).size, 256);
  assertEquals(bytesCodec(8).size, 8);
  assertEquals(codecs.soTimestamping.decode(new Uint8Array([3, 0, 0, 0])), { flags: 3 });
});

/** [codec, value, error class, text the message must quote] */
type Bad = [string, unknown, typeof TypeError | typeof RangeError, string];

const bad: Bad[] = [
  ["int", 1.5, RangeError, "1.5"],
  ["int", true, TypeError, "true"],
  ["int", "1", TypeError, '"1"'],
  ["int", 2 ** 31, RangeError, "2147483648"],
  ["int", NaN, RangeError, "NaN"],
  ["int", { value: 1 }, TypeError, '{"value":1}'],
  ["int", 1n, TypeError, "1n"],
  ["bool", 2, RangeError, "2"],
  ["bool", "yes", TypeError, '"yes"'],
  ["bool", null, TypeError, "null"],
  ["bool", {}, TypeError, "{}"],
  ["uint32", -1, RangeError, "-1"],
  ["uint32", 2 ** 32, RangeError, "4294967296"],
  ["uint64", -1n, RangeError, "-1n"],
  ["uint64", 2n ** 64n, RangeError, "18446744073709551616n"],
  ["uint64", 1.5, RangeError, "1.5"],
  ["uint64", 2 ** 53, RangeError, "9007199254740992"],
  ["uint64", "1", TypeError, '"1"'],
  ["byte", 256, RangeError, "256"],
  ["byte", -1, RangeError, "-1"],
  ["byte", true, TypeError, "true"],
  ["gsoSize", 65536, RangeError, "65536"],
  ["gsoSize", -1, RangeError, "-1"],
  ["gsoSize", true, TypeError, "true"],
  ["linger", 5, TypeError, "5"],
  ["linger", null, TypeError, "null"],
  ["linger", { onoff: "yes", linger: 1 }, TypeError, '"yes"'],
  ["linger", { onoff: true, linger: 1.5 }, RangeError, "1.5"],
  ["linger", { onoff: true }, TypeError, "undefined"],
  ["linger", new Uint8Array(8), TypeError, "Uint8Array(8)"],
  ["timeval", -1, RangeError, "-1"],
  ["timeval", NaN, RangeError, "NaN"],
  ["timeval", "1000", TypeError, '"1000"'],
  ["timeval", true, TypeError, "true"],
  ["timeval", 1e300, RangeError, "1e+300"],
  ["ucred", { pid: 1.5, uid: 0, gid: 0 }, RangeError, "1.5"],
  ["ucred", { pid: 1, uid: -1, gid: 0 }, RangeError, "-1"],
  ["soTimestamping", 1.5, RangeError, "1.5"],
  ["soTimestamping", { bindPhc: 1 }, TypeError, "undefined"],
  ["soTimestamping", "1", TypeError, '"1"'],
  ["inAddr", "1.2.3", TypeError, '"1.2.3"'],
  ["inAddr", "::1", TypeError, '"::1"'],
  ["inAddr", 5, TypeError, "5"],
  ["ipMreq", { multiaddr: "224.0.0.256" }, TypeError, '"224.0.0.256"'],
  ["ipMreq", {}, TypeError, "undefined"],
  ["ipMreq", "224.0.0.1", TypeError, '"224.0.0.1"'],
  ["ipMreq", { multiaddr: "224.0.0.1", interface: "eth0" }, TypeError, '"eth0"'],
  ["ipMreqn", { multiaddr: "239.0.0.1", ifindex: -1 }, RangeError, "-1"],
  ["ipMreqn", { multiaddr: "239.0.0.1", ifindex: 1.5 }, RangeError, "1.5"],
  ["ipMreqn", { multiaddr: "239.0.0.1", ifindex: "2" }, TypeError, '"2"'],
  [
    "ipMreqn",
    { multiaddr: "239.0.0.1", address: "1.1.1.1", interface: "1.1.1.1" },
    TypeError,
    "1.1.1.1",
  ],
  ["ipMreqSource", { multiaddr: "232.0.0.1" }, TypeError, "undefined"],
  ["ipv6Mreq", { multiaddr: "224.0.0.1" }, TypeError, '"224.0.0.1"'],
  ["ipv6Mreq", { multiaddr: "ff02::1%2" }, TypeError, '"ff02::1%2"'],
  ["ipv6Mreq", { multiaddr: "ff02::1", ifindex: 2 ** 32 }, RangeError, "4294967296"],
  ["string", "a\0b", TypeError, '"a\\u0000b"'],
  ["string", "x".repeat(16), RangeError, '"xxxxxxxxxxxxxxxx"'],
  ["string", "é".repeat(8), RangeError, "16 bytes"],
  ["string", 5, TypeError, "5"],
  ["bytes", "abc", TypeError, '"abc"'],
  ["bytes", [1, 2], TypeError, "[1,2]"],
  ["intOrBytes", "1", TypeError, '"1"'],
  ["intOrBytes", { a: 1 }, TypeError, '{"a":1}'],
  ["intOrBytes", 0.5, RangeError, "0.5"],
];

Deno.test("bad values throw TypeError or RangeError quoting the value", () => {
  for (const [name, value, error, text] of bad) {
    assertThrows(() => c[name].encode(value), error, text, `${name} ${String(value)}`);
  }
  const names = new Set(bad.map(([name]) => name));
  assertEquals(Object.keys(codecs).filter((k) => k !== "tcpInfo" && !names.has(k)), []);
});

Deno.test("decoding too few bytes is a RangeError", () => {
  for (const [name, codec] of Object.entries(c)) {
    if (["string", "bytes", "intOrBytes"].includes(name)) continue;
    const short = name === "tcpInfo" ? TCP_INFO_MIN_SIZE - 1 : name === "soTimestamping"
      ? 3 // the flags alone are enough
      : codec.size - 1;
    assertThrows(() => codec.decode(new Uint8Array(short)), RangeError, `${short}`, name);
  }
  assertThrows(() => codecs.int.decode([1, 2, 3, 4] as unknown as Uint8Array), TypeError);
});

function filledTcpInfo(): TcpInfo {
  const info: Record<string, unknown> = {};
  for (const [i, f] of TCP_INFO_FIELDS.entries()) {
    info[f.key] = f.type === "u64"
      ? 0x0102030405060708n * BigInt(i + 1)
      : f.type === "u32"
      ? 0x01020304 + i
      : 0x10 + i;
  }
  Object.assign(info, {
    sndWscale: 7,
    rcvWscale: 14,
    deliveryRateAppLimited: true,
    fastopenClientFail: 2,
  });
  return info as unknown as TcpInfo;
}

Deno.test("tcp_info round-trips every field, u64 as bigint", () => {
  const info = filledTcpInfo();
  const bytes = codecs.tcpInfo.encode(info);
  assertEquals(bytes.length, TCP_INFO_SIZE);
  assertEquals(bytes[6], 7 | (14 << 4));
  assertEquals(bytes[7], 1 | (2 << 1));
  const back = codecs.tcpInfo.decode(bytes);
  assertEquals(back, info);
  assertEquals(Object.keys(back).slice(0, 10), [
    "state",
    "caState",
    "retransmits",
    "probes",
    "backoff",
    "options",
    "sndWscale",
    "rcvWscale",
    "deliveryRateAppLimited",
    "fastopenClientFail",
  ]);
  assertEquals(TCP_INFO_FIELDS.length + TCP_INFO_BITS.length, Object.keys(back).length);
});

Deno.test("tcp_info fields beyond the returned length are absent", () => {
  const bytes = codecs.tcpInfo.encode(filledTcpInfo());
  const old = codecs.tcpInfo.decode(bytes.subarray(0, TCP_INFO_MIN_SIZE));
  assertEquals(old.totalRetrans, 0x01020304 + 29);
  assertEquals("pacingRate" in old, false);
  const mid = codecs.tcpInfo.decode(bytes.subarray(0, 140)); // through tcpi_segs_out
  assertEquals([mid.segsOut !== undefined, "segsIn" in mid], [true, false]);
  const longer = new Uint8Array(TCP_INFO_SIZE + 24); // a newer kernel's longer struct
  longer.set(bytes);
  assertEquals(codecs.tcpInfo.decode(longer), codecs.tcpInfo.decode(bytes));
});

Deno.test("tcp_info encoding checks every field", () => {
  const info = filledTcpInfo() as unknown as Record<string, unknown>;
  const encode = (value: unknown) => codecs.tcpInfo.encode(value as TcpInfo);
  assertThrows(() => encode({ ...info, state: 256 }), RangeError, "256");
  assertThrows(() => encode({ ...info, sndWscale: 16 }), RangeError, "16");
  assertThrows(() => encode({ ...info, rtt: -1 }), RangeError, "-1");
  assertThrows(() => encode({ ...info, pacingRate: -1n }), RangeError, "-1n");
  assertThrows(() => encode({ ...info, rto: undefined }), TypeError, "rto");
  assertThrows(() => encode(null), TypeError, "null");
  const { pacingRate: _, ...base } = info;
  assertEquals(codecs.tcpInfo.decode(encode(base)).pacingRate, 0n);
});
