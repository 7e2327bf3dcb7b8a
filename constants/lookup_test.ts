import { assertEquals, assertThrows } from "@std/assert";
import { constantName, familyName, protocolName, typeName } from "./lookup.ts";
import { ALIASES, compareNames, isAlias, isSecondary } from "./_canonical.ts";
import { darwin } from "./darwin.ts";
import { linux } from "./linux.ts";
import type { ConstantTable } from "./types.ts";

const prefixes = [
  "AF",
  "PF",
  "SOCK",
  "IPPROTO",
  "SOL",
  "SO",
  "TCP",
  "IP",
  "IPV6",
  "MSG",
  "SHUT",
  "SCM",
  "INADDR",
  "NETLINK",
  "UDP",
];
const prefixOf = (name: string) => prefixes.find((p) => name.startsWith(`${p}_`))!;
const tables: [string, ConstantTable][] = [["linux", linux], ["darwin", darwin]];

Deno.test("constantName() gives the C name of a number for a prefix", () => {
  assertEquals(constantName("AF", linux.AF_INET6, linux), "AF_INET6");
  assertEquals(constantName("AF", darwin.AF_INET6, darwin), "AF_INET6");
  assertEquals(constantName("SO", linux.SO_REUSEPORT, linux), "SO_REUSEPORT");
  assertEquals(constantName("SO", darwin.SO_REUSEPORT, darwin), "SO_REUSEPORT");
  assertEquals(constantName("IPV6", linux.IPV6_V6ONLY, linux), "IPV6_V6ONLY");
  assertEquals(constantName("AF_", 10, linux), "AF_INET6"); // a trailing "_" is allowed
});

Deno.test("constantName() is undefined for an unknown number or prefix", () => {
  assertEquals(constantName("AF", 12345, linux), undefined);
  assertEquals(constantName("AF", 1.5, linux), undefined);
  assertEquals(constantName("NOPE", 1, linux), undefined);
  assertEquals(constantName("PF", 29, linux), "PF_CAN");
  assertEquals(constantName("PF", 29, darwin), "PF_KEY");
  assertEquals(constantName("AF", 29, darwin), undefined); // pseudo_AF_KEY has no AF_ name
});

Deno.test("constantName() keeps to the prefix: no PF_ for AF, IPV6_ for IP, SOCK_ for SO", () => {
  assertEquals(constantName("PF", 1, linux), "PF_UNIX");
  for (const [, table] of tables) {
    for (const value of Object.values(table)) {
      for (const prefix of prefixes) {
        const name = constantName(prefix, value!, table);
        if (name !== undefined) assertEquals(prefixOf(name), prefix, `${prefix} ${value}: ${name}`);
      }
    }
  }
});

