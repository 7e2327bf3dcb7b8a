/**
 * The fuzzer's child process (spawned by tools/fuzz.ts; not part of the
 * package): random calls with random arguments on real sockets of both
 * backends, checked against the contract of API.md:
 *
 * - every promise-returning call returns a promise (never throws) and settles
 *   within 5 s;
 * - every error is a `SocketError`, `TypeError` or `RangeError` (or the reason
 *   of the call's own abort signal);
 * - once everything is closed, /proc/self/fd is back to its baseline.
 *
 * Only loopback and namespace addresses are used: 127.0.0.0/8, ::1, unix paths
 * in a private temporary directory, abstract unix names. Options that could
 * send traffic off the machine (multicast membership, binding to a device) and
 * raw or packet sockets (the fuzzer may run as root) are never made.
 *
 * Usage: `deno run -A tools/fuzz/_child.ts --seed N --calls N [--trace FILE]`.
 * The trace file gets one line per call, written before the call is made, so a
 * crash or a frozen event loop can be traced from outside. A seed fixes the
 * sequence of draws; what each call meets (data arrived or not) depends on
 * timing, so a failure is reported with the call in full.
 *
 * @module
 */
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  recvFds,
  sendFds,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  type SockAddr,
  socket,
  socketpair,
} from "../../mod.ts";
import { SocketError } from "../../errno/socket_error.ts";
import { Socket } from "../../socket/socket.ts";
import { sys } from "../../socket/ffi/mod.ts";
import {
  buffer,
  buffers,
  callOptions,
  chance,
  flags,
  int,
  level,
  LEVEL_NAMES,
  MAX_BUF,
  NAN,
  OPT_NAMES,
  optName,
  optValue,
  pick,
  random,
  resolves,
  seed,
  show,
  UNSAFE,
} from "./_values.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

// ---------------------------------------------------------------- arguments

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(Deno.args[i + 1]);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${name} needs an integer, got ${Deno.args[i + 1]}`);
  }
  return n;
}
const SEED = flag("--seed", 1);
seed(SEED);
const CALLS = flag("--calls", 1000);
const traceIdx = Deno.args.indexOf("--trace");
const TRACE_PATH = traceIdx >= 0 ? Deno.args[traceIdx + 1] : undefined;
const injectIdx = Deno.args.indexOf("--inject");
/** A fault planted at the middle call, to show the fuzzer catches its kind (tests/fuzz_test.ts). */
const INJECT = injectIdx >= 0 ? Deno.args[injectIdx + 1] : undefined;

/** Per-call limit: a promise pending longer is a hang. */
const HANG_MS = 5000;
/** A call still pending after this long (it may wait forever by design) has its socket closed. */
const REAP_MS = 1000;
const MAX_SOCKETS = 64;
const MAX_PENDING = 48;
const MAX_FAILURES = 50;

// ---------------------------------------------------------------- state

interface Entry {
  id: number;
  sock: Socket;
  /** What it was made as, for the trace. */
  kind: string;
}

const slots: (Entry | undefined)[] = new Array(MAX_SOCKETS).fill(undefined);
/** Recently closed sockets, for calls on a closed socket. */
const closed: Entry[] = [];
/** Names our own sockets were bound to (connect/sendto targets). */
const known: SockAddr[] = [];
let nextId = 0;

interface Pending {
  call: number;
  desc: string;
  start: number;
  entry?: Entry;
  reaped: boolean;
  reason?: unknown;
  done: Promise<void>;
}
const pending = new Map<number, Pending>();

const stats = {
  calls: 0,
  ok: 0,
  errors: new Map<string, number>(),
  reaped: 0,
  sockets: 0,
  fdsReceived: 0,
};
const failures: string[] = [];
/** Contract breaches outside the fuzzer's failure classes (a timeout firing early); `--strict` fails on them. */
const warnings: string[] = [];
const STRICT = Deno.args.includes("--strict");

// The parent makes the directory (and removes it, even after a crash); alone, the child does.
const tmpIdx = Deno.args.indexOf("--tmp");
const tmp = tmpIdx >= 0 ? Deno.args[tmpIdx + 1] : Deno.makeTempDirSync({ prefix: "bsdsock-fuzz-" });
const FIRST = Deno.args.includes("--first");
let pathNo = 0;
const abstractPrefix = `\0bsdsock-fuzz-${Deno.pid}-`;

const trace = TRACE_PATH
  ? Deno.openSync(TRACE_PATH, { write: true, create: true, truncate: true })
  : undefined;
const enc = new TextEncoder();

function warn(call: number, what: string, desc: string, detail: string): void {
  if (STRICT) return fail(call, what, desc, detail);
  if (warnings.length < 20) {
    console.log(`WARN seed=${SEED} call=#${call} ${what}: ${desc} -- ${detail}`);
  }
  warnings.push(what);
}

