/**
 * The benchmark's rows: what each measures, which implementations run it and with what
 * arguments, the C peer it needs, and the words bench/RESULTS.md describes them with.
 *
 * @module
 */

export const SIZE = 64;
export const ROUNDS = 20_000;
export const WARM = 1_000;
export const SLOW_ROUNDS = 1_000;
export const SLOW_WARM = 50;
export const DELAY_US = 1_000;
export const CONNS = 1_000;
export const CONN_BYTES = 64 * 1024;
export const CONNS_WARM = 100;
export const ACCEPTS = 20_000;
export const ACCEPTS_WARM = 1_000;
/** Connections the C client of the accept row keeps opening at a time. */
export const INFLIGHT = 64;
export const CONNECTS = 20_000;
export const CONNECTS_WARM = 500;
export const BULK = 256 * 1024 * 1024;
export const CHUNK = 64 * 1024;
export const CREATE = 100_000;
export const C_ROUNDS = 50_000;
/** Round trips under strace (each syscall stops the process: far fewer). */
export const STRACE_ROUNDS = 2_000;
export const STRACE_SLOW_ROUNDS = 300;

export const here = new URL(".", import.meta.url).pathname;
export const build = `${here}.build`;
export const deno = Deno.execPath();
export const node = Deno.env.get("NODE") ?? "node";

/** What an implementation's process is given: the row's arguments. */
export interface Params {
  /** The C server's port (client rows). */
  port: number;
  /** Round trips (ping-pong rows). */
  rounds: number;
}

export interface Impl {
  name: string;
  argv: (p: Params) => string[];
  /** Run under strace with `--strace` (ours, Deno's and node's ping-pong rows). */
  strace?: boolean;
}

export interface Row {
  /** What `--only` matches. */
  key: string;
  test: string;
  unit: string;
  ref: string;
  impls: Impl[];
  /** The C server of a client row, started once for the row; it prints its port. */
  server?: string[];
  /** The C client of a server row, started per run once the server under test has a port. */
  client?: (port: number, p: Params) => string[];
  rounds?: number;
  /** Round trips under strace (ping-pong rows). */
  straceRounds?: number;
}

/** Our two Sockets and Deno's, run by bench/_one.ts with `args(p)`. */
function ours(row: string, denoName: string, args: (p: Params) => unknown[]): Impl[] {
  const one = (impl: string) => (p: Params) => [
    deno,
    "run",
    "-A",
    `${here}_one.ts`,
    row,
    impl,
    ...args(p).map(String),
  ];
  return [
    { name: denoName, argv: one("deno"), strace: true },
    { name: "ffi Socket", argv: one("ffi"), strace: true },
    { name: "native Socket", argv: one("native"), strace: true },
  ];
}

/** node:net, run by bench/node_peer.mjs with `args(p)`; "(node)" gets node's version. */
function nodeNet(row: string, args: (p: Params) => unknown[]): Impl {
  return {
    name: `node:net (node)`,
    argv: (p) => [node, `${here}node_peer.mjs`, row, ...args(p).map(String)],
    strace: true,
  };
}

const pingArgs = (warm: number) => (p: Params) => [p.port, p.rounds, SIZE, warm];
const serverArgs = (p: Params) => [p.rounds, SIZE, WARM];

/** bench/c/bench.c doing the row's work, as a ceiling for what an event loop could reach. */
function c(name: string, mode: string, args: (p: Params) => unknown[]): Impl {
  return { name, argv: (p) => [`${build}/bench`, mode, ...args(p).map(String)] };
}

