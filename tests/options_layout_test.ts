/**
 * The option codecs against gcc, the system headers and the running kernel:
 *
 * 1. a C program prints `sizeof`/`offsetof` of every struct the codecs encode
 *    (and of every `struct tcp_info` field decoded, from `<linux/tcp.h>`) and
 *    the bytes of filled structs, which must equal the codecs' bytes;
 * 2. a second program asks the kernel, on fresh sockets, for every option of
 *    the registry: write-only options must not read, read-only ones must not
 *    set, a fixed-size codec must be the size the kernel returns, and values
 *    read, decoded and encoded again must be taken back unchanged.
 */
import { assert, assertEquals } from "@std/assert";
import { EADDRINUSE } from "../errno/mod.ts";
import {
  codecs,
  decodeOption,
  encodeOption,
  listOptions,
  type OptionSpec,
  resolveOption,
} from "../options/mod.ts";
import type { OptionCodec } from "../options/_codec.ts";
import { TCP_INFO_BITS, TCP_INFO_FIELDS, type TcpInfo } from "../options/tcp_info.ts";

// deno-lint-ignore no-explicit-any
const c = codecs as unknown as Record<string, OptionCodec<any>>;
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
/** Descriptors open in this process (FFI-opened ones are invisible to Deno's sanitizer). */
const openFds = () => [...Deno.readDirSync("/proc/self/fd")].length;
const unhex = (s: string) => new Uint8Array((s.match(/../g) ?? []).map((x) => parseInt(x, 16)));

async function build(dir: string, name: string, source: string): Promise<string> {
  await Deno.writeTextFile(`${dir}/${name}.c`, source);
  const cc = await new Deno.Command("gcc", {
    args: ["-O0", "-Wall", "-Werror", "-o", `${dir}/${name}`, `${dir}/${name}.c`],
  }).output();
  if (!cc.success) throw new Error(`gcc ${name}.c:\n${new TextDecoder().decode(cc.stderr)}`);
  return `${dir}/${name}`;
}

async function run(exe: string, input = ""): Promise<string> {
  const child = new Deno.Command(exe, { stdin: "piped", stdout: "piped" }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const out = await child.output();
  if (!out.success) throw new Error(`${exe} exited with ${out.code}`);
  return new TextDecoder().decode(out.stdout);
}

/** A struct tcp_info with every field distinct (the C program fills it the same way). */
function tcpInfoValue(): { value: TcpInfo; c: string } {
  const value: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const [i, f] of TCP_INFO_FIELDS.entries()) {
    const v = f.type === "u64"
      ? 0x0102030405060708n * BigInt(i + 1)
      : f.type === "u32"
      ? 0x01020304 + i
      : 0x10 + i;
    value[f.key] = v;
    lines.push(`t.${f.cName} = ${v}${f.type === "u64" ? "ULL" : "U"};`);
  }
  const bits = [7, 14, 1, 2];
  for (const [i, b] of TCP_INFO_BITS.entries()) {
    value[b.key] = b.width === 1 ? bits[i] === 1 : bits[i];
    lines.push(`t.${b.cName} = ${bits[i]};`);
  }
  return { value: value as unknown as TcpInfo, c: lines.join(" ") };
}