function fail(call: number, what: string, desc: string, detail: string): void {
  const line = `FAIL seed=${SEED} call=#${call} ${what}: ${desc} -- ${detail}`;
  failures.push(line);
  console.log(line);
  if (failures.length >= MAX_FAILURES) finish(1);
}

// ---------------------------------------------------------------- describing values

function sockName(e: Entry | undefined): string {
  if (!e) return "none";
  return `s${e.id}(${e.kind}${e.sock.closed ? ",closed" : ""})`;
}

// ---------------------------------------------------------------- addresses

function inetHost(): string {
  // No "localhost" here: connect() would resolve it, and an inet6 lookup of a name
  // /etc/hosts lacks may go out to DNS. bind() maps it without a lookup.
  return pick(["127.0.0.1", "127.0.0.1", `127.${int(256)}.${int(256)}.${1 + int(254)}`]);
}

function freshPath(): string {
  return `${tmp}/s${pathNo++}`;
}

/** An address: one of our own sockets' names, a fresh loopback or namespace one, or a bad one. */
function address(): unknown {
  const r = random();
  if (r < 0.5 && known.length > 0) return known[int(known.length)];
  if (r < 0.92) {
    return pick<() => unknown>([
      () => ({ hostname: inetHost(), port: 0 }),
      () => ({ family: "inet", hostname: "127.0.0.1", port: 0 }),
      () => ({ family: "inet", hostname: "127.0.0.1", port: 20000 + int(40000) }),
      () => ({ hostname: "::1", port: 0 }),
      () => ({ family: "inet6", hostname: "::1", port: 0, flowinfo: int(3), scopeId: 0 }),
      () => ({ family: "inet6", hostname: "::ffff:127.0.0.1", port: 0 }),
      () => ({ family: "unix", path: freshPath() }),
      () => ({ path: freshPath() }),
      () => ({ family: "unix", path: "" }),
      () => ({ family: "unix", path: `${abstractPrefix}${pathNo++}` }),
    ])();
  }
  return pick<() => unknown>([
    () => null,
    () => undefined,
    () => 5,
    () => "127.0.0.1:80",
    () => ({}),
    () => ({ hostname: 5, port: 0 }),
    () => ({ hostname: "127.0.0.1", port: -1 }),
    () => ({ hostname: "127.0.0.1", port: 70000 }),
    () => ({ hostname: "127.0.0.1", port: NAN }),
    () => ({ hostname: "127.0.0.1", port: "80" }),
    () => ({ hostname: "127.0.0.1" }),
    () => ({ family: "bogus", hostname: "127.0.0.1", port: 0 }),
    () => ({ family: "inet6", hostname: "127.0.0.1", port: 0 }),
    () => ({ family: "inet", hostname: "::1", port: 0 }),
    () => ({ family: "inet6", hostname: "::1", port: 0, scopeId: -1 }),
    () => ({ family: "inet6", hostname: "::1", port: 0, flowinfo: 2 ** 40 }),
    () => ({ family: "unix", path: 5 }),
    () => ({ family: "unix", path: `${tmp}/${"x".repeat(200)}` }),
    () => ({ family: "unix", path: `${tmp}/no/such/dir/s` }),
    () => ({ family: "unix", path: `${tmp}/nul\0inside` }),
    () => ({ family: "netlink", pid: 0, groups: 0 }),
    () => ({ family: "unix" }),
    () => ({ hostname: "127.0.0.1.", port: 0 }),
    () => ({ hostname: "127.1", port: 0 }),
  ])();
}

// ---------------------------------------------------------------- sockets

const DOMAINS = [AF_INET, AF_INET6, AF_UNIX];
const TYPES = [SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET];
const BAD_DOMAINS: unknown[] = [9999, -1, 46, 2 ** 32, NAN, "inet", null, 1.5];
// SOCK_RAW (3) and SOCK_PACKET (10) are left out: the fuzzer may run as root.
const BAD_TYPES: unknown[] = [0, 4, 6, 7, 99, -1, NAN, "stream", 2 ** 31, null];
const PROTOCOLS: unknown[] = [0, 0, 0, 0, 6, 17, 132, 262, 1, 58, 255, "tcp", "udp", "icmp"];
const BAD_PROTOCOLS: unknown[] = [-1, 1e6, NAN, "bogus", null, 2.5, {}];

