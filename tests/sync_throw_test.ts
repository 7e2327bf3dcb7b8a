/**
 * A method that returns a Promise never throws: every promise-returning call of
 * the package (Socket's, stream.connect, sendFds/recvFds, the datagram module's
 * iterator and sendDatagrams)
 * × every class of bad argument × both backends returns a promise, and that
 * promise rejects with the error the check gives (TypeError, RangeError, or
 * SocketError EBADF on a closed socket). tests/ffi_bad_input_test.ts checks the
 * messages of the same misuses and that none reaches the kernel; this file
 * checks how they are delivered.
 *
 * @module
 */
import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { SocketError } from "../errno/mod.ts";
import { socket } from "../socket/create.ts";
import type { Socket } from "../socket/socket.ts";
import { recvFds, sendFds } from "../socket/fds.ts";
import { connect as streamConnect } from "../socket/stream.ts";
import { datagrams, sendDatagrams } from "../socket/datagram.ts";
import { type Backend, fdLedger, tcpListener, udpSocket } from "./_helpers.ts";
import { detached } from "./fixtures/bad_input_cases.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first sync-throw test", fds.start);

// deno-lint-ignore no-explicit-any
type Any = any;

/** The sockets a call is made on: a bound UDP socket, a listener, a fresh TCP socket, a closed one. */
interface Ctx {
  udp: Socket;
  listener: Socket;
  tcp: Socket;
  closed: Socket;
}

/** One argument slot of a call, filled with a good value unless the case replaces it. */
interface Args {
  sock: Socket;
  buf: unknown;
  flags: unknown;
  opts: unknown;
  /** recvmsg's `ancillarySize`. */
  ancillarySize?: unknown;
  /** recvmsg/sendmsg's buffer list. */
  bufs?: unknown;
  /** sendFds' descriptors. */
  fds?: unknown;
  /** stream.connect's address. */
  addr?: unknown;
}

/** A promise-returning call, with the slots it has. */
interface Method {
  name: string;
  /** Which socket it is made on. */
  on: keyof Omit<Ctx, "closed">;
  /** The argument slots it takes: a case applies only where the method has its slot. */
  slots: ReadonlySet<string>;
  call: (a: Args, ctx: Ctx) => unknown;
}

const S = (...names: string[]) => new Set(["sock", ...names]);
const dest = (ctx: Ctx) => ctx.udp.getsockname();

const METHODS: Method[] = [
  {
    name: "send",
    on: "udp",
    slots: S("buf", "flags", "opts"),
    call: (a) => a.sock.send(a.buf as Any, a.flags as Any, a.opts as Any),
  },
  {
    name: "sendAll",
    on: "udp",
    slots: S("buf", "flags", "opts"),
    call: (a) => a.sock.sendAll(a.buf as Any, a.flags as Any, a.opts as Any),
  },
  {
    name: "recv",
    on: "udp",
    slots: S("buf", "flags", "opts"),
    call: (a) => a.sock.recv(a.buf as Any, a.flags as Any, a.opts as Any),
  },
  {
    name: "recvfrom",
    on: "udp",
    slots: S("buf", "flags", "opts"),
    call: (a) => a.sock.recvfrom(a.buf as Any, a.flags as Any, a.opts as Any),
  },
  {
    name: "sendto",
    on: "udp",
    slots: S("buf", "flags", "opts"),
    call: (a, c) => a.sock.sendto(a.buf as Any, dest(c), a.flags as Any, a.opts as Any),
  },
  {
    name: "sendmsg",
    on: "udp",
    slots: S("buf", "bufs", "flags", "opts"),
    call: (a, c) => a.sock.sendmsg(a.bufs as Any ?? [a.buf], optsWith(a, { addr: dest(c) })),
  },
  {
    name: "recvmsg",
    on: "udp",
    slots: S("buf", "bufs", "flags", "opts", "ancillarySize"),
    call: (a) =>
      a.sock.recvmsg(a.bufs as Any ?? [a.buf], optsWith(a, { ancillarySize: a.ancillarySize })),
  },
  {
    name: "sendmmsg",
    on: "udp",
    slots: S("buf", "bufs", "flags", "opts"),
    call: (a, c) =>
      a.sock.sendmmsg(
        [{ buffers: a.bufs as Any ?? [a.buf], addr: dest(c) }],
        a.flags as Any,
        a.opts as Any,
      ),
  },
  {
    name: "recvmmsg",
    on: "udp",
    slots: S("buf", "bufs", "flags", "opts"),
    call: (a) => a.sock.recvmmsg(a.bufs as Any ?? [a.buf], a.flags as Any, a.opts as Any),
  },
  { name: "accept", on: "listener", slots: S("opts"), call: (a) => a.sock.accept(a.opts as Any) },
  {
    name: "connect",
    on: "tcp",
    slots: S("opts"),
    call: (a, c) => a.sock.connect(c.listener.getsockname(), a.opts as Any),
  },
  {
    name: "sendFds",
    on: "udp",
    slots: S("buf", "opts", "fds"),
    call: (a) => sendFds(a.sock, a.buf as Any, a.fds as Any ?? [0], a.opts as Any),
  },
  {
    name: "recvFds",
    on: "udp",
    slots: S("buf", "opts"),
    call: (a) => recvFds(a.sock, a.buf as Any, 1, a.opts as Any),
  },
  {
    name: "stream.connect",
    on: "listener",
    slots: new Set(["opts", "addr"]),
    call: (a, c) => streamConnect(a.addr as Any ?? c.listener.getsockname(), a.opts as Any),
  },
  {
    name: "sendDatagrams",
    on: "udp",
    slots: S("buf", "opts"),
    call: (a, c) =>
      sendDatagrams(a.sock, [{ buffers: [a.buf as Any], addr: dest(c) }], a.opts as Any),
  },
  {
    name: "datagrams().next",
    on: "udp",
    // Its one argument, maxSize, is checked as flags are; on a closed socket it ends (done).
    slots: new Set(["flags"]),
    call: (a) => datagrams(a.sock, a.flags === GOOD_FLAGS ? undefined : a.flags as Any).next(),
  },
];

