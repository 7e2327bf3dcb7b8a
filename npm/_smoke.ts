/**
 * The package as a Node user gets it: every subpath export imported by package name from a
 * project where the packed tarball is installed, and a few values checked. Compiled by the build
 * and run with `node --test` next to the unit tests.
 *
 * @module
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import process from "node:process";
import * as root from "@bsdsock/socket";
import * as constants from "@bsdsock/socket/constants";
import * as errno from "@bsdsock/socket/errno";
import * as address from "@bsdsock/socket/address";

const NAME = "@bsdsock/socket";
const require = createRequire(import.meta.url);
const manifestPath = require.resolve(`${NAME}/package.json`);
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
  exports: Record<string, string | { types: string; import: string }>;
  dependencies?: unknown;
  peerDependencies?: unknown;
  optionalDependencies?: unknown;
};
const linux = process.platform === "linux";

test("every subpath export imports by package name, with its types file", async () => {
  const subpaths = Object.entries(manifest.exports).filter(([key]) => key !== "./package.json");
  assert.ok(subpaths.length >= 6, `only ${subpaths.length} exports`);
  for (const [key, entry] of subpaths) {
    const specifier = key === "." ? NAME : `${NAME}/${key.slice(2)}`;
    const mod = await import(specifier);
    assert.ok(Object.keys(mod).length > 0, `${specifier} exports nothing`);
    assert.equal(typeof entry, "object", `${key} has no conditions`);
    const { types } = entry as { types: string };
    assert.doesNotThrow(() => readFileSync(join(dirname(manifestPath), types)), `${key}: ${types}`);
  }
});

test("importing the package leaves Node as it was: no global Deno", () => {
  assert.equal((globalThis as { Deno?: unknown }).Deno, undefined);
});

test("the package has no dependencies", () => {
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.peerDependencies, undefined);
  assert.equal(manifest.optionalDependencies, undefined);
});

test("private modules stay private: a deep import is refused", async () => {
  await assert.rejects(import(`${NAME}/constants/_current.js`), {
    code: "ERR_PACKAGE_PATH_NOT_EXPORTED",
  });
});

test("constants are the running OS's", () => {
  assert.equal(constants.AF_INET, 2);
  assert.equal(constants.AF_INET6, linux ? 10 : 30);
  assert.equal(constants.SOCK_STREAM, 1);
  assert.equal(constants.IPPROTO_TCP, 6);
  assert.equal(constants.getprotobyname("udp")?.number, 17);
});

test("strerror() and errnoName() give the C library's text", () => {
  assert.equal(errno.ECONNREFUSED, linux ? 111 : 61);
  assert.equal(errno.strerror(errno.ECONNREFUSED), "Connection refused");
  if (linux) assert.equal(errno.strerror(111), "Connection refused");
  assert.equal(errno.errnoName(errno.EPIPE), "EPIPE");
});

test("inetPton() and inetNtop() round-trip", () => {
  const v4 = address.inetPton("inet", "192.0.2.1");
  assert.deepEqual([...v4], [192, 0, 2, 1]);
  assert.equal(address.inetNtop("inet", v4), "192.0.2.1");
  const v6 = address.inetPton(constants.AF_INET6, "2001:db8::1");
  assert.equal(v6.length, 16);
  assert.equal(address.inetNtop(constants.AF_INET6, v6), "2001:db8::1");
  assert.equal(address.htons(0x1234), 0x3412);
});

test("SocketError carries errno, code and the message format", () => {
  const err = new errno.SocketError(errno.ECONNREFUSED, "connect", {
    family: "inet",
    hostname: "127.0.0.1",
    port: 9,
  });
  assert.ok(err instanceof Error);
  assert.equal(err.name, "SocketError");
  assert.equal(err.code, "ECONNREFUSED");
  assert.equal(err.message, "connect: Connection refused (ECONNREFUSED) 127.0.0.1:9");
  const fromNode = errno.SocketError.from(
    Object.assign(new Error("connect ECONNREFUSED"), { errno: -111, code: "ECONNREFUSED" }),
    "connect",
  );
  assert.ok(fromNode instanceof errno.SocketError);
  assert.equal(fromNode.errno, errno.ECONNREFUSED);
});

test("the root module re-exports the subpath modules (one copy of each class)", () => {
  assert.equal(root.AF_INET6, constants.AF_INET6);
  assert.equal(root.SocketError, errno.SocketError);
  assert.equal(root.inetPton, address.inetPton);
  assert.equal(typeof root.socket, "function");
});

test("socket() on Node throws a plain Error that says Deno.dlopen is missing", () => {
  assert.throws(
    () => root.socket(constants.AF_INET, constants.SOCK_STREAM),
    (err: unknown) =>
      err instanceof Error && err.constructor === Error && /Deno\.dlopen/.test(err.message),
  );
});