function backendOpt(): unknown {
  if (chance(0.9)) return { backend: pick(["ffi", "native", "auto"]) };
  return pick<unknown>([undefined, {}, { backend: "bogus" }, null, 5]);
}

function freeSlot(): number {
  const i = int(MAX_SOCKETS);
  if (slots[i]) {
    retire(slots[i]!);
    slots[i] = undefined;
  }
  return i;
}

function retire(e: Entry): void {
  try {
    e.sock.close();
  } catch (err) {
    fail(stats.calls, "close threw", sockName(e), String(err));
  }
  closed.push(e);
  if (closed.length > 8) closed.shift();
}

function adopt(sock: Socket, kind: string): void {
  const i = freeSlot();
  slots[i] = { id: nextId++, sock, kind };
  stats.sockets++;
}

function anySocket(): Entry | undefined {
  if (closed.length > 0 && chance(0.04)) return pick(closed);
  for (let tries = 0; tries < 4; tries++) {
    const e = slots[int(MAX_SOCKETS)];
    if (e) return e;
  }
  const live = slots.filter((e) => e !== undefined) as Entry[];
  return live.length ? pick(live) : undefined;
}

/**
 * Whether an address is one the fuzzer may aim at: loopback, or a unix name. A
 * socket's own name may be a wildcard (`0.0.0.0`, `::` once a send autobinds it),
 * which is never bound to or sent to.
 */
function isLocal(addr: SockAddr): boolean {
  switch (addr.family) {
    case "unix":
      return addr.path === "" || addr.path.startsWith("\0") || addr.path.startsWith(`${tmp}/`);
    case "inet":
      return /^127\./.test(addr.hostname);
    case "inet6":
      return addr.hostname === "::1" || /^::ffff:127\./.test(addr.hostname);
    default:
      return false;
  }
}

function remember(addr: SockAddr): void {
  if (!isLocal(addr)) return;
  known.push(addr);
  if (known.length > 64) known.shift();
}

// ---------------------------------------------------------------- checking

function errorClass(err: unknown): string {
  if (err instanceof SocketError) return `SocketError:${err.code}`;
  if (err instanceof TypeError) return "TypeError";
  if (err instanceof RangeError) return "RangeError";
  return "";
}

function countError(key: string, call?: number, desc?: string): void {
  if (FIRST && !stats.errors.has(key)) console.log(`FIRST ${key} at #${call}: ${desc}`);
  stats.errors.set(key, (stats.errors.get(key) ?? 0) + 1);
}

/** Checks an error; `reason` is the call's own abort reason, a legitimate rejection. */
function checkError(call: number, desc: string, err: unknown, reason?: unknown): void {
  if (reason !== undefined && err === reason) {
    countError(err instanceof DOMException ? `abort:${err.name}` : "abort:reason", call, desc);
    return;
  }
  const cls = errorClass(err);
  if (cls) {
    countError(cls, call, desc);
    return;
  }
  countError(`BAD:${(err as Error)?.constructor?.name ?? typeof err}`, call, desc);
  fail(call, "wrong error class", desc, errText(err));
}

function errText(err: unknown): string {
  if (err instanceof Error) return `${err.constructor.name}: ${err.message}`;
  return `non-Error ${show(err)}`;
}

function signalOf(opts: unknown): AbortSignal | undefined {
  if (opts && typeof opts === "object" && "signal" in opts) {
    const s = (opts as { signal: unknown }).signal;
    if (s instanceof AbortSignal) return s;
  }
  return undefined;
}

function timeoutOf(opts: unknown): number | undefined {
  if (opts && typeof opts === "object" && "timeout" in opts) {
    const t = (opts as { timeout: unknown }).timeout;
    if (typeof t === "number" && t > 0 && Number.isFinite(t)) return t;
  }
  return undefined;
}

function sync(call: number, desc: string, fn: () => unknown): unknown {
  try {
    const v = fn();
    stats.ok++;
    return v;
  } catch (err) {
    checkError(call, desc, err);
    return undefined;
  }
}

