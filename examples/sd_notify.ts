/**
 * `sd_notify STATE...`: tells systemd how a `Type=notify` service is doing
 * (`READY=1`, `STATUS=…`, `RELOADING=1`, `STOPPING=1`, `WATCHDOG=1`), as
 * `systemd-notify` and sd_notify(3) do: the states, one per line, in one
 * datagram to the unix socket named by `$NOTIFY_SOCKET` (a path, or `@name` in
 * the abstract namespace). Node's `dgram` has no unix datagrams
 * (nodejs/node#61933), and Deno has them only behind `--unstable-net`
 * (denoland/deno#14214).
 *
 * ```sh
 * deno run --allow-ffi --allow-env=NOTIFY_SOCKET examples/sd_notify.ts READY=1 "STATUS=Serving"
 * ```
 *
 * Like `systemd-notify`, it prints nothing when the message went out. Outside a
 * notify service it says so and exits with 1:
 *
 * ```text
 * sd_notify: NOTIFY_SOCKET is not set: not started by systemd as a Type=notify service
 * ```
 *
 * The kernel attaches the sender's credentials to the datagram (systemd turns
 * `SO_PASSCRED` on), which is how systemd knows the message came from the
 * service's main process: a long-running service should call
 * {@linkcode sdNotify} itself rather than run this as a child.
 *
 * @module
 */
import { AF_UNIX, SOCK_DGRAM, socket, SocketError, type UnixAddr } from "../mod.ts";

export type { UnixAddr };

/**
 * The address `$NOTIFY_SOCKET` names: a path, or `@name` for the abstract namespace.
 *
 * @param value The variable's value.
 * @returns The unix socket address.
 * @throws {TypeError} For anything else (systemd's `vsock:` addresses included).
 */
export function notifyAddress(value: string): UnixAddr {
  if (value.startsWith("@") && value.length > 1) {
    return { family: "unix", path: `\0${value.slice(1)}` };
  }
  if (value.startsWith("/")) return { family: "unix", path: value };
  throw new TypeError(`NOTIFY_SOCKET must be an absolute path or @name, got "${value}"`);
}

/**
 * Sends `states` to the notify socket as one datagram, one `KEY=value` per line.
 *
 * @param states `READY=1`, `STATUS=…`…
 * @param notifySocket The value of `$NOTIFY_SOCKET`.
 * @returns Bytes sent.
 * @throws {SocketError} When the socket cannot be reached (`ENOENT`, `ECONNREFUSED`…).
 */
export async function sdNotify(states: readonly string[], notifySocket: string): Promise<number> {
  const addr = notifyAddress(notifySocket);
  const bad = states.find((s) => !isState(s));
  if (bad !== undefined) throw new TypeError(`a state must be KEY=value on one line, got "${bad}"`);
  using sock = socket(AF_UNIX, SOCK_DGRAM);
  return await sock.sendto(new TextEncoder().encode(states.join("\n")), addr);
}

/**
 * Whether `s` is one state: `KEY=value`, the key in capitals, all on one line.
 *
 * @param s The text.
 * @returns `true` for `READY=1`, `false` for `ready`.
 */
export function isState(s: string): boolean {
  return /^[A-Z_][A-Z0-9_]*=[^\n]*$/.test(s);
}

const USAGE = 'usage: sd_notify.ts STATE... (for example READY=1 "STATUS=Serving")';

if (import.meta.main) {
  const states = Deno.args;
  const bad = states.find((s) => !isState(s));
  if (states.length === 0 || bad !== undefined) {
    console.error(
      `sd_notify: ${bad === undefined ? "no STATE given" : `"${bad}" is not KEY=value`}\n${USAGE}`,
    );
    Deno.exit(2);
  }
  const notifySocket = Deno.env.get("NOTIFY_SOCKET");
  if (!notifySocket) {
    console.error(
      "sd_notify: NOTIFY_SOCKET is not set: not started by systemd as a Type=notify service",
    );
    Deno.exit(1);
  }
  try {
    await sdNotify(states, notifySocket);
  } catch (err) {
    if (!(err instanceof SocketError) && !(err instanceof TypeError)) throw err;
    console.error(`sd_notify: ${err.message}`);
    Deno.exit(1);
  }
}