export const ROWS: Row[] = [
  {
    key: "client",
    test: `ping-pong ${SIZE} B, client of a C echo server`,
    unit: "round trips/s",
    ref: "Deno.Conn",
    impls: [
      ...ours("client", "Deno.Conn", pingArgs(WARM)),
      nodeNet("client", pingArgs(WARM)),
      c("C, blocking", "client", pingArgs(WARM)),
    ],
    server: [`${build}/echo_server`],
    rounds: ROUNDS,
    straceRounds: STRACE_ROUNDS,
  },
  {
    key: "client-slow",
    test: `ping-pong ${SIZE} B, client of a slow C echo server (${DELAY_US / 1000} ms per reply)`,
    unit: "round trips/s",
    ref: "Deno.Conn",
    impls: [
      ...ours("client", "Deno.Conn", pingArgs(SLOW_WARM)),
      nodeNet("client", pingArgs(SLOW_WARM)),
      c("C, blocking", "client", pingArgs(SLOW_WARM)),
    ],
    server: [`${build}/echo_server`, "--delay-us", String(DELAY_US)],
    rounds: SLOW_ROUNDS,
    straceRounds: STRACE_SLOW_ROUNDS,
  },
  {
    key: "server",
    test: `ping-pong ${SIZE} B, server for a C client`,
    unit: "round trips/s",
    ref: "Deno.listen",
    impls: [
      ...ours("server", "Deno.listen", serverArgs),
      nodeNet("server", serverArgs),
      c("C, blocking", "server", serverArgs),
    ],
    client: (port, p) => [`${build}/pingpong_client`, port, p.rounds, SIZE, WARM].map(String),
    rounds: ROUNDS,
    straceRounds: STRACE_ROUNDS,
  },
  {
    key: "conns",
    test: `${CONNS.toLocaleString("en-US")} connections at once echoing ${
      CONN_BYTES / 1024
    } KiB each`,
    unit: "connections/s",
    ref: "Deno.listen",
    impls: [
      ...ours("conns", "Deno.listen", () => [CONNS, CONN_BYTES, CONNS_WARM]),
      nodeNet("conns", () => [CONNS, CONN_BYTES, CONNS_WARM]),
      c("C, epoll, one thread", "conns", () => [CONNS, CONN_BYTES, CONNS_WARM]),
    ],
    client: (port) =>
      [`${build}/load_client`, "echo", port, CONNS, CONN_BYTES, CONNS_WARM].map(String),
  },
  {
    key: "accept",
    test: `accept and close (${ACCEPTS.toLocaleString("en-US")} connections)`,
    unit: "connections/s",
    ref: "Deno.listen",
    impls: [
      ...ours("accept", "Deno.listen", () => [ACCEPTS, ACCEPTS_WARM]),
      nodeNet("accept", () => [ACCEPTS, ACCEPTS_WARM]),
      c("C, blocking accept4", "accept", () => [ACCEPTS, ACCEPTS_WARM]),
    ],
    client: (port) =>
      [`${build}/load_client`, "close", port, ACCEPTS, ACCEPTS_WARM, INFLIGHT].map(String),
  },
  {
    key: "connect",
    test: `connect, wait for the server's close, close (${
      CONNECTS.toLocaleString("en-US")
    } connections)`,
    unit: "connections/s",
    ref: "Deno.connect",
    impls: [
      ...ours("connect", "Deno.connect", (p) => [p.port, CONNECTS, CONNECTS_WARM]),
      nodeNet("connect", (p) => [p.port, CONNECTS, CONNECTS_WARM]),
    ],
    server: [`${build}/echo_server`, "--close"],
  },
  {
    key: "pingpong",
    test: `ping-pong ${SIZE} B, both ends in one process`,
    unit: "round trips/s",
    ref: "Deno.Conn",
    impls: [
      ...ours("pingpong", "Deno.Conn", (p) => [p.rounds, SIZE, WARM]),
      nodeNet("pingpong", (p) => [p.rounds, SIZE, WARM]),
      {
        name: "C, blocking, no event loop",
        argv: () => [`${build}/bench`, "pingpong", String(C_ROUNDS), String(SIZE)],
      },
    ],
    rounds: ROUNDS,
    straceRounds: STRACE_ROUNDS,
  },
  {
    key: "bulk",
    test: `bulk TCP ${BULK / 1024 / 1024} MiB, both ends in one process`,
    unit: "MiB/s",
    ref: "Deno.Conn",
    impls: [
      ...ours("bulk", "Deno.Conn", () => [BULK, CHUNK]),
      nodeNet("bulk", () => [BULK, CHUNK]),
      {
        name: "C, two threads",
        argv: () => [`${build}/bench`, "bulk", String(BULK), String(CHUNK)],
      },
    ],
  },
  {
    key: "create",
    test: "socket()+close()",
    unit: "pairs/s",
    ref: "C",
    impls: [
      {
        name: "ffi socket()",
        argv: () => [deno, "run", "-A", `${here}_one.ts`, "create", "ffi", String(CREATE)],
      },
      {
        name: "python3 socket.socket()",
        argv: () => [
          "python3",
          "-c",
          [
            "import json, socket, time",
            "t, c = time.perf_counter(), time.process_time()",
            `for _ in range(${CREATE}): socket.socket().close()`,
            `print(json.dumps({"ops": ${CREATE}, "seconds": time.perf_counter() - t,` +
            ` "cpuUs": (time.process_time() - c) * 1e6, "checked": 0}))`,
          ].join("\n"),
        ],
      },
      { name: "C", argv: () => [`${build}/bench`, "create", String(CREATE)] },
    ],
  },
];

