/**
 * The WinterTC Sockets API draft (https://sockets-api.proposal.wintertc.org/,
 * wintercg/proposal-sockets-api index.bs), clause by clause, for plain-text
 * sockets: each test is named after the clause it checks, and talks to
 * python3 (tests/py/wintertc_peer.py) or to the kernel. TLS and startTls() are
 * in wintertc_tls_test.ts.
 *
 * @module
 */
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertMatch,
  assertRejects,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import { SocketError as KernelError } from "../errno/mod.ts";
import { listen } from "../socket/stream.ts";
import { connect, type Socket, SocketError } from "../wintertc/mod.ts";
import { delay, fdLedger, randomBytes, sha256, text, utf8 } from "./_helpers.ts";
import {
  jsonLines,
  README_CLIENT,
  refusedPort,
  runChild,
  stateAfter,
  wintertcPeer,
} from "./_wintertc_helpers.ts";

const BACKENDS = ["ffi", "native"] as const;
const fds = fdLedger();
Deno.test("descriptors: counted before the first Sockets API test", fds.start);

/** Reads `socket.readable` to its end. */
async function readAll(socket: Socket): Promise<string> {
  return await new Response(socket.readable).text();
}

Deno.test("connect(), steps 1-4: the Socket is returned at once, in a pending state, its streams usable", async () => {
  // SYNs to this listener are dropped (its one-connection backlog is full): the connection waits.
  await using server = await wintertcPeer("backlog");
  const socket = connect({ hostname: "127.0.0.1", port: server.port });
  assertInstanceOf(socket.readable, ReadableStream);
  assertInstanceOf(socket.writable, WritableStream);
  const write = socket.writable.getWriter().write("early");
  const read = socket.readable.getReader().read();
  assertEquals(await stateAfter(socket.opened, 300), "pending");
  assertEquals(await stateAfter(socket.closed, 0), "pending");
  assertEquals(await stateAfter(write, 0), "pending");
  assertEquals(await stateAfter(read, 0), "pending");
  await socket.close();
  assertEquals((await read).done, true);
  await assertRejects(() => write, SocketError);
  await server.peer.write({ op: "quit" });
});

Deno.test('connect(), step 6 and SocketInfo: opened resolves with remoteAddress and localAddress as "host:port", alpn null; secureTransport "off" is plain text', async () => {
  await using server = await wintertcPeer("plain");
  const socket = connect({ hostname: "localhost", port: server.port });
  const info = await socket.opened;
  const { client, handshake } = await server.accepted();
  assertEquals(handshake, { tls: null, sni: null, alpn: null });
  await socket.writable.getWriter().write("plain text\n");
  assertEquals(await server.ask("line"), { line: "plain text\n" }, "python3 reads it as sent");
  // remoteAddress is the peer actually connected to, localAddress this end, as python3 sees it.
  assertEquals(info, {
    remoteAddress: `127.0.0.1:${server.port}`,
    localAddress: `${client[0]}:${client[1]}`,
    alpn: null,
  });
  assertStrictEquals(socket.opened, socket.opened);
  assertEquals([socket.secureTransport, socket.upgraded], ["off", false]);
  await socket.close();
});

Deno.test('AnySocketAddress: "host:port" ("[v6]:port") and { hostname, port } both connect', async () => {
  using v4 = listen({ hostname: "127.0.0.1", port: 0 });
  using v6 = listen({ hostname: "::1", port: 0 });
  const p4 = (v4.getsockname() as { port: number }).port;
  const p6 = (v6.getsockname() as { port: number }).port;
  const cases: [Parameters<typeof connect>[0], string][] = [
    [`127.0.0.1:${p4}`, `127.0.0.1:${p4}`],
    [`localhost:${p4}`, `127.0.0.1:${p4}`],
    [{ hostname: "127.0.0.1", port: p4 }, `127.0.0.1:${p4}`],
    [{ hostname: "127.0.0.1", port: String(p4) } as never, `127.0.0.1:${p4}`],
    [`[::1]:${p6}`, `[::1]:${p6}`],
    [{ hostname: "::1", port: p6 }, `[::1]:${p6}`],
    [{ hostname: "[::1]", port: p6 }, `[::1]:${p6}`],
  ];
  for (const [address, remote] of cases) {
    const socket = connect(address);
    const info = await socket.opened;
    assertEquals(info.remoteAddress, remote, JSON.stringify(address));
    const listener = remote.startsWith("[") ? v6 : v4;
    const [conn] = await listener.accept();
    assertEquals(
      info.localAddress,
      `${remote.startsWith("[") ? "[::1]" : "127.0.0.1"}:${
        (conn.getpeername() as { port: number }).port
      }`,
    );
    conn.close();
    await socket.close();
  }
});