/** [codec, C struct, its fields, C initialiser of a filled one, the codec's value of it] */
const STRUCTS: Array<[string, string, string[], string, unknown]> = [
  ["linger", "struct linger", ["l_onoff", "l_linger"], "{ 1, 30 }", { onoff: true, linger: 30 }],
  ["timeval", "struct timeval", ["tv_sec", "tv_usec"], "{ 5, 250000 }", 5250],
  ["ucred", "struct ucred", ["pid", "uid", "gid"], "{ 1234, 1000, 100 }", {
    pid: 1234,
    uid: 1000,
    gid: 100,
  }],
  ["soTimestamping", "struct so_timestamping", ["flags", "bind_phc"], "{ 0x58, 3 }", {
    flags: 0x58,
    bindPhc: 3,
  }],
  ["inAddr", "struct in_addr", ["s_addr"], "{ A4(192, 0, 2, 1) }", "192.0.2.1"],
  [
    "ipMreq",
    "struct ip_mreq",
    ["imr_multiaddr", "imr_interface"],
    "{ {A4(224, 1, 2, 3)}, {A4(192, 0, 2, 1)} }",
    {
      multiaddr: "224.1.2.3",
      interface: "192.0.2.1",
    },
  ],
  [
    "ipMreqn",
    "struct ip_mreqn",
    ["imr_multiaddr", "imr_address", "imr_ifindex"],
    "{ {A4(224, 1, 2, 3)}, {A4(10, 0, 0, 1)}, 7 }",
    { multiaddr: "224.1.2.3", address: "10.0.0.1", ifindex: 7 },
  ],
  [
    "ipMreqSource",
    "struct ip_mreq_source",
    ["imr_multiaddr", "imr_interface", "imr_sourceaddr"],
    "{ {A4(232, 1, 1, 1)}, {A4(10, 0, 0, 1)}, {A4(192, 0, 2, 9)} }",
    { multiaddr: "232.1.1.1", interface: "10.0.0.1", sourceaddr: "192.0.2.9" },
  ],
  [
    "ipv6Mreq",
    "struct ipv6_mreq",
    ["ipv6mr_multiaddr", "ipv6mr_interface"],
    "{ {{{0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3}}}, 9 }",
    { multiaddr: "ff02::1:3", ifindex: 9 },
  ],
];

function layoutSource(): string {
  const tcp = tcpInfoValue();
  const structs = STRUCTS.map(([key, type, fields, init], i) =>
    `{ ${type} s${i} = ${init}; printf("S ${key} %zu", sizeof s${i}); ` +
    fields.map((f) => `printf(" ${f}=%zu", offsetof(${type}, ${f}));`).join(" ") +
    ` dump(&s${i}, sizeof s${i}); }`
  ).join("\n  ");
  const fields = TCP_INFO_FIELDS.map((f) =>
    `printf("F ${f.cName} %zu %zu\\n", offsetof(struct tcp_info, ${f.cName}), sizeof t.${f.cName});`
  ).join("\n  ");
  return `#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <linux/net_tstamp.h>
#define A4(a, b, c, d) htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))
static void dump(const void *p, size_t n) {
  printf(" ");
  for (size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *)p)[i]);
  printf("\\n");
}
int main(void) {
  ${structs}
  struct tcp_info t;
  memset(&t, 0, sizeof t);
  ${fields}
  ${tcp.c}
  printf("S tcpInfo %zu", sizeof t);
  dump(&t, sizeof t);
  return 0;
}
`;
}

