/**
 * The datagram benchmark: UDP datagrams of 64 bytes over 127.0.0.1, send rate
 * and receive rate, for our ffi Socket (sendto/recvfrom, and sendmmsg/recvmmsg
 * in batches of 64), node:dgram and `Deno.listenDatagram` in this Deno
 * process, Bun's `udpSocket` with `sendMany` of 64 in a Bun process
 * (bench/_bun_udp.mjs; send only), and C (bench/c/udp_peer.c, with
 * sendto/recvfrom and with sendmmsg/recvmmsg of 64), all in one run, the rows
 * taking turns run by run.
 *
 * - **Send**: the row sends `count` datagrams as fast as it can; a C receiver in
 *   another process (recvmmsg, a 64 MiB buffer) counts what **arrives**. Rate:
 *   datagrams arrived ÷ the sender's wall time; the arrived share is reported.
 *   An in-flight window of 64 for the promise- and callback-based APIs.
 * - **Receive**: a C source in another process blasts datagrams (sendmmsg of 64,
 *   without pause); the row receives `warm` datagrams, then `count` more, timed.
 *   Rate: `count` ÷ the time they took. The receiver keeps the kernel's default
 *   buffer (Deno.listenDatagram cannot set one); what it cannot take is dropped,
 *   and the share it took of what reached its socket (received ÷ received +
 *   dropped, from /proc/net/udp or `SO_MEMINFO`) is reported.
 *
 * Every row is run `repeat` times; ratios are taken within a run (a slow spell
 * of the shared machine falls on the rows of that run alike) and given as
 * min / median / max over the runs.
 *
 * ```sh
 * deno run -A --unstable-net bench/datagram.ts [--count 200000] [--repeat 5]
 * ```
 * (Without `--unstable-net` the Deno.listenDatagram rows are left out.)
 *
 * @module
 */
// deno-lint-ignore-file no-console
import dgram from "node:dgram";
import { AF_INET, SO_RCVBUF, SOCK_DGRAM, SOL_SOCKET } from "../constants/names.ts";
import { socket } from "../socket/create.ts";
import type { MmsgMessage, Socket } from "../socket/socket.ts";
import { clock, type Sample } from "./_sample.ts";
import { median } from "./_table.ts";

const SIZE = 64;
const BATCH = 64;
const HOST = "127.0.0.1";
const here = new URL(".", import.meta.url).pathname;
/** Bun from the npm devDependency, for its sendMany row (left out where it is not installed). */
const BUN = `${here}../node_modules/.bin/bun`;
const hasBun = (() => {
  try {
    return Deno.statSync(BUN).isFile;
  } catch {
    return false;
  }
})();

/** Options of {@linkcode datagramBench}. */
export interface DatagramBenchOptions {
  /** Datagrams per measurement (default 200,000). */
  count?: number;
  /** Untimed datagrams first, for the receive rows and the senders' warm-up (default count / 10). */
  warm?: number;
  /** Runs of every row (default 5). */
  repeat?: number;
  /** Where progress lines go (default stderr). */
  log?: (line: string) => void;
}

/** The measurements of one row, one entry per run. */
export interface DatagramRow {
  /** `"UDP 64 B send"` or `"UDP 64 B receive"`. */
  test: string;
  /** The implementation. */
  impl: string;
  /** Datagrams per second: arrived (send rows) or received (receive rows), per run. */
  rates: number[];
  /** CPU µs the sending or receiving process spent per datagram, per run. */
  cpu: number[];
  /**
   * The share that arrived, per run: send rows, of the datagrams sent, at the C
   * receiver; receive rows, of the datagrams that reached the socket, taken by the row.
   */
  arrived: number[];
}

/** What {@linkcode datagramBench} returns. */
export interface DatagramBenchResult {
  /** Every row, send rows first. */
  rows: DatagramRow[];
  /** The rows as a markdown table, with ratios (min / median / max over the runs). */
  table: string;
  /** One paragraph describing the method and the run, for RESULTS.md. */
  note: string;
}