/** Folds `flags` into an options bag when `opts` is an object; a bad `opts` goes as it is. */
function optsWith(a: Args, extra: Record<string, unknown>): Any {
  if (a.opts === null || typeof a.opts !== "object") return a.opts;
  return { ...extra, ...(a.opts as object), flags: a.flags };
}

const GOOD_FLAGS = 0;
// A short timeout: should a bad argument slip through, the call fails instead of waiting.
const GOOD_OPTS = Object.freeze({ timeout: 50 });

type ErrorClass = "TypeError" | "RangeError" | "EBADF";

/** One class of bad argument: which slot, what goes in it, what it must reject with. */
interface BadArg {
  what: string;
  slot: string;
  value?: () => unknown;
  expect: ErrorClass;
}

const BAD: BadArg[] = [
  { what: "a closed socket", slot: "sock", expect: "EBADF" },
  { what: "a string buffer", slot: "buf", value: () => "abc", expect: "TypeError" },
  { what: "a null buffer", slot: "buf", value: () => null, expect: "TypeError" },
  { what: "a number buffer", slot: "buf", value: () => 5, expect: "TypeError" },
  { what: "a detached buffer", slot: "buf", value: () => detached(), expect: "TypeError" },
  { what: 'flags "x"', slot: "flags", value: () => "x", expect: "TypeError" },
  { what: "flags 1.5", slot: "flags", value: () => 1.5, expect: "RangeError" },
  { what: "flags 2**33", slot: "flags", value: () => 2 ** 33, expect: "RangeError" },
  { what: "flags NaN", slot: "flags", value: () => NaN, expect: "RangeError" },
  { what: "options 5", slot: "opts", value: () => 5, expect: "TypeError" },
  { what: "options null", slot: "opts", value: () => null, expect: "TypeError" },
  { what: 'signal "x"', slot: "opts", value: () => ({ signal: "x" }), expect: "TypeError" },
  { what: "timeout -1", slot: "opts", value: () => ({ timeout: -1 }), expect: "RangeError" },
  { what: "timeout NaN", slot: "opts", value: () => ({ timeout: NaN }), expect: "RangeError" },
  { what: "timeout 2^31", slot: "opts", value: () => ({ timeout: 2 ** 31 }), expect: "RangeError" },
  { what: "ancillarySize -1", slot: "ancillarySize", value: () => -1, expect: "RangeError" },
  { what: "ancillarySize 1e9", slot: "ancillarySize", value: () => 1e9, expect: "RangeError" },
  { what: 'ancillarySize "x"', slot: "ancillarySize", value: () => "x", expect: "TypeError" },
  {
    what: "1,025 buffers",
    slot: "bufs",
    value: () => Array.from({ length: 1025 }, () => new Uint8Array(1)),
    expect: "RangeError",
  },
  { what: "fds that is not an array", slot: "fds", value: () => 0, expect: "TypeError" },
  { what: "fds holding -1", slot: "fds", value: () => [-1], expect: "RangeError" },
  {
    what: "hostname 5",
    slot: "addr",
    value: () => ({ hostname: 5, port: 80 }),
    expect: "TypeError",
  },
];