function async(
  call: number,
  desc: string,
  entry: Entry | undefined,
  opts: unknown,
  fn: () => unknown,
  onValue?: (v: Any) => void,
): void {
  let p: unknown;
  try {
    p = fn();
  } catch (err) {
    fail(call, "synchronous throw from a promise-returning method", desc, errText(err));
    return;
  }
  if (!(p instanceof Promise)) {
    fail(call, "not a promise", desc, show(p));
    return;
  }
  const signal = signalOf(opts);
  const rec: Pending = {
    call,
    desc,
    start: performance.now(),
    entry,
    reaped: false,
    done: Promise.resolve(),
  };
  rec.done = p.then(
    (v) => {
      stats.ok++;
      if (onValue) {
        try {
          onValue(v);
        } catch (err) {
          fail(call, "result handling threw", desc, errText(err));
        }
      }
    },
    (err) => {
      checkError(call, desc, err, signal?.aborted ? signal.reason : undefined);
      const waited = performance.now() - rec.start;
      const limit = timeoutOf(opts);
      if (
        err instanceof SocketError && err.code === "ETIMEDOUT" && limit !== undefined &&
        waited + 5 < Math.min(limit, 60_000)
      ) {
        warn(
          call,
          "ETIMEDOUT early",
          desc,
          `after ${waited.toFixed(1)} ms of a ${limit} ms timeout`,
        );
      }
    },
  ).finally(() => pending.delete(call));
  pending.set(call, rec);
}

// ---------------------------------------------------------------- calls

type Op = [weight: number, run: (call: number) => void];

function traceLine(call: number, desc: string): void {
  if (trace) trace.writeSync(enc.encode(`#${call} ${desc}\n`));
}

function makeSocket(call: number): void {
  const valid = chance(0.9);
  const d = valid || chance(0.5) ? pick(DOMAINS) : pick(BAD_DOMAINS);
  let t: unknown = valid || chance(0.5) ? pick(TYPES) : pick(BAD_TYPES);
  if (typeof t === "number" && chance(0.2)) t |= pick([SOCK_NONBLOCK ?? 0, SOCK_CLOEXEC ?? 0]);
  const p = chance(0.9) ? pick(PROTOCOLS) : pick(BAD_PROTOCOLS);
  const opts = backendOpt();
  const pair = chance(0.3);
  const desc = `${pair ? "socketpair" : "socket"}(${show(d)}, ${show(t)}, ${show(p)}, ${
    show(opts)
  })`;
  traceLine(call, desc);
  const kind = `${show(d)}/${show(t)}/${show(p)}/${
    (opts as { backend?: string } | null)?.backend ?? "auto"
  }`;
  if (pair) {
    const got = sync(call, desc, () => socketpair(d as Any, t as Any, p as Any, opts as Any)) as
      | [Socket, Socket]
      | undefined;
    if (got) {
      adopt(got[0], `pair:${kind}`);
      adopt(got[1], `pair:${kind}`);
    }
  } else {
    const got = sync(call, desc, () => socket(d as Any, t as Any, p as Any, opts as Any)) as
      | Socket
      | undefined;
    if (got) adopt(got, kind);
  }
}

function onSocket(
  call: number,
  name: string,
  args: unknown[],
  run: (s: Any) => unknown,
  isAsync: boolean,
  opts?: unknown,
  onValue?: (v: Any, e: Entry) => void,
): void {
  const e = anySocket();
  if (!e) return makeSocket(call);
  const desc = `${sockName(e)}.${name}(${args.map((a) => show(a)).join(", ")})`;
  traceLine(call, desc);
  if (isAsync) {
    async(call, desc, e, opts, () => run(e.sock), onValue && ((v) => onValue(v, e)));
  } else {
    const v = sync(call, desc, () => run(e.sock));
    if (v !== undefined && onValue) onValue(v, e);
  }
}