Deno.test('connect(): "may throw a SocketError … if the input address is incorrectly formatted"', () => {
  const malformed: unknown[] = [
    "example.com",
    "127.0.0.1:",
    ":80",
    "[::1]",
    "::1:80",
    "[127.0.0.1]:80",
    "localhost:65536",
    "localhost:-1",
    "localhost:8o",
    "exa mple.com:80",
    "http://example.com:80",
    "example.com:80/path",
    "",
    `${"a".repeat(254)}:80`,
    42,
    null,
    undefined,
    {},
    { hostname: "example.com" },
    { port: 80 },
    { hostname: "", port: 80 },
    { hostname: "example.com", port: 1.5 },
    { hostname: "example.com", port: 65536 },
    { hostname: "example.com", port: "http" },
    { hostname: "[example.com]", port: 80 },
  ];
  for (const address of malformed) {
    const err = assertThrows(
      () => connect(address as string),
      SocketError,
      undefined,
      JSON.stringify(address),
    );
    assertInstanceOf(err, TypeError);
    assertMatch(err.message, /^SocketError: The address/);
  }
});

Deno.test("SocketOptions: a wrong value is a TypeError before anything opens; sni and alpn only with TLS", () => {
  const bad: unknown[] = [
    "tls",
    { secureTransport: "tls" },
    { secureTransport: true },
    { sni: "example.com" },
    { alpn: ["h2"] },
    { secureTransport: "off", alpn: ["h2"] },
    { secureTransport: "on", alpn: "h2" },
    { secureTransport: "on", alpn: [""] },
    { secureTransport: "on", alpn: ["x".repeat(256)] },
    { secureTransport: "on", alpn: [2] },
    { secureTransport: "on", sni: 5 },
    { secureTransport: "on", sni: "" },
    { backend: "kernel" },
  ];
  for (const options of bad) {
    assertThrows(
      () => connect("127.0.0.1:9", options as never),
      TypeError,
      undefined,
      JSON.stringify(options),
    );
  }
});

Deno.test('SocketError: "an instance of TypeError" whose message starts with "SocketError: "; the kernel\'s errno is its cause', async () => {
  using refused = refusedPort();
  const socket = connect(`127.0.0.1:${refused.port}`);
  const err = await assertRejects(() => socket.opened, SocketError);
  assertInstanceOf(err, TypeError);
  assert(err.message.startsWith("SocketError: "), err.message);
  assertInstanceOf(err.cause, KernelError);
  assertEquals([err.cause.code, err.cause.syscall], ["ECONNREFUSED", "connect"]);
  assertEquals(err.message, `SocketError: ${err.cause.message}`);
});

for (const backend of BACKENDS) {
  Deno.test(`[${backend}] connect(), step 7: a failed connection rejects opened and closed with one SocketError, and errors both streams with it`, async () => {
    using refused = refusedPort();
    const socket = connect({ hostname: "127.0.0.1", port: refused.port }, { backend });
    const reader = socket.readable.getReader();
    const writer = socket.writable.getWriter();
    const err = await assertRejects(() => socket.opened, SocketError);
    assertEquals((err.cause as KernelError).code, "ECONNREFUSED");
    assertStrictEquals(await socket.closed.catch((e) => e), err);
    assertStrictEquals(await reader.read().catch((e) => e), err);
    assertStrictEquals(await writer.write("x").catch((e) => e), err);
    assertStrictEquals(await socket.close().catch((e) => e), err, "close() returns closed");
  });

  Deno.test(`[${backend}] readable "receives data from the server", writable "sends data to the server": 1 MiB through python3's echo, byte for byte`, async () => {
    await using server = await wintertcPeer("plain");
    const socket = connect(`127.0.0.1:${server.port}`, { backend });
    await socket.opened;
    await server.accepted();
    await server.peer.write({ op: "echo" });
    const data = randomBytes(1 << 20);
    const chunks = Array.from({ length: 16 }, (_, i) => data.subarray(i << 16, (i + 1) << 16));
    const [, back] = await Promise.all([
      ReadableStream.from(chunks).pipeTo(socket.writable),
      new Response(socket.readable).arrayBuffer(),
    ]);
    assertEquals(await server.peer.read(), { received: data.byteLength });
    assertEquals(await sha256(new Uint8Array(back)), await sha256(data));
    await socket.closed; // the echo's FIN, with allowHalfOpen false
  });
}