const n = (x: number) => x.toLocaleString("en-US");

/** How the rows are run, for bench/RESULTS.md. */
export function describeRows(): string {
  return `\
- Every run is a process of its own that measures its rate and its own CPU time (user + system,
  all threads, \`process.cpuUsage()\` or getrusage) over the measured span, after a warm-up. A
  peer in another process (the C programs in bench/c) is never counted.
- The ratios are per run: run i of an implementation over run i of the reference, measured back
  to back; min / median / max over the runs. CPU per operation is per round trip, connection,
  MiB or socket pair, as the rate's unit says.
- Client rows: ${n(ROUNDS)} round trips (${n(SLOW_ROUNDS)} against the slow peer, which waits
  ${DELAY_US / 1000} ms before each reply) after ${n(WARM)} (${n(SLOW_WARM)}) of warm-up, with
  TCP_NODELAY, to bench/c/echo_server.c (epoll, one thread) over 127.0.0.1.
- Server row: bench/c/pingpong_client.c (blocking) makes ${n(WARM)} + ${n(ROUNDS)} round trips and
  checks every echo byte; the server's clock starts once the warm-up's bytes are echoed.
- ${n(CONNS)} connections: bench/c/load_client.c opens them all (at most 128 waiting for their
  first echo byte, so that a backlog of 511 never overflows), sends ${CONN_BYTES / 1024} KiB on
  each and checks the echo; all close once all are echoed. The server's clock runs from the first
  accept after ${CONNS_WARM} warm-up connections to the last close.
- Accept and close: the C client keeps ${INFLIGHT} connects in flight, each waiting for the
  server's close; ${n(ACCEPTS)} connections after ${n(ACCEPTS_WARM)} of warm-up.
- Connect: ${n(CONNECTS)} connections (after ${CONNECTS_WARM}) one after another to the C server,
  which closes each as it accepts it; the client waits for that close, then closes (the TIME_WAIT
  stays with the server).
- In-process rows: both ends in one process (CPU of both); bulk in ${CHUNK / 1024} KiB writes;
  socket()+close() of ${n(CREATE)} AF_INET/SOCK_STREAM sockets.
- The C rows (bench/c/bench.c) do the same work as the row's other implementations, against the
  same peer, with blocking calls and no event loop (for ${n(CONNS)} connections, epoll in one
  thread): what any implementation could reach on this machine.`;
}

/** How the strace table is made, for bench/RESULTS.md. */
export function describeStrace(): string {
  return `\
Syscalls per round trip (\`deno task bench --strace\`): each row run under \`strace -f -c\` with
${n(STRACE_ROUNDS)} round trips (${STRACE_SLOW_ROUNDS} against the slow peer) and with none, the
difference divided by the round trips; "failing" counts calls that returned an error (EAGAIN).
strace slows every call, so a backend that polls before sleeping polls more times here.`;
}