const OPS: Op[] = [
  [1, (c) => {
    // Only numbers that cannot be a descriptor of ours: adopting a live one would
    // give two owners.
    const fd = pick<unknown>([-1, NAN, "x", null, 1.5, 2 ** 31, 1_000_000]);
    const desc = `Socket.fromFd(${show(fd)})`;
    traceLine(c, desc);
    const got = sync(c, desc, () => Socket.fromFd(fd as Any)) as Socket | undefined;
    if (got) {
      fail(c, "fromFd adopted a number that is no descriptor", desc, String(got));
      got.close();
    }
  }],
  [2, (c) => {
    // The async iterators: accepted() on a listener, datagrams() on a datagram socket.
    const which = pick(["iterator", "accepted", "datagrams"]);
    const arg = which === "datagrams"
      ? pick<unknown>([undefined, 1, 16, MAX_BUF, 0, -1, NAN, "x"])
      : which === "accepted"
      ? callOptions()
      : undefined;
    onSocket(
      c,
      `${which}().next`,
      [arg],
      (s) => {
        const it = which === "iterator"
          ? s[Symbol.asyncIterator]()
          : which === "accepted"
          ? s.accepted(arg)
          : s.datagrams(arg);
        return it.next().then((r: IteratorResult<unknown>) => {
          void it.return(undefined);
          return r;
        });
      },
      true,
      which === "accepted" ? arg : undefined,
      (r: IteratorResult<unknown>) => {
        if (r.value instanceof Socket) adopt(r.value, "accepted-iter");
      },
    );
  }],
  [10, makeSocket],
  [6, (c) => {
    const a = chance(0.05) ? { hostname: "localhost", port: 0 } : address();
    // A successful bind's name becomes a target for connect/sendto.
    onSocket(
      c,
      "bind",
      [a],
      (s) => {
        s.bind(a);
        return s.getsockname();
      },
      false,
      undefined,
      (v: SockAddr) => remember(v),
    );
  }],
  [3, (c) => {
    const b = chance(0.8) ? pick([0, 1, 5, 128]) : pick<unknown>([-1, 2 ** 31, NAN, "x", null]);
    onSocket(c, "listen", [b], (s) => s.listen(b), false);
  }],
  [5, (c) => {
    const o = callOptions();
    onSocket(c, "accept", [o], (s) => s.accept(o), true, o, (v: [Socket, SockAddr], e) => {
      adopt(v[0], `accepted:${e.kind}`);
    });
  }],
  [6, (c) => {
    const a = address();
    const o = callOptions();
    onSocket(c, "connect", [a, o], (s) => s.connect(a, o), true, o);
  }],
  [8, (c) => {
    const b = buffer(), f = flags(), o = callOptions();
    onSocket(c, "send", [b, f, o], (s) => s.send(b, f, o), true, o);
  }],
  [4, (c) => {
    const b = buffer(), f = flags(), o = callOptions();
    onSocket(c, "sendAll", [b, f, o], (s) => s.sendAll(b, f, o), true, o);
  }],
  [8, (c) => {
    const b = buffer(), f = flags(), o = callOptions();
    onSocket(c, "recv", [b, f, o], (s) => s.recv(b, f, o), true, o);
  }],
  [5, (c) => {
    const b = buffer(), a = address(), f = flags(), o = callOptions();
    onSocket(c, "sendto", [b, a, f, o], (s) => s.sendto(b, a, f, o), true, o);
  }],
  [5, (c) => {
    const b = buffer(), f = flags(), o = callOptions();
    onSocket(c, "recvfrom", [b, f, o], (s) => s.recvfrom(b, f, o), true, o);
  }],
  [4, (c) => {
    const bufs = buffers();
    const o = chance(0.85) ? sendMsgOptions() : callOptions();
    onSocket(c, "sendmsg", [bufs, o], (s) => s.sendmsg(bufs, o), true, o);
  }],
  [4, (c) => {
    const bufs = buffers();
    const o = chance(0.85) ? recvMsgOptions() : callOptions();
    onSocket(c, "recvmsg", [bufs, o], (s) => s.recvmsg(bufs, o), true, o, (r) => {
      closeReceived(r?.ancillary);
    });
  }],
  [3, (c) => {
    const msgs: unknown = chance(0.9)
      ? Array.from({ length: 1 + int(4) }, () => ({
        buffers: buffers(),
        ...(chance(0.5) ? { addr: address() } : {}),
      }))
      : pick<unknown>([[], null, "x", 5, [{}], [{ buffers: 5 }]]);
    const f = flags(), o = callOptions();
    onSocket(
      c,
      "sendmmsg",
      [msgs, f, o],
      (s) => s.sendmmsg(msgs as never, f as never, o as never),
      true,
      o,
    );
  }],
  [3, (c) => {
    const bufs = buffers(), f = flags();
    const o = chance(0.85) ? recvMsgOptions() : callOptions();
    onSocket(
      c,
      "recvmmsg",
      [bufs, f, o],
      (s) => s.recvmmsg(bufs as never, f as never, o as never),
      true,
      o,
      (r) => {
        for (const m of r ?? []) closeReceived(m.ancillary);
      },
    );
  }],
  [3, (c) => {
    const how = chance(0.8) ? int(3) : pick<unknown>([3, -1, "x", NAN, null, 2 ** 32]);
    onSocket(c, "shutdown", [how], (s) => s.shutdown(how), false);
  }],
  [6, (c) => {
    let l = level(), n = optName();
    const ln = resolves(l, LEVEL_NAMES), nn = resolves(n, OPT_NAMES);
    if (ln !== undefined && nn !== undefined && UNSAFE.has(`${ln}:${nn}`)) {
      l = 1;
      n = 9; // SO_KEEPALIVE in its place
    }
    let v = optValue();
    // close(2) under SO_LINGER blocks the thread (the whole event loop, on ffi) for up
    // to l_linger seconds: a random linger could freeze the child for years. Reported;
    // fuzzed with a linger of at most 1 s.
    if (resolves(l, LEVEL_NAMES) === 1 && resolves(n, OPT_NAMES) === 13) {
      if (v instanceof Uint8Array || (v && typeof v === "object")) {
        v = { onoff: int(2), linger: int(2) };
      }
    }
    onSocket(c, "setsockopt", [l, n, v], (s) => s.setsockopt(l, n, v), false);
  }],
  [6, (c) => {
    const l = level(), n = optName();
    const size = chance(0.6)
      ? undefined
      : pick<unknown>([0, 1, 4, 8, 104, 65536, 65537, -1, NAN, "x", 1.5]);
    onSocket(
      c,
      "getsockopt",
      [l, n, size],
      (s) => s.getsockopt(l, n, size),
      false,
      undefined,
      (v) => {
        // SO_PEERPIDFD hands the caller a new pidfd: ours to close.
        if (resolves(l, LEVEL_NAMES) !== 1 || resolves(n, OPT_NAMES) !== 77) return;
        if (typeof v === "number" && v > 2) closeFd(v);
        if (v instanceof Uint8Array && v.byteLength >= 4) {
          const fd = new DataView(v.buffer, v.byteOffset).getInt32(0, true);
          if (fd > 2) closeFd(fd);
        }
      },
    );
  }],
  [3, (c) => {
    onSocket(c, "getsockname", [], (s) => s.getsockname(), false, undefined, (v: SockAddr) => {
      if (v && typeof v === "object") remember(v);
    });
  }],
  [2, (c) => onSocket(c, "getpeername", [], (s) => s.getpeername(), false)],
  [2, (c) => {
    const t = chance(0.7) ? pick([null, 0, 1, 10, 100]) : pick<unknown>([-1, NAN, "x", Infinity]);
    onSocket(c, "timeout=", [t], (s) => {
      s.timeout = t;
    }, false);
  }],
  [3, (c) => {
    const e = anySocket();
    if (!e) return makeSocket(c);
    traceLine(c, `${sockName(e)}.close()`);
    const i = slots.indexOf(e);
    if (i >= 0) slots[i] = undefined;
    if (e.sock.closed) {
      sync(c, `${sockName(e)}.close()`, () => e.sock.close());
    } else retire(e);
    stats.ok++;
  }],
  [3, (c) => {
    const b = chance(0.9) ? new Uint8Array(1 + int(64)) : buffer();
    const fds = fdList();
    const o = callOptions();
    onSocket(c, "sendFds", [b, fds, o], (s) => sendFds(s, b as Any, fds as Any, o as Any), true, o);
  }],
  [3, (c) => {
    const b = chance(0.9) ? new Uint8Array(1 + int(64)) : buffer();
    const max = chance(0.85) ? 1 + int(8) : pick<unknown>([0, -1, 254, 1e9, NAN, "x", null]);
    const o = callOptions();
    onSocket(
      c,
      "recvFds",
      [b, max, o],
      (s) => recvFds(s, b as Any, max as Any, o as Any),
      true,
      o,
      (r) => {
        for (const fd of r?.fds ?? []) closeFd(fd);
      },
    );
  }],
];