Deno.test("constantName() prefers the main name over aliases and secondary value sets", () => {
  const want: [string, number, string][] = [
    ["AF", 1, "AF_UNIX"], // AF_LOCAL, AF_FILE
    ["AF", 16, "AF_NETLINK"], // AF_ROUTE
    ["PF", 16, "PF_NETLINK"],
    ["SOCK", 1, "SOCK_STREAM"], // SOCK_SNDBUF_LOCK, SOCK_TXREHASH_ENABLED
    ["SOCK", 3, "SOCK_RAW"], // SOCK_BUF_LOCK_MASK
    ["IPPROTO", 0, "IPPROTO_IP"], // IPPROTO_HOPOPTS
    ["SO", 1, "SO_DEBUG"], // SO_EE_ORIGIN_LOCAL, SO_J1939_FILTER, …
    ["SO", 20, "SO_RCVTIMEO"], // SO_RCVTIMEO_OLD
    ["SO", 29, "SO_TIMESTAMP"], // SO_TIMESTAMP_OLD
    ["SO", 26, "SO_ATTACH_FILTER"], // SO_GET_FILTER
    ["SO", 27, "SO_DETACH_FILTER"], // SO_DETACH_BPF
    ["TCP", 1, "TCP_NODELAY"], // TCP_ESTABLISHED, TCP_CA_Disorder, …
    ["TCP", 7, "TCP_SYNCNT"], // TCP_CLOSE
    ["TCP", 10, "TCP_WINDOW_CLAMP"], // TCP_LISTEN
    ["TCP", 36, "TCP_INQ"], // TCP_CM_INQ
    ["IP", 1, "IP_TOS"], // IP_DEFAULT_MULTICAST_TTL, IP_PMTUDISC_WANT
    ["IP", 7, "IP_RETOPTS"], // IP_RECVRETOPTS
    ["IP", 10, "IP_MTU_DISCOVER"], // IP_PMTUDISC
    ["IP", 20, "IP_ORIGDSTADDR"], // IP_RECVORIGDSTADDR, IP_MAX_MEMBERSHIPS
    ["IPV6", 20, "IPV6_JOIN_GROUP"], // IPV6_ADD_MEMBERSHIP
    ["IPV6", 21, "IPV6_LEAVE_GROUP"], // IPV6_DROP_MEMBERSHIP
    ["IPV6", 54, "IPV6_HOPOPTS"], // IPV6_RXHOPOPTS
    ["IPV6", 1, "IPV6_ADDRFORM"], // IPV6_PMTUDISC_WANT, IPV6_TLV_PADN, …
    ["MSG", 4, "MSG_DONTROUTE"], // MSG_TRYHARD
    ["SCM", 1, "SCM_RIGHTS"], // SCM_TSTAMP_SCHED, SCM_J1939_DEST_ADDR
    ["INADDR", 0xffffffff, "INADDR_BROADCAST"], // INADDR_NONE
    ["NETLINK", 0, "NETLINK_ROUTE"], // NETLINK_UNCONNECTED
    ["NETLINK", 4, "NETLINK_SOCK_DIAG"], // NETLINK_INET_DIAG, NETLINK_BROADCAST_ERROR
  ];
  for (const [prefix, value, name] of want) {
    assertEquals(constantName(prefix, value, linux), name, `${prefix} ${value}`);
  }
  assertEquals(constantName("AF", 1, darwin), "AF_UNIX");
  assertEquals(constantName("AF", 17, darwin), "AF_ROUTE"); // a family of its own on macOS
  assertEquals(constantName("IP", 6, darwin), "IP_RECVRETOPTS"); // not an alias there
});

Deno.test("constantName() with a longer prefix names a secondary value set", () => {
  assertEquals(constantName("SO_EE_ORIGIN", 2, linux), "SO_EE_ORIGIN_ICMP");
  assertEquals(constantName("IP_PMTUDISC", 2, linux), "IP_PMTUDISC_DO");
  assertEquals(constantName("TCP_CA", 4, linux), "TCP_CA_Loss");
  assertEquals(constantName("SCM_TSTAMP", 2, linux), "SCM_TSTAMP_ACK");
});

Deno.test("no two main names of a prefix share a value, so the rule never falls to length", () => {
  for (const [label, table] of tables) {
    const seen = new Map<string, string>();
    for (const [name, value] of Object.entries(table)) {
      if (isSecondary(name) || isAlias(name)) continue;
      const key = `${prefixOf(name)} ${value}`;
      assertEquals(seen.get(key), undefined, `${label}: ${seen.get(key)} and ${name} share ${key}`);
      seen.set(key, name);
    }
  }
});

Deno.test("every alias has its canonical name's value in some table, and loses to it there", () => {
  for (const [alias, canonical] of Object.entries(ALIASES)) {
    let agree = 0;
    for (const [, table] of tables) {
      if (table[alias] === undefined || table[alias] !== table[canonical]) continue;
      agree++;
      assertEquals(constantName(prefixOf(alias), table[alias]!, table), canonical);
    }
    assertEquals(agree > 0, true, `${alias} never has the value of ${canonical}`);
  }
});

