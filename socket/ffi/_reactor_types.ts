/**
 * The reactor's data: what a call waits for, a parked call, a tracked
 * descriptor, and the counters.
 *
 * @module
 */
import type { SockAddr } from "../../address/types.ts";

/** What a parked call waits for. */
export const Interest = {
  /** Readable, end of stream, or an error. */
  Read: 1,
  /** Writable (or connected), or an error. */
  Write: 2,
  /** Urgent (out-of-band) data. */
  Priority: 4,
  /** Something on the error queue (`MSG_ERRQUEUE`). */
  ErrorQueue: 8,
  /**
   * Nothing the descriptor reports: the wait ends when its delay runs out (see
   * `Reactor.delay`), on close, abort or timeout.
   */
  Delay: 16,
} as const;
/** One of {@linkcode Interest}'s values. */
export type Interest = typeof Interest[keyof typeof Interest];

/** A parked call. */
export interface Waiter {
  /** What it waits for. */
  interest: Interest;
  /** The call, for its errors. */
  syscall: string;
  /** The address the call is about, for its errors. */
  address: SockAddr | undefined;
  /** Wakes the call. */
  resolve: () => void;
  /** Fails the call. */
  reject: (reason: unknown) => void;
  /** Its timeout, or 0. */
  timer: ReturnType<typeof setTimeout> | 0;
  /** Its abort signal. */
  signal: AbortSignal | undefined;
  /** Its abort listener. */
  onAbort: (() => void) | undefined;
}

/** One tracked descriptor: its epoll key and the calls parked on it. */
export class Registration {
  /** The descriptor. */
  readonly fd: number;
  /** The generation that tags this descriptor's epoll events. */
  readonly gen: number;
  /** Calls parked on this descriptor. */
  readonly waiters: Waiter[] = [];
  /** Added to epoll (on the first park). */
  inEpoll = false;
  /** `O_ASYNC` is set: the kernel raises SIGIO on readiness changes. */
  signalling = false;
  /** `F_SETOWN` was done. */
  owned = false;
  /** The file status flags (F_GETFL), read when O_ASYNC is first switched; -1 before. */
  flags: number = -1;
  /** The kernel raises SIGIO when this descriptor becomes writable again. */
  readonly writeSignals: boolean;

  /** Tracks `fd` under generation `gen`. */
  constructor(fd: number, gen: number, writeSignals = true) {
    this.fd = fd;
    this.gen = gen;
    this.writeSignals = writeSignals;
  }
}

/** Counters, for tests and benchmarks. */
export interface ReactorStats {
  /** epoll_wait calls made. */
  polls: number;
  /** SIGIO deliveries handled. */
  signals: number;
  /** Times the reactor stopped polling from microtasks and slept on SIGIO. */
  sleeps: number;
  /** Times a run of microtask polls hit its time budget and yielded to the event loop. */
  yields: number;
  /** Wakeups the backoff poll delivered (unix datagram sends, which raise no SIGIO). */
  backoffWakeups: number;
  /** Wakeups only the safety-net timer delivered (should stay 0). */
  safetyWakeups: number;
  /**
   * Safety-net wakeups not judged yet: a signal that comes after one and finds
   * nothing shows it was late (its SIGIO was on its way), not lost; those no
   * signal clears by the next tick of the safety net count in `safetyWakeups`.
   */
  safetyUnjudged: number;
  /** Calls parked. */
  parks: number;
  /** fcntl(F_SETFL) calls that switched O_ASYNC on or off. */
  asyncSwitches: number;
}