function sendMsgOptions(): unknown {
  const o: Record<string, unknown> = {};
  if (chance(0.5)) o.flags = flags();
  if (chance(0.4)) o.addr = address();
  if (chance(0.3)) {
    o.ancillary = chance(0.8)
      ? [{
        level: pick([1, 0, 41, 6, -1]),
        type: pick([1, 2, 0, 99]),
        data: chance(0.5) ? fdBytes() : new Uint8Array(int(32)),
      }]
      : pick<unknown>(["x", null, [null], [{}], [{ level: 1, type: 1, data: "x" }], 5]);
  }
  const extra = callOptions();
  if (extra && typeof extra === "object" && !Array.isArray(extra)) Object.assign(o, extra);
  return o;
}

function recvMsgOptions(): unknown {
  const o: Record<string, unknown> = {};
  if (chance(0.5)) o.flags = flags();
  if (chance(0.5)) {
    o.ancillarySize = chance(0.8)
      ? pick([0, 16, 24, 64, 256])
      : pick<unknown>([-1, 1e9, "x", NAN, 1.5]);
  }
  const extra = callOptions();
  if (extra && typeof extra === "object" && !Array.isArray(extra)) Object.assign(o, extra);
  return o;
}

/** Descriptors to pass: our own sockets' and stdio's, or bad ones. */
function fdList(): unknown {
  if (chance(0.85)) {
    const n = pick([0, 1, 1, 2, 3]);
    return Array.from({ length: n }, () => {
      const e = anySocket();
      return chance(0.8) && e && e.sock.fd >= 0 ? e.sock.fd : pick([0, 1, 2]);
    });
  }
  return pick<unknown>([-1, [-1], "x", null, [NAN], [1.5], [2 ** 31], 5, new Array(300).fill(0)]);
}

