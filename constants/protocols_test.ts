import { assertEquals, assertThrows } from "@std/assert";
import { getprotobyname, getprotobynumber, parseProtocols, resolveProtocol } from "./protocols.ts";

// These tests run without any permission, so the lookups use the built-in table.

Deno.test("parseProtocols() reads name, number and aliases, and skips comments", () => {
  const text = [
    "# Internet (IP) protocols",
    "",
    "ip\t0\tIP\t\t# internet protocol, pseudo protocol number",
    "hopopt\t0\tHOPOPT\t\t# IPv6 Hop-by-Hop Option [RFC1883]",
    "rspf\t73\tRSPF CPHB\t# Radio Shortest Path First (officially CPHB)",
    "#\t99\t\t\t# any private encryption scheme",
    "manet\t138\t\t\t# MANET Protocols [RFC5498]",
    "mobility-header 135 Mobility-Header # Mobility Support for IPv6 [RFC3775]",
    "mptcp\t262\tMPTCP\t\t# Multipath TCP connection",
  ].join("\n");
  assertEquals(parseProtocols(text), [
    { name: "ip", aliases: ["IP"], number: 0 },
    { name: "hopopt", aliases: ["HOPOPT"], number: 0 },
    { name: "rspf", aliases: ["RSPF", "CPHB"], number: 73 },
    { name: "manet", aliases: [], number: 138 },
    { name: "mobility-header", aliases: ["Mobility-Header"], number: 135 },
    { name: "mptcp", aliases: ["MPTCP"], number: 262 },
  ]);
});

Deno.test("parseProtocols() skips lines without a decimal number, and CRLF is fine", () => {
  const text = "tcp\r\nfoo bar\r\nx 0x6\r\ny -1\r\nudp 17 UDP\r\n  sctp   132  SCTP  \r\nz 8#c\n";
  assertEquals(parseProtocols(text), [
    { name: "udp", aliases: ["UDP"], number: 17 },
    { name: "sctp", aliases: ["SCTP"], number: 132 },
    { name: "z", aliases: [], number: 8 },
  ]);
  assertEquals(parseProtocols(""), []);
});

Deno.test("parseProtocols() gives frozen entries", () => {
  const [entry] = parseProtocols("tcp 6 TCP");
  assertEquals(Object.isFrozen(entry), true);
  assertEquals(Object.isFrozen(entry.aliases), true);
});

Deno.test("parseProtocols() throws TypeError for a non-string", () => {
  assertThrows(() => parseProtocols(42 as never), TypeError, "got number");
});

Deno.test("getprotobyname() matches names and aliases case-sensitively", () => {
  assertEquals(getprotobyname("tcp"), { name: "tcp", aliases: ["TCP"], number: 6 });
  assertEquals(getprotobyname("TCP"), { name: "tcp", aliases: ["TCP"], number: 6 });
  assertEquals(getprotobyname("Tcp"), undefined);
  assertEquals(getprotobyname("CPHB")?.name, "rspf");
  assertEquals(getprotobyname("ipv6-icmp")?.number, 58);
  assertEquals(getprotobyname(""), undefined);
  assertEquals(getprotobyname("raw"), undefined); // not in protocols(5): use IPPROTO_RAW
});

Deno.test("the built-in table has the common IANA protocols", () => {
  const want: [string, number][] = [
    ["ip", 0],
    ["icmp", 1],
    ["igmp", 2],
    ["tcp", 6],
    ["udp", 17],
    ["ipv6", 41],
    ["gre", 47],
    ["esp", 50],
    ["ah", 51],
    ["ipv6-icmp", 58],
    ["sctp", 132],
    ["udplite", 136],
    ["mptcp", 262],
  ];
  for (const [name, number] of want) assertEquals(getprotobyname(name)?.number, number, name);
});

Deno.test("getprotobynumber() gives the first entry with the number", () => {
  assertEquals(getprotobynumber(0)?.name, "ip");
  assertEquals(getprotobynumber(6), { name: "tcp", aliases: ["TCP"], number: 6 });
  assertEquals(getprotobynumber(58)?.aliases, ["IPv6-ICMP"]);
  assertEquals(getprotobynumber(7), undefined);
  assertEquals(getprotobynumber(255), undefined);
});

Deno.test("getprotobyname() and getprotobynumber() validate their argument", () => {
  assertThrows(() => getprotobyname(6 as never), TypeError, "got number");
  assertThrows(() => getprotobyname(undefined as never), TypeError, "got undefined");
  assertThrows(() => getprotobynumber("6" as never), TypeError, "got string");
  assertThrows(() => getprotobynumber(256), RangeError, 'got "256"');
  assertThrows(() => getprotobynumber(-1), RangeError, 'got "-1"');
  assertThrows(() => getprotobynumber(1.5), RangeError, 'got "1.5"');
  assertThrows(() => getprotobynumber(NaN), RangeError, 'got "NaN"');
});

Deno.test("resolveProtocol() passes numbers through and looks names up", () => {
  assertEquals(resolveProtocol(0), 0);
  assertEquals(resolveProtocol(6), 6);
  assertEquals(resolveProtocol(262), 262);
  assertEquals(resolveProtocol(-1), -1); // the kernel decides, as in C
  assertEquals(resolveProtocol("icmp"), 1);
  assertEquals(resolveProtocol("IPv6-ICMP"), 58);
});

Deno.test("resolveProtocol() rejects unknown names and bad numbers", () => {
  assertThrows(() => resolveProtocol("nope"), TypeError, 'Unknown protocol name "nope"');
  assertThrows(() => resolveProtocol("Tcp"), TypeError, 'Unknown protocol name "Tcp"');
  assertThrows(() => resolveProtocol("6"), TypeError, 'Unknown protocol name "6"');
  assertThrows(() => resolveProtocol(1.5), RangeError, 'got "1.5"');
  assertThrows(() => resolveProtocol(2 ** 31), RangeError, 'got "2147483648"');
  assertThrows(() => resolveProtocol(Infinity), RangeError, 'got "Infinity"');
  assertThrows(() => resolveProtocol(null as never), TypeError, "got object");
});