/** The `drops` of the UDP socket bound to 127.0.0.1:`port`, from /proc/net/udp. */
function drops(port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  for (const line of Deno.readTextFileSync("/proc/net/udp").split("\n")) {
    const cols = line.trim().split(/\s+/);
    if (cols[1] === local) return Number(cols[cols.length - 1]);
  }
  throw new Error(`no UDP socket on ${HOST}:${port} in /proc/net/udp`);
}

type DatagramConn = {
  send(p: Uint8Array, addr: { transport: "udp"; hostname: string; port: number }): Promise<number>;
  receive(p?: Uint8Array): Promise<[Uint8Array, unknown]>;
  addr: { port: number };
  close(): void;
};
type ListenDatagram = (o: { hostname: string; port: number; transport: "udp" }) => DatagramConn;
const listenDatagram = (Deno as unknown as { listenDatagram?: ListenDatagram }).listenDatagram;

// ------------------------------------------------------------------ C peers

async function buildC(): Promise<string> {
  const dir = `${here}.build`;
  await Deno.mkdir(dir, { recursive: true });
  const exe = `${dir}/udp_peer`;
  const cc = await new Deno.Command("gcc", {
    args: ["-O2", "-o", exe, `${here}c/udp_peer.c`],
    stderr: "inherit",
  }).output();
  if (!cc.success) throw new Error("gcc failed on bench/c/udp_peer.c");
  return exe;
}

/** A child process printing JSON lines. */
class Peer {
  readonly #child: Deno.ChildProcess;
  readonly #lines: ReadableStreamDefaultReader<string>;
  #buffered = "";

