/**
 * `reuseport N`: N worker processes listening on one port, each with a socket
 * of its own bound with `SO_REUSEPORT`, and the kernel spreading the incoming
 * connections among them by a hash of each connection's addresses: no master
 * process passing connections on, no accept lock. It then makes connections to
 * the port and prints how the kernel spread them. Node's `cluster` hands the
 * connections out from its primary process instead, and `Deno.listen` cannot
 * set `SO_REUSEPORT` (only `Deno.serve` can, for HTTP).
 *
 * ```sh
 * deno run --allow-ffi --allow-net=127.0.0.1 --allow-run examples/reuseport.ts 4
 * ```
 *
 * ```text
 * 4 workers share 127.0.0.1:54021 (SO_REUSEPORT); 400 connections:
 * worker 1  pid 12165    105  ########################################
 * worker 2  pid 12172     94  ####################################
 * worker 3  pid 12173    105  ########################################
 * worker 4  pid 12176     96  #####################################
 * ```
 *
 * Options: `-n CONNECTIONS` (default 400), `-p PORT` (default: one the kernel
 * picks). Each worker answers `worker <i> pid <pid>` and, when the test ends,
 * reports how many connections it accepted; the table is theirs, and the run
 * fails (exit 1) if it disagrees with what the client saw. `--allow-run` is
 * for starting the workers (`Deno.execPath()` with this file); the workers
 * themselves get `--allow-ffi --allow-net=127.0.0.1` only.
 *
 * @module
 */
import { AF_INET, SOCK_STREAM, type Socket, socket, SocketError } from "../mod.ts";

// The library's types, which the signatures below name (deno doc wants them public here).
export type * from "../mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A listening socket on `127.0.0.1:port` with `SO_REUSEPORT` set before `bind`,
 * so that other sockets (of the same user) can bind the same port.
 *
 * @param port The port; 0 lets the kernel pick one.
 * @returns The listener.
 */
export function reusePortListener(port: number): Socket {
  const s = socket(AF_INET, SOCK_STREAM);
  try {
    s.setsockopt("SOL_SOCKET", "SO_REUSEPORT", true);
    s.bind({ hostname: "127.0.0.1", port });
    s.listen(256);
  } catch (err) {
    s.close();
    throw err;
  }
  return s;
}

/**
 * One worker: listens on `port` with `SO_REUSEPORT`, prints `ready <port>`,
 * answers each connection with `worker <id> pid <pid>`, and when its standard
 * input closes prints `accepted <count>` and returns.
 *
 * @param id The worker's number.
 * @param port The shared port (0 for the first worker: the kernel picks it).
 */
export async function worker(id: number, port: number): Promise<void> {
  using listener = reusePortListener(port);
  const bound = listener.getsockname();
  console.log(`ready ${"port" in bound ? bound.port : 0}`);
  let accepted = 0;
  const hello = encoder.encode(`worker ${id} pid ${Deno.pid}\n`);
  const serving = (async () => {
    for await (const conn of listener.accepted()) {
      accepted++;
      using c = conn;
      await c.sendAll(hello, 0, { timeout: 5000 }).catch(() => {});
    }
  })();
  for await (const _ of Deno.stdin.readable) { /* until the parent closes it */ }
  listener.close();
  await serving;
  console.log(`accepted ${accepted}`);
}

/** A started worker process. */
export interface WorkerProcess {
  /** Its number, from 1. */
  id: number;
  /** Its process id. */
  pid: number;
  /** The port it listens on. */
  port: number;
  /** Closes its standard input and returns the count it reports. */
  finish(): Promise<number>;
}

async function startWorker(id: number, port: number): Promise<WorkerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi",
      "--allow-net=127.0.0.1",
      import.meta.url,
      "--worker",
      `${id}`,
      `${port}`,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const nextLine = async (): Promise<string> => {
    for (;;) {
      const nl = buffered.indexOf("\n");
      if (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        return line;
      }
      const { value, done } = await lines.read();
      if (done) throw new Error(`worker ${id} exited with ${(await child.status).code}`);
      buffered += value;
    }
  };
  const ready = /^ready (\d+)$/.exec(await nextLine());
  if (!ready) throw new Error(`worker ${id} did not start`);
  return {
    id,
    pid: child.pid,
    port: Number(ready[1]),
    async finish() {
      await child.stdin.close();
      const m = /^accepted (\d+)$/.exec(await nextLine());
      await lines.cancel();
      await child.status;
      if (!m) throw new Error(`worker ${id} did not report`);
      return Number(m[1]);
    },
  };
}

