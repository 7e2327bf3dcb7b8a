import {
  decodeSockAddr,
  encodeSockAddr,
  formatSockAddr,
  normalizeSockAddr,
  type SockAddr,
} from "./mod.ts";
import { assertEquals, assertThrows } from "@std/assert";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const quoted = (value: unknown) =>
  typeof value === "string" ? JSON.stringify(value) : String(value);

Deno.test("encodeSockAddr() then decodeSockAddr() gives the address back, in full form", () => {
  const cases: [SockAddr, SockAddr][] = [
    [{ family: "inet", hostname: "0.0.0.0", port: 0 }, {
      family: "inet",
      hostname: "0.0.0.0",
      port: 0,
    }],
    [
      { family: "inet", hostname: "255.255.255.255", port: 65535 },
      { family: "inet", hostname: "255.255.255.255", port: 65535 },
    ],
    [
      { family: "inet6", hostname: "::1", port: 9 },
      { family: "inet6", hostname: "::1", port: 9, flowinfo: 0, scopeId: 0 },
    ],
    [
      { family: "inet6", hostname: "FE80:0::1%4", port: 9, flowinfo: 0xfffff },
      { family: "inet6", hostname: "fe80::1", port: 9, flowinfo: 0xfffff, scopeId: 4 },
    ],
    [
      { family: "inet6", hostname: "fe80::1%4", port: 9, scopeId: 4 },
      { family: "inet6", hostname: "fe80::1", port: 9, flowinfo: 0, scopeId: 4 },
    ],
    [{ family: "unix", path: "/run/a b.sock" }, { family: "unix", path: "/run/a b.sock" }],
    [{ family: "unix", path: "" }, { family: "unix", path: "" }],
    [{ family: "unix", path: "\0" }, { family: "unix", path: "\0" }],
    [{ family: "unix", path: "\0a\0b\0" }, { family: "unix", path: "\0a\0b\0" }],
    [{ family: "unix", path: "/tmp/\udcff" }, { family: "unix", path: "/tmp/\udcff" }],
    [
      { family: "packet", protocol: 3, ifindex: 1 },
      {
        family: "packet",
        protocol: 3,
        ifindex: 1,
        hatype: 0,
        pkttype: 0,
        address: new Uint8Array(),
      },
    ],
    [
      {
        family: "packet",
        protocol: 0x88cc,
        ifindex: 0x7fffffff,
        hatype: 0xffff,
        pkttype: 255,
        address: new Uint8Array(8).fill(9),
      },
      {
        family: "packet",
        protocol: 0x88cc,
        ifindex: 0x7fffffff,
        hatype: 0xffff,
        pkttype: 255,
        address: new Uint8Array(8).fill(9),
      },
    ],
    [
      { family: "netlink", pid: 0xffffffff, groups: 0xffffffff },
      { family: "netlink", pid: 0xffffffff, groups: 0xffffffff },
    ],
  ];
  for (const [addr, want] of cases) {
    const bytes = encodeSockAddr(addr);
    assertEquals(decodeSockAddr(bytes, bytes.length), want, formatSockAddr(addr));
    assertEquals(normalizeSockAddr(addr, addr.family), want, formatSockAddr(addr));
  }
});

Deno.test("encodeSockAddr() writes the port and flowinfo in network order, scopeId in host order", () => {
  const sin6 = encodeSockAddr({
    family: "inet6",
    hostname: "::1",
    port: 0x0102,
    flowinfo: 0x03040506,
    scopeId: 0x0708090a,
  });
  assertEquals(hex(sin6), "0a00" + "0102" + "03040506" + "0".repeat(31) + "1" + "0a090807");
  assertEquals(
    hex(encodeSockAddr({ family: "inet", hostname: "1.2.3.4", port: 0x0506 })),
    "0200050601020304" + "0".repeat(16),
  );
});

Deno.test("encodeSockAddr() sizes a sockaddr_un by unix(7)'s rules", () => {
  const size = (path: string) => encodeSockAddr({ family: "unix", path }).length;
  assertEquals(size(""), 2); // sizeof(sa_family_t): unnamed, autobind
  assertEquals(size("/a"), 2 + 2 + 1); // pathname: + strlen + NUL
  assertEquals(size("/é"), 2 + 3 + 1); // UTF-8 bytes count
  assertEquals(size("\0a"), 2 + 1 + 1); // abstract: no NUL
  assertEquals(size("/" + "x".repeat(106)), 110); // 107 bytes + NUL fill sun_path
  assertEquals(size("\0" + "x".repeat(107)), 110); // 108 bytes, leading NUL included
  const pathname = encodeSockAddr({ family: "unix", path: "/a" });
  assertEquals(pathname[pathname.length - 1], 0);
});

