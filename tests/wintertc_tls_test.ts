/**
 * The WinterTC Sockets API draft's TLS clauses (`secureTransport` `"on"` and
 * `"starttls"`, `startTls()`, `alpn`, `sni`), each test named after its clause,
 * against python3's `ssl` server (tests/py/wintertc_peer.py) holding a
 * certificate the file makes with openssl. Where the handshake must succeed,
 * the client runs in a child process of this runtime that trusts the test's
 * authority (`DENO_CERT` on Deno, `NODE_EXTRA_CA_CERTS` on Node and Bun); in
 * this process the authority is unknown, which is what the default-CAs clause
 * checks.
 *
 * @module
 */
import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "@std/assert";
import { connect, SocketError } from "../wintertc/mod.ts";
import { fdLedger } from "./_helpers.ts";
import {
  type Certs,
  type Handshake,
  jsonLines,
  makeCerts,
  runChild,
  stateAfter,
  wintertcPeer,
} from "./_wintertc_helpers.ts";

const fds = fdLedger();
let certs: Certs | undefined;
Deno.test("descriptors: counted before the first Sockets API TLS test; the test CA made", async () => {
  await fds.start();
  certs = await makeCerts();
});

/** The test's certificates (made by the first test). */
function theCerts(): Certs {
  if (certs === undefined) throw new Error("The first test makes the certificates");
  return certs;
}

/** The child's first lines: the module, its arguments, and a JSON printer. */
const PRELUDE = `
import { connect } from "@bsdsock/socket/wintertc";
const args = globalThis.Deno?.args ?? process.argv.slice(2);
const say = (fields) => console.log(JSON.stringify(fields));
const port = Number(args[0]);
`;

Deno.test('secureTransport "on": "A TLS connection is established using default CAs": a certificate they do not vouch for is refused', async () => {
  await using server = await wintertcPeer("tls", { certs: theCerts() });
  const socket = connect({ hostname: "localhost", port: server.port }, { secureTransport: "on" });
  const err = await assertRejects(() => socket.opened, SocketError);
  assertMatch(err.message, /^SocketError: .*certificate/i);
  assert(err.cause instanceof Error, "the runtime's TLS error is the cause");
  await assertRejects(() => socket.closed, SocketError);
  const { handshake } = await server.accepted();
  assert(handshake.tls_error, JSON.stringify(handshake));
});

Deno.test('secureTransport "on", with the CA trusted (DENO_CERT / NODE_EXTRA_CA_CERTS): opened resolves after the handshake and bytes go both ways over TLS, on ffi and native', async () => {
  const c = theCerts();
  await using server = await wintertcPeer("tls", { certs: c, conns: 2 });
  const child = runChild(
    PRELUDE + `
for (const backend of ["ffi", "native"]) {
  const socket = connect({ hostname: "localhost", port }, { secureTransport: "on", backend });
  const info = await socket.opened;
  const writer = socket.writable.getWriter();
  await writer.write("secret words");
  await writer.close();
  const echo = await new Response(socket.readable).text();
  await socket.closed;
  say({ backend, info, echo, secureTransport: socket.secureTransport, upgraded: socket.upgraded });
}
`,
    { args: [String(server.port)], ca: c.ca },
  );
  const seen: { client: [string, number]; handshake: Handshake; received: unknown }[] = [];
  for (let i = 0; i < 2; i++) {
    const { client, handshake } = await server.accepted();
    seen.push({ client, handshake, received: await server.ask("echo") });
    await server.peer.write({ op: "next" });
  }
  const run = await child;
  assertEquals(run.code, 0, run.stderr);
  const lines = jsonLines<{ info: { localAddress: string } }>(run);
  assertEquals(lines.map((l, i) => ({ ...l, client: seen[i].client })), [
    ...["ffi", "native"].map((backend, i) => ({
      backend,
      info: {
        remoteAddress: `127.0.0.1:${server.port}`,
        localAddress: `127.0.0.1:${seen[i].client[1]}`,
        alpn: null,
      },
      echo: "secret words",
      secureTransport: "on",
      upgraded: false,
      client: seen[i].client,
    })),
  ]);
  for (const s of seen) {
    assertEquals(s.handshake, { tls: "TLSv1.3", sni: "localhost", alpn: null });
    assertEquals(s.received, { received: "secret words".length });
  }
});

