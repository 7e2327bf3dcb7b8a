import { assert, assertEquals } from "@std/assert";
import * as constants from "./mod.ts";
import { darwin } from "./darwin.ts";
import { linux } from "./linux.ts";
import { current } from "./_current.ts";
import { detectOs, hostOs as os } from "../_internal/os.ts";

const exported = constants as unknown as Record<string, unknown>;
const names = [...new Set([...Object.keys(linux), ...Object.keys(darwin)])];

/** The names only macOS defines: the few the socket layer needs there (see darwin.ts). */
const DARWIN_ONLY = [
  "AF_LINK",
  "IPV6_BOUND_IF",
  "IP_BOUND_IF",
  "IP_RECVDSTADDR",
  "IP_RECVIF",
  "PF_LINK",
  "SO_LINGER_SEC",
  "SO_NOSIGPIPE",
  "SO_NREAD",
  "SO_NWRITE",
  "TCP_CONNECTIONTIMEOUT",
  "TCP_CONNECTION_INFO",
  "TCP_KEEPALIVE",
];

Deno.test("both tables hold only integers, under C names with a known prefix", () => {
  const prefix = /^(AF|PF|SOCK|IPPROTO|SOL|SO|TCP|IP|IPV6|MSG|SHUT|SCM|INADDR|NETLINK|UDP)_\w+$/;
  for (const table of [linux, darwin]) {
    for (const [name, value] of Object.entries(table)) {
      assert(prefix.test(name), name);
      assert(Number.isSafeInteger(value), `${name}: ${value}`);
    }
  }
});

Deno.test("the macOS table adds only the listed macOS-only names to Linux's", () => {
  const extra = Object.keys(darwin).filter((n) => !Object.hasOwn(linux, n)).sort();
  assertEquals(extra, [...DARWIN_ONLY].sort());
});

Deno.test("the names the socket layer needs are in the Linux table", () => {
  const needed = [
    "IP_RECVERR",
    "IPV6_RECVERR",
    "MSG_ERRQUEUE",
    "SO_DOMAIN",
    "SO_PROTOCOL",
    "SO_TYPE",
    "SO_ERROR",
    "SO_ACCEPTCONN",
    "SO_PEERCRED",
    "SO_RCVTIMEO",
    "SO_SNDTIMEO",
    "SO_LINGER",
    "SO_BINDTODEVICE",
    "SO_REUSEPORT",
    "TCP_INFO",
    "TCP_KEEPIDLE",
    "TCP_KEEPINTVL",
    "TCP_KEEPCNT",
    "TCP_USER_TIMEOUT",
    "IP_PKTINFO",
    "IPV6_V6ONLY",
    "IP_ADD_MEMBERSHIP",
    "IP_DROP_MEMBERSHIP",
    "IPV6_JOIN_GROUP",
    "IPV6_LEAVE_GROUP",
    "IPV6_ADD_MEMBERSHIP",
    "IPV6_DROP_MEMBERSHIP",
    "IP_MULTICAST_IF",
    "IP_MULTICAST_TTL",
    "IP_MULTICAST_LOOP",
    "IPV6_MULTICAST_IF",
    "IPV6_MULTICAST_HOPS",
    "IPV6_MULTICAST_LOOP",
    "SOCK_NONBLOCK",
    "SOCK_CLOEXEC",
    "SOCK_PACKET",
    "SOCK_RDM",
    "MSG_NOSIGNAL",
    "MSG_CMSG_CLOEXEC",
    "MSG_WAITFORONE",
    "SCM_RIGHTS",
    "SCM_CREDENTIALS",
    "NETLINK_ROUTE",
    "IPPROTO_ICMP",
    "IPPROTO_ICMPV6",
    "IPPROTO_RAW",
    "IPPROTO_UDPLITE",
    "IPPROTO_SCTP",
    "IPPROTO_MPTCP",
  ];
  for (const name of needed) assert(Object.hasOwn(linux, name), name);
});

Deno.test("every name of either table is exported with the running OS's value", () => {
  for (const name of names) {
    assert(Object.hasOwn(exported, name), `${name} is not exported`);
    assertEquals(exported[name], (current as Record<string, number | undefined>)[name], name);
  }
});

Deno.test("the running OS is detected from Deno, else Node, else Linux", () => {
  assertEquals(os, Deno.build.os === "darwin" ? "darwin" : "linux");
  assertEquals(detectOs({ Deno: { build: { os: "darwin" } } }), "darwin");
  assertEquals(detectOs({ Deno: { build: { os: "linux" } } }), "linux");
  assertEquals(detectOs({ process: { platform: "darwin" } }), "darwin");
  assertEquals(detectOs({ process: { platform: "freebsd" } }), "linux");
  assertEquals(detectOs({ Deno: { build: { os: "windows" } } }), "linux");
  assertEquals(detectOs({}), "linux");
  assertEquals(detectOs(undefined), "linux");
});

Deno.test("well-known values agree with POSIX and between the OSes where they must", () => {
  for (const table of [linux, darwin]) {
    assertEquals([table.AF_UNSPEC, table.AF_UNIX, table.AF_INET], [0, 1, 2]);
    assertEquals([table.SOCK_STREAM, table.SOCK_DGRAM, table.SOCK_RAW], [1, 2, 3]);
    assertEquals([table.SHUT_RD, table.SHUT_WR, table.SHUT_RDWR], [0, 1, 2]);
    assertEquals([table.IPPROTO_IP, table.IPPROTO_TCP, table.IPPROTO_UDP], [0, 6, 17]);
    assertEquals(table.INADDR_LOOPBACK, 0x7f000001);
  }
  assertEquals([linux.AF_INET6, darwin.AF_INET6], [10, 30]);
  assertEquals([linux.SOL_SOCKET, darwin.SOL_SOCKET], [1, 0xffff]);
});
