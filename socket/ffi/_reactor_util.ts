/**
 * Small pieces of the reactor: the epoll event masks, which events wake which
 * kind of waiter, and holding the event loop with a timer.
 *
 * @module
 */
import { linuxSys as K } from "./_libc.ts";
import { Interest } from "./_reactor_types.ts";

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
    case Interest.Delay:
      return false;
    default:
      return (events & (K.EPOLLERR | K.EPOLLHUP)) !== 0;
  }
}