Deno.test('opened: "For sockets which use secure-transport, the resolution of the opened promise indicates the completion of the secure handshake" (close() while it waits)', async () => {
  await using server = await wintertcPeer("stall");
  const socket = connect(`127.0.0.1:${server.port}`, { secureTransport: "on" });
  await server.accepted(); // the TCP connection is made; the server never answers the hello
  assertEquals(await stateAfter(socket.opened, 200), "pending");
  const reason = new Error("no handshake");
  await socket.close(reason);
  assertEquals(await socket.opened.catch((e) => e), reason);
  await server.peer.write({ op: "next" });
});

Deno.test('alpn: "If the server agrees with one of the protocols specified in this list, it will return the matching protocol in the info property", else null', async () => {
  const c = theCerts();
  await using server = await wintertcPeer("tls", { certs: c, alpn: ["h2", "redis"], conns: 2 });
  const child = runChild(
    PRELUDE + `
for (const alpn of [["x-unknown", "redis"], ["x-unknown"]]) {
  const socket = connect({ hostname: "localhost", port }, { secureTransport: "on", alpn });
  say({ offered: alpn, alpn: (await socket.opened).alpn });
  await socket.close();
}
`,
    { args: [String(server.port)], ca: c.ca },
  );
  const agreed: (string | null)[] = [];
  for (let i = 0; i < 2; i++) {
    agreed.push((await server.accepted()).handshake.alpn);
    await server.peer.write({ op: "next" });
  }
  const run = await child;
  assertEquals(run.code, 0, run.stderr);
  assertEquals(jsonLines(run), [
    { offered: ["x-unknown", "redis"], alpn: "redis" },
    { offered: ["x-unknown"], alpn: null },
  ]);
  assertEquals(agreed, ["redis", null], "what python3's server agreed to");
});

Deno.test('sni: "The Server Name Indication TLS option to send as part of the TLS handshake"; the certificate must carry that name', async () => {
  const c = theCerts();
  await using server = await wintertcPeer("tls", { certs: c, conns: 4 });
  const child = runChild(
    PRELUDE + `
const cases = [
  ["127.0.0.1", "alt.test"],   // the option is sent, and checked against the certificate
  ["localhost", null],         // without it: the hostname
  ["127.0.0.1", null],         // an IP literal is never sent (RFC 6066); the IP is checked
  ["127.0.0.1", "wrong.test"], // a name the certificate does not carry: refused
];
for (const [hostname, sni] of cases) {
  const socket = connect({ hostname, port }, { secureTransport: "on", sni });
  const opened = await socket.opened.then(() => "opened", (e) => e.constructor.name);
  say({ hostname, sni, opened });
  await socket.close().catch(() => {}); // close() returns closed: rejected when opening failed
}
`,
    { args: [String(server.port)], ca: c.ca },
  );
  const sent: (string | null)[] = [];
  for (let i = 0; i < 4; i++) {
    const { handshake } = await server.accepted();
    sent.push(handshake.tls_error ? "refused" : handshake.sni);
    if (!handshake.tls_error) await server.peer.write({ op: "next" });
  }
  const run = await child;
  assertEquals(run.code, 0, run.stderr);
  assertEquals(jsonLines(run), [
    { hostname: "127.0.0.1", sni: "alt.test", opened: "opened" },
    { hostname: "localhost", sni: null, opened: "opened" },
    { hostname: "127.0.0.1", sni: null, opened: "opened" },
    { hostname: "127.0.0.1", sni: "wrong.test", opened: "SocketError" },
  ]);
  assertEquals(sent, ["alt.test", "localhost", null, "refused"], "the names python3's server saw");
});