function fdBytes(): Uint8Array {
  const list = fdList();
  const fds = Array.isArray(list) ? list.filter((x) => Number.isInteger(x) && x >= 0) : [];
  return new Uint8Array(new Int32Array(fds as number[]).buffer);
}

/**
 * Closes the descriptors a recvmsg brought in (SCM_RIGHTS, and SCM_PIDFD when
 * SO_PASSPIDFD is on): recvmsg's caller owns them. recvFds closes what it does
 * not return itself.
 */
function closeReceived(ancillary: unknown): void {
  if (!Array.isArray(ancillary)) return;
  for (const item of ancillary) {
    // SOL_SOCKET: SCM_RIGHTS (1), SCM_PIDFD (4).
    if (item?.level !== 1 || (item?.type !== 1 && item?.type !== 4)) continue;
    if (!(item.data instanceof Uint8Array)) continue;
    const v = new DataView(item.data.buffer, item.data.byteOffset, item.data.byteLength);
    for (let off = 0; off + 4 <= item.data.byteLength; off += 4) closeFd(v.getInt32(off, true));
  }
}

/**
 * A descriptor that came to us (SCM_RIGHTS, SCM_PIDFD, SO_PEERPIDFD): adopted
 * with `Socket.fromFd` half the time (a pidfd or a non-socket must be refused
 * with ENOTSOCK and stay ours), else closed.
 */
function closeFd(fd: number): void {
  stats.fdsReceived++;
  if (fd <= 2) return;
  if (chance(0.5)) {
    const desc = `Socket.fromFd(${fd})`;
    const got = sync(stats.calls, desc, () => Socket.fromFd(fd)) as Socket | undefined;
    if (got) {
      adopt(got, "fromFd");
      return;
    }
  }
  sys.close(fd);
}

const TOTAL_WEIGHT = OPS.reduce((n, [w]) => n + w, 0);
function pickOp(): Op[1] {
  let r = random() * TOTAL_WEIGHT;
  for (const [w, run] of OPS) {
    if ((r -= w) < 0) return run;
  }
  return OPS[0][1];
}

// ---------------------------------------------------------------- descriptors

function fdTable(): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      out.set(entry.name, Deno.readLinkSync(`/proc/self/fd/${entry.name}`));
    } catch {
      // The descriptor readDir used.
    }
  }
  return out;
}

/** Opens what each backend opens once (libc, the reactor's epoll) so the baseline includes it. */
async function warmUp(): Promise<void> {
  for (const backend of ["ffi", "native"] as const) {
    for (const [d, t] of [[AF_INET, SOCK_STREAM], [AF_INET, SOCK_DGRAM], [AF_UNIX, SOCK_STREAM]]) {
      const srv = socket(d, t, 0, { backend });
      const addr = d === AF_UNIX ? { path: freshPath() } : { hostname: "127.0.0.1", port: 0 };
      srv.bind(addr);
      if (t === SOCK_STREAM) {
        srv.listen();
        const cli = socket(d, t, 0, { backend });
        await cli.connect(srv.getsockname());
        const [conn] = await srv.accept();
        await cli.send(new Uint8Array(1));
        await conn.recv(new Uint8Array(1));
        conn.close();
        cli.close();
      } else {
        await srv.sendto(new Uint8Array(1), srv.getsockname());
        await srv.recvfrom(new Uint8Array(1));
      }
      srv.close();
    }
  }
  await new Promise((r) => setTimeout(r, 50));
}

// ---------------------------------------------------------------- run

let finishing = false;
let baseline = new Map<string, string>();
const t0 = performance.now();

