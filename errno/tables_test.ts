import { assert, assertEquals } from "@std/assert";
import * as errno from "./mod.ts";
import { detectOs, hostOs as os } from "../_internal/os.ts";
import type { ErrnoTable } from "./types.ts";

const tables: Record<string, ErrnoTable> = { linux: errno.linux, darwin: errno.darwin };

for (const [label, table] of Object.entries(tables)) {
  Deno.test(`${label} table: one canonical name per number, aliases agree with it`, () => {
    const seen = new Map<number, string>();
    for (const [name, info] of Object.entries(table)) {
      assert(/^E[A-Z0-9]+$/.test(name), name);
      assert(Number.isInteger(info.errno) && info.errno > 0, name);
      assert(info.strerror.length > 0, name);
      if (info.aliasOf === undefined) {
        assertEquals(seen.get(info.errno), undefined, `${name} repeats ${info.errno}`);
        seen.set(info.errno, name);
      }
    }
    for (const [name, info] of Object.entries(table)) {
      if (info.aliasOf === undefined) continue;
      const target = table[info.aliasOf];
      assert(target && target.aliasOf === undefined, `${name} → ${info.aliasOf}`);
      assertEquals(info.errno, target.errno, name);
      assertEquals(info.strerror, target.strerror, name);
    }
  });
}

Deno.test("the tables hold every number: macOS 1 to 106, Linux at least 134 names", () => {
  assertEquals(Object.keys(errno.darwin).length, 107);
  assertEquals(Object.values(errno.darwin as ErrnoTable).filter((i) => !i.aliasOf).length, 106);
  assert(Object.keys(errno.linux).length >= 134);
});

Deno.test("every E* export is the running OS's number, undefined where the OS lacks it", () => {
  const current = os === "darwin" ? errno.darwin : errno.linux;
  const exported = Object.entries(errno).filter(([k]) => /^E[A-Z0-9]+$/.test(k));
  const names = new Set([...Object.keys(errno.linux), ...Object.keys(errno.darwin)]);
  assertEquals(exported.length, names.size);
  for (const [name, value] of exported) {
    assert(names.has(name), name);
    const info = (current as ErrnoTable)[name];
    assertEquals(value, Object.hasOwn(current, name) ? info.errno : undefined, name);
  }
});

Deno.test("the running OS is read from Deno.build.os, else process.platform, else linux", () => {
  assertEquals(detectOs(), Deno.build.os === "darwin" ? "darwin" : "linux");
  assertEquals(detectOs({ Deno: { build: { os: "darwin" } } }), "darwin");
  assertEquals(detectOs({ Deno: { build: { os: "linux" } } }), "linux");
  assertEquals(detectOs({ process: { platform: "darwin" } }), "darwin");
  assertEquals(detectOs({ process: { platform: "android" } }), "linux");
  assertEquals(detectOs({}), "linux");
});