async function ctxOf(backend: Backend): Promise<Ctx & Disposable> {
  const udp = udpSocket("inet", backend);
  const listener = tcpListener("inet", 16, backend);
  const tcp = socket(C.AF_INET, C.SOCK_STREAM, 0, { backend });
  const closed = socket(C.AF_INET, C.SOCK_DGRAM, 0, { backend });
  closed.close();
  await Promise.resolve();
  return {
    udp,
    listener,
    tcp,
    closed,
    [Symbol.dispose]() {
      for (const s of [udp, listener, tcp]) s.close();
    },
  };
}

/** What `p` rejects with (`undefined` if it resolves); an Error saying so if it waits over a second. */
async function settled(p: Promise<unknown>, label: string): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((r) => {
    timer = setTimeout(() => r(new Error(`${label}: did not settle within 1 s`)), 1000);
  });
  try {
    return await Promise.race([p.then(() => undefined, (e) => e), late]);
  } finally {
    clearTimeout(timer);
  }
}

function check(err: unknown, expect: ErrorClass, label: string): void {
  if (expect === "EBADF") {
    assertInstanceOf(err, SocketError, `${label}: ${err}`);
    assertEquals(err.code, "EBADF", label);
  } else {
    assertInstanceOf(err, Error, `${label}: ${err}`);
    assertEquals(err.name, expect, `${label}: ${err}`);
  }
}

for (const backend of ["ffi", "native"] as const) {
  Deno.test(`[${backend}] every promise-returning call rejects, never throws, on every bad argument`, async () => {
    using ctx = await ctxOf(backend);
    const failures: string[] = [];
    let cases = 0;
    for (const m of METHODS) {
      for (const bad of BAD) {
        if (!m.slots.has(bad.slot)) continue;
        cases++;
        const label = `${m.name} with ${bad.what}`;
        const args: Args = {
          sock: bad.slot === "sock" ? ctx.closed : ctx[m.on],
          buf: new Uint8Array(4),
          flags: GOOD_FLAGS,
          opts: GOOD_OPTS,
        };
        if (bad.slot !== "sock") {
          (args as unknown as Record<string, unknown>)[bad.slot] = bad.value!();
        }
        let p: unknown;
        try {
          p = m.call(args, ctx);
        } catch (err) {
          failures.push(
            `${label}: threw synchronously ${(err as Error)?.name}: ${(err as Error)?.message}`,
          );
          continue;
        }
        if (!(p instanceof Promise)) {
          failures.push(`${label}: returned ${String(p)}, not a promise`);
          continue;
        }
        const err = await settled(p, label);
        try {
          assert(err !== undefined, `${label}: resolved`);
          check(err, bad.expect, label);
        } catch (e) {
          failures.push((e as Error).message.split("\n")[0]);
        }
      }
    }
    assertEquals(failures, [], `${failures.length} of ${cases} cases`);
    assert(cases > 80, `the matrix ran ${cases} cases`);
  });
}

Deno.test("sendFds() and recvFds() refuse bad options as send() does", async () => {
  using udp = udpSocket("inet", "ffi");
  for (const opts of [5, null, "x"]) {
    for (
      const call of [
        () => udp.send(new Uint8Array(1), 0, opts as Any),
        () => sendFds(udp, new Uint8Array(1), [0], opts as Any),
        () => recvFds(udp, new Uint8Array(1), 1, opts as Any),
      ]
    ) {
      const err = await call().then(() => undefined, (e) => e);
      assertInstanceOf(err, TypeError);
      assertEquals(err.message, `options must be an object, got ${opts === "x" ? '"x"' : opts}`);
    }
  }
});

Deno.test("descriptors: none left open by the sync-throw tests", fds.assertUnchanged);
