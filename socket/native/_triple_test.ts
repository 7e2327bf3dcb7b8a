import { assertEquals, assertInstanceOf, assertMatch, assertThrows } from "@std/assert";
import { linux as C } from "../../constants/mod.ts";
import { errnoName, SocketError } from "../../errno/mod.ts";
import { isNativeLimit } from "./_errors.ts";
import { carries, classify } from "./_triple.ts";

function refusal(domain: number, type: number, protocol: number): [string, boolean] {
  const err = assertThrows(() => classify(domain, type, protocol));
  assertInstanceOf(err, SocketError);
  return [errnoName(err.errno)!, isNativeLimit(err)];
}

Deno.test("classify() carries TCP, UDP and unix streams, with the protocol SO_PROTOCOL reads", () => {
  assertEquals(classify(C.AF_INET, C.SOCK_STREAM, 0), {
    kind: "tcp",
    domain: C.AF_INET,
    protocol: 6,
  });
  assertEquals(classify(C.AF_INET6, C.SOCK_STREAM, C.IPPROTO_TCP).kind, "tcp");
  assertEquals(classify(C.AF_INET, C.SOCK_DGRAM, 0), {
    kind: "udp",
    domain: C.AF_INET,
    protocol: 17,
  });
  assertEquals(classify(C.AF_INET6, C.SOCK_DGRAM | C.SOCK_NONBLOCK, C.IPPROTO_UDP).kind, "udp");
  assertEquals(classify(C.AF_UNIX, C.SOCK_STREAM | C.SOCK_CLOEXEC, 0), {
    kind: "unix",
    domain: C.AF_UNIX,
    protocol: 0,
  });
  assertEquals(classify(C.AF_UNIX, C.SOCK_STREAM, 1).kind, "unix");
});

Deno.test("classify() gives Linux's errno, in Linux's order, for what Linux refuses", () => {
  const table: [number, number, number, string][] = [
    [C.AF_INET, C.SOCK_STREAM, C.IPPROTO_UDP, "EPROTONOSUPPORT"],
    [C.AF_INET, C.SOCK_DGRAM, C.IPPROTO_TCP, "EPROTONOSUPPORT"],
    [C.AF_INET, 0, 0, "ESOCKTNOSUPPORT"],
    [C.AF_INET6, C.SOCK_RDM, 0, "ESOCKTNOSUPPORT"],
    [C.AF_INET, C.SOCK_RAW, 0, "EPROTONOSUPPORT"],
    [9999, C.SOCK_STREAM, 0, "EAFNOSUPPORT"],
    [-1, C.SOCK_STREAM, 0, "EAFNOSUPPORT"],
    [9999, 99, 0, "EINVAL"], // unknown type bits are checked first
    [C.AF_INET, 11, 0, "EINVAL"],
    [C.AF_INET, C.SOCK_STREAM, 263, "EINVAL"], // IPPROTO_MAX
    [C.AF_INET, C.SOCK_STREAM, -1, "EINVAL"],
    [C.AF_UNIX, C.SOCK_STREAM, 2, "EPROTONOSUPPORT"],
    [C.AF_UNIX, C.SOCK_STREAM, -1, "EPROTONOSUPPORT"],
    [C.AF_UNIX, 0, 0, "ESOCKTNOSUPPORT"],
  ];
  for (const [d, t, p, code] of table) {
    assertEquals(refusal(d, t, p), [code, false], `socket(${d}, ${t}, ${p})`);
  }
});

Deno.test("classify() marks what Linux accepts but native cannot carry", () => {
  const table: [number, number, number, string][] = [
    [C.AF_UNIX, C.SOCK_DGRAM, 0, "ESOCKTNOSUPPORT"],
    [C.AF_UNIX, C.SOCK_SEQPACKET, 0, "ESOCKTNOSUPPORT"],
    [C.AF_UNIX, C.SOCK_RAW, 0, "ESOCKTNOSUPPORT"],
    [C.AF_INET, C.SOCK_RAW, C.IPPROTO_ICMP, "ESOCKTNOSUPPORT"],
    [C.AF_INET, C.SOCK_PACKET, 0, "ESOCKTNOSUPPORT"],
    [C.AF_INET, C.SOCK_STREAM, C.IPPROTO_MPTCP, "EPROTONOSUPPORT"],
    [C.AF_INET, C.SOCK_DGRAM, C.IPPROTO_ICMP, "EPROTONOSUPPORT"],
    [C.AF_INET6, C.SOCK_DGRAM, C.IPPROTO_ICMPV6, "EPROTONOSUPPORT"],
    [C.AF_INET, C.SOCK_DGRAM, C.IPPROTO_UDPLITE, "EPROTONOSUPPORT"],
    // What a module the kernel loads on demand may provide: Linux's errno without it.
    [C.AF_INET, C.SOCK_SEQPACKET, 0, "ESOCKTNOSUPPORT"],
    [C.AF_INET6, C.SOCK_SEQPACKET, C.IPPROTO_UDP, "ESOCKTNOSUPPORT"],
    [C.AF_INET, C.SOCK_DCCP, 0, "ESOCKTNOSUPPORT"],
    [C.AF_INET, C.SOCK_STREAM, C.IPPROTO_SCTP, "EPROTONOSUPPORT"],
    [C.AF_INET6, C.SOCK_STREAM, 256, "EPROTONOSUPPORT"], // IPPROTO_SMC
    [C.AF_INET, C.SOCK_DGRAM, 115, "EPROTONOSUPPORT"], // IPPROTO_L2TP
    [C.AF_PACKET, C.SOCK_RAW, 0, "EAFNOSUPPORT"],
    [C.AF_NETLINK, C.SOCK_DGRAM, 0, "EAFNOSUPPORT"],
  ];
  for (const [d, t, p, code] of table) {
    assertEquals(refusal(d, t, p), [code, true], `socket(${d}, ${t}, ${p})`);
    assertEquals(carries(d, t, p), false);
  }
  const err = assertThrows(() => classify(C.AF_UNIX, C.SOCK_DGRAM, 0));
  assertMatch((err as Error).message, /AF_UNIX datagram.*backend: "ffi"/);
});

Deno.test("carries() says yes exactly where classify() succeeds", () => {
  assertEquals(carries(C.AF_INET, C.SOCK_STREAM, 0), true);
  assertEquals(carries(C.AF_INET6, C.SOCK_DGRAM | C.SOCK_NONBLOCK | C.SOCK_CLOEXEC, 0), true);
  assertEquals(carries(C.AF_UNIX, C.SOCK_STREAM, 0), true);
  assertEquals(carries(C.AF_INET, C.SOCK_STREAM, C.IPPROTO_UDP), false);
});