Deno.test("Using a socket (the draft's example): a string written, read back through a reader; a BYOB reader works too", async () => {
  await using server = await wintertcPeer("plain");
  const socket = connect({ hostname: "127.0.0.1", port: server.port });
  await server.accepted();
  await server.peer.write({ op: "echo" });
  const writer = socket.writable.getWriter();
  await writer.write("Hello, World!\r\n");
  const reader = socket.readable.getReader();
  const result = await reader.read();
  assertEquals(text(result.value!), "Hello, World!\r\n");
  reader.releaseLock();
  await writer.write(new Uint8Array([1, 2, 3]).buffer);
  await writer.write(new DataView(new Uint8Array([4, 5]).buffer));
  await assertRejects(() => writer.write(7 as never), TypeError);
  const byob = socket.readable.getReader({ mode: "byob" });
  let got = new Uint8Array(0);
  while (got.byteLength < 5) {
    const { value } = await byob.read(new Uint8Array(8));
    got = new Uint8Array([...got, ...value!]);
  }
  assertEquals(got, new Uint8Array([1, 2, 3, 4, 5]));
  await socket.close();
});

Deno.test('connect(), step 8: the streams "can be used immediately": what is written before opened resolves is sent once it does', async () => {
  await using server = await wintertcPeer("plain");
  const socket = connect({ hostname: "localhost", port: server.port });
  const writer = socket.writable.getWriter();
  const written = writer.write("written before opened\n");
  await server.accepted();
  assertEquals(await server.ask("line"), { line: "written before opened\n" });
  await written;
  await socket.close();
});

Deno.test('opened: "By default, the opened promise is marked as handled" (so is closed): a refused connect nobody awaits ends no process', async () => {
  using refused = refusedPort();
  const run = await runChild(
    `
import { connect } from "@bsdsock/socket/wintertc";
const port = Number((globalThis.Deno?.args ?? process.argv.slice(2))[0]);
const socket = connect({ hostname: "127.0.0.1", port });
await new Promise((r) => setTimeout(r, 300));
console.log(JSON.stringify({ done: true }));
`,
    { args: [String(refused.port)] },
  );
  assertEquals([run.code, jsonLines(run)], [0, [{ done: true }]], run.stderr);
});

Deno.test('closed: resolved when "the close() method is called on the socket"; close() "returns the same promise as the closed attribute"', async () => {
  await using server = await wintertcPeer("plain");
  const socket = connect({ hostname: "127.0.0.1", port: server.port });
  await socket.opened;
  await server.accepted();
  assertEquals(await stateAfter(socket.closed), "pending");
  const closing = socket.close();
  assertStrictEquals(closing, socket.closed);
  await closing;
  assertStrictEquals(socket.close(), socket.closed, "a second close() too");
  assertEquals(await server.ask("read_eof"), { eof: true, data: "" });
});

for (const backend of BACKENDS) {
  Deno.test(`[${backend}] allowHalfOpen false: "The WritableStream- and the socket instance- will be automatically closed when a FIN packet is received"`, async () => {
    await using server = await wintertcPeer("plain");
    const socket = connect(`127.0.0.1:${server.port}`, { backend });
    await socket.opened;
    await server.accepted();
    const writer = socket.writable.getWriter();
    await writer.write("before the FIN\n");
    await server.ask("send", { data: "bye" });
    await server.ask("fin");
    // The draft's note: while readable is not read, the FIN goes unseen.
    assertEquals(await stateAfter(socket.closed, 100), "pending");
    assertEquals(await readAll(socket), "bye");
    await socket.closed;
    // python3 reads what was written, then this side's FIN.
    assertEquals(await server.ask("read_eof"), { eof: true, data: "before the FIN\n" });
    await assertRejects(() => writer.write("after"), SocketError);
    await assertRejects(() => writer.closed, SocketError);
  });

  Deno.test(`[${backend}] allowHalfOpen true: "the ReadableStream is closed but the WritableStream can still be written to"`, async () => {
    await using server = await wintertcPeer("plain");
    const socket = connect(`127.0.0.1:${server.port}`, { backend, allowHalfOpen: true });
    await socket.opened;
    await server.accepted();
    await server.ask("send", { data: "half" });
    await server.ask("fin");
    assertEquals(await readAll(socket), "half");
    const writer = socket.writable.getWriter();
    await writer.write("still writing");
    await writer.close();
    assertEquals(await server.ask("read_eof"), { eof: true, data: "still writing" });
    assertEquals(await stateAfter(socket.closed, 100), "pending", "only close() resolves it");
    await socket.close();
  });
}

Deno.test("closed: resolved when, with allowHalfOpen false, the readable is read and the remote connection sends a RST", async () => {
  await using server = await wintertcPeer("plain");
  const socket = connect(`127.0.0.1:${server.port}`);
  await socket.opened;
  await server.accepted();
  const reader = socket.readable.getReader();
  const read = reader.read();
  read.catch(() => {}); // rejects while python3 answers
  await server.ask("rst");
  const err = await assertRejects(() => read, SocketError);
  assertEquals((err.cause as KernelError).code, "ECONNRESET");
  await socket.closed;
});