/**
 * Starts `n` workers sharing one port; the first binds `port` (0: the kernel
 * picks), the others bind the port it got.
 *
 * @param n How many workers.
 * @param port The port, or 0.
 * @returns The workers, all listening.
 */
export async function startWorkers(n: number, port: number): Promise<WorkerProcess[]> {
  const first = await startWorker(1, port);
  const rest = await Promise.all(
    Array.from({ length: n - 1 }, (_, i) => startWorker(i + 2, first.port)),
  );
  return [first, ...rest];
}

/**
 * Makes `count` connections to `127.0.0.1:port`, `parallel` at a time, and
 * counts which worker answered each.
 *
 * @param port The shared port.
 * @param count Connections to make.
 * @param parallel How many at once.
 * @returns Connections per worker number.
 */
export async function connectMany(
  port: number,
  count: number,
  parallel = 8,
): Promise<Map<number, number>> {
  const seen = new Map<number, number>();
  let left = count;
  const one = async () => {
    while (left-- > 0) {
      using c = socket(AF_INET, SOCK_STREAM);
      await c.connect({ hostname: "127.0.0.1", port }, { timeout: 5000 });
      const buf = new Uint8Array(64);
      let n = 0;
      for (let r; (r = await c.recv(buf.subarray(n), 0, { timeout: 5000 })) > 0;) n += r;
      const m = /^worker (\d+) /.exec(decoder.decode(buf.subarray(0, n)));
      if (!m) {
        throw new Error(`unexpected answer ${JSON.stringify(decoder.decode(buf.subarray(0, n)))}`);
      }
      seen.set(Number(m[1]), (seen.get(Number(m[1])) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: parallel }, one));
  return seen;
}

const USAGE = "usage: reuseport.ts N [-n CONNECTIONS] [-p PORT]   (N: 1 to 64 workers)";

if (import.meta.main) {
  if (Deno.args[0] === "--worker") {
    try {
      await worker(Number(Deno.args[1]), Number(Deno.args[2]));
    } catch (err) {
      if (!(err instanceof SocketError)) throw err;
      console.error(`reuseport: worker ${Deno.args[1]}: ${err.message}`);
      Deno.exit(1);
    }
    Deno.exit(0);
  }
  let n: number | undefined;
  let connections = 400;
  let port = 0;
  let error: string | undefined;
  for (let i = 0; i < Deno.args.length && !error; i++) {
    const a = Deno.args[i];
    const value = Number(Deno.args[i + 1]);
    if (a === "-n" || a === "-p") {
      i++;
      if (!Number.isInteger(value) || value < (a === "-n" ? 1 : 0) || value > 65535) {
        error = `${a} needs a whole number${a === "-n" ? " from 1" : ""} up to 65535`;
      } else if (a === "-n") connections = value;
      else port = value;
    } else if (n === undefined && /^\d+$/.test(a)) {
      n = Number(a);
      if (n < 1 || n > 64) error = `N must be from 1 to 64, got ${a}`;
    } else error = `unexpected argument ${a}`;
  }
  if (n === undefined || error) {
    console.error(`reuseport: ${error ?? "N is missing"}\n${USAGE}`);
    Deno.exit(2);
  }
  let workers: WorkerProcess[];
  try {
    workers = await startWorkers(n, port);
  } catch (err) {
    console.error(`reuseport: ${(err as Error).message}`);
    Deno.exit(1);
  }
  const shared = workers[0].port;
  const seen = await connectMany(shared, connections);
  const reported = await Promise.all(workers.map((w) => w.finish()));
  console.log(`${n} workers share 127.0.0.1:${shared} (SO_REUSEPORT); ${connections} connections:`);
  const scale = 40 / Math.max(...reported, 1);
  for (const [i, w] of workers.entries()) {
    const bar = "#".repeat(Math.round(reported[i] * scale));
    console.log(`worker ${w.id}  pid ${w.pid}  ${String(reported[i]).padStart(5)}  ${bar}`);
  }
  const agree = workers.every((w, i) => (seen.get(w.id) ?? 0) === reported[i]);
  if (!agree) {
    console.error(
      `reuseport: the workers' counts differ from the client's: ${JSON.stringify([...seen])}`,
    );
    Deno.exit(1);
  }
}
