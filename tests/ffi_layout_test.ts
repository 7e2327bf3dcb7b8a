import { assertEquals } from "@std/assert";
import { linuxSys } from "../socket/ffi/_libc.ts";
import { cmsgLen, cmsgSpace } from "../socket/ffi/_msghdr.ts";
import { compileC } from "./_c.ts";

Deno.test("ffi constants and struct sizes equal the system headers", async () => {
  const out = await compileC("ffi_layout.c");
  const headers = JSON.parse(out) as Record<string, number>;
  assertEquals(Object.keys(headers).sort(), Object.keys(linuxSys).sort());
  for (const [name, value] of Object.entries(headers)) {
    assertEquals((linuxSys as Record<string, number>)[name], value, name);
  }
});

Deno.test("CMSG_SPACE and CMSG_LEN follow the headers' 8-byte alignment", () => {
  assertEquals([cmsgLen(0), cmsgLen(4), cmsgLen(12)], [16, 20, 28]);
  assertEquals([cmsgSpace(0), cmsgSpace(4), cmsgSpace(12)], [16, 24, 32]);
});
