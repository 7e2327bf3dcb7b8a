/**
 * The package as a Node or Bun user gets it: every subpath export imported and required by package
 * name from a project where the packed tarball is installed (with koffi), a few values checked,
 * and a socket opened. Compiled by the build and run with `node --test` and `bun test` next to
 * the unit tests.
 *
 * @module
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
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
  exports: Record<
    string,
    string | Record<"import" | "require", { types: string; default: string }>
  >;
  engines?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dependencies?: unknown;
  peerDependencies?: unknown;
  optionalDependencies?: unknown;
};
const linux = process.platform === "linux";
const bun = (process.versions as Record<string, string | undefined>).bun !== undefined;

test("every subpath export imports and requires by package name, each with its types file", async () => {
  const subpaths = Object.entries(manifest.exports).filter(([key]) => key !== "./package.json");
  assert.ok(subpaths.length >= 6, `only ${subpaths.length} exports`);
  for (const [key, entry] of subpaths) {
    const specifier = key === "." ? NAME : `${NAME}/${key.slice(2)}`;
    const mod = await import(specifier);
    assert.ok(Object.keys(mod).length > 0, `${specifier} exports nothing`);
    const cjs = require(specifier) as Record<string, unknown>;
    assert.deepEqual(Object.keys(cjs).sort(), Object.keys(mod).sort(), `${specifier}: require()`);
    assert.equal(typeof entry, "object", `${key} has no conditions`);
    for (const condition of ["import", "require"] as const) {
      const { types } = (entry as Record<typeof condition, { types: string }>)[condition];
      const file = join(dirname(manifestPath), types);
      assert.doesNotThrow(() => readFileSync(file), `${key} ${condition}: ${types}`);
    }
  }
});

test("importing the package leaves Node as it was: no global Deno", () => {
  assert.equal((globalThis as { Deno?: unknown }).Deno, undefined);
});

test("the package requires no dependency: koffi is an optional peer; Node 20 or later", () => {
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.optionalDependencies, undefined);
  assert.deepEqual(Object.keys(manifest.peerDependencies as object), ["koffi"]);
  assert.deepEqual(manifest.peerDependenciesMeta, { koffi: { optional: true } });
  assert.equal(manifest.engines?.node, ">=20");
});

test("private modules stay private: a deep import is refused", async () => {
  // Node: ERR_PACKAGE_PATH_NOT_EXPORTED; Bun: ERR_MODULE_NOT_FOUND.
  await assert.rejects(
    import(`${NAME}/constants/_current.js`),
    (err: { code?: string }) =>
      err.code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || err.code === "ERR_MODULE_NOT_FOUND",
  );
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

test("socket() opens a kernel socket: ffi (koffi on Node, bun:ffi on Bun) with a descriptor", async () => {
  const [a, b] = root.socketpair(constants.AF_UNIX, constants.SOCK_SEQPACKET);
  try {
    assert.equal(a.backend, "ffi");
    assert.ok(a.fd >= 0);
    await a.send(new Uint8Array([1, 2, 3]));
    assert.equal(await b.recv(new Uint8Array(8)), 3);
  } finally {
    a.close();
    b.close();
  }
  let err: unknown;
  try {
    root.socket(constants.AF_INET, constants.SOCK_STREAM, "udp");
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof errno.SocketError, String(err));
  assert.equal(err.code, "EPROTONOSUPPORT");
});

test("without koffi, Node falls back to native and an ffi-only call says npm install koffi", {
  skip: bun ? "Bun always has bun:ffi" : false,
}, () => {
  // A copy of the package where koffi cannot be resolved from.
  const dir = mkdtempSync(join(tmpdir(), "bsdsock-nokoffi-"));
  try {
    cpSync(dirname(manifestPath), join(dir, "node_modules", ...NAME.split("/")), {
      recursive: true,
    });
    writeFileSync(
      join(dir, "main.mjs"),
      `import { AF_INET, AF_UNIX, SOCK_SEQPACKET, SOCK_STREAM, socket } from "${NAME}";
const s = socket(AF_INET, SOCK_STREAM);
const out = [s.backend];
s.close();
try { socket(AF_UNIX, SOCK_SEQPACKET); } catch (e) { out.push(e.name, e.code, e.message); }
console.log(JSON.stringify(out));`,
    );
    const run = spawnSync(process.execPath, [join(dir, "main.mjs")], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const [backend, name, code, message] = JSON.parse(run.stdout) as string[];
    assert.equal(backend, "native");
    assert.equal(name, "SocketError");
    assert.equal(code, "EOPNOTSUPP");
    assert.match(message, /npm install koffi/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's examples run as written, and print what they say", () => {
  const pkgDir = dirname(manifestPath);
  const project = join(pkgDir, ...NAME.split("/").map(() => ".."), "..");
  const readme = readFileSync(join(pkgDir, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 2, "the README has examples");
  const dir = mkdtempSync(join(project, ".readme-"));
  const outputs: string[] = [];
  try {
    blocks.forEach((source, i) => {
      // An example that calls require() is CommonJS; the others are ES modules.
      const file = join(dir, `example${i}.${/\brequire\(/.test(source) ? "cjs" : "mjs"}`);
      writeFileSync(file, source);
      const run = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 10_000 });
      assert.equal(run.status, 0, `example ${i + 1}:\n${source}\n${run.stderr}`);
      outputs.push(run.stdout);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.match(outputs[0], /^hello from \d+$/m);
  assert.match(outputs[1], /^3 1\ntrue EPROTONOSUPPORT$/m);
});
