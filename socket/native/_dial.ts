/**
 * Connection attempts of native stream sockets: the checks Linux makes before
 * it tries (the address, IPV6_V6ONLY, port 0, a bound source), the runtime
 * call, and an attempt's lifetime (a blocking connect's deadline and abort
 * signal close the attempt). Also the lstat(2) probe a unix bind() makes.
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import {
  EADDRINUSE,
  ECONNREFUSED,
  ENETUNREACH,
  ENOENT,
  EOPNOTSUPP,
  ETIMEDOUT,
} from "../../errno/names.ts";
import { errnoFromError } from "../../errno/deno_errors.ts";
import type { SockAddr } from "../../address/types.ts";
import type { Op } from "../_backend.ts";
import { ipAddrErrno, ipTarget, isV4Mapped, loopbackSource, unixAddrErrno } from "./_addr.ts";
import { fail, fromRuntime, nativeLimit } from "./_errors.ts";
import * as rt from "./_runtime.ts";

/** Makes the runtime connection; `signal` abandons it. */
export type Dial = (signal: AbortSignal) => Promise<rt.RuntimeConn>;

/**
 * The TCP dial for `addr`, after Linux's checks: the family and length,
 * IPV6_V6ONLY against a v4-mapped address (`ENETUNREACH`), port 0 (nothing
 * listens there: `ECONNREFUSED` on loopback). A socket bound to a port is a
 * native limit: `Deno.connect` cannot choose the source port.
 */
export function tcpDial(
  addr: SockAddr,
  domain: number,
  v6only: boolean,
  bound: SockAddr | undefined,
): Dial {
  const errno = ipAddrErrno("connect", "tcp", domain, addr, v6only);
  if (errno) throw fail(errno, "connect", addr);
  const target = ipTarget(addr, domain);
  if (domain === C.AF_INET6 && v6only && isV4Mapped(target.addr.hostname)) {
    throw fail(ENETUNREACH, "connect", addr);
  }
  if (target.port === 0) {
    if (loopbackSource(target.addr) !== undefined) throw fail(ECONNREFUSED, "connect", addr);
    throw nativeLimit(EOPNOTSUPP, "connect", "connecting to port 0", addr);
  }
  if (bound !== undefined && "port" in bound && bound.port !== 0) {
    throw nativeLimit(EOPNOTSUPP, "connect", "connecting from a bound port", addr);
  }
  return (signal) => rt.connectTcp(target, signal);
}

/**
 * The unix dial for `addr`. `Deno.connect` takes no signal for unix sockets:
 * an abandoned attempt that completes later is closed.
 */
export function unixDial(addr: SockAddr, bound: SockAddr | undefined): Dial {
  const errno = unixAddrErrno("connect", addr);
  if (errno) throw fail(errno, "connect", addr);
  if (bound !== undefined) {
    throw nativeLimit(EOPNOTSUPP, "connect", "connecting from a named unix socket", addr);
  }
  const path = (addr as { path: string }).path;
  return (signal) =>
    new Promise<rt.RuntimeConn>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      rt.connectUnix(path).then((conn) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) conn.close();
        else resolve(conn);
      }, (err) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      });
    });
}

/** A connection attempt under way. */
export interface Attempt {
  /** Aborting it closes the attempt; `done` rejects with the reason. */
  controller: AbortController;
  /** The connection, or the error (`ETIMEDOUT` at the deadline, the signal's reason on abort). */
  done: Promise<rt.RuntimeConn>;
}

/**
 * Runs `dial`. With `op` (a blocking connect) the deadline and the signal end
 * it; with `null` (non-blocking) only the controller does. `closed` says
 * whether the socket was closed meanwhile (the error is then `EBADF`).
 */
export function attempt(dial: Dial, addr: SockAddr, op: Op | null, closed: () => boolean): Attempt {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const signal = op?.signal;
  const onAbort = () => controller.abort(signal!.reason);
  if (op !== null && op.deadline !== null) {
    const left = Math.max(0, op.deadline - performance.now());
    timer = setTimeout(() => controller.abort(fail(ETIMEDOUT, "connect", addr)), left);
  }
  signal?.addEventListener("abort", onAbort, { once: true });
  const cleanup = () => {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  };
  const done = dial(controller.signal).then((conn) => {
    cleanup();
    return conn;
  }, (err) => {
    cleanup();
    if (controller.signal.aborted && err === controller.signal.reason) throw err;
    throw fromRuntime(err, "connect", addr, closed());
  });
  return { controller, done };
}

/**
 * What Linux's bind(2) would say of a unix path, read with lstat(2) where
 * read permission is already granted (no prompt): an existing file is
 * `EADDRINUSE`, a missing directory `ENOENT`. Without permission, listen()
 * reports these instead.
 */
export function probeUnixPath(path: string, addr: SockAddr): void {
  const found = rt.probePath(path);
  if (found === undefined) return;
  if (found === "exists") throw fail(EADDRINUSE, "bind", addr);
  const errno = errnoFromError(found);
  if (errno !== ENOENT) {
    if (errno !== undefined) throw fail(errno, "bind", addr);
    return;
  }
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
  const parent = rt.probePath(dir);
  if (parent instanceof Error) {
    const e = errnoFromError(parent);
    if (e !== undefined) throw fail(e, "bind", addr);
  }
}
