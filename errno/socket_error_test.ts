import {
  assert,
  assertEquals,
  assertFalse,
  assertInstanceOf,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import {
  EADDRINUSE,
  ECONNREFUSED,
  ENOENT,
  ETIMEDOUT,
  type SockAddr,
  SocketError,
  strerror,
} from "./mod.ts";

Deno.test("SocketError carries errno, code, syscall and is an Error", () => {
  const err = new SocketError(ECONNREFUSED, "connect");
  assertInstanceOf(err, Error);
  assertInstanceOf(err, SocketError);
  assertEquals(err.name, "SocketError");
  assertEquals(err.errno, ECONNREFUSED);
  assertEquals(err.code, "ECONNREFUSED");
  assertEquals(err.syscall, "connect");
  assertEquals(err.address, undefined);
  assertFalse("address" in err);
  assertEquals(err.message, "connect: Connection refused (ECONNREFUSED)");
  assert(err.stack?.startsWith("SocketError: connect: Connection refused"));
  assertEquals(String(err), "SocketError: connect: Connection refused (ECONNREFUSED)");
});

Deno.test("SocketError message ends with the address, per family", () => {
  const cases: [SockAddr, string][] = [
    [{ family: "inet", hostname: "127.0.0.1", port: 9 }, "127.0.0.1:9"],
    [{ family: "inet6", hostname: "::1", port: 9 }, "[::1]:9"],
    [{ family: "inet6", hostname: "fe80::1", port: 9, scopeId: 2 }, "[fe80::1%2]:9"],
    [{ family: "unix", path: "/run/x.sock" }, "/run/x.sock"],
    [{ family: "unix", path: "\0name" }, "@name"],
    [{ family: "unix", path: "" }, "(unnamed)"],
  ];
  for (const [address, text] of cases) {
    const err = new SocketError(ECONNREFUSED, "connect", address);
    assertEquals(err.message, `connect: Connection refused (ECONNREFUSED) ${text}`);
    assertStrictEquals(err.address, address);
  }
  const inUse = new SocketError(EADDRINUSE, "bind", {
    family: "inet",
    hostname: "0.0.0.0",
    port: 80,
  });
  assertEquals(inUse.message, `bind: ${strerror(EADDRINUSE)} (EADDRINUSE) 0.0.0.0:80`);
});

Deno.test("SocketError keeps its cause", () => {
  const cause = new Error("underlying");
  const err = new SocketError(ETIMEDOUT, "recv", undefined, { cause });
  assertStrictEquals(err.cause, cause);
  assertEquals(err.code, "ETIMEDOUT");
});

Deno.test("SocketError with an errno that has no name has code UNKNOWN", () => {
  const err = new SocketError(4000, "ioctl");
  assertEquals(err.code, "UNKNOWN");
  assertEquals(err.message, `ioctl: ${strerror(4000)} (UNKNOWN)`);
});

Deno.test("SocketError rejects a bad errno or syscall, quoting the value", () => {
  assertThrows(() => new SocketError(0, "connect"), RangeError, 'Invalid errno "0"');
  assertThrows(() => new SocketError(-111, "connect"), RangeError, 'Invalid errno "-111"');
  assertThrows(() => new SocketError(1.5, "connect"), RangeError, 'Invalid errno "1.5"');
  assertThrows(
    () => new SocketError("ECONNREFUSED" as unknown as number, "connect"),
    TypeError,
    'Invalid errno "ECONNREFUSED"',
  );
  assertThrows(
    () => new SocketError(ECONNREFUSED, 42 as unknown as string),
    TypeError,
    'Invalid syscall "42"',
  );
});

Deno.test("SocketError.from() wraps an error with an errno, cause kept", () => {
  const denoError = new Deno.errors.ConnectionRefused("Connection refused");
  const address: SockAddr = { family: "inet", hostname: "127.0.0.1", port: 9 };
  const err = SocketError.from(denoError, "connect", address);
  assertInstanceOf(err, SocketError);
  assertEquals(err.errno, ECONNREFUSED);
  assertEquals(err.syscall, "connect");
  assertStrictEquals(err.address, address);
  assertStrictEquals(err.cause, denoError);
  assertEquals(err.message, "connect: Connection refused (ECONNREFUSED) 127.0.0.1:9");

  const nodeError = Object.assign(new Error("open failed"), { errno: -2, code: "ENOENT" });
  const fromNode = SocketError.from(nodeError, "open");
  assertInstanceOf(fromNode, SocketError);
  assertEquals(fromNode.errno, ENOENT);
});

Deno.test("SocketError.from() returns what carries no errno unchanged", () => {
  const denied = new Deno.errors.NotCapable('Requires net access to "127.0.0.1:9"');
  assertStrictEquals(SocketError.from(denied, "connect"), denied);
  const plain = new TypeError("Invalid port");
  assertStrictEquals(SocketError.from(plain, "connect"), plain);
  const existing = new SocketError(ECONNREFUSED, "connect");
  assertStrictEquals(SocketError.from(existing, "sendAll"), existing);
});

Deno.test("SocketError.from() wraps a thrown non-Error in an Error", () => {
  const err = SocketError.from("boom", "connect");
  assertInstanceOf(err, Error);
  assertEquals(err.message, "boom");
  assertEquals(err.cause, "boom");
  assertEquals(SocketError.from(Object.create(null), "x").message, "[object Object]");
});
