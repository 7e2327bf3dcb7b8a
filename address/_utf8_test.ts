import { decodePath, encodePath } from "./_utf8.ts";
import { assertEquals, assertThrows } from "@std/assert";

Deno.test("encodePath() and decodePath() are UTF-8 for well-formed text", () => {
  for (const text of ["", "/tmp/s", "/tmp/é", "/tmp/😀", "\0abstract", "日本"]) {
    assertEquals(encodePath(text), new TextEncoder().encode(text));
    assertEquals(decodePath(encodePath(text)), text);
  }
});

Deno.test("decodePath() escapes bytes that are not UTF-8 and encodePath() restores them", () => {
  const cases: [number[], string][] = [
    [[0xff], "\udcff"],
    [[0x2f, 0x80, 0x61], "/\udc80a"],
    [[0xc3], "\udcc3"], // truncated sequence
    [[0xc0, 0xaf], "\udcc0\udcaf"], // overlong '/'
    [[0xed, 0xa0, 0x80], "\udced\udca0\udc80"], // an encoded surrogate
    [[0xf4, 0x90, 0x80, 0x80], "\udcf4\udc90\udc80\udc80"], // above U+10FFFF
    [[0xe2, 0x82, 0x41], "\udce2\udc82A"],
    [[0x61, 0xc3, 0xa9, 0xff, 0xf0, 0x9f, 0x98, 0x80], "aé\udcff😀"],
  ];
  for (const [bytes, text] of cases) {
    assertEquals(decodePath(new Uint8Array(bytes)), text, bytes.join(","));
    assertEquals(encodePath(text), new Uint8Array(bytes), text);
  }
});

Deno.test("every byte string survives decodePath() then encodePath()", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 2000; i++) {
    const bytes = Uint8Array.from({ length: next() % 12 }, () => next());
    assertEquals(encodePath(decodePath(bytes)), bytes);
  }
});

Deno.test("encodePath() refuses a lone surrogate that stands for no byte", () => {
  assertThrows(() => encodePath("/tmp/\ud800"), TypeError, "U+D800");
  assertThrows(() => encodePath("\udc00"), TypeError, "U+DC00");
  assertThrows(() => encodePath("\udd00x"), TypeError, "U+DD00");
});