Deno.test("compareNames() orders main, then non-alias, then shorter, then sorted names", () => {
  const names = ["TCP_CLOSE", "TCP_SYNCNT", "SO_TIMESTAMP_OLD", "SO_TIMESTAMP", "AF_LOCAL"];
  assertEquals(compareNames("TCP_SYNCNT", "TCP_CLOSE") < 0, true);
  assertEquals(compareNames("SO_TIMESTAMP", "SO_TIMESTAMP_OLD") < 0, true);
  assertEquals(compareNames("AF_UNIX", "AF_LOCAL") < 0, true);
  assertEquals(compareNames("AF_INET", "AF_IPX") > 0, true); // shorter first
  assertEquals(compareNames("AF_IPX", "AF_SNA") < 0, true); // then sort order
  assertEquals([...names].sort(compareNames), [...names].reverse().sort(compareNames));
});

Deno.test("familyName() names the family or gives the number", () => {
  assertEquals(familyName(linux.AF_INET, linux), "AF_INET");
  assertEquals(familyName(linux.AF_UNIX, linux), "AF_UNIX");
  assertEquals(familyName(linux.AF_NETLINK, linux), "AF_NETLINK");
  assertEquals(familyName(darwin.AF_INET6, darwin), "AF_INET6");
  assertEquals(familyName(9999, linux), "9999");
  assertEquals(familyName(-1, linux), "-1");
});

Deno.test("typeName() masks SOCK_NONBLOCK and SOCK_CLOEXEC and appends them", () => {
  const { SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK, SOCK_STREAM } = linux;
  assertEquals(typeName(SOCK_STREAM, linux), "SOCK_STREAM");
  assertEquals(typeName(SOCK_STREAM | SOCK_NONBLOCK, linux), "SOCK_STREAM|SOCK_NONBLOCK");
  assertEquals(typeName(SOCK_STREAM | SOCK_CLOEXEC, linux), "SOCK_STREAM|SOCK_CLOEXEC");
  assertEquals(
    typeName(SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, linux),
    "SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC",
  );
  assertEquals(typeName(linux.SOCK_PACKET, linux), "SOCK_PACKET");
  assertEquals(typeName(99 | SOCK_CLOEXEC, linux), "99|SOCK_CLOEXEC");
  assertEquals(typeName(0 | SOCK_NONBLOCK, linux), "0|SOCK_NONBLOCK"); // not SOCK_TXREHASH_*
  assertEquals(typeName(0, linux), "0");
});

Deno.test("typeName() leaves the flag bits alone where the OS has no such flags", () => {
  assertEquals(typeName(darwin.SOCK_STREAM, darwin), "SOCK_STREAM");
  assertEquals(typeName(1 | 2048, darwin), "2049");
});

Deno.test("protocolName() names the protocol or gives the number", () => {
  assertEquals(protocolName(0, linux), "IPPROTO_IP");
  assertEquals(protocolName(6, linux), "IPPROTO_TCP");
  assertEquals(protocolName(58, darwin), "IPPROTO_ICMPV6");
  assertEquals(protocolName(262, linux), "IPPROTO_MPTCP");
  assertEquals(protocolName(262, darwin), "262");
  assertEquals(protocolName(200, linux), "200");
});

Deno.test("the lookups throw TypeError for arguments of the wrong type", () => {
  const anyArg = (v: unknown) => v as never;
  assertThrows(() => constantName(anyArg(1), 1), TypeError, "prefix must be a string");
  assertThrows(() => constantName("AF", anyArg("2")), TypeError, "value must be a number");
  assertThrows(() => familyName(anyArg(null)), TypeError, "got object");
  assertThrows(() => typeName(anyArg(1n)), TypeError, "got bigint");
  assertThrows(() => protocolName(anyArg(undefined)), TypeError, "got undefined");
});

Deno.test("the lookups use the running OS's table by default", () => {
  const table = Deno.build.os === "darwin" ? darwin : linux;
  assertEquals(constantName("SOL", table.SOL_SOCKET), "SOL_SOCKET");
  assertEquals(familyName(table.AF_INET6), "AF_INET6");
  assertEquals(typeName(table.SOCK_SEQPACKET), "SOCK_SEQPACKET");
  assertEquals(protocolName(table.IPPROTO_UDP), "IPPROTO_UDP");
});
