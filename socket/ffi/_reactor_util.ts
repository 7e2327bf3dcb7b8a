/**
 * Small pieces of the reactor: the epoll event masks, which events wake which
 * kind of waiter, holding the event loop with a timer, and installing the
 * SIGIO listener.
 *
 * @module
 */
import { linux as C } from "../../constants/linux.ts";
import { SocketError } from "../../errno/socket_error.ts";
import { errno, linuxSys as K, openLibc } from "./_libc.ts";
import { Interest } from "./_reactor_types.ts";
import * as sys from "./sys.ts";

/** Events that wake a reader. */
export const READ_EVENTS = K.EPOLLIN | K.EPOLLRDHUP | K.EPOLLHUP | K.EPOLLERR;
/** Events that wake a writer. */
export const WRITE_EVENTS = K.EPOLLOUT | K.EPOLLHUP | K.EPOLLERR;
/** What every descriptor is registered for (edge-triggered). */
export const REGISTER_EVENTS = (K.EPOLLIN | K.EPOLLOUT | K.EPOLLPRI | K.EPOLLRDHUP | K.EPOLLET) >>>
  0;

/**
 * Holds the event loop open with `timer`, or lets it go. Deno 2.9 hands out
 * Node-style Timeout objects whose own `ref`/`unref` must be used; a numeric id
 * goes through `Deno.refTimer`/`Deno.unrefTimer`.
 */
export function refTimer(timer: unknown, on: boolean): void {
  const t = timer as { ref?: () => void; unref?: () => void };
  if (typeof t?.ref === "function" && typeof t.unref === "function") {
    if (on) t.ref();
    else t.unref();
  } else if (on) Deno.refTimer(timer as number);
  else Deno.unrefTimer(timer as number);
}

/** Whether `events` wake a waiter with `interest`. */
export function matches(interest: Interest, events: number): boolean {
  switch (interest) {
    case Interest.Read:
      return (events & READ_EVENTS) !== 0;
    case Interest.Write:
      return (events & WRITE_EVENTS) !== 0;
    case Interest.Priority:
      return (events & (K.EPOLLPRI | K.EPOLLERR | K.EPOLLHUP)) !== 0;
    default:
      return (events & (K.EPOLLERR | K.EPOLLHUP)) !== 0;
  }
}

/**
 * Adds `onSignal` as the process's SIGIO listener. It must exist before any
 * descriptor gets O_ASYNC (SIGIO's default action ends the process), and the
 * runtime keeps it once added. The runtime's first signal listener takes two
 * descriptors and aborts the process when the table is full rather than
 * failing, so two are made (and closed again) first.
 *
 * @param onSignal The listener.
 * @param syscall The call to name in the error.
 * @throws {SocketError} `EMFILE` or `ENFILE` when two descriptors are not to be had.
 */
export function listenForSigio(onSignal: () => void, syscall: string): void {
  openLibc(); // first: on a runtime without FFI this is the error to give
  if (Deno.build.os !== "linux") {
    throw new Error(
      `The ffi backend's reactor uses epoll(7), which ${Deno.build.os} does not have`,
    );
  }
  const fds = new Int32Array(2);
  const type = C.SOCK_STREAM | C.SOCK_CLOEXEC;
  if (sys.socketpair(C.AF_UNIX, type, 0, fds) < 0) throw new SocketError(errno(), syscall);
  sys.close(fds[0]);
  sys.close(fds[1]);
  Deno.addSignalListener("SIGIO", onSignal);
}