Deno.test("codecs match the C structs byte for byte", async () => {
  const fds = openFds();
  const dir = await Deno.makeTempDir({ prefix: "bsdsock-options-" });
  try {
    const out = await run(await build(dir, "layout", layoutSource()));
    const lines = out.trim().split("\n").map((l) => l.split(" "));
    let checked = 0;
    const offsets = new Map(lines.filter((l) => l[0] === "F").map((l) => [l[1], l.slice(2)]));
    for (const f of TCP_INFO_FIELDS) {
      const size = { u8: 1, u32: 4, u64: 8 }[f.type];
      assertEquals(offsets.get(f.cName), [String(f.offset), String(size)], f.cName);
      checked++;
    }
    const filled = new Map(lines.filter((l) => l[0] === "S").map((l) => [l[1], l.slice(2)]));
    const values = new Map<string, unknown>(STRUCTS.map((s) => [s[0], s[4]]));
    values.set("tcpInfo", tcpInfoValue().value);
    for (const [key, value] of values) {
      const row = filled.get(key)!;
      const codec = c[key];
      assertEquals(Number(row[0]), codec.size, `sizeof ${key}`);
      const bytes = unhex(row[row.length - 1]);
      assertEquals(hex(codec.encode(value)), hex(bytes), `bytes of ${key}`);
      assertEquals(codec.decode(bytes), value, `decoded ${key}`);
      checked++;
    }
    // Field offsets of the small structs are implied by the filled bytes; check them anyway.
    const expected: Record<string, number[]> = {
      linger: [0, 4],
      timeval: [0, 8],
      ucred: [0, 4, 8],
      soTimestamping: [0, 4],
      inAddr: [0],
      ipMreq: [0, 4],
      ipMreqn: [0, 4, 8],
      ipMreqSource: [0, 4, 8],
      ipv6Mreq: [0, 16],
    };
    for (const [key, at] of Object.entries(expected)) {
      const got = filled.get(key)!.slice(1, -1).map((f) => Number(f.split("=")[1]));
      assertEquals(got, at, `offsets of ${key}`);
      checked += at.length;
    }
    console.log(`checked ${checked} sizes, offsets and filled structs against gcc`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assertEquals(openFds(), fds, "descriptors left open");
});

const KERNEL_SOURCE = `#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/if_ether.h>
/* Each input line: kind level name hex,hex… ("-" for none). Sets each value in
   turn on one fresh socket, then getsockopt into 512 bytes.
   Prints: set-errnos (comma-separated, -1 for none) get-errno len hex. */
static int open_kind(const char *k) {
  if (!strcmp(k, "tcp4")) return socket(AF_INET, SOCK_STREAM, 0);
  if (!strcmp(k, "udp4")) return socket(AF_INET, SOCK_DGRAM, 0);
  if (!strcmp(k, "udp6")) return socket(AF_INET6, SOCK_DGRAM, 0);
  if (!strcmp(k, "packet")) return socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
  if (!strcmp(k, "netlink")) return socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  errno = EINVAL;
  return -1;
}
int main(void) {
  char kind[16], hex[2048];
  int level, name;
  while (scanf("%15s %d %d %2047s", kind, &level, &name, hex) == 4) {
    int fd = open_kind(kind);
    if (fd < 0) { printf("nosock %d 0 -\\n", errno); continue; }
    if (!strcmp(hex, "-")) printf("-1");
    for (char *value = strcmp(hex, "-") ? strtok(hex, ",") : NULL; value; value = strtok(NULL, ",")) {
      unsigned char in[1024];
      size_t n = strlen(value) / 2;
      for (size_t i = 0; i < n; i++) sscanf(value + 2 * i, "%2hhx", &in[i]);
      printf("%s%d", value == hex ? "" : ",", setsockopt(fd, level, name, in, n) == 0 ? 0 : errno);
    }
    unsigned char out[512];
    socklen_t len = sizeof out;
    int get = getsockopt(fd, level, name, out, &len) == 0 ? 0 : errno;
    printf(" %d %u ", get, get ? 0 : len);
    if (get || len == 0) printf("-");
    for (socklen_t i = 0; !get && i < len; i++) printf("%02x", out[i]);
    printf("\\n");
    close(fd);
  }
  return 0;
}
`;

const KIND: Record<string, string> = {
  SOL_SOCKET: "tcp4",
  IPPROTO_IP: "udp4",
  IPPROTO_IPV6: "udp6",
  IPPROTO_TCP: "tcp4",
  IPPROTO_UDP: "udp4",
  SOL_PACKET: "packet",
  SOL_NETLINK: "netlink",
};
const VARIABLE = new Set(["string", "bytes", "int_or_bytes", "tcp_info"]);

interface Answer {
  set: number;
  sets: number[];
  get: number;
  bytes: Uint8Array;
}

/** Sets each of `values` in turn on a fresh socket of the option's level, then reads it. */
async function ask(
  exe: string,
  rows: Array<[OptionSpec, ...Uint8Array[]]>,
): Promise<Answer[]> {
  const input = rows.map(([s, ...values]) =>
    `${KIND[s.levelName]} ${s.level} ${s.name} ${values.map(hex).join(",") || "-"}\n`
  );
  const out = (await run(exe, input.join(""))).trim().split("\n");
  assertEquals(out.length, rows.length);
  return out.map((line) => {
    const [set, get, , bytes] = line.split(" ");
    const sets = set === "nosock" ? [-2] : set.split(",").map(Number);
    return { set: sets[sets.length - 1], sets, get: Number(get), bytes: unhex(bytes) };
  });
}

Deno.test("the kernel agrees with the registry's access marks and sizes", async () => {
  const fds = openFds();
  const dir = await Deno.makeTempDir({ prefix: "bsdsock-options-" });
  try {
    const exe = await build(dir, "kernel", KERNEL_SOURCE);
    const specs = listOptions().filter((s) => KIND[s.levelName]);
    const first = await ask(exe, specs.map((s) => [s]));
    const problems: string[] = [];
    const name = (s: OptionSpec) => `${s.levelName}/${s.optionName}`;
    const again: Array<[OptionSpec, Uint8Array]> = [];
    const before: unknown[] = [];
    let sized = 0;
    let unreadable = 0;
    for (const [i, s] of specs.entries()) {
      const a = first[i];
      if (a.set === -2) continue; // no such socket here (AF_PACKET without privilege)
      if (s.writeOnly) {
        if (a.get === 0) problems.push(`${name(s)} is marked write-only but reads`);
        continue;
      }
      if (a.get !== 0) {
        unreadable++; // ENOPROTOOPT for a kernel without it, ENOTCONN, EINVAL…
        if (s.readOnly) again.push([s, new Uint8Array(s.codec.size)]);
        continue;
      }
      if (!VARIABLE.has(s.codec.name)) {
        sized++;
        if (a.bytes.length !== s.codec.size) {
          problems.push(
            `${
              name(s)
            } returned ${a.bytes.length} bytes, codec ${s.codec.name} has ${s.codec.size}`,
          );
          continue;
        }
      }
      const value = decodeOption(s, a.bytes);
      if (s.readOnly) again.push([s, new Uint8Array(s.codec.size)]);
      else if (!VARIABLE.has(s.codec.name) || s.codec.name === "string") {
        again.push([s, encodeOption(s, value)]);
        before.push(value);
      }
    }
    const second = await ask(exe, again);
    let roundTrips = 0;
    let readOnly = 0;
    const refused: string[] = [];
    const changed: string[] = []; // the kernel adjusts some values (SO_RCVBUF doubles)
    for (const [i, [s]] of again.entries()) {
      const a = second[i];
      if (s.readOnly) {
        readOnly++;
        if (a.set === 0) problems.push(`${name(s)} is marked read-only but sets`);
        continue;
      }
      const value = before.shift();
      if (a.set !== 0) refused.push(`${name(s)} (errno ${a.set})`);
      else if (a.get !== 0) refused.push(`${name(s)} (reading back: errno ${a.get})`);
      else {
        roundTrips++;
        const back = decodeOption(s, a.bytes);
        try {
          assertEquals(back, value);
        } catch {
          changed.push(`${name(s)} ${String(value)} → ${String(back)}`);
        }
      }
    }
    console.log(
      `${specs.length} options asked: ${sized} fixed sizes equal the kernel's, ${readOnly} ` +
        `read-only refused a set, ${roundTrips} values read/decoded/encoded/set back unchanged; ` +
        `${unreadable} not readable on this kernel; re-setting refused: ${
          refused.join(", ") || "none"
        }; ` +
        `changed by the kernel: ${changed.join(", ") || "none"}`,
    );
    assertEquals(problems, []);
    for (
      const core of [
        "SO_KEEPALIVE",
        "SO_LINGER",
        "SO_RCVTIMEO",
        "TCP_CONGESTION",
        "IP_MULTICAST_IF",
      ]
    ) {
      assert(!refused.some((r) => r.includes(`/${core} `)), `${core} was refused`);
      assert(!changed.some((r) => r.includes(`/${core} `)), `${core} was changed`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assertEquals(openFds(), fds, "descriptors left open");
});

Deno.test("the kernel reads back what the codecs encode", async () => {
  const fds = openFds();
  const dir = await Deno.makeTempDir({ prefix: "bsdsock-options-" });
  try {
    const exe = await build(dir, "kernel", KERNEL_SOURCE);
    // [level, name, value set, value read back when it differs]
    const cases: Array<[string, string, unknown, unknown?]> = [
      ["SOL_SOCKET", "SO_KEEPALIVE", true],
      ["SOL_SOCKET", "SO_LINGER", { onoff: true, linger: 7 }],
      ["SOL_SOCKET", "SO_RCVTIMEO", 1500],
      ["SOL_SOCKET", "SO_BINDTODEVICE", "lo"],
      ["SOL_SOCKET", "SO_MAX_PACING_RATE", 1_000_000n],
      ...(Deno.uid() === 0
        ? [["SOL_SOCKET", "SO_MARK", 0xfffffffe] as [string, string, unknown]]
        : []),
      ["SOL_SOCKET", "SO_TIMESTAMPING", { flags: 0x58 }, { flags: 0x58, bindPhc: 0 }],
      ["IPPROTO_IP", "IP_TTL", 33],
      ["IPPROTO_IP", "IP_MULTICAST_IF", "127.0.0.1"],
      ["IPPROTO_IP", "IP_MULTICAST_TTL", 255],
      ["IPPROTO_IPV6", "IPV6_V6ONLY", true],
      ["IPPROTO_IPV6", "IPV6_UNICAST_HOPS", 9],
      ["IPPROTO_TCP", "TCP_NODELAY", true],
      ["IPPROTO_TCP", "TCP_KEEPIDLE", 600],
      ["IPPROTO_TCP", "TCP_CONGESTION", "reno"],
      ["IPPROTO_TCP", "TCP_NOTSENT_LOWAT", 16384],
    ];
    const rows = cases.map(([level, name, value]): [OptionSpec, Uint8Array] => {
      const spec = resolveOption(level, name);
      return [spec, encodeOption(spec, value)];
    });
    // Linux takes IP_MULTICAST_TTL as one byte too, and returns an int.
    rows.push([resolveOption("IPPROTO_IP", "IP_MULTICAST_TTL"), codecs.byte.encode(7)]);
    cases.push(["IPPROTO_IP", "IP_MULTICAST_TTL", 7]);
    for (const [i, a] of (await ask(exe, rows)).entries()) {
      const [level, name, value, back] = cases[i];
      assertEquals([a.set, a.get], [0, 0], `${level}/${name}`);
      assertEquals(decodeOption(rows[i][0], a.bytes), back ?? value, `${level}/${name}`);
    }
    // A join is taken once: the same join again is EADDRINUSE, so the kernel read the struct.
    const joins: Array<[string, string, unknown]> = [
      ["IPPROTO_IP", "IP_ADD_MEMBERSHIP", { multiaddr: "239.1.2.3", ifindex: 1 }],
      ["IPPROTO_IP", "IP_ADD_MEMBERSHIP", { multiaddr: "239.1.2.4", interface: "127.0.0.1" }],
      ["IPPROTO_IPV6", "IPV6_JOIN_GROUP", { multiaddr: "ff02::1:3", ifindex: 1 }],
    ];
    const joinRows = joins.map(([level, name, value]): [OptionSpec, Uint8Array, Uint8Array] => {
      const spec = resolveOption(level, name);
      const bytes = encodeOption(spec, value);
      return [spec, bytes, bytes];
    });
    for (const [i, a] of (await ask(exe, joinRows)).entries()) {
      assertEquals(a.sets, [0, EADDRINUSE], `${joins[i][1]} ${JSON.stringify(joins[i][2])}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assertEquals(openFds(), fds, "descriptors left open");
});