Deno.test("half-open the other way: closing writable sends FIN, readable still receives, and closed stays pending until the peer's FIN", async () => {
  await using server = await wintertcPeer("plain");
  const socket = connect(`127.0.0.1:${server.port}`);
  await socket.opened;
  await server.accepted();
  await socket.writable.close();
  assertEquals(await server.ask("read_eof"), { eof: true, data: "" });
  assertEquals(await stateAfter(socket.closed, 100), "pending");
  await server.ask("send", { data: "reply after your FIN" });
  await server.ask("close");
  assertEquals(await readAll(socket), "reply after your FIN");
  await socket.closed;
});

for (const allowHalfOpen of [false, true]) {
  Deno.test(`closed (allowHalfOpen ${allowHalfOpen}): "Cancelling the socket's ReadableStream and closing the socket's WritableStream does not resolve the closed promise"`, async () => {
    await using server = await wintertcPeer("plain");
    const socket = connect(`127.0.0.1:${server.port}`, { allowHalfOpen });
    await socket.opened;
    await server.accepted();
    await socket.readable.cancel();
    await socket.writable.close();
    assertEquals(await server.ask("read_eof"), { eof: true, data: "" });
    assertEquals(await stateAfter(socket.closed, 100), "pending");
    await socket.close();
  });
}

for (const backend of BACKENDS) {
  Deno.test(`[${backend}] close(): "If the opened promise is still pending, it will be rejected with the reason" (a connect under way)`, async () => {
    await using server = await wintertcPeer("backlog");
    const socket = connect({ hostname: "127.0.0.1", port: server.port }, { backend });
    assertEquals(await stateAfter(socket.opened, 100), "pending");
    const reason = new Error("gave up");
    await socket.close(reason);
    assertStrictEquals(await socket.opened.catch((e) => e), reason);
    await server.peer.write({ op: "quit" });
  });
}

Deno.test("close() while connecting, without a reason: opened rejects with a SocketError, closed resolves, nothing is left open", async () => {
  await using server = await wintertcPeer("plain");
  const socket = connect({ hostname: "localhost", port: server.port });
  await socket.close();
  const err = await assertRejects(() => socket.opened, SocketError);
  assertMatch(err.message, /closed before it opened/);
  await socket.closed;
  // Let a connection that got through meanwhile be closed again (the descriptor count sees it).
  await delay(50);
});

Deno.test('close(reason): "the ReadableStream and WritableStream … will be canceled and aborted … the reason will be passed on to both"', async () => {
  await using server = await wintertcPeer("plain");
  const socket = connect(`127.0.0.1:${server.port}`);
  await socket.opened;
  await server.accepted();
  const reader = socket.readable.getReader();
  const writer = socket.writable.getWriter();
  const read = reader.read(); // nothing comes: pending
  const reason = new Error("done with it");
  await socket.close(reason);
  assertStrictEquals(await read.catch((e) => e), reason);
  assertStrictEquals(await writer.write("late").catch((e) => e), reason);
  assertStrictEquals(await writer.closed.catch((e) => e), reason);
  assertStrictEquals(await reader.closed.catch((e) => e), reason);
  assertEquals(await server.ask("read_eof"), { eof: true, data: "" });
});

Deno.test("close() without a reason: a pending read ends (done), a write rejects with a SocketError", async () => {
  await using server = await wintertcPeer("plain");
  const socket = connect(`127.0.0.1:${server.port}`);
  await socket.opened;
  await server.accepted();
  const reader = socket.readable.getReader();
  const read = reader.read();
  await socket.close();
  assertEquals(await read, { value: undefined, done: true });
  await assertRejects(() => socket.writable.getWriter().write(utf8("late")), SocketError);
});

Deno.test("Code written for Workers: the README's client runs unchanged in a process of this runtime", async () => {
  await using server = await wintertcPeer("plain");
  const child = runChild(README_CLIENT.replace("port: 6379", `port: ${server.port}`));
  await server.accepted();
  assertEquals(await server.ask("line"), { line: "PING\r\n" });
  await server.ask("send", { data: "+PONG\r\n" });
  const run = await child;
  assertEquals([run.code, run.stdout], [0, "+PONG\r\n\n"], run.stderr);
  assertEquals(await server.ask("read_eof"), { eof: true, data: "" });
});

Deno.test("descriptors: none left open by the Sockets API tests", fds.assertUnchanged);
