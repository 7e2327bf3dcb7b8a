/**
 * Real errors from Deno's networking, mapped by `errnoFromError()` / `SocketError.from()`, checked
 * against the errno the kernel gives python3 for the same call on the same machine.
 */
import { assert, assertEquals, assertInstanceOf, assertStrictEquals } from "@std/assert";
import {
  EADDRINUSE,
  EADDRNOTAVAIL,
  ECONNREFUSED,
  ENOENT,
  errnoFromError,
  SocketError,
} from "../errno/mod.ts";

function fdCount(): number {
  return Array.from(Deno.readDirSync("/proc/self/fd")).length;
}

/** The errno python3 (the kernel, through CPython's socket module) gets for `code`, or 0. */
async function pythonErrno(code: string): Promise<number> {
  const script = `
import socket, sys
try:
${code.trim().split("\n").map((line) => `    ${line}`).join("\n")}
    print(0)
except OSError as e:
    print(e.errno)
`;
  const out = await new Deno.Command("python3", { args: ["-c", script], stderr: "piped" })
    .output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  return Number(new TextDecoder().decode(out.stdout).trim());
}

async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a failure");
}

/** A TCP port on 127.0.0.1 with nothing listening on it (just released). */
function closedPort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return listener.addr.port;
}

Deno.test("connect to a closed port: ECONNREFUSED, as the kernel says", async () => {
  const fds = fdCount();
  const port = closedPort();
  const err = await caught(() => Deno.connect({ hostname: "127.0.0.1", port }));
  assertEquals(errnoFromError(err), ECONNREFUSED);
  const kernel = await pythonErrno(
    `socket.create_connection(("127.0.0.1", ${port})).close()`,
  );
  assertEquals(ECONNREFUSED, kernel);

  const address = { family: "inet" as const, hostname: "127.0.0.1", port };
  const wrapped = SocketError.from(err, "connect", address);
  assertInstanceOf(wrapped, SocketError);
  assertEquals(wrapped.errno, kernel);
  assertEquals(wrapped.code, "ECONNREFUSED");
  assertEquals(wrapped.message, `connect: Connection refused (ECONNREFUSED) 127.0.0.1:${port}`);
  assertStrictEquals(wrapped.cause, err);
  assertEquals(fdCount(), fds, "descriptors leaked");
});

Deno.test("listen twice on one port: EADDRINUSE, as the kernel says", async () => {
  const fds = fdCount();
  {
    using first = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = first.addr.port;
    const err = await caught(() => Deno.listen({ hostname: "127.0.0.1", port }));
    assertEquals(errnoFromError(err), EADDRINUSE);
    const kernel = await pythonErrno(`
s = socket.socket()
s.bind(("127.0.0.1", ${port}))
s.close()`);
    assertEquals(EADDRINUSE, kernel);
    const wrapped = SocketError.from(err, "bind");
    assertInstanceOf(wrapped, SocketError);
    assertEquals(wrapped.code, "EADDRINUSE");
  }
  assertEquals(fdCount(), fds, "descriptors leaked");
});

Deno.test("listen on an address not on this machine: EADDRNOTAVAIL, as the kernel says", async () => {
  const fds = fdCount();
  // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a host; binding sends nothing.
  const err = await caught(() => Deno.listen({ hostname: "192.0.2.1", port: 0 }));
  assertEquals(errnoFromError(err), EADDRNOTAVAIL);
  const kernel = await pythonErrno(`
s = socket.socket()
s.bind(("192.0.2.1", 0))
s.close()`);
  assertEquals(EADDRNOTAVAIL, kernel);
  assertEquals(fdCount(), fds, "descriptors leaked");
});

Deno.test({
  name: "connect to a missing unix socket path: ENOENT, as the kernel says",
  ignore: Deno.build.os === "windows",
  async fn() {
    const fds = fdCount();
    const dir = await Deno.makeTempDir();
    const path = `${dir}/missing.sock`;
    try {
      const err = await caught(() => Deno.connect({ transport: "unix", path }));
      assertEquals(errnoFromError(err), ENOENT);
      const kernel = await pythonErrno(`
s = socket.socket(socket.AF_UNIX)
s.connect(${JSON.stringify(path)})`);
      assertEquals(ENOENT, kernel);
      const wrapped = SocketError.from(err, "connect", { family: "unix", path });
      assertEquals(wrapped.message, `connect: No such file or directory (ENOENT) ${path}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    assertEquals(fdCount(), fds, "descriptors leaked");
  },
});

Deno.test("a refused --allow-net permission passes through unchanged", async () => {
  const fds = fdCount();
  const mod = new URL("../errno/mod.ts", import.meta.url).href;
  const script = `
import { errnoFromError, SocketError } from ${JSON.stringify(mod)};
try {
  await Deno.connect({ hostname: "127.0.0.1", port: 9 });
  console.log("connected?");
} catch (err) {
  console.log(JSON.stringify({
    name: err.name,
    notCapable: err instanceof Deno.errors.NotCapable,
    errno: errnoFromError(err) ?? null,
    same: SocketError.from(err, "connect") === err,
  }));
}
`;
  // No --allow-* flag: Deno refuses the connect itself.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--no-config", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = out.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const { success, stdout, stderr } = await out.output();
  assert(success, new TextDecoder().decode(stderr));
  assertEquals(JSON.parse(new TextDecoder().decode(stdout)), {
    name: "NotCapable",
    notCapable: true,
    errno: null,
    same: true,
  });
  assertEquals(fdCount(), fds, "descriptors leaked");
});
