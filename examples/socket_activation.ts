/**
 * `socket_activation`: a service started by systemd socket activation. systemd
 * (or `systemd-socket-activate`) binds the listening sockets, then starts the
 * service with them open from descriptor 3 on and says so in the environment:
 * `LISTEN_FDS` (how many), `LISTEN_PID` (for which process) and `LISTEN_FDNAMES`
 * (their names, `:`-separated), as sd_listen_fds(3) reads them. The service
 * adopts each with `Socket.fromFd` and answers every connection with
 * `hello from <pid>`. Deno cannot listen on an inherited descriptor
 * (denoland/deno#14006, denoland/deno#6529); Node can, for a stream listener
 * (`server.listen({ fd: 3 })`), but leaves the variables to you.
 *
 * ```sh
 * systemd-socket-activate -l 127.0.0.1:8080 --fdname=web \
 *   deno run --allow-ffi --allow-env=LISTEN_PID,LISTEN_FDS,LISTEN_FDNAMES examples/socket_activation.ts
 * ```
 *
 * ```text
 * socket_activation: fd 3 (web): listening on 127.0.0.1:8080
 * socket_activation: fd 3 (web): hello to 127.0.0.1:34122
 * ```
 *
 * It serves until SIGTERM or SIGINT, then closes its sockets and exits with 0.
 * Without sockets passed to it (or ones passed to another process, whose pid is
 * in `LISTEN_PID`) it says so and exits with 1.
 *
 * @module
 */
import { formatSockAddr, SOCK_STREAM, Socket, SocketError } from "../mod.ts";

// The library's types, which the signatures below name (deno doc wants them public here).
export type * from "../mod.ts";

/** The first descriptor systemd passes (`SD_LISTEN_FDS_START`). */
export const SD_LISTEN_FDS_START = 3;

/** One passed socket. */
export interface ListenSocket {
  /** Its descriptor number as passed (3, 4…). */
  fd: number;
  /** Its name from `LISTEN_FDNAMES` (`FileDescriptorName=` in the .socket unit), or `"unknown"`. */
  name: string;
  /** The adopted socket. */
  socket: Socket;
}

/** The environment sd_listen_fds(3) reads. */
export interface ListenEnv {
  /** `LISTEN_PID`. */
  LISTEN_PID?: string;
  /** `LISTEN_FDS`. */
  LISTEN_FDS?: string;
  /** `LISTEN_FDNAMES`. */
  LISTEN_FDNAMES?: string;
}

/**
 * The sockets passed to this process, adopted (sd_listen_fds(3) with
 * sd_listen_fds_with_names(3)).
 *
 * @param env The three variables.
 * @param pid This process's id, which `LISTEN_PID` must name.
 * @returns The sockets, in descriptor order.
 * @throws {Error} When none were passed, or passed to another process.
 */
export function listenFds(env: ListenEnv, pid: number): ListenSocket[] {
  if (!env.LISTEN_FDS || !env.LISTEN_PID) {
    throw new Error("no sockets passed (LISTEN_FDS and LISTEN_PID are not set)");
  }
  if (env.LISTEN_PID !== String(pid)) {
    throw new Error(
      `the sockets were passed to pid ${env.LISTEN_PID} (LISTEN_PID), not to this process (${pid})`,
    );
  }
  const count = Number(env.LISTEN_FDS);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`LISTEN_FDS must be a positive count, got "${env.LISTEN_FDS}"`);
  }
  const names = env.LISTEN_FDNAMES?.split(":") ?? [];
  const out: ListenSocket[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const fd = SD_LISTEN_FDS_START + i;
      out.push({ fd, name: names[i] || "unknown", socket: Socket.fromFd(fd) });
    }
  } catch (err) {
    for (const s of out) s.socket.close();
    throw err;
  }
  return out;
}

/**
 * Answers every connection on `listener` with `hello from <pid>\n` until the
 * socket is closed.
 *
 * @param listener A listening stream socket.
 * @param onConnection Called with each peer's address.
 */
export async function serveHello(
  listener: Socket,
  onConnection?: (peer: string) => void,
): Promise<void> {
  const hello = new TextEncoder().encode(`hello from ${Deno.pid}\n`);
  for await (const conn of listener.accepted()) {
    using c = conn;
    onConnection?.(formatSockAddr(c.getpeername()));
    try {
      await c.sendAll(hello, 0, { timeout: 5000 });
    } catch (err) {
      if (!(err instanceof SocketError)) throw err; // a peer gone already
    }
  }
}

if (import.meta.main) {
  if (Deno.args.length > 0) {
    console.error("usage: socket_activation.ts (run by systemd socket activation; no arguments)");
    Deno.exit(2);
  }
  const vars = ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] as const;
  const env: ListenEnv = {};
  for (const v of vars) env[v] = Deno.env.get(v);
  let sockets: ListenSocket[];
  try {
    sockets = listenFds(env, Deno.pid);
  } catch (err) {
    console.error(`socket_activation: ${(err as Error).message}`);
    Deno.exit(1);
  }
  for (const v of vars) Deno.env.delete(v); // not for our children
  const stop = () => {
    for (const s of sockets) s.socket.close();
  };
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  const served: Promise<void>[] = [];
  for (const { fd, name, socket } of sockets) {
    const what = `fd ${fd} (${name})`;
    if (socket.type !== SOCK_STREAM || !socket.getsockopt("SOL_SOCKET", "SO_ACCEPTCONN")) {
      console.error(`socket_activation: ${what}: not a listening stream socket; closed`);
      socket.close();
      continue;
    }
    console.log(`socket_activation: ${what}: listening on ${formatSockAddr(socket.getsockname())}`);
    served.push(
      serveHello(socket, (peer) => console.log(`socket_activation: ${what}: hello to ${peer}`)),
    );
  }
  await Promise.all(served);
  Deno.removeSignalListener("SIGTERM", stop);
  Deno.removeSignalListener("SIGINT", stop);
}
