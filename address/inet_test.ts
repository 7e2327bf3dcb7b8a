import { hostFamilies } from "./_family.ts";
import { inetNtop, inetPton, isIPv4, isIPv6 } from "./mod.ts";
import { assertEquals, assertThrows } from "@std/assert";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("inetPton() accepts glibc's IPv4 text", () => {
  assertEquals(inetPton("inet", "0.0.0.0"), new Uint8Array([0, 0, 0, 0]));
  assertEquals(inetPton("inet", "255.255.255.255"), new Uint8Array([255, 255, 255, 255]));
  assertEquals(inetPton("inet", "192.0.2.10"), new Uint8Array([192, 0, 2, 10]));
  assertEquals(inetPton(hostFamilies.AF_INET, "10.0.0.1"), new Uint8Array([10, 0, 0, 1]));
});

Deno.test("inetPton() refuses other IPv4 text with a TypeError quoting it", () => {
  for (
    const text of [
      "01.2.3.4", // glibc: no leading zeros
      "1.2.3.00",
      "1.2.3",
      "127.1",
      "1.2.3.4.5",
      "1.2.3.4.",
      ".1.2.3.4",
      "1..2.3",
      "256.1.1.1",
      "1.2.3.4294967296",
      " 1.2.3.4",
      "1.2.3.4\n",
      "+1.2.3.4",
      "0x7f.0.0.1",
      "2130706433",
      "١.2.3.4",
      "１.2.3.4",
      "1.2.3.4\0",
      "",
      "::1",
    ]
  ) {
    assertThrows(() => inetPton("inet", text), TypeError, JSON.stringify(text), text);
  }
});

const V6: [string, string][] = [
  ["::", "00000000000000000000000000000000"],
  ["::1", "00000000000000000000000000000001"],
  ["1::", "00010000000000000000000000000000"],
  ["1:2:3:4:5:6:7:8", "00010002000300040005000600070008"],
  ["1:2:3:4:5:6:7::", "00010002000300040005000600070000"],
  ["::2:3:4:5:6:7:8", "00000002000300040005000600070008"],
  ["1:2:3::6:7:8", "00010002000300000000000600070008"],
  ["0000:0000::0001", "00000000000000000000000000000001"],
  ["FFFF:abcd:ABcd::", "ffffabcdabcd00000000000000000000"],
  ["::ffff:1.2.3.4", "00000000000000000000ffff01020304"],
  ["::FFFF:255.255.255.255", "00000000000000000000ffffffffffff"],
  ["::1.2.3.4", "00000000000000000000000001020304"],
  ["1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304"],
  ["1::1.2.3.4", "00010000000000000000000001020304"],
  ["64:ff9b::192.0.2.33", "0064ff9b0000000000000000c0000221"],
];

Deno.test("inetPton() accepts RFC 4291 text as glibc does", () => {
  for (const [text, bytes] of V6) assertEquals(hex(inetPton("inet6", text)), bytes, text);
  assertEquals(hex(inetPton(hostFamilies.AF_INET6, "::1")), V6[1][1]);
});

Deno.test("inetPton() refuses other IPv6 text with a TypeError quoting it", () => {
  for (
    const text of [
      "",
      ":",
      ":::",
      "1::2::3",
      "::1::",
      ":1::",
      ":1:2:3:4:5:6:7:8",
      "1::2:",
      "1:2:3:4:5:6:7:8:",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7::8", // :: standing for no group
      "12345::",
      "00001::",
      "g::",
      "::-1",
      "[::1]",
      "::1%eth0",
      "fe80::1%2",
      " ::1",
      "::1 ",
      "::1\0",
      "1:2:3:4:5:6:7:1.2.3.4", // no room for the IPv4 tail
      "1:2:3:4:5:6::1.2.3.4",
      "::1.2.3.4:1",
      "::1.2.3",
      "::01.2.3.4",
      "::256.2.3.4",
      "::a1.2.3.4",
      "1.2.3.4",
    ]
  ) {
    assertThrows(() => inetPton("inet6", text), TypeError, JSON.stringify(text), text);
  }
});

Deno.test("inetPton() refuses a family other than IPv4 or IPv6, quoting it", () => {
  for (const family of [hostFamilies.AF_UNIX, 99, -1, "unix", "INET", undefined]) {
    assertThrows(
      () => inetPton(family as "inet", "1.2.3.4"),
      TypeError,
      `inetPton: ${family === undefined ? "undefined" : JSON.stringify(family)}`,
    );
  }
  assertThrows(() => inetPton("inet", 16843009 as unknown as string), TypeError, "16843009");
});

Deno.test("inetNtop() writes RFC 5952 text", () => {
  const cases: [string, string][] = [
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // one zero group is not compressed
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // the first of equal runs
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"], // the longest run
    ["1:0:0:0:0:0:0:0", "1::"],
    ["0:0:0:0:0:0:0:0", "::"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["ABCD:EF01::", "abcd:ef01::"],
    ["1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"],
    ["::ffff:c000:0201", "::ffff:192.0.2.1"], // IPv4-mapped: mixed
    ["::ffff:0:0", "::ffff:0.0.0.0"],
    ["::1:ffff:c000:0201", "::1:ffff:c000:201"], // not mapped
    ["::c000:0201", "::c000:201"], // IPv4-compatible: hex (glibc: ::192.0.2.1)
    ["::2:3", "::2:3"], // glibc: ::0.2.0.3
    ["64:ff9b::c000:221", "64:ff9b::c000:221"],
  ];
  for (const [text, want] of cases) {
    assertEquals(inetNtop("inet6", inetPton("inet6", text)), want, text);
  }
  assertEquals(inetNtop("inet", new Uint8Array([192, 0, 2, 255])), "192.0.2.255");
  assertEquals(inetNtop(hostFamilies.AF_INET, new Uint8Array([0, 0, 0, 0])), "0.0.0.0");
});

Deno.test("inetNtop() refuses a wrong length with a RangeError giving it", () => {
  assertThrows(() => inetNtop("inet", new Uint8Array(16)), RangeError, "16 bytes");
  assertThrows(() => inetNtop("inet6", new Uint8Array(4)), RangeError, "4 bytes");
  assertThrows(() => inetNtop("inet6", new Uint8Array(0)), RangeError, "0 bytes");
});

Deno.test("inetNtop() refuses what is not a Uint8Array, and an unknown family", () => {
  assertThrows(
    () => inetNtop("inet", [1, 2, 3, 4] as unknown as Uint8Array),
    TypeError,
    "[1,2,3,4]",
  );
  assertThrows(() => inetNtop(7, new Uint8Array(4)), TypeError, "7");
});

Deno.test("isIPv4() and isIPv6() follow inetPton()", () => {
  assertEquals(isIPv4("1.2.3.4"), true);
  assertEquals(isIPv4("1.2.3.04"), false);
  assertEquals(isIPv6("::ffff:1.2.3.4"), true);
  assertEquals(isIPv6("fe80::1%1"), false);
  assertEquals(isIPv4(undefined as unknown as string), false);
  assertEquals(isIPv6(6 as unknown as string), false);
});
