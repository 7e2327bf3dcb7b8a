import type { SockAddr } from "./mod.ts";
import { decodeSockAddrFor, encodeSockAddrFor } from "./sockaddr.ts";
import { assertEquals, assertThrows } from "@std/assert";

// The macOS layouts, from the SDK headers; checked here only against themselves
// (no Mac to compare with): a length byte, a 1-byte family, AF_INET6 = 30.

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const darwin = (addr: SockAddr) => hex(encodeSockAddrFor(addr, "darwin"));

Deno.test("darwin: sockaddr_in and sockaddr_in6 start with sin_len and a 1-byte family", () => {
  assertEquals(
    darwin({ family: "inet", hostname: "192.0.2.1", port: 0x1f90 }),
    "10" + "02" + "1f90" + "c0000201" + "00".repeat(8),
  );
  assertEquals(
    darwin({ family: "inet6", hostname: "::1", port: 443, flowinfo: 0x12345, scopeId: 7 }),
    "1c" + "1e" + "01bb" + "00012345" + "00".repeat(15) + "01" + "07000000",
  );
});

Deno.test("darwin: sockaddr_un carries sun_len and a 104-byte sun_path", () => {
  assertEquals(darwin({ family: "unix", path: "/a" }), "05" + "01" + "2f61" + "00");
  assertEquals(darwin({ family: "unix", path: "" }), "02" + "01");
  assertEquals(
    encodeSockAddrFor({ family: "unix", path: "/" + "x".repeat(102) }, "darwin").length,
    106,
  );
  assertThrows(
    () => encodeSockAddrFor({ family: "unix", path: "/" + "x".repeat(103) }, "darwin"),
    RangeError,
    "the limit is 103",
  );
  assertThrows(
    () => encodeSockAddrFor({ family: "unix", path: "\0name" }, "darwin"),
    TypeError,
    "only on Linux",
  );
});

Deno.test("darwin: packet and netlink addresses do not exist", () => {
  assertThrows(
    () => encodeSockAddrFor({ family: "packet", protocol: 3, ifindex: 1 }, "darwin"),
    TypeError,
    "AF_PACKET",
  );
  assertThrows(
    () => encodeSockAddrFor({ family: "netlink", pid: 0, groups: 0 }, "darwin"),
    TypeError,
    "AF_NETLINK",
  );
});

Deno.test("darwin: decode reads what encode writes", () => {
  const addrs: SockAddr[] = [
    { family: "inet", hostname: "10.1.2.3", port: 65535 },
    { family: "inet6", hostname: "fe80::1", port: 1, flowinfo: 0xfffff, scopeId: 3 },
    { family: "unix", path: "/var/run/x" },
    { family: "unix", path: "" },
  ];
  for (const addr of addrs) {
    const bytes = encodeSockAddrFor(addr, "darwin");
    assertEquals(decodeSockAddrFor(bytes, bytes.length, "darwin"), addr);
  }
  // A Linux AF_INET6 (10) is not a macOS family.
  assertThrows(
    () => decodeSockAddrFor(new Uint8Array([28, 10, 0, 0]), 4, "darwin"),
    TypeError,
    "10",
  );
});

Deno.test("linux and darwin disagree on the first two bytes only", () => {
  const addr: SockAddr = { family: "inet", hostname: "127.0.0.1", port: 80 };
  const linux = encodeSockAddrFor(addr, "linux");
  const mac = encodeSockAddrFor(addr, "darwin");
  assertEquals([hex(linux.subarray(0, 2)), hex(mac.subarray(0, 2))], ["0200", "1002"]);
  assertEquals(linux.subarray(2), mac.subarray(2));
});
