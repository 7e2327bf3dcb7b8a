/**
 * The sockaddr layouts against gcc and the Linux kernel: a C program compiled
 * here prints `sizeof`/`offsetof` of each structure, the bytes of filled
 * structures (with `htons`/`htonl`), the address-family numbers, and what the
 * kernel's getsockname(2) returns for Unix, IPv4, IPv6 and netlink sockets; the
 * encoder must reproduce the bytes and the decoder must read the kernel's.
 *
 * @module
 */
import { assert, assertEquals } from "@std/assert";
import {
  decodeSockAddr,
  encodeSockAddr,
  htonl,
  htons,
  ntohl,
  ntohs,
  type SockAddr,
  SOCKADDR_STORAGE_SIZE,
} from "../address/mod.ts";
import { linuxFamilies } from "../address/_family.ts";
import { SUN_PATH_LINUX } from "../address/normalize.ts";
import {
  SOCKADDR_IN6_SIZE,
  SOCKADDR_IN_SIZE,
  SOCKADDR_LL_SIZE,
  SOCKADDR_NL_SIZE,
  SUN_PATH_OFFSET,
} from "../address/sockaddr.ts";

const C_SOURCE = String.raw`
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void hex(const char *key, const void *p, size_t n) {
  const unsigned char *b = p;
  printf("\"%s\":\"", key);
  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
  printf("\",\n");
}

/* getsockname(2) of fd: {"len": addrlen, "hex": the bytes}, or null. */
static void name(const char *key, int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  memset(&ss, 0, sizeof ss);
  if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
    printf("\"%s\":null,\n", key);
  } else {
    printf("\"%s\":{\"len\":%u,", key, (unsigned)len);
    hex("hex", &ss, len);
    printf("\"end\":0},\n");
  }
  if (fd >= 0) close(fd);
}

#define SIZE(t) printf("\"sizeof_%s\":%zu,\n", #t, sizeof(struct t))
#define OFF(t, f) printf("\"%s.%s\":%zu,\n", #t, #f, offsetof(struct t, f))

int main(int argc, char **argv) {
  printf("{\n");
  printf("\"AF_UNIX\":%d,\"AF_INET\":%d,\"AF_INET6\":%d,\"AF_NETLINK\":%d,\"AF_PACKET\":%d,\n",
         AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET);
  printf("\"sizeof_sa_family_t\":%zu,\n", sizeof(sa_family_t));
  SIZE(sockaddr_storage);
  SIZE(sockaddr_in); OFF(sockaddr_in, sin_family); OFF(sockaddr_in, sin_port);
  OFF(sockaddr_in, sin_addr);
  SIZE(sockaddr_in6); OFF(sockaddr_in6, sin6_port); OFF(sockaddr_in6, sin6_flowinfo);
  OFF(sockaddr_in6, sin6_addr); OFF(sockaddr_in6, sin6_scope_id);
  SIZE(sockaddr_un); OFF(sockaddr_un, sun_path);
  printf("\"sizeof_sun_path\":%zu,\n", sizeof(((struct sockaddr_un *)0)->sun_path));
  SIZE(sockaddr_ll); OFF(sockaddr_ll, sll_protocol); OFF(sockaddr_ll, sll_ifindex);
  OFF(sockaddr_ll, sll_hatype); OFF(sockaddr_ll, sll_pkttype); OFF(sockaddr_ll, sll_halen);
  OFF(sockaddr_ll, sll_addr);
  printf("\"sizeof_sll_addr\":%zu,\n", sizeof(((struct sockaddr_ll *)0)->sll_addr));
  SIZE(sockaddr_nl); OFF(sockaddr_nl, nl_pad); OFF(sockaddr_nl, nl_pid); OFF(sockaddr_nl, nl_groups);
  printf("\"htons_1234\":%u,\"htonl_12345678\":%u,\"ntohs_abcd\":%u,\"ntohl_89abcdef\":%u,\n",
         htons(0x1234), htonl(0x12345678u), ntohs(0xabcd), ntohl(0x89abcdefu));

  struct sockaddr_in sin;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_port = htons(8080);
  inet_pton(AF_INET, "192.0.2.1", &sin.sin_addr);
  hex("sin", &sin, sizeof sin);

  struct sockaddr_in6 sin6;
  memset(&sin6, 0, sizeof sin6);
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(443);
  sin6.sin6_flowinfo = htonl(0x12345);
  inet_pton(AF_INET6, "fe80::1:2", &sin6.sin6_addr);
  sin6.sin6_scope_id = 7;
  hex("sin6", &sin6, sizeof sin6);
  sin6.sin6_port = htons(65535);
  sin6.sin6_flowinfo = htonl(0xfedcba98u);
  inet_pton(AF_INET6, "::ffff:198.51.100.7", &sin6.sin6_addr);
  sin6.sin6_scope_id = 0xdeadbeefu;
  hex("sin6_max", &sin6, sizeof sin6);

  struct sockaddr_un sun;
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  strcpy(sun.sun_path, "/tmp/x.sock");
  hex("sun_path", &sun, offsetof(struct sockaddr_un, sun_path) + strlen(sun.sun_path) + 1);
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  memcpy(sun.sun_path, "\0abc", 4);
  hex("sun_abstract", &sun, offsetof(struct sockaddr_un, sun_path) + 4);
  hex("sun_unnamed", &sun, sizeof(sa_family_t));

  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_IP);
  sll.sll_ifindex = 3;
  sll.sll_hatype = ARPHRD_ETHER;
  sll.sll_pkttype = PACKET_OTHERHOST;
  sll.sll_halen = 6;
  memcpy(sll.sll_addr, "\x02\x00\x5e\x10\x00\x01", 6);
  hex("sll", &sll, sizeof sll);

  struct sockaddr_nl snl;
  memset(&snl, 0, sizeof snl);
  snl.nl_family = AF_NETLINK;
  snl.nl_pid = 1234;
  snl.nl_groups = 0x80000005u;
  hex("snl", &snl, sizeof snl);

  /* What the kernel reports. */
  name("kernel_unix_unbound", socket(AF_UNIX, SOCK_STREAM, 0));

  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  snprintf(sun.sun_path, sizeof sun.sun_path, "%s", argv[1]);
  bind(fd, (struct sockaddr *)&sun, sizeof sun);
  name("kernel_unix_path", fd);

  fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  int n = snprintf(sun.sun_path + 1, sizeof sun.sun_path - 1, "bsdsock-test-%d", (int)getpid());
  bind(fd, (struct sockaddr *)&sun, offsetof(struct sockaddr_un, sun_path) + 1 + n);
  name("kernel_unix_abstract", fd);
  printf("\"abstract_name\":\"bsdsock-test-%d\",\n", (int)getpid());

  fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  bind(fd, (struct sockaddr *)&sun, sizeof(sa_family_t)); /* autobind */
  name("kernel_unix_autobind", fd);

  fd = socket(AF_INET, SOCK_DGRAM, 0);
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, (struct sockaddr *)&sin, sizeof sin);
  name("kernel_inet", fd);

  fd = socket(AF_INET6, SOCK_DGRAM, 0);
  memset(&sin6, 0, sizeof sin6);
  sin6.sin6_family = AF_INET6;
  sin6.sin6_addr = in6addr_loopback;
  if (fd >= 0 && bind(fd, (struct sockaddr *)&sin6, sizeof sin6) != 0) { close(fd); fd = -1; }
  name("kernel_inet6", fd);

  fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  memset(&snl, 0, sizeof snl);
  snl.nl_family = AF_NETLINK;
  if (fd >= 0 && bind(fd, (struct sockaddr *)&snl, sizeof snl) != 0) { close(fd); fd = -1; }
  name("kernel_netlink", fd);

  printf("\"end\":0}\n");
  return 0;
}
`;