  constructor(exe: string, args: string[]) {
    this.#child = new Deno.Command(exe, { args, stdout: "piped", stderr: "inherit" }).spawn();
    this.#lines = this.#child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  }

  async read<T>(): Promise<T> {
    for (;;) {
      const nl = this.#buffered.indexOf("\n");
      if (nl >= 0) {
        const line = this.#buffered.slice(0, nl);
        this.#buffered = this.#buffered.slice(nl + 1);
        return JSON.parse(line) as T;
      }
      const { value, done } = await this.#lines.read();
      if (done) throw new Error("a C peer ended without its report");
      this.#buffered += value;
    }
  }

  async stop(): Promise<void> {
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await this.#child.status;
    await this.#lines.cancel().catch(() => {});
  }

  async done(): Promise<void> {
    await this.#child.status;
    await this.#lines.cancel().catch(() => {});
  }
}

/** Sends end markers until the sink reports; resolves with the datagrams that arrived. */
async function drain(sink: Peer, port: number, marker: Socket): Promise<number> {
  let reported = false;
  const report = sink.read<{ arrived: number }>().finally(() => (reported = true));
  for (let i = 0; i < 2000 && !reported; i++) {
    await marker.sendto(new Uint8Array(1), { hostname: HOST, port });
    await new Promise((r) => setTimeout(r, 5));
  }
  const { arrived } = await report;
  await sink.done();
  return arrived;
}

// ------------------------------------------------------------------ senders in this process

type Sender = (port: number, count: number) => Promise<Sample>;

function ffiSocket(): Socket {
  return socket(AF_INET, SOCK_DGRAM, 0, { backend: "ffi" });
}

const payload = new Uint8Array(SIZE).fill(0x78);

const ffiSendto: Sender = async (port, count) => {
  using s = ffiSocket();
  const addr = { hostname: HOST, port };
  const stop = clock();
  for (let i = 0; i < count; i++) await s.sendto(payload, addr);
  return stop(count);
};

const ffiSendmmsg: Sender = async (port, count) => {
  using s = ffiSocket();
  const addr = { hostname: HOST, port };
  const full: MmsgMessage[] = Array.from({ length: BATCH }, () => ({ buffers: payload, addr }));
  const stop = clock();
  let sent = 0;
  while (sent < count) {
    const left = count - sent;
    sent += await s.sendmmsg(left >= BATCH ? full : full.slice(0, left));
  }
  return stop(sent);
};

const nodeSend: Sender = async (port, count) => {
  const sock = dgram.createSocket("udp4");
  await new Promise<void>((r) => sock.bind(0, HOST, r));
  try {
    const stop = clock();
    for (let sent = 0; sent < count;) {
      const k = Math.min(BATCH, count - sent);
      await new Promise<void>((resolve, reject) => {
        let left = k;
        const done = (err: Error | null) => {
          if (err) reject(err);
          else if (--left === 0) resolve();
        };
        for (let j = 0; j < k; j++) sock.send(payload, port, HOST, done);
      });
      sent += k;
    }
    return stop(count);
  } finally {
    await new Promise<void>((r) => sock.close(() => r()));
  }
};

const denoSend: Sender = async (port, count) => {
  const conn = listenDatagram!({ hostname: HOST, port: 0, transport: "udp" });
  try {
    const addr = { transport: "udp" as const, hostname: HOST, port };
    const window: Promise<number>[] = [];
    const stop = clock();
    for (let sent = 0; sent < count;) {
      const k = Math.min(BATCH, count - sent);
      window.length = 0;
      for (let j = 0; j < k; j++) window.push(conn.send(payload, addr));
      await Promise.all(window);
      sent += k;
    }
    return stop(count);
  } finally {
    conn.close();
  }
};

// ------------------------------------------------------------------ receivers in this process

/**
 * Binds, says its port, then takes `warm` + `count` datagrams, timing the last
 * `count`; calls `done` at once after the last (while its socket is open).
 */
type Receiver = (
  ready: (port: number) => void,
  warm: number,
  count: number,
  done: () => void,
) => Promise<Sample>;

const ffiRecvfrom: Receiver = async (ready, warm, count, done) => {
  using s = ffiSocket();
  s.bind({ hostname: HOST, port: 0 });
  ready((s.getsockname() as { port: number }).port);
  const buf = new Uint8Array(2048);
  for (let i = 0; i < warm; i++) await s.recvfrom(buf);
  const stop = clock();
  for (let i = 0; i < count; i++) await s.recvfrom(buf);
  const run = stop(count);
  done();
  return run;
};

const ffiRecvmmsg: Receiver = async (ready, warm, count, done) => {
  using s = ffiSocket();
  s.bind({ hostname: HOST, port: 0 });
  ready((s.getsockname() as { port: number }).port);
  const bufs = Array.from({ length: BATCH }, () => new Uint8Array(2048));
  let got = 0;
  while (got < warm) got += (await s.recvmmsg(bufs)).length;
  const stop = clock();
  got = 0;
  while (got < count) got += (await s.recvmmsg(bufs)).length;
  const run = stop(got);
  done();
  return run;
};

const nodeRecv: Receiver = async (ready, warm, count, finished) => {
  const sock = dgram.createSocket("udp4");
  await new Promise<void>((r) => sock.bind(0, HOST, r));
  try {
    let got = 0;
    let stop = clock();
    const done = new Promise<Sample>((resolve) => {
      sock.on("message", () => {
        if (++got === warm) stop = clock();
        else if (got === warm + count) {
          resolve(stop(count));
          finished();
        }
      });
    });
    ready(sock.address().port);
    return await done;
  } finally {
    sock.removeAllListeners("message");
    await new Promise<void>((r) => sock.close(() => r()));
  }
};

const denoRecv: Receiver = async (ready, warm, count, done) => {
  const conn = listenDatagram!({ hostname: HOST, port: 0, transport: "udp" });
  try {
    ready(conn.addr.port);
    const buf = new Uint8Array(2048);
    for (let i = 0; i < warm; i++) await conn.receive(buf);
    const stop = clock();
    for (let i = 0; i < count; i++) await conn.receive(buf);
    const run = stop(count);
    done();
    return run;
  } finally {
    conn.close();
  }
};

// ------------------------------------------------------------------ the run

function spread(xs: number[], digits: number, unit = ""): string {
  if (xs.length === 0) return "";
  const f = (x: number) => x.toFixed(digits) + unit;
  return `${f(Math.min(...xs))} / ${f(median(xs))} / ${f(Math.max(...xs))}`;
}

function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/**
 * Runs the datagram benchmark (see the module doc): every row `repeat` times,
 * taking turns.
 *
 * @param opts Sizes of the run and where progress goes.
 * @returns The rows, and the table and note for RESULTS.md.
 */
export async function datagramBench(opts: DatagramBenchOptions = {}): Promise<DatagramBenchResult> {
  const n = opts.count ?? 200_000;
  const warm = opts.warm ?? Math.ceil(n / 10);
  const repeat = opts.repeat ?? 5;
  const log = opts.log ?? ((line: string) => console.error(line));
  const c = await buildC();
  using marker = ffiSocket();
  using warmSink = ffiSocket(); // where the senders warm up: bound, never read
  warmSink.bind({ hostname: HOST, port: 0 });
  warmSink.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096);
  const warmPort = (warmSink.getsockname() as { port: number }).port;

