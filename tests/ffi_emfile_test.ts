/**
 * The ffi backend at the descriptor limit, seen from subprocesses under
 * `prlimit --nofile`: an accept loop that retries on EMFILE lets timers run
 * and serves again once descriptors are freed, and a call that needs no
 * descriptor of its own (connect) works with the table full, because the
 * reactor's epoll descriptor is made before the first socket and kept. In this
 * process: the epoll descriptor outlives every socket, and a script with an
 * idle socket still exits on its own.
 *
 * @module
 */
import { assert, assertEquals, assertGreaterOrEqual } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { socketpair } from "../socket/create.ts";
import { fdLedger, openFds, runDeno } from "./_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first EMFILE test", fds.start);

const LIMIT = 64;
const PRLIMIT = ["prlimit", `--nofile=${LIMIT}:${LIMIT}`];

/** Fills the descriptor table with ffi datagram sockets; `filler` holds them. */
const FILL = `
const filler = [];
for (;;) {
  try {
    filler.push(socket(C.AF_INET, C.SOCK_DGRAM, 0, ffi));
  } catch (err) {
    if (err.code !== "EMFILE") throw err;
    break;
  }
}
`;

Deno.test("an accept() loop that retries on EMFILE lets timers run, and accepts once a timer frees descriptors", async () => {
  const source = `
    import { linux as C, socket } from "@bsdsock/socket";
    const ffi = { backend: "ffi" };
    const server = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
    server.bind({ hostname: "127.0.0.1", port: 0 });
    server.listen(8);
    const client = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
    // One parked call first, so the table runs out for the accept loop alone.
    await server.accept({ timeout: 1 }).catch(() => {});
    ${FILL}
    const held = filler.length;
    await client.connect(server.getsockname(), { timeout: 3000 }); // queued: no descriptor for it
    let ticks = 0;
    let freedAt = -1;
    const tick = setInterval(() => {
      if (++ticks === 5) {
        for (const s of filler.splice(0)) s.close();
        freedAt = ticks;
      }
    }, 50);
    const started = performance.now();
    const codes = new Set();
    let failures = 0;
    let accepted = false;
    while (performance.now() - started < 3000) {
      try {
        const [conn] = await server.accept();
        conn.close();
        accepted = true;
        break;
      } catch (err) {
        failures++;
        codes.add(err.code);
      }
    }
    const ms = Math.round(performance.now() - started);
    clearInterval(tick);
    console.log(JSON.stringify({ held, accepted, failures, codes: [...codes], ticks, freedAt, ms }));
    Deno.exit(0);
  `;
  const r = await runDeno(source, ["-A"], { wrapper: PRLIMIT, timeout: 20_000 });
  assertEquals(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim());
  assert(out.held > 0, `the child filled its table (${out.held} sockets)`);
  assertEquals(out.codes, ["EMFILE"], "every failed accept() rejected with SocketError EMFILE");
  assert(out.failures > 0, "accept() failed while the table was full");
  assertEquals(out.freedAt, 5, `the timer ran while the loop retried: ${r.stdout}`);
  assert(
    out.accepted,
    `the queued connection was accepted once descriptors were free: ${r.stdout}`,
  );
  // Freed at the 5th tick of 50 ms: a loop that let the event loop run gets there in ~250 ms.
  assert(out.ms < 1500, `accepted after ${out.ms} ms`);
  // The loop retried through macrotasks, not millions of microtasks.
  assert(out.failures < 10_000, `${out.failures} retries`);
});

Deno.test("connect() with the descriptor table full works: the epoll descriptor exists before the first socket", async () => {
  const source = `
    import { linux as C, socket } from "@bsdsock/socket";
    const ffi = { backend: "ffi" };
    const server = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
    server.bind({ hostname: "127.0.0.1", port: 0 });
    server.listen(8);
    const client = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
    // No call has parked yet, and none will until the table is full.
    ${FILL}
    const out = { held: filler.length };
    try {
      await client.connect(server.getsockname(), { timeout: 3000 });
      out.connect = "OK";
    } catch (err) {
      out.connect = err.message;
    }
    // With the table still full, a parked recv() times out as it should.
    out.recv = await client.recv(new Uint8Array(1), 0, { timeout: 20 }).catch((e) => e.code);
    filler.pop().close();
    const [conn] = await server.accept({ timeout: 3000 });
    out.accepted = conn.getpeername().port === client.getsockname().port;
    console.log(JSON.stringify(out));
    Deno.exit(0);
  `;
  const r = await runDeno(source, ["-A"], { wrapper: PRLIMIT });
  assertEquals(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim());
  assert(out.held > 0, `the child filled its table (${out.held} sockets)`);
  assertEquals(
    { connect: out.connect, recv: out.recv, accepted: out.accepted },
    { connect: "OK", recv: "ETIMEDOUT", accepted: true },
  );
});

/** Descriptors of this process that are epoll instances. */
function epollFds(): number[] {
  return [...openFds()].filter(([, what]) => what === "anon_inode:[eventpoll]").map(([fd]) => fd);
}

Deno.test("the reactor's epoll descriptor stays open when no ffi socket is left", async () => {
  const before = epollFds();
  assertGreaterOrEqual(before.length, 1, "made with the first ffi socket of the process");
  const [a, b] = socketpair(C.AF_UNIX, C.SOCK_STREAM, 0, { backend: "ffi" });
  await a.recv(new Uint8Array(1), 0, { timeout: 1 }).catch(() => {});
  a.close();
  b.close();
  assertEquals(epollFds(), before, "the same epoll descriptor, kept");
});

Deno.test("a script with an idle ffi socket, and one whose call timed out, exits on its own", async () => {
  const run = await runDeno(
    `
import { linux as C, socket, socketpair } from "@bsdsock/socket";
const idle = socket(C.AF_INET, C.SOCK_DGRAM, 0, { backend: "ffi" });
const [a, b] = socketpair(C.AF_UNIX, C.SOCK_STREAM, 0, { backend: "ffi" });
console.log(await a.recv(new Uint8Array(1), 0, { timeout: 50 }).catch((e) => e.code));
console.log(idle.fd >= 0 && b.fd >= 0);
`,
    ["--allow-ffi"],
    { timeout: 5000 }, // a child that never exits is killed then
  );
  assertEquals([run.code, run.stdout.trim()], [0, "ETIMEDOUT\ntrue"], run.stderr);
});

Deno.test("descriptors: none left open by the EMFILE tests", fds.assertUnchanged);
