/**
 * `syslog MESSAGE`: one RFC 5424 syslog line to the local syslog daemon
 * (journald, rsyslog, syslog-ng) through `/dev/log`, a unix datagram socket,
 * the way `logger` sends it. Node's `dgram` has no unix datagrams
 * (nodejs/node#29339), so Node loggers either spawn `logger` or fall back to UDP.
 *
 * ```sh
 * deno run --allow-ffi --allow-sys=hostname examples/syslog.ts -t myapp "disk almost full"
 * ```
 *
 * With `-s` the line goes to standard error too, as `logger -s` does:
 *
 * ```text
 * <13>1 2026-12-03T04:05:58.338Z vm myapp 12152 - - disk almost full
 * ```
 *
 * Options: `-p FACILITY.LEVEL` (default `user.notice`), `-t TAG` (default
 * `syslog.ts`), `-s` (also to stderr), `--socket PATH` (default `/dev/log`).
 *
 * @module
 */
import { AF_UNIX, SOCK_DGRAM, socket, SocketError } from "../mod.ts";

/** Facility numbers (RFC 5424 section 6.2.1, syslog(3)). */
export const FACILITIES: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

/** Severity numbers (RFC 5424 section 6.2.1). */
export const LEVELS: Readonly<Record<string, number>> = {
  emerg: 0,
  alert: 1,
  crit: 2,
  err: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
};

/**
 * The PRI of `facility.level` (`user.notice` is 13), as `logger -p` reads it.
 *
 * @param priority `FACILITY.LEVEL`.
 * @returns `facility * 8 + level`.
 * @throws {TypeError} For an unknown facility or level.
 */
export function parsePriority(priority: string): number {
  const [facility, level, extra] = priority.split(".");
  if (extra !== undefined || !(facility in FACILITIES) || !(level in LEVELS)) {
    throw new TypeError(`unknown priority "${priority}" (FACILITY.LEVEL, such as user.notice)`);
  }
  return FACILITIES[facility] * 8 + LEVELS[level];
}

/** RFC 5424's APP-NAME: 1 to 48 printable ASCII characters, no space. */
const APP_NAME = /^[!-~]{1,48}$/;

/** The fields of one RFC 5424 line. */
export interface SyslogLine {
  /** `facility * 8 + severity`. */
  pri: number;
  /** When; default now. */
  time?: Date;
  /** HOSTNAME. */
  hostname: string;
  /** APP-NAME: printable ASCII without spaces, at most 48 characters. */
  tag: string;
  /** PROCID. */
  pid: number;
  /** MSG. */
  message: string;
}

/**
 * One RFC 5424 line: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG`,
 * with neither message id nor structured data (`- -`).
 *
 * @param line The fields.
 * @returns The line, without a newline.
 */
export function formatSyslog(line: SyslogLine): string {
  if (!APP_NAME.test(line.tag)) {
    throw new TypeError(`a tag is 1 to 48 printable ASCII characters, got "${line.tag}"`);
  }
  const time = (line.time ?? new Date()).toISOString();
  return `<${line.pri}>1 ${time} ${
    line.hostname || "-"
  } ${line.tag} ${line.pid} - - ${line.message}`;
}

/**
 * Sends `line` as one datagram to the syslog socket.
 *
 * @param line The text, as {@linkcode formatSyslog} makes it.
 * @param path The socket: `/dev/log` on Linux.
 * @returns Bytes sent.
 * @throws {SocketError} When the socket cannot be reached (`ENOENT`, `ECONNREFUSED`, `EPROTOTYPE`…).
 */
export async function sendSyslog(line: string, path = "/dev/log"): Promise<number> {
  using s = socket(AF_UNIX, SOCK_DGRAM);
  await s.connect({ path });
  return await s.send(new TextEncoder().encode(line));
}

const USAGE = "usage: syslog.ts [-p FACILITY.LEVEL] [-t TAG] [-s] [--socket PATH] MESSAGE...";

/** The command line, parsed; a string is the usage error. */
export function parseArgs(args: readonly string[]): {
  pri: number;
  tag: string;
  stderr: boolean;
  socket: string;
  message: string;
} | string {
  const out = { pri: 13, tag: "syslog.ts", stderr: false, socket: "/dev/log" };
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-s") out.stderr = true;
    else if (a === "-p" || a === "-t" || a === "--socket") {
      const v = args[++i];
      if (v === undefined) return `${a} needs a value`;
      if (a === "-p") {
        try {
          out.pri = parsePriority(v);
        } catch (err) {
          return (err as Error).message;
        }
      } else if (a === "-t") {
        if (!APP_NAME.test(v)) return "a tag is 1 to 48 printable ASCII characters";
        out.tag = v;
      } else out.socket = v;
    } else if (a === "--") {
      words.push(...args.slice(i + 1));
      break;
    } else if (a.startsWith("-") && a.length > 1) return `unknown option ${a}`;
    else words.push(a);
  }
  if (words.length === 0) return "MESSAGE is missing";
  return { ...out, message: words.join(" ") };
}

if (import.meta.main) {
  const args = parseArgs(Deno.args);
  if (typeof args === "string") {
    console.error(`syslog: ${args}\n${USAGE}`);
    Deno.exit(2);
  }
  const line = formatSyslog({
    pri: args.pri,
    hostname: Deno.hostname(),
    tag: args.tag,
    pid: Deno.pid,
    message: args.message,
  });
  if (args.stderr) console.error(line);
  try {
    await sendSyslog(line, args.socket);
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    console.error(`syslog: ${err.message}`);
    Deno.exit(1);
  }
}