type Named = { len: number; hex: string } | null;
type CFacts = Record<string, number | string | Named>;

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
const openFds = () => [...Deno.readDirSync("/proc/self/fd")].length;

async function runC(): Promise<CFacts> {
  const dir = await Deno.makeTempDir({ prefix: "bsdsock-address-" });
  try {
    await Deno.writeTextFile(`${dir}/sockaddr.c`, C_SOURCE);
    const gcc = await new Deno.Command("gcc", {
      args: ["-std=c11", "-Wall", "-Werror", "-o", `${dir}/sockaddr`, `${dir}/sockaddr.c`],
      stderr: "piped",
    }).output();
    if (!gcc.success) throw new Error(`gcc failed: ${new TextDecoder().decode(gcc.stderr)}`);
    const run = await new Deno.Command(`${dir}/sockaddr`, { args: [`${dir}/s.sock`] }).output();
    if (!run.success) throw new Error(`sockaddr exited with ${run.code}`);
    const facts = JSON.parse(new TextDecoder().decode(run.stdout)) as CFacts;
    facts.socket_path = `${dir}/s.sock`;
    return facts;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const fdsBefore = openFds();
const c = await runC();
const num = (key: string) => c[key] as number;
const bytes = (key: string) => fromHex(c[key] as string);
const named = (key: string) => c[key] as Named;

Deno.test("the Linux AF_* numbers of _family.ts are <sys/socket.h>'s", () => {
  assertEquals(linuxFamilies, {
    AF_UNIX: num("AF_UNIX"),
    AF_INET: num("AF_INET"),
    AF_INET6: num("AF_INET6"),
    AF_NETLINK: num("AF_NETLINK"),
    AF_PACKET: num("AF_PACKET"),
  });
});

Deno.test("sockaddr sizes and offsets are gcc's", () => {
  assertEquals(num("sizeof_sa_family_t"), 2);
  assertEquals(num("sizeof_sockaddr_storage"), SOCKADDR_STORAGE_SIZE);
  assertEquals(num("sizeof_sockaddr_in"), SOCKADDR_IN_SIZE);
  assertEquals([num("sockaddr_in.sin_port"), num("sockaddr_in.sin_addr")], [2, 4]);
  assertEquals(num("sizeof_sockaddr_in6"), SOCKADDR_IN6_SIZE);
  assertEquals(
    ["sin6_port", "sin6_flowinfo", "sin6_addr", "sin6_scope_id"].map((f) =>
      num(`sockaddr_in6.${f}`)
    ),
    [2, 4, 8, 24],
  );
  assertEquals(num("sockaddr_un.sun_path"), SUN_PATH_OFFSET);
  assertEquals(num("sizeof_sun_path"), SUN_PATH_LINUX);
  assertEquals(num("sizeof_sockaddr_un"), SUN_PATH_OFFSET + SUN_PATH_LINUX);
  assertEquals(num("sizeof_sockaddr_ll"), SOCKADDR_LL_SIZE);
  assertEquals(
    ["sll_protocol", "sll_ifindex", "sll_hatype", "sll_pkttype", "sll_halen", "sll_addr"].map((f) =>
      num(`sockaddr_ll.${f}`)
    ),
    [2, 4, 8, 10, 11, 12],
  );
  assertEquals(num("sizeof_sll_addr"), 8);
  assertEquals(num("sizeof_sockaddr_nl"), SOCKADDR_NL_SIZE);
  assertEquals(["nl_pad", "nl_pid", "nl_groups"].map((f) => num(`sockaddr_nl.${f}`)), [2, 4, 8]);
});

Deno.test("htons/htonl/ntohs/ntohl give C's values", () => {
  assertEquals(htons(0x1234), num("htons_1234"));
  assertEquals(htonl(0x12345678), num("htonl_12345678"));
  assertEquals(ntohs(0xabcd), num("ntohs_abcd"));
  assertEquals(ntohl(0x89abcdef), num("ntohl_89abcdef"));
});

const FILLED: [string, SockAddr][] = [
  ["sin", { family: "inet", hostname: "192.0.2.1", port: 8080 }],
  ["sin6", { family: "inet6", hostname: "fe80::1:2", port: 443, flowinfo: 0x12345, scopeId: 7 }],
  ["sin6_max", {
    family: "inet6",
    hostname: "::ffff:198.51.100.7",
    port: 65535,
    flowinfo: 0xfedcba98,
    scopeId: 0xdeadbeef,
  }],
  ["sun_path", { family: "unix", path: "/tmp/x.sock" }],
  ["sun_abstract", { family: "unix", path: "\0abc" }],
  ["sun_unnamed", { family: "unix", path: "" }],
  ["sll", {
    family: "packet",
    protocol: 0x0800,
    ifindex: 3,
    hatype: 1,
    pkttype: 3,
    address: new Uint8Array([0x02, 0x00, 0x5e, 0x10, 0x00, 0x01]),
  }],
  ["snl", { family: "netlink", pid: 1234, groups: 0x80000005 }],
];

for (const [key, addr] of FILLED) {
  Deno.test(`encodeSockAddr reproduces C's ${key} byte for byte, and decodeSockAddr reads it`, () => {
    assertEquals(toHex(encodeSockAddr(addr)), c[key]);
    const decoded = decodeSockAddr(bytes(key));
    assertEquals(encodeSockAddr(decoded), bytes(key));
    if (addr.family === "unix") assertEquals(decoded, addr);
  });
}

Deno.test("decodeSockAddr reads the kernel's unix addresses by their returned length", () => {
  const unbound = named("kernel_unix_unbound")!;
  assertEquals(unbound.len, 2);
  assertEquals(decodeSockAddr(fromHex(unbound.hex), unbound.len), { family: "unix", path: "" });

  const path = named("kernel_unix_path")!;
  const expected: SockAddr = { family: "unix", path: c.socket_path as string };
  assertEquals(decodeSockAddr(fromHex(path.hex), path.len), expected);
  assertEquals(encodeSockAddr(expected).length, path.len); // offsetof + strlen + 1
  assertEquals(encodeSockAddr(expected), fromHex(path.hex));

  const abstract = named("kernel_unix_abstract")!;
  const name: SockAddr = { family: "unix", path: "\0" + c.abstract_name };
  assertEquals(decodeSockAddr(fromHex(abstract.hex), abstract.len), name);
  assertEquals(encodeSockAddr(name), fromHex(abstract.hex)); // offsetof + 1 + name, no NUL

  const auto = named("kernel_unix_autobind")!;
  assertEquals(auto.len, 2 + 1 + 5); // the kernel picks five hex digits
  const autoAddr = decodeSockAddr(fromHex(auto.hex), auto.len);
  assert(autoAddr.family === "unix" && /^\0[0-9a-f]{5}$/.test(autoAddr.path), autoAddr.family);
  assertEquals(encodeSockAddr(autoAddr), fromHex(auto.hex));
});

Deno.test("decodeSockAddr reads the kernel's IPv4, IPv6 and netlink addresses", () => {
  const inet = named("kernel_inet")!;
  const v4 = decodeSockAddr(fromHex(inet.hex), inet.len);
  assert(v4.family === "inet" && v4.hostname === "127.0.0.1" && v4.port > 0);
  assertEquals(encodeSockAddr(v4), fromHex(inet.hex));

  const inet6 = named("kernel_inet6");
  if (inet6 !== null) { // no IPv6 loopback on this machine: nothing to read
    const v6 = decodeSockAddr(fromHex(inet6.hex), inet6.len);
    assert(v6.family === "inet6" && v6.hostname === "::1" && v6.port > 0);
    assertEquals(encodeSockAddr(v6), fromHex(inet6.hex));
  }

  const netlink = named("kernel_netlink");
  if (netlink !== null) {
    assertEquals(netlink.len, SOCKADDR_NL_SIZE);
    const nl = decodeSockAddr(fromHex(netlink.hex), netlink.len);
    assert(nl.family === "netlink" && nl.pid > 0 && nl.groups === 0);
    assertEquals(encodeSockAddr(nl), fromHex(netlink.hex));
  }
});

Deno.test("the C comparison leaves no descriptor open", () => {
  assertEquals(openFds(), fdsBefore);
});