Deno.test("encodeSockAddr() refuses a unix path too long for sun_path, quoting it and the limit", () => {
  const long = "/" + "x".repeat(107);
  assertThrows(
    () => encodeSockAddr({ family: "unix", path: long }),
    RangeError,
    `${JSON.stringify(long.slice(0, 80))}…`,
  );
  assertThrows(
    () => encodeSockAddr({ family: "unix", path: long }),
    RangeError,
    "the limit is 107",
  );
  assertThrows(
    () => encodeSockAddr({ family: "unix", path: "/" + "é".repeat(54) }),
    RangeError,
    "109 bytes",
  );
  assertThrows(
    () => encodeSockAddr({ family: "unix", path: "\0" + "x".repeat(108) }),
    RangeError,
    "sun_path holds 108",
  );
});

Deno.test("encodeSockAddr() refuses a NUL inside a pathname and a lone surrogate", () => {
  assertThrows(
    () => encodeSockAddr({ family: "unix", path: "/tmp/a\0b" }),
    TypeError,
    '"/tmp/a\\u0000b"',
  );
  assertThrows(() => encodeSockAddr({ family: "unix", path: "/tmp/\ud800" }), TypeError, "U+D800");
  assertThrows(
    () => encodeSockAddr({ family: "unix", path: 5 as unknown as string }),
    TypeError,
    "5",
  );
});

Deno.test("encodeSockAddr() refuses a hostname that is not a literal of its family, quoting it", () => {
  const bad: [SockAddr, string][] = [
    [{ family: "inet", hostname: "localhost", port: 1 }, '"localhost"'],
    [{ family: "inet", hostname: "::1", port: 1 }, 'Not an IPv4 address: "::1"'],
    [{ family: "inet", hostname: "01.2.3.4", port: 1 }, '"01.2.3.4"'],
    [{ family: "inet", hostname: "", port: 1 }, '""'],
    [{ family: "inet6", hostname: "127.0.0.1", port: 1 }, '"::ffff:127.0.0.1"'],
    [{ family: "inet6", hostname: "localhost", port: 1 }, '"localhost"'],
    [{ family: "inet6", hostname: "1::2::3", port: 1 }, '"1::2::3"'],
    [{ family: "inet6", hostname: "fe80::1%eth0", port: 1 }, '"eth0"'],
    [{ family: "inet6", hostname: "fe80::1%", port: 1 }, '"fe80::1%"'],
    [{ family: "inet6", hostname: "[::1]", port: 1 }, '"[::1]"'],
    [{ family: "inet", hostname: 16777343 as unknown as string, port: 1 }, "16777343"],
  ];
  for (const [addr, text] of bad) assertThrows(() => encodeSockAddr(addr), TypeError, text, text);
});

Deno.test("encodeSockAddr() refuses a zone that disagrees with scopeId, or beyond u32", () => {
  assertThrows(
    () => encodeSockAddr({ family: "inet6", hostname: "fe80::1%2", port: 1, scopeId: 3 }),
    TypeError,
    "scopeId 3",
  );
  assertThrows(
    () => encodeSockAddr({ family: "inet6", hostname: "fe80::1%4294967296", port: 1 }),
    RangeError,
    '"fe80::1%4294967296"',
  );
});

Deno.test("encodeSockAddr() refuses numbers outside their field with a RangeError quoting them", () => {
  const bad: [SockAddr, unknown][] = [
    [{ family: "inet", hostname: "1.2.3.4", port: -1 }, -1],
    [{ family: "inet", hostname: "1.2.3.4", port: 65536 }, 65536],
    [{ family: "inet", hostname: "1.2.3.4", port: 80.5 }, 80.5],
    [{ family: "inet", hostname: "1.2.3.4", port: NaN }, NaN],
    [{ family: "inet", hostname: "1.2.3.4", port: Infinity }, Infinity],
    [{ family: "inet6", hostname: "::", port: 1, flowinfo: 2 ** 32 }, 2 ** 32],
    [{ family: "inet6", hostname: "::", port: 1, scopeId: -1 }, -1],
    [{ family: "packet", protocol: 0x10000, ifindex: 1 }, 0x10000],
    [{ family: "packet", protocol: 3, ifindex: -1 }, -1],
    [{ family: "packet", protocol: 3, ifindex: 2 ** 31 }, 2 ** 31],
    [{ family: "packet", protocol: 3, ifindex: 1, hatype: 0x10000 }, 0x10000],
    [{ family: "packet", protocol: 3, ifindex: 1, pkttype: 256 }, 256],
    [{ family: "netlink", pid: 2 ** 32, groups: 0 }, 2 ** 32],
    [{ family: "netlink", pid: 0, groups: -1 }, -1],
  ];
  for (const [addr, value] of bad) {
    assertThrows(
      () => encodeSockAddr(addr),
      RangeError,
      `got ${quoted(value)}`,
      formatSockAddr(addr),
    );
  }
  assertThrows(
    () => encodeSockAddr({ family: "packet", protocol: 3, ifindex: 1, address: new Uint8Array(9) }),
    RangeError,
    "9 bytes",
  );
});

