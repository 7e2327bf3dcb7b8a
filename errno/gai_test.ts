import { assert, assertEquals, assertThrows } from "@std/assert";
import * as errno from "./mod.ts";
import { hostOs } from "../_internal/os.ts";
import type { ErrnoTable } from "./types.ts";

const current: ErrnoTable = hostOs === "darwin" ? errno.gaiDarwin : errno.gaiLinux;

Deno.test("the EAI tables: one name per number, negative on Linux, positive on macOS", () => {
  for (const [table, sign] of [[errno.gaiLinux, -1], [errno.gaiDarwin, 1]] as const) {
    const seen = new Set<number>();
    for (const [name, info] of Object.entries(table as ErrnoTable)) {
      assert(/^EAI_[A-Z0-9_]+$/.test(name), name);
      assertEquals(Math.sign(info.errno), sign, name);
      assert(!seen.has(info.errno), `${name} repeats ${info.errno}`);
      seen.add(info.errno);
      assert(info.strerror.length > 0, name);
    }
  }
  assertEquals(errno.gaiLinux.EAI_NODATA.errno, -5);
  assertEquals(errno.gaiLinux.EAI_CANCELED.errno, -101);
  assertEquals(
    Object.values(errno.gaiDarwin).map((i) => i.errno),
    [...Array(14)].map((_, i) => i + 1),
  );
});

Deno.test("every EAI_* export is the running OS's number, undefined where the OS lacks it", () => {
  const exported = Object.entries(errno).filter(([k]) => k.startsWith("EAI_"));
  const names = new Set([...Object.keys(errno.gaiLinux), ...Object.keys(errno.gaiDarwin)]);
  assertEquals(exported.length, names.size);
  for (const [name, value] of exported) {
    assert(names.has(name), name);
    assertEquals(value, Object.hasOwn(current, name) ? current[name].errno : undefined, name);
  }
});

Deno.test("gaiName() and gaiStrerror() read the running OS's EAI table, not the errno one", () => {
  for (const [name, info] of Object.entries(current)) {
    assertEquals(errno.gaiName(info.errno), name);
    assertEquals(errno.gaiStrerror(info.errno), info.strerror);
  }
  assertEquals(errno.gaiName(0), undefined);
  assertEquals(errno.gaiStrerror(0), "Unknown error");
  assertEquals(errno.gaiName(4000), undefined);
  assertEquals(errno.gaiStrerror(-4000), "Unknown error");
  assertThrows(() => errno.gaiName("EAI_NONAME" as unknown as number), TypeError);
  assertThrows(() => errno.gaiStrerror(1.5), RangeError);
  assertThrows(() => errno.gaiStrerror(2 ** 31), RangeError);
});

Deno.test("SocketError for getaddrinfo takes code and text from the EAI table, by syscall", () => {
  const address = { family: "inet", hostname: "no-such-host.invalid", port: 80 } as const;
  const cause = new Error("resolver");
  const err = new errno.SocketError(errno.EAI_NONAME, "getaddrinfo", address, { cause });
  assertEquals(err.errno, errno.EAI_NONAME);
  assertEquals(err.code, "EAI_NONAME");
  assertEquals(err.syscall, "getaddrinfo");
  assertEquals(err.address, address);
  assertEquals(err.cause, cause);
  assertEquals(
    err.message,
    `getaddrinfo: ${current.EAI_NONAME.strerror} (EAI_NONAME) no-such-host.invalid:80`,
  );
  if (hostOs === "linux") {
    assertEquals(
      err.message,
      "getaddrinfo: Name or service not known (EAI_NONAME) no-such-host.invalid:80",
    );
  }
  // The same number for another call is an errno (on macOS, 8 is ENOEXEC as well as EAI_NONAME).
  const n = Math.abs(errno.EAI_NONAME);
  assertEquals(new errno.SocketError(n, "connect").code, errno.errnoName(n));
  assertEquals(new errno.SocketError(-4000, "getaddrinfo").code, "UNKNOWN");
  assertThrows(() => new errno.SocketError(0, "getaddrinfo"), RangeError);
  assertThrows(() => new errno.SocketError(-2, "connect"), RangeError);
});