  const SEND = "UDP 64 B send";
  const RECV = "UDP 64 B receive";
  const rows: DatagramRow[] = [];
  const row = (test: string, impl: string) => {
    const r: DatagramRow = { test, impl, rates: [], cpu: [], arrived: [] };
    rows.push(r);
    return r;
  };

  /** A send row of this process: warm up, then send to a fresh sink. */
  const inProcessSend = (impl: string, send: Sender) => {
    const r = row(SEND, impl);
    return async () => {
      await send(warmPort, warm);
      const sink = new Peer(c, ["sink"]);
      const { port } = await sink.read<{ port: number }>();
      const run = await send(port, n);
      const arrived = await drain(sink, port, marker);
      r.rates.push(arrived / run.seconds);
      r.cpu.push(run.cpuUs / run.ops);
      r.arrived.push(arrived / run.ops);
    };
  };
  /** A send row of another process (`exe args(port)`), which prints what it sent. */
  const peerSend = (impl: string, exe: string, args: (port: number) => string[]) => {
    const r = row(SEND, impl);
    return async () => {
      const sink = new Peer(c, ["sink"]);
      const { port } = await sink.read<{ port: number }>();
      const sender = new Peer(exe, args(port));
      const run = await sender.read<{ sent: number; seconds: number; cpuUs: number }>();
      await sender.done();
      const arrived = await drain(sink, port, marker);
      r.rates.push(arrived / run.seconds);
      r.cpu.push(run.cpuUs / run.sent);
      r.arrived.push(arrived / run.sent);
    };
  };
  const cSend = (impl: string, batch: number) =>
    peerSend(impl, c, (port) => ["send", String(port), String(n), String(batch)]);
  /** Bun's own batched send, in a Bun process, warmed up as ours are. */
  const bunSend = (impl: string) =>
    peerSend(
      impl,
      BUN,
      (port) => [`${here}_bun_udp.mjs`, port, n, BATCH, warmPort, warm].map(String),
    );
  const inProcessRecv = (impl: string, recv: Receiver) => {
    const r = row(RECV, impl);
    return async () => {
      let source: Peer | undefined;
      let port = 0;
      let dropped = 0;
      try {
        const run = await recv(
          (p) => void (source = new Peer(c, ["source", String(port = p)])),
          warm,
          n,
          () => void (dropped = drops(port)),
        );
        r.rates.push(run.ops / run.seconds);
        r.cpu.push(run.cpuUs / run.ops);
        r.arrived.push((warm + run.ops) / (warm + run.ops + dropped));
      } finally {
        await source?.stop();
      }
    };
  };
  const cRecv = (impl: string, batch: number) => {
    const r = row(RECV, impl);
    return async () => {
      const receiver = new Peer(c, ["recv", String(warm), String(n), String(batch)]);
      const { port } = await receiver.read<{ port: number }>();
      const source = new Peer(c, ["source", String(port)]);
      try {
        const run = await receiver.read<
          { received: number; seconds: number; cpuUs: number; drops: number }
        >();
        r.rates.push(run.received / run.seconds);
        r.cpu.push(run.cpuUs / run.received);
        r.arrived.push((warm + run.received) / (warm + run.received + run.drops));
      } finally {
        await source.stop();
        await receiver.done();
      }
    };
  };