Deno.test("encodeSockAddr() refuses a wrong type or family with a TypeError", () => {
  assertThrows(
    () => encodeSockAddr({ family: "inet", hostname: "1.2.3.4", port: "80" as unknown as number }),
    TypeError,
    '"80"',
  );
  assertThrows(
    () =>
      encodeSockAddr({
        family: "inet6",
        hostname: "::",
        port: 1,
        scopeId: "1" as unknown as number,
      }),
    TypeError,
    '"1"',
  );
  assertThrows(
    () => encodeSockAddr({ family: "bluetooth" } as unknown as SockAddr),
    TypeError,
    '"bluetooth"',
  );
  assertThrows(() => encodeSockAddr(null as unknown as SockAddr), TypeError, "null");
  assertThrows(
    () =>
      encodeSockAddr({
        family: "packet",
        protocol: 3,
        ifindex: 1,
        address: [1] as unknown as Uint8Array,
      }),
    TypeError,
    "[1]",
  );
});

Deno.test("decodeSockAddr() lets addrlen decide a unix address's kind", () => {
  const storage = new Uint8Array(128);
  storage.set([1, 0, 0x2f, 0x61, 0, 0x62]); // "/a", a NUL, then junk
  assertEquals(decodeSockAddr(storage, 2), { family: "unix", path: "" });
  assertEquals(decodeSockAddr(storage, 4), { family: "unix", path: "/a" }); // without the NUL
  assertEquals(decodeSockAddr(storage, 5), { family: "unix", path: "/a" });
  assertEquals(decodeSockAddr(storage, 110), { family: "unix", path: "/a" });
  storage.set([0, 0x61, 0, 0x62], 2); // abstract: every byte up to addrlen counts
  assertEquals(decodeSockAddr(storage, 3), { family: "unix", path: "\0" });
  assertEquals(decodeSockAddr(storage, 6), { family: "unix", path: "\0a\0b" });
  storage.fill(0x78, 2, 110); // a 108-byte pathname without NUL
  assertEquals(decodeSockAddr(storage, 110), { family: "unix", path: "x".repeat(108) });
  storage.fill(0x78, 110);
  assertEquals(decodeSockAddr(storage), { family: "unix", path: "x".repeat(108) }); // sun_path ends
  storage[2] = 0;
  assertEquals(decodeSockAddr(storage), { family: "unix", path: "\0" + "x".repeat(107) });
});

Deno.test("decodeSockAddr() reads a view at an offset and a packet address of sll_halen bytes", () => {
  const sll = encodeSockAddr({
    family: "packet",
    protocol: 0x800,
    ifindex: 2,
    hatype: 1,
    address: new Uint8Array([1, 2, 3, 4, 5, 6]),
  });
  const padded = new Uint8Array(40);
  padded.set(sll, 7);
  const view = padded.subarray(7);
  assertEquals(decodeSockAddr(view, 18), {
    family: "packet",
    protocol: 0x800,
    ifindex: 2,
    hatype: 1,
    pkttype: 0,
    address: new Uint8Array([1, 2, 3, 4, 5, 6]),
  });
  const clipped = decodeSockAddr(view, 14); // addrlen shorter than halen: what fits
  assertEquals(clipped.family === "packet" && clipped.address, new Uint8Array([1, 2]));
});

Deno.test("decodeSockAddr() refuses a bad length with a RangeError giving it", () => {
  const sin = encodeSockAddr({ family: "inet", hostname: "1.2.3.4", port: 1 });
  assertThrows(() => decodeSockAddr(sin, 17), RangeError, "17");
  assertThrows(() => decodeSockAddr(sin, 1), RangeError, "length of 1");
  assertThrows(() => decodeSockAddr(sin, 0), RangeError, "length of 0");
  assertThrows(
    () => decodeSockAddr(sin, 8),
    RangeError,
    "sockaddr_in needs 16 bytes, got an address length of 8",
  );
  assertThrows(() => decodeSockAddr(sin, 2.5), RangeError, "2.5");
  const sin6 = encodeSockAddr({ family: "inet6", hostname: "::", port: 1 });
  assertThrows(() => decodeSockAddr(sin6, 24), RangeError, "24");
  const nl = encodeSockAddr({ family: "netlink", pid: 1, groups: 0 });
  assertThrows(() => decodeSockAddr(nl, 8), RangeError, "8");
  const ll = encodeSockAddr({ family: "packet", protocol: 1, ifindex: 1 });
  assertThrows(() => decodeSockAddr(ll, 11), RangeError, "11");
});

Deno.test("decodeSockAddr() refuses an unknown family with a TypeError giving the number", () => {
  assertThrows(() => decodeSockAddr(new Uint8Array([31, 0, 1, 2])), TypeError, "family 31"); // AF_BLUETOOTH
  assertThrows(() => decodeSockAddr(new Uint8Array(16)), TypeError, "family 0"); // AF_UNSPEC
  assertThrows(() => decodeSockAddr([2, 0] as unknown as Uint8Array), TypeError, "[2,0]");
});