function summary(leak: string): string {
  const errs = [...stats.errors].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}=${n}`)
    .join(" ");
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  return `SUMMARY seed=${SEED} calls=${stats.calls} ok=${stats.ok} sockets=${stats.sockets} ` +
    `reaped=${stats.reaped} fdsReceived=${stats.fdsReceived} failures=${failures.length} ` +
    `warnings=${warnings.length} ` +
    `fds=${leak} time=${secs}s errors: ${errs}`;
}

function finish(code: number, leak = "unchecked"): never {
  finishing = true;
  console.log(summary(leak));
  try {
    Deno.removeSync(tmp, { recursive: true });
  } catch {
    // Already gone.
  }
  Deno.exit(code);
}

const watchdog = setInterval(() => {
  const now = performance.now();
  console.log(`PROGRESS ${stats.calls}`);
  for (const rec of pending.values()) {
    const age = now - rec.start;
    if (age > HANG_MS) {
      pending.delete(rec.call);
      fail(rec.call, `hang (pending ${(age / 1000).toFixed(1)} s)`, rec.desc, "never settled");
    } else if (age > REAP_MS && !rec.reaped && !finishing) {
      // The call may wait forever by design (a recv nobody sends to): close() must end it.
      rec.reaped = true;
      if (rec.entry && !rec.entry.sock.closed) {
        stats.reaped++;
        const i = slots.indexOf(rec.entry);
        if (i >= 0) slots[i] = undefined;
        retire(rec.entry);
        rec.start = now; // From here close() has HANG_MS to settle it.
      }
    }
  }
}, 250);

let injectedLeak: Deno.FsFile | undefined;

function inject(call: number, kind: string): void {
  const desc = `injected ${kind}`;
  traceLine(call, desc);
  switch (kind) {
    case "hang":
      return async(call, desc, undefined, undefined, () => new Promise(() => {}));
    case "throw":
      return async(call, desc, undefined, undefined, () => {
        throw new TypeError("injected");
      });
    case "class":
      return async(call, desc, undefined, undefined, () => Promise.reject(new Error("injected")));
    case "leak":
      injectedLeak = Deno.openSync("/dev/null");
      return;
    case "freeze": {
      const until = performance.now() + 60_000;
      while (performance.now() < until) { /* the event loop is frozen */ }
      return;
    }
    case "crash":
      Deno.kill(Deno.pid, "SIGKILL");
      return;
    default:
      throw new TypeError(`--inject takes hang, throw, class, leak, freeze or crash, got ${kind}`);
  }
}

async function main(): Promise<void> {
  await warmUp();
  baseline = fdTable();
  console.log(`START seed=${SEED} calls=${CALLS} baseline=${baseline.size} fds`);
  let lastYield = performance.now();
  for (let call = 0; call < CALLS; call++) {
    stats.calls = call + 1;
    if (INJECT && call === CALLS >> 1) inject(call, INJECT);
    else pickOp()(call);
    if (pending.size >= MAX_PENDING) {
      await Promise.race([...pending.values()].map((r) => r.done));
    }
    // Let I/O and timers run now and then: sync calls never yield by themselves.
    if (performance.now() - lastYield > 5 || call % 64 === 0) {
      await new Promise((r) => setTimeout(r, 0));
      lastYield = performance.now();
    }
  }
  // The end: close everything; every pending call must settle.
  finishing = true;
  for (let i = 0; i < slots.length; i++) {
    if (slots[i]) retire(slots[i]!);
    slots[i] = undefined;
  }
  const deadline = performance.now() + HANG_MS;
  while (pending.size > 0 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const rec of pending.values()) {
    fail(rec.call, "hang after close()", rec.desc, "still pending 5 s after every socket closed");
  }
  // Descriptors: back to the baseline (native closes may complete a moment later).
  let now = fdTable();
  for (let i = 0; i < 100 && now.size > baseline.size; i++) {
    await new Promise((r) => setTimeout(r, 30));
    now = fdTable();
  }
  const extra = [...now].filter(([fd, what]) => baseline.get(fd) !== what);
  let leak = `${now.size}/${baseline.size}`;
  if (extra.length > 0 || now.size !== baseline.size) {
    leak += " LEAK";
    fail(
      CALLS,
      "descriptor leak",
      `${now.size} open against ${baseline.size} at start`,
      extra
        .slice(0, 20).map(([fd, what]) => `${fd}->${what}`).join(" "),
    );
  }
  clearInterval(watchdog);
  trace?.close();
  injectedLeak?.close();
  finish(failures.length ? 1 : 0, leak);
}

main().catch((err) => {
  console.log(`FAIL seed=${SEED} fuzzer error: ${err?.stack ?? err}`);
  finish(2);
});
