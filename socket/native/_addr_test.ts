import { assertEquals } from "@std/assert";
import { linux as C } from "../../constants/mod.ts";
import { errnoName } from "../../errno/mod.ts";
import type { SockAddr } from "../../address/mod.ts";
import {
  fromRuntime,
  inet6,
  ipAddrErrno,
  ipTarget,
  isV4Mapped,
  isWildcard,
  loopbackSource,
  sameIp,
  unixAddrErrno,
  unspecified,
} from "./_addr.ts";

const v4: SockAddr = { family: "inet", hostname: "127.0.0.1", port: 9 };
const v6: SockAddr = { family: "inet6", hostname: "::1", port: 9 };
const shortUnix: SockAddr = { family: "unix", path: "/tmp/x" }; // 9 bytes
const longUnix: SockAddr = { family: "unix", path: "/tmp/bsdsock-xxxxxxxxxxxxxxxxxxxxxxxx" };

Deno.test("ipAddrErrno() follows Linux's family and length checks (verified with python3)", () => {
  const name = (n: number) => (n === 0 ? "ok" : errnoName(n));
  const table: [Parameters<typeof ipAddrErrno>, string][] = [
    [["bind", "tcp", C.AF_INET, v6, false], "EAFNOSUPPORT"],
    [["bind", "tcp", C.AF_INET6, v4, false], "EINVAL"],
    [["bind", "tcp", C.AF_INET, shortUnix, false], "EINVAL"],
    [["bind", "tcp", C.AF_INET, longUnix, false], "EAFNOSUPPORT"],
    [["bind", "udp", C.AF_INET6, longUnix, false], "EAFNOSUPPORT"],
    [["connect", "tcp", C.AF_INET, v6, false], "EAFNOSUPPORT"],
    [["connect", "tcp", C.AF_INET6, v4, false], "EINVAL"],
    [["connect", "udp", C.AF_INET, v6, false], "EAFNOSUPPORT"],
    [["connect", "udp", C.AF_INET6, v4, false], "ok"],
    [["connect", "udp", C.AF_INET6, v4, true], "EAFNOSUPPORT"],
    [["sendto", "udp", C.AF_INET, v6, false], "EAFNOSUPPORT"],
    [["sendto", "udp", C.AF_INET, longUnix, false], "EAFNOSUPPORT"],
    [["sendto", "udp", C.AF_INET6, v4, false], "ok"],
    [["sendto", "udp", C.AF_INET6, v4, true], "ENETUNREACH"],
    [["sendto", "udp", C.AF_INET6, longUnix, false], "EINVAL"],
    [["sendto", "udp", C.AF_INET6, v6, false], "ok"],
  ];
  for (const [args, want] of table) {
    assertEquals(name(ipAddrErrno(...args)), want, JSON.stringify(args));
  }
  assertEquals(unixAddrErrno("bind", v4), 22);
  assertEquals(unixAddrErrno("connect", { family: "unix", path: "" }), 22);
  assertEquals(unixAddrErrno("bind", { family: "unix", path: "" }), 0);
});

Deno.test("ipTarget() maps IPv4 onto an IPv6 socket and writes a scope as %N", () => {
  assertEquals(ipTarget(v4, C.AF_INET6), {
    hostname: "::ffff:127.0.0.1",
    port: 9,
    addr: inet6("::ffff:127.0.0.1", 9),
  });
  assertEquals(ipTarget({ ...v6, scopeId: 1 }, C.AF_INET6).hostname, "::1%1");
  assertEquals(ipTarget(v4, C.AF_INET).hostname, "127.0.0.1");
});

Deno.test("addresses: the shapes the kernel reports", () => {
  assertEquals(inet6("::FFFF:7F00:1%3", 80), {
    family: "inet6",
    hostname: "::ffff:127.0.0.1",
    port: 80,
    flowinfo: 0,
    scopeId: 3,
  });
  assertEquals(fromRuntime({ path: null }, C.AF_UNIX), { family: "unix", path: "" });
  assertEquals(fromRuntime({ hostname: "::1", port: 1 }, C.AF_INET6), inet6("::1", 1));
  assertEquals(unspecified(C.AF_INET), { family: "inet", hostname: "0.0.0.0", port: 0 });
  assertEquals(unspecified(C.AF_UNIX), { family: "unix", path: "" });
  assertEquals([isWildcard(unspecified(C.AF_INET6)), isWildcard(v6)], [true, false]);
  assertEquals([isV4Mapped("::ffff:10.0.0.1"), isV4Mapped("::1")], [true, false]);
  assertEquals(sameIp(v4, { ...v4 }), true);
  assertEquals(sameIp(v4, { ...v4, port: 10 }), false);
});

Deno.test("loopbackSource() is Linux's source address for loopback peers only", () => {
  assertEquals(loopbackSource({ family: "inet", hostname: "127.0.0.5", port: 1 }), "127.0.0.1");
  assertEquals(loopbackSource(v6), "::1");
  assertEquals(loopbackSource(inet6("::ffff:127.0.0.9", 1)), "::ffff:127.0.0.1");
  assertEquals(loopbackSource({ family: "inet", hostname: "192.0.2.1", port: 1 }), undefined);
});
