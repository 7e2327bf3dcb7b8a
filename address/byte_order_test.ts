import { detectOs, hostOs } from "../_internal/os.ts";
import { littleEndian } from "../_internal/check.ts";
import { htonl, htons, ntohl, ntohs } from "./mod.ts";
import { assertEquals, assertThrows } from "@std/assert";

Deno.test("the address module picks the Linux layout on this machine, without a permission", () => {
  assertEquals([detectOs(), hostOs], ["linux", "linux"]);
});

Deno.test("htons/ntohs/htonl/ntohl swap bytes on this little-endian host", () => {
  assertEquals(littleEndian, true); // x86-64 and arm64 Linux
  assertEquals(htons(0x1234), 0x3412);
  assertEquals(ntohs(0x3412), 0x1234);
  assertEquals(htonl(0x12345678), 0x78563412);
  assertEquals(ntohl(0xff000000), 0xff);
  assertEquals(htonl(0xff), 0xff000000);
  assertEquals([htons(0), htons(0xffff), htonl(0), htonl(0xffffffff)], [0, 0xffff, 0, 0xffffffff]);
});

Deno.test("htons/ntohs/htonl/ntohl refuse non-integers and out-of-range values, quoting them", () => {
  for (const fn of [htons, ntohs]) {
    for (const value of [-1, 65536, 1.5, NaN, Infinity]) {
      assertThrows(() => fn(value), RangeError, `got ${value}`);
    }
  }
  for (const fn of [htonl, ntohl]) {
    for (const value of [-1, 2 ** 32, 0.5, NaN]) {
      assertThrows(() => fn(value), RangeError, `got ${value}`);
    }
  }
  assertThrows(() => htons("80" as unknown as number), TypeError, '"80"');
  assertThrows(() => htonl(1n as unknown as number), TypeError, "1n");
});
