import { assertEquals, assertThrows } from "@std/assert";
import {
  darwin,
  EAGAIN,
  ECONNREFUSED,
  EDEADLK,
  EDEADLOCK,
  ENOTSUP,
  EOPNOTSUPP,
  errnoName,
  EWOULDBLOCK,
  linux,
} from "./mod.ts";
import { hostOs as os } from "../_internal/os.ts";
import type { ErrnoTable } from "./types.ts";

const table: ErrnoTable = os === "darwin" ? darwin : linux;

Deno.test("errnoName() gives the canonical name of every number of the running OS", () => {
  for (const [name, info] of Object.entries(table)) {
    assertEquals(errnoName(info.errno), info.aliasOf ?? name, name);
  }
});

Deno.test("errnoName() of an alias gives the name the header defines with a number", () => {
  assertEquals(errnoName(ECONNREFUSED), "ECONNREFUSED");
  assertEquals(EWOULDBLOCK, EAGAIN);
  assertEquals(errnoName(EWOULDBLOCK), "EAGAIN");
  assertEquals(errnoName(EDEADLK), "EDEADLK");
  assertEquals(errnoName(EOPNOTSUPP), "EOPNOTSUPP");
  if (os === "linux") {
    assertEquals(EDEADLOCK, EDEADLK);
    assertEquals(errnoName(EDEADLOCK!), "EDEADLK");
    assertEquals(ENOTSUP, EOPNOTSUPP);
    assertEquals(errnoName(ENOTSUP), "EOPNOTSUPP");
  } else {
    assertEquals(EDEADLOCK, undefined);
    assertEquals(errnoName(ENOTSUP), "ENOTSUP");
  }
});

Deno.test("errnoName() of 0 and of unknown numbers is undefined", () => {
  assertEquals(errnoName(0), undefined);
  assertEquals(errnoName(4000), undefined);
  assertEquals(errnoName(2 ** 31 - 1), undefined);
  if (os === "linux") assertEquals(errnoName(41), undefined);
});

Deno.test("errnoName() rejects what is not an errno, quoting the value", () => {
  assertThrows(() => errnoName("EPERM" as unknown as number), TypeError, 'Invalid errno "EPERM"');
  assertThrows(() => errnoName(null as unknown as number), TypeError, '"null"');
  assertThrows(() => errnoName(-4), RangeError, 'Invalid errno "-4"');
  assertThrows(() => errnoName(0.5), RangeError, 'Invalid errno "0.5"');
});