Deno.test('startTls(): "the original socket is closed, though the original connection is kept alive; a secure TLS connection is established over that connection; a new socket is created and returned"', async () => {
  const c = theCerts();
  await using server = await wintertcPeer("starttls", { certs: c, alpn: ["redis"] });
  const child = runChild(
    PRELUDE + `
const socket = connect({ hostname: "localhost", port }, { secureTransport: "starttls", alpn: ["redis"] });
const plain = await socket.opened;
const writer = socket.writable.getWriter();
await writer.write("STARTTLS\\r\\n");
const reader = socket.readable.getReader();
let reply = "";
while (!reply.endsWith("\\n")) reply += new TextDecoder().decode((await reader.read()).value);
reader.releaseLock();
writer.releaseLock();
const tls = socket.startTls();
say({ reply, plain, kinds: [socket.secureTransport, tls.secureTransport], upgraded: [socket.upgraded, tls.upgraded] });
await socket.closed;
const info = await tls.opened;
say({ upgraded: socket.upgraded, info });
const w = tls.writable.getWriter();
await w.write("after the upgrade");
await w.close();
say({ echo: await new Response(tls.readable).text() });
await tls.closed;
`,
    { args: [String(server.port)], ca: c.ca },
  );
  const { client, handshake } = await server.accepted();
  assertEquals(handshake, { tls: "TLSv1.3", sni: "localhost", alpn: "redis" });
  assertEquals(await server.ask("echo"), { received: "after the upgrade".length });
  const run = await child;
  assertEquals(run.code, 0, run.stderr);
  const here = `127.0.0.1:${client[1]}`;
  const there = `127.0.0.1:${server.port}`;
  assertEquals(jsonLines(run), [
    {
      reply: "220 go\r\n",
      plain: { remoteAddress: there, localAddress: here, alpn: null },
      kinds: ["starttls", "on"],
      upgraded: [false, false],
    },
    // The same connection (python3 saw one client, at this address) now speaks TLS.
    { upgraded: true, info: { remoteAddress: there, localAddress: here, alpn: "redis" } },
    { echo: "after the upgrade" },
  ]);
});

for (const backend of ["ffi", "native"]) {
  Deno.test(`[${backend}] startTls(): "The original readers and writers based off the original socket will no longer work"; a read in flight there does not take the handshake's bytes`, async () => {
    const c = theCerts();
    await using server = await wintertcPeer("starttls", { certs: c });
    const child = runChild(
      PRELUDE + `
const socket = connect({ hostname: "localhost", port }, { secureTransport: "starttls", backend: args[1] });
const writer = socket.writable.getWriter();
await writer.write("STARTTLS\\r\\n");
const reader = socket.readable.getReader();
let reply = "";
while (!reply.endsWith("\\n")) reply += new TextDecoder().decode((await reader.read()).value);
// A driver's read loop: a read is in flight when the reader is released for the upgrade.
const inFlight = reader.read().then(() => "resolved", (e) => e.constructor.name);
reader.releaseLock();
const tls = socket.startTls();
const oldWrite = await writer.write("plain text after startTls").then(() => "sent", (e) => e.constructor.name);
await socket.closed;
const oldRead = await socket.readable.getReader().read().then(() => "read", (e) => e.constructor.name);
await tls.opened;
const w = tls.writable.getWriter();
await w.write("fine");
await w.close();
say({ inFlight: await inFlight, oldWrite, oldRead, echo: await new Response(tls.readable).text() });
`,
      { args: [String(server.port), backend], ca: c.ca },
    );
    const { handshake } = await server.accepted();
    assertEquals(handshake.tls, "TLSv1.3", JSON.stringify(handshake));
    assertEquals(await server.ask("echo"), { received: 4 });
    const run = await child;
    assertEquals(run.code, 0, run.stderr);
    assertEquals(jsonLines(run), [{
      inFlight: "TypeError", // released with the reader, as the streams standard says
      oldWrite: "SocketError",
      oldRead: "SocketError",
      echo: "fine",
    }]);
  });
}

Deno.test('startTls(): "must fail with a SocketError if called on an existing TLS socket" or when "secureTransport … is not equal to "starttls"", and on a second call', async () => {
  await using server = await wintertcPeer("stall", { conns: 3 });
  const off = connect(`127.0.0.1:${server.port}`);
  const on = connect(`127.0.0.1:${server.port}`, { secureTransport: "on" });
  const starttls = connect(`127.0.0.1:${server.port}`, { secureTransport: "starttls" });
  assertThrows(() => off.startTls(), SocketError, 'must be "starttls"');
  assertThrows(() => on.startTls(), SocketError, "on a TLS socket");
  const upgraded = starttls.startTls();
  assertThrows(() => starttls.startTls(), SocketError, "only once");
  assertThrows(() => upgraded.startTls(), SocketError, "on a TLS socket");
  await Promise.all([off.opened, starttls.opened]);
  await Promise.all([off.close(), on.close(), starttls.close(), upgraded.close()]);
  await assertRejects(() => upgraded.opened, SocketError);
  for (let i = 0; i < 3; i++) {
    await server.accepted();
    await server.peer.write({ op: "next" });
  }
});

Deno.test("descriptors: none left open by the Sockets API TLS tests; the test CA removed", async () => {
  certs?.[Symbol.dispose]();
  await fds.assertUnchanged();
});