  const deno = listenDatagram !== undefined;
  const steps = [
    inProcessSend("ffi Socket sendto", ffiSendto),
    inProcessSend(`ffi Socket sendmmsg (${BATCH} per call)`, ffiSendmmsg),
    inProcessSend("node:dgram (in Deno)", nodeSend),
    ...(deno ? [inProcessSend("Deno.listenDatagram", denoSend)] : []),
    ...(hasBun ? [bunSend(`Bun udpSocket sendMany (${BATCH} per call), in Bun`)] : []),
    cSend("C sendto", 1),
    cSend(`C sendmmsg (${BATCH} per call)`, BATCH),
    inProcessRecv("ffi Socket recvfrom", ffiRecvfrom),
    inProcessRecv(`ffi Socket recvmmsg (${BATCH} per call)`, ffiRecvmmsg),
    inProcessRecv("node:dgram (in Deno)", nodeRecv),
    ...(deno ? [inProcessRecv("Deno.listenDatagram", denoRecv)] : []),
    cRecv("C recvfrom", 1),
    cRecv(`C recvmmsg (${BATCH} per call)`, BATCH),
  ];
  for (let run = 0; run < repeat; run++) {
    // The order rotates, so that no row always follows the same one.
    for (let k = 0; k < steps.length; k++) await steps[(k + run) % steps.length]();
    log(
      `run ${run + 1}/${repeat}: ` +
        rows.map((r) => `${r.impl} ${r.test.split(" ").pop()} ${count(r.rates[run])}/s`).join(", "),
    );
  }

  const base = (test: string, impl: string) => rows.find((r) => r.test === test && r.impl === impl);
  const ratios = (r: DatagramRow, b: DatagramRow | undefined) =>
    b ? r.rates.map((x, i) => x / b.rates[i]) : [];
  const lines = [
    "| test | implementation | datagrams/s, median (min–max) | arrived (send) / taken (receive), min / median / max | CPU µs per datagram, median | ÷ node:dgram, min / median / max | ÷ C batch, min / median / max |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows) {
    const node = base(r.test, "node:dgram (in Deno)");
    const cBatch = base(
      r.test,
      r.test === SEND ? `C sendmmsg (${BATCH} per call)` : `C recvmmsg (${BATCH} per call)`,
    );
    const rate = `${count(median(r.rates))} (${count(Math.min(...r.rates))}–${
      count(Math.max(...r.rates))
    })`;
    const arrived = spread(r.arrived.map((x) => x * 100), 1, "%");
    lines.push(
      `| ${r.test} | ${r.impl} | ${rate} | ${arrived} | ${median(r.cpu).toFixed(2)} | ${
        spread(ratios(r, node), 2, "×")
      } | ${spread(ratios(r, cBatch), 2, "×")} |`,
    );
  }
  const table = lines.join("\n");
  const note = `UDP, ${SIZE}-byte datagrams over ${HOST}; ${count(n)} datagrams per measurement ` +
    `(after ${
      count(warm)
    } untimed), every row ${repeat} times, the rows taking turns run by run. ` +
    `Send rows: datagrams that arrived at a C receiver (recvmmsg, 64 MiB buffer) per second of the ` +
    `sender's wall time, the promise- and callback-based APIs with ${BATCH} sends in flight. Receive ` +
    `rows: a C source blasts sendmmsg of ${BATCH} without pause; the row's rate over ${count(n)} ` +
    `datagrams, default receive buffer, and the share of what reached its socket it took (the rest ` +
    `dropped on a full queue). CPU: the sending or receiving process's user + system time over the ` +
    `timed span (all its threads), per datagram. Ratios are taken within each run. ` +
    `Deno ${Deno.version.deno}, ` +
    `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores.`;
  return { rows, table, note };
}

function argValue(name: string): number | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : undefined;
}

if (import.meta.main) {
  if (listenDatagram === undefined) {
    console.error("Deno.listenDatagram needs --unstable-net: its rows are left out.");
  }
  const { table, note } = await datagramBench({
    count: argValue("--count"),
    repeat: argValue("--repeat"),
  });
  console.log(note + "\n\n" + table);
}
