import { assertEquals, assertThrows } from "@std/assert";
import { darwin, EADDRNOTAVAIL, ECONNREFUSED, linux, strerror } from "./mod.ts";
import { hostOs as os } from "../_internal/os.ts";

const table = os === "darwin" ? darwin : linux;

Deno.test("strerror() gives the table's text for every name of the running OS", () => {
  for (const [name, info] of Object.entries(table)) {
    assertEquals(strerror(info.errno), info.strerror, name);
  }
});

Deno.test("strerror() gives the C library's text for common socket errors", () => {
  assertEquals(strerror(ECONNREFUSED), "Connection refused");
  assertEquals(
    strerror(EADDRNOTAVAIL),
    os === "darwin" ? "Can't assign requested address" : "Cannot assign requested address",
  );
});

Deno.test("strerror() of 0 and of unknown numbers matches the C library's format", () => {
  if (os === "darwin") {
    assertEquals(strerror(0), "Undefined error: 0");
    assertEquals(strerror(4000), "Unknown error: 4000");
  } else {
    assertEquals(strerror(0), "Success");
    assertEquals(strerror(41), "Unknown error 41");
    assertEquals(strerror(4000), "Unknown error 4000");
    assertEquals(strerror(2 ** 31 - 1), "Unknown error 2147483647");
  }
});

Deno.test("strerror() rejects what is not an errno, quoting the value", () => {
  assertThrows(() => strerror("111" as unknown as number), TypeError, 'Invalid errno "111"');
  assertThrows(() => strerror(111n as unknown as number), TypeError, 'Invalid errno "111n"');
  assertThrows(() => strerror(undefined as unknown as number), TypeError, '"undefined"');
  assertThrows(() => strerror(-1), RangeError, 'Invalid errno "-1"');
  assertThrows(() => strerror(1.5), RangeError, 'Invalid errno "1.5"');
  assertThrows(() => strerror(NaN), RangeError, 'Invalid errno "NaN"');
  assertThrows(() => strerror(Infinity), RangeError, 'Invalid errno "Infinity"');
  assertThrows(() => strerror(2 ** 31), RangeError, 'Invalid errno "2147483648"');
});
