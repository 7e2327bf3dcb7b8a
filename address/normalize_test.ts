import { formatSockAddr, normalizeSockAddr, type SockAddr, type SockAddrInput } from "./mod.ts";
import { assertEquals, assertThrows } from "@std/assert";

Deno.test("formatSockAddr() never throws, even on what is not an address", () => {
  assertEquals(formatSockAddr({ family: "inet6", hostname: "localhost", port: 9 }), "localhost:9");
  assertEquals(
    formatSockAddr({ family: "inet6", hostname: "fe80::1%eth0", port: 9 }),
    "[fe80::1%eth0]:9",
  );
  assertEquals(
    formatSockAddr({ family: "inet6", hostname: "FE80::1%2", port: 9 }),
    "[fe80::1%2]:9",
  );
  assertEquals(
    formatSockAddr({ family: "inet6", hostname: "::ffff:1.2.3.4", port: 9, scopeId: 0 }),
    "[::ffff:1.2.3.4]:9",
  );
  assertEquals(
    formatSockAddr({ family: "netlink", pid: 7, groups: 0x10 }),
    "netlink:pid=7,groups=0x10",
  );
  assertEquals(
    formatSockAddr({ family: "packet", protocol: 0x86dd, ifindex: 0, pkttype: 4 }),
    "packet:ifindex=0,protocol=0x86dd,pkttype=4",
  );
  assertEquals(formatSockAddr({ family: "x" } as unknown as SockAddr), '{"family":"x"}');
  assertEquals(formatSockAddr(undefined as unknown as SockAddr), "undefined");
});

Deno.test("normalizeSockAddr() fills in the family from the domain and keeps names for the resolver", () => {
  const cases: [SockAddrInput, "inet" | "inet6" | "unix" | "packet" | "netlink", SockAddr][] = [
    [{ hostname: "127.0.0.1", port: 1 }, "inet", {
      family: "inet",
      hostname: "127.0.0.1",
      port: 1,
    }],
    [{ hostname: "example.com", port: 1 }, "inet", {
      family: "inet",
      hostname: "example.com",
      port: 1,
    }],
    [{ hostname: "example.com", port: 1 }, "inet6", {
      family: "inet6",
      hostname: "example.com",
      port: 1,
      flowinfo: 0,
      scopeId: 0,
    }],
    [{ hostname: "fe80::1%eth0", port: 1 }, "inet6", {
      family: "inet6",
      hostname: "fe80::1%eth0",
      port: 1,
      flowinfo: 0,
      scopeId: 0,
    }],
    [{ hostname: "0:0::FFFF:7F00:1", port: 1 }, "inet6", {
      family: "inet6",
      hostname: "::ffff:127.0.0.1",
      port: 1,
      flowinfo: 0,
      scopeId: 0,
    }],
    [{ path: "/s" }, "unix", { family: "unix", path: "/s" }],
    [{ pid: 0, groups: 1 }, "netlink", { family: "netlink", pid: 0, groups: 1 }],
    [{ protocol: 3, ifindex: 2 }, "packet", {
      family: "packet",
      protocol: 3,
      ifindex: 2,
      hatype: 0,
      pkttype: 0,
      address: new Uint8Array(),
    }],
    // A family that contradicts the domain is returned as given, for the kernel to answer.
    [{ family: "inet", hostname: "1.2.3.4", port: 1 }, "inet6", {
      family: "inet",
      hostname: "1.2.3.4",
      port: 1,
    }],
    [{ family: "unix", path: "/s" }, "inet", { family: "unix", path: "/s" }],
  ];
  for (const [input, domain, want] of cases) assertEquals(normalizeSockAddr(input, domain), want);
  for (const hostname of ["1e100.net", "host-0x1.example.", "a.0x", "localhost"]) {
    assertEquals(normalizeSockAddr({ hostname, port: 1 }, "inet"), {
      family: "inet",
      hostname,
      port: 1,
    });
  }
});

Deno.test("normalizeSockAddr() refuses what cannot be an address of the family", () => {
  const bad: [unknown, string, typeof TypeError | typeof RangeError, string][] = [
    [null, "inet", TypeError, "null"],
    ["127.0.0.1:80", "inet", TypeError, '"127.0.0.1:80"'],
    [{ hostname: "1.2.3.4", port: 1 }, "bluetooth", TypeError, '"bluetooth"'],
    [{ family: "bluetooth" }, "inet", TypeError, '"bluetooth"'],
    [{ hostname: "::1", port: 1 }, "inet", TypeError, '"::1"'],
    [{ hostname: "127.0.0.1", port: 1 }, "inet6", TypeError, '"::ffff:127.0.0.1"'],
    [{ hostname: "", port: 1 }, "inet", TypeError, "empty"],
    [{ hostname: "a b", port: 1 }, "inet", TypeError, '"a b"'],
    [{ hostname: "01.2.3.4", port: 1 }, "inet", TypeError, 'Invalid IPv4 address: "01.2.3.4"'],
    [{ hostname: "127.1", port: 1 }, "inet", TypeError, '"127.1"'],
    [{ hostname: "0x7f.0.0.1", port: 1 }, "inet", TypeError, '"0x7f.0.0.1"'],
    [{ hostname: "2130706433", port: 1 }, "inet6", TypeError, '"2130706433"'],
    [{ hostname: "1.2.3.4.", port: 1 }, "inet", TypeError, '"1.2.3.4."'],
    [{ hostname: "[::1]", port: 1 }, "inet6", TypeError, '"[::1]"'],
    [{ hostname: "1::2::3", port: 1 }, "inet6", TypeError, '"1::2::3"'],
    [{ port: 1 }, "inet", TypeError, "undefined"],
    [{ hostname: "h", port: 70000 }, "inet", RangeError, "70000"],
    [{ hostname: "h", port: undefined }, "inet", TypeError, "undefined"],
    [{ path: "/a\0" }, "unix", TypeError, '"/a\\u0000"'],
    [{ path: "/" + "a".repeat(200) }, "unix", RangeError, "201 bytes"],
    [{ pid: -1, groups: 0 }, "netlink", RangeError, "-1"],
  ];
  for (const [input, domain, ErrorClass, text] of bad) {
    assertThrows(
      () => normalizeSockAddr(input as SockAddrInput, domain as "inet"),
      ErrorClass,
      text,
      JSON.stringify(input),
    );
  }
});
