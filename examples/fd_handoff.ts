/**
 * `fd_handoff CONTROL [[HOST:]PORT]`: a restart without downtime. A running
 * server hands its listening socket to its successor over a unix socket, with
 * `SCM_RIGHTS`, the way HAProxy (`-x`), Envoy and nginx's binary upgrade do:
 * the listening socket never closes, so no connection is refused while the
 * old process drains and the new one takes over. Node's `cluster` and Deno
 * have no way to pass a descriptor to an unrelated process (nodejs/node#53391,
 * denoland/deno#27788).
 *
 * Start the first server, then run the same command again to replace it:
 *
 * ```sh
 * deno run --allow-ffi --allow-net=127.0.0.1 examples/fd_handoff.ts @app.ctl 8080
 * ```
 *
 * ```text
 * fd_handoff[12255]: listening on 127.0.0.1:8080, control socket @app.ctl
 * fd_handoff[12255]: handed 127.0.0.1:8080 to pid 12304, exiting
 * fd_handoff[12304]: took over 127.0.0.1:8080 from pid 12255, control socket @app.ctl
 * ```
 *
 * Each connection gets `hello from <pid>`. The control socket is a
 * `SOCK_SEQPACKET` socket: each message arrives whole, with no framing to write.
 * `CONTROL` is `@name` in the abstract namespace, or a path, which the last
 * server removes at exit (and the first removes when stale): that takes
 * `--allow-write` for it,
 *
 * ```sh
 * deno run --allow-ffi --allow-net=127.0.0.1 --allow-write=/tmp examples/fd_handoff.ts /tmp/app.ctl 8080
 * ```
 *
 * The server stops at SIGTERM or SIGINT.
 *
 * The steps: the successor connects to the control socket; the running server
 * sends its listener's descriptor; the successor adopts it (`Socket.fromFd`),
 * starts accepting, and says `ready`; the old server stops accepting (its copy
 * closes, the successor's stays open), finishes the connections it has,
 * closes its control socket and disconnects; the successor then binds the
 * control socket itself, ready for the next restart.
 *
 * @module
 */
import {
  AF_INET,
  AF_UNIX,
  formatSockAddr,
  recvFds,
  sendFds,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  Socket,
  socket,
  SocketError,
  type UnixAddr,
} from "../mod.ts";

// The library's types, which the signatures below name (deno doc wants them public here).
export type * from "../mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The control socket's address: `@name` is abstract, anything else a path.
 *
 * @param control The CONTROL argument.
 * @returns The address.
 */
export function controlAddress(control: string): UnixAddr {
  return { family: "unix", path: control.startsWith("@") ? `\0${control.slice(1)}` : control };
}

/**
 * Asks the server at `control` for its listening socket.
 *
 * @param control The control socket's address.
 * @returns The listener and the handing process's pid (with the connection to
 *   it, on which to say `ready`), or `undefined` when no server answers there.
 */
export async function requestListener(
  control: UnixAddr,
): Promise<{ listener: Socket; from: number; conn: Socket } | undefined> {
  const conn = socket(AF_UNIX, SOCK_SEQPACKET);
  try {
    await conn.connect(control);
  } catch (err) {
    conn.close();
    const none = err instanceof SocketError &&
      (err.code === "ENOENT" || err.code === "ECONNREFUSED");
    if (none) return undefined;
    throw err;
  }
  try {
    const got = await recvFds(conn, new Uint8Array(64), 1, { timeout: 10_000 });
    if (got.fds.length !== 1) throw new Error("the running server sent no descriptor");
    const { pid } = conn.getsockopt("SOL_SOCKET", "SO_PEERCRED") as { pid: number };
    return { listener: Socket.fromFd(got.fds[0]), from: pid, conn };
  } catch (err) {
    conn.close();
    throw err;
  }
}

/**
 * Hands `listener` to the process connected on `conn`, and waits until it
 * says it is accepting.
 *
 * @param conn A connection accepted on the control socket.
 * @param listener The listening socket.
 * @returns The successor's pid.
 * @throws When the successor went away before it was ready: keep serving then.
 */
export async function handOver(conn: Socket, listener: Socket): Promise<number> {
  await sendFds(conn, encoder.encode("listener"), [listener.fd]);
  const buf = new Uint8Array(16);
  const n = await conn.recv(buf, 0, { timeout: 10_000 });
  if (decoder.decode(buf.subarray(0, n)) !== "ready") throw new Error("the successor went away");
  const { pid } = conn.getsockopt("SOL_SOCKET", "SO_PEERCRED") as { pid: number };
  return pid;
}

/** A running server: its listener, its connections, its control socket. */
export class HandoffServer {
  /** The listening socket. */
  readonly listener: Socket;
  #log: (line: string) => void;
  #inFlight = new Set<Promise<void>>();
  #serving: Promise<void>;
  #control: Socket | undefined;
  #controlPath = "";

  /**
   * Starts accepting on `listener`.
   *
   * @param listener A listening stream socket, new or taken over.
   * @param log Where progress lines go.
   */
  constructor(listener: Socket, log: (line: string) => void) {
    this.listener = listener;
    this.#log = log;
    this.#serving = this.#accept();
  }

  async #accept(): Promise<void> {
    const hello = encoder.encode(`hello from ${Deno.pid}\n`);
    for await (const conn of this.listener.accepted()) {
      const done = conn.sendAll(hello, 0, { timeout: 5000 }).catch(() => {}).finally(() => {
        conn.close();
        this.#inFlight.delete(done);
      });
      this.#inFlight.add(done);
    }
  }

  /**
   * Binds the control socket, where a successor will ask for the listener.
   *
   * @param control The control socket's address.
   */
  openControl(control: UnixAddr): void {
    const ctl = socket(AF_UNIX, SOCK_SEQPACKET);
    try {
      ctl.bind(control);
      ctl.listen(4);
    } catch (err) {
      ctl.close();
      throw err;
    }
    this.#control = ctl;
    this.#controlPath = control.path.startsWith("\0") ? "" : control.path;
  }

  /**
   * Hands the listener to the first successor that connects to the control
   * socket and gets ready, then drains. Resolves once handed over and drained,
   * or once {@linkcode HandoffServer.stop} was called.
   *
   * @returns The successor's pid, or `undefined` when stopped.
   */
  async awaitSuccessor(): Promise<number | undefined> {
    if (!this.#control) throw new Error("openControl() first");
    for await (const conn of this.#control.accepted()) {
      using c = conn;
      let successor: number;
      try {
        successor = await handOver(c, this.listener);
      } catch (err) {
        this.#log(`a successor failed (${(err as Error).message}); still serving`);
        continue;
      }
      this.listener.close(); // the successor's copy stays open: nothing is refused
      await this.#serving;
      await Promise.all(this.#inFlight);
      await this.#closeControl();
      return successor; // closing `c` tells the successor we are gone
    }
    return undefined;
  }

  async #closeControl(): Promise<void> {
    this.#control?.close();
    if (this.#controlPath) await Deno.remove(this.#controlPath).catch(() => {});
    this.#controlPath = "";
  }

  /** Stops accepting, finishes the connections in flight, closes the control socket. */
  async stop(): Promise<void> {
    this.listener.close();
    await this.#serving;
    await Promise.all(this.#inFlight);
    await this.#closeControl();
  }
}

/**
 * Binds a new listening socket.
 *
 * @param host An IPv4 address.
 * @param port A port.
 * @returns The listener.
 */
export function listenFresh(host: string, port: number): Socket {
  const s = socket(AF_INET, SOCK_STREAM);
  try {
    s.setsockopt("SOL_SOCKET", "SO_REUSEADDR", true);
    s.bind({ hostname: host, port });
    s.listen(128);
  } catch (err) {
    s.close();
    throw err;
  }
  return s;
}

const USAGE = "usage: fd_handoff.ts CONTROL [[HOST:]PORT]   (CONTROL: a path or @name)";

if (import.meta.main) {
  const [control, where = "8080", extra] = Deno.args;
  const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d{1,5})$/.exec(where);
  if (!control || extra !== undefined || !m || Number(m[2]) > 65535) {
    console.error(USAGE);
    Deno.exit(2);
  }
  const log = (line: string) => console.log(`fd_handoff[${Deno.pid}]: ${line}`);
  const addr = controlAddress(control);
  let server: HandoffServer | undefined;
  try {
    const taken = await requestListener(addr);
    let how: string;
    if (taken) {
      server = new HandoffServer(taken.listener, log);
      await taken.conn.send(encoder.encode("ready"));
      await taken.conn.recv(new Uint8Array(1)); // 0: the old server has let go
      taken.conn.close();
      how = `took over ${formatSockAddr(server.listener.getsockname())} from pid ${taken.from}`;
    } else {
      if (!addr.path.startsWith("\0")) await Deno.remove(addr.path).catch(() => {}); // stale
      server = new HandoffServer(listenFresh(m[1] ?? "127.0.0.1", Number(m[2])), log);
      how = `listening on ${formatSockAddr(server.listener.getsockname())}`;
    }
    server.openControl(addr);
    log(`${how}, control socket ${control}`);
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    console.error(`fd_handoff: ${err.message}`);
    await server?.stop();
    Deno.exit(1);
  }
  const at = formatSockAddr(server.listener.getsockname());
  let stopping: Promise<void> | undefined;
  const stop = () => void (stopping ??= server.stop());
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  const successor = await server.awaitSuccessor();
  await stopping;
  Deno.removeSignalListener("SIGTERM", stop);
  Deno.removeSignalListener("SIGINT", stop);
  log(successor === undefined ? "stopped" : `handed ${at} to pid ${successor}, exiting`);
}
