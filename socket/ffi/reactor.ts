/**
 * The readiness reactor of the ffi backend.
 *
 * Every descriptor is non-blocking. A call that meets `EAGAIN` parks here until
 * the descriptor is ready again. Readiness comes from one edge-triggered epoll
 * instance, always read without blocking (`epoll_wait(…, 0)`), at two moments:
 *
 * - **The fast path.** Right after a call parks, and after each poll that woke
 *   somebody, a poll runs from a microtask, so traffic between sockets of this
 *   process never waits for a signal. A run of microtask polls ends after a few
 *   empty polls (then the reactor sleeps) or after 2 ms (then it yields to the
 *   event loop), so timers and other I/O are never starved.
 * - **SIGIO.** Before the reactor sleeps or yields, every descriptor with a
 *   parked call gets `O_ASYNC` and `F_SETOWN` (this process), so the kernel
 *   raises SIGIO when its readiness changes; one
 *   `Deno.addSignalListener("SIGIO")` (`process.on` on Node and Bun) drains
 *   epoll and wakes the waiters. It is
 *   installed before the backend's first socket, while two descriptors are
 *   free for the runtime's signal pipe (else that socket() fails with `EMFILE`).
 *
 * The epoll descriptor is made at the same moment, before the first socket,
 * and kept for the life of the backend (the process or worker): a call that
 * needs no descriptor of its own (a `connect()` that parks, an `accept()` that
 * waits) then never fails for want of one when the table is full.
 *
 * On Node the event loop itself watches the epoll descriptor (libuv's uv_poll,
 * through koffi) and wakes the reactor as SIGIO would: no descriptor gets
 * `O_ASYNC` there (see `watchReadable` in `_libc.ts` for the measurement).
 *
 * Not done on Deno, though measured faster: sleeping on a thread's poll(2) of
 * the epoll descriptor (a `nonblocking: true` FFI symbol), one wakeup per sleep
 * instead of a signal per descriptor per readiness change (1,000 connections
 * echoing 64 KiB: 0.90× → 0.99× Deno.listen's rate; 20,000 connects 1.01× →
 * 1.21×; 10,000-connection stress 1.39× → 0.98× its wall time). With Deno
 * 2.9.6 and a `nonblocking` symbol declared, a synchronous call's errno
 * sometimes reads wrong: a nonblocking connect(2)'s `EINPROGRESS` read as
 * `ENOENT` in 3 of 84 runs of the benchmark's 20,000-connect row, and in 19
 * of 660 runs of a 30-line script that declares one and never calls it (none
 * of 440 runs without it; two smaller variants showed nothing in 300 runs, so
 * the trigger is not isolated). Exact errno comes first.
 *
 * While anything waits, an interval timer holds the event loop open (in this
 * Deno a signal listener does not) and polls as a safety net, counted in
 * `stats.safetyWakeups` (one that a late signal, on a starved machine, turns
 * out to have been on its way for is not); it is unref'd when nothing waits,
 * so a script with idle sockets exits on its own.
 *
 * @module
 */
import { linux as C } from "../../constants/linux.ts";
import { linux as E } from "../../errno/linux.ts";
import { SocketError } from "../../errno/socket_error.ts";
import type { SockAddr } from "../../address/types.ts";
import { errno, linuxSys as K, onSigio, openLibc, runtimeOs, watchReadable } from "./_libc.ts";
import { Interest, type ReactorStats, Registration, type Waiter } from "./_reactor_types.ts";
import { matches, refTimer, REGISTER_EVENTS } from "./_reactor_util.ts";
import * as sys from "./sys.ts";

// The reactor runs on Linux only (epoll): its errno numbers are Linux's.
const EBADF = E.EBADF.errno;
const ETIMEDOUT = E.ETIMEDOUT.errno;

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
function listenForSigio(onSignal: () => void, syscall: string): void {
  const fds = new Int32Array(2);
  const type = C.SOCK_STREAM | C.SOCK_CLOEXEC;
  if (sys.socketpair(C.AF_UNIX, type, 0, fds) < 0) throw new SocketError(errno(), syscall);
  sys.close(fds[0]);
  sys.close(fds[1]);
  onSigio(onSignal);
}

/**
 * Empty microtask polls in a row before the reactor sleeps on SIGIO: it
 * adapts between 0 and MAX_SPIN_POLLS (see {@linkcode Reactor.spinPolls}),
 * starting at INITIAL_SPIN_POLLS.
 */
const INITIAL_SPIN_POLLS = 16;
const MAX_SPIN_POLLS = 128;
/**
 * A wakeup that comes this soon after the reactor went to sleep, in ms,
 * would have been caught by spinning longer, for less than the sleep costs.
 */
const SPIN_WORTH_MS = 0.05;
/**
 * Microtask turns without a park or a wakeup before the next poll: the calls
 * that just ran (a send, then a park) finish their turn first, so the poll finds
 * what they made ready instead of finding nothing. 64-byte ping-pong within one
 * process, runs alternating 4 and 12: Deno 45.8k against 44.7k round trips/s,
 * Node 41.7k against 39.3k, Bun 50.0k against 47.0k; against the C echo server
 * and with 1,000 connections, no difference beyond noise.
 */
const QUIET_TURNS = 4;
/** Longest run of microtask polls, in milliseconds, before the reactor yields to the event loop. */
const SPIN_BUDGET_MS = 2;
/** First and longest interval of the backoff poll for sends no SIGIO will wake, in ms. */
const BACKOFF_MIN_MS = 1;
const BACKOFF_MAX_MS = 64;
/** Microtask turns with nothing parked before the reactor lets the event loop end. */
const RELEASE_TURNS = 8;
/** Interval of the safety-net poll while anything waits, in milliseconds. */
const SAFETY_POLL_MS = 250;
/** How long after its tick the safety-net poll runs, so pending signals go first, in ms. */
const SAFETY_DEFER_MS = 50;
const MAX_EVENTS = 64;
/**
 * Microtasks are queued as reactions of this settled promise, not with
 * `queueMicrotask`: Node's wraps each callback in an `AsyncResource`, which
 * cost about 3 µs of CPU per 64-byte in-process round trip (12 % of the rate)
 * on Node 20, where a promise reaction costs what it does in Deno and Bun.
 */
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The readiness reactor: one epoll instance, drained by microtask polls while
 * traffic flows and by SIGIO when it does not.
 *
 * O_ASYNC is switched on a descriptor only when the reactor goes to sleep with a
 * call parked on it, and off again when a microtask poll (not a signal) finds it
 * ready, or when it is found ready with no call waiting: traffic between sockets
 * of this process then raises no signals at all, a listener accepting back to
 * back raises none per connection, while a descriptor that keeps waiting on
 * another process keeps SIGIO on.
 */
class Reactor {
  #epfd = -1;
  #events = new Uint8Array(MAX_EVENTS * K.EPOLL_EVENT_SIZE);
  #eventView = new DataView(this.#events.buffer);
  #ctl = new Uint8Array(K.EPOLL_EVENT_SIZE);
  #ctlView = new DataView(this.#ctl.buffer);
  #byFd = new Map<number, Registration>();
  #parked = new Set<Registration>();
  #nextGen = 1;
  #waiting = 0;
  #scheduled = false;
  #idle = 0;
  #spinPolls = INITIAL_SPIN_POLLS;
  /** When the reactor last went to sleep (performance.now()), or -1 once judged. */
  #sleptAt = -1;
  #spinStart = -1;
  #quiet = 0;
  #yielding = false;
  #fromSignal = false;
  #timer: ReturnType<typeof setInterval> | 0 = 0;
  #timerRef = false;
  #owner = 0;
  /** Counters, for tests and benchmarks. */
  readonly stats: ReactorStats = {
    polls: 0,
    signals: 0,
    sleeps: 0,
    yields: 0,
    safetyWakeups: 0,
    safetyUnjudged: 0,
    backoffWakeups: 0,
    parks: 0,
    asyncSwitches: 0,
  };

  /** Descriptors currently tracked. */
  get size(): number {
    return this.#byFd.size;
  }

  /**
   * How many empty microtask polls the reactor makes before it sleeps, now.
   * Spinning pays when replies come within a few microseconds (a fast peer,
   * traffic inside the process) and wastes a core when they come later (a slow
   * peer, a mostly idle connection), where sleeping on SIGIO is cheaper. So
   * the count follows the wakeups: one that only a signal brought, soon after
   * the reactor slept, doubles it; a late one halves it (down to 0: sleep at
   * once); a spin that caught readiness in the second half of its polls
   * doubles it.
   */
  get spinPolls(): number {
    return this.#spinPolls;
  }

  /** Calls currently parked. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Starts tracking `fd`. Nothing reaches the kernel until a call parks on it.
   *
   * @param fd The descriptor.
   * @param writeSignals Whether the kernel raises SIGIO when the descriptor becomes
   *   writable again. It does not for unix datagram and seqpacket sockets (a
   *   sender blocked on its peer's full queue is woken through poll only): their
   *   parked sends are polled on a backoff timer while the reactor sleeps.
   */
  track(fd: number, writeSignals = true): Registration {
    const reg = new Registration(fd, this.#nextGen++ >>> 0, writeSignals);
    this.#byFd.set(fd, reg);
    return reg;
  }

  /**
   * Stops tracking: removes the descriptor from epoll (a duplicate of it elsewhere
   * would otherwise keep it registered) and ends every parked call with
   * `SocketError` `EBADF`. Call before close(2).
   */
  untrack(reg: Registration): void {
    if (this.#byFd.get(reg.fd) === reg) this.#byFd.delete(reg.fd);
    if (reg.inEpoll) {
      sys.epollCtl(this.#epfd, K.EPOLL_CTL_DEL, reg.fd, this.#ctl);
      reg.inEpoll = false;
    }
    this.#parked.delete(reg);
    const parked = reg.waiters.splice(0);
    for (const w of parked) this.#settle(w, new SocketError(EBADF, w.syscall, w.address));
  }

  /**
   * Parks until `reg` is ready for `interest`; rejects with `SocketError` `ETIMEDOUT`
   * after `timeoutMs`, with the signal's reason on abort, and with
   * `SocketError` `EBADF` when the descriptor is untracked (closed).
   *
   * @param reg The descriptor.
   * @param interest What to wait for.
   * @param timeoutMs Milliseconds left, or `null`.
   * @param signal Aborts the wait.
   * @param syscall The call that waits, for its errors.
   * @param address The address the call is about, for its errors.
   */
  wait(
    reg: Registration,
    interest: Interest,
    timeoutMs: number | null,
    signal: AbortSignal | undefined,
    syscall: string,
    address?: SockAddr,
  ): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (interest === Interest.Delay) throw new RangeError("wait() cannot wait for Delay");
    if (!reg.inEpoll) this.#add(reg);
    // While the reactor yields to the event loop nothing polls from microtasks:
    // the descriptor needs SIGIO now (the pending self-signal covers readiness
    // that came before O_ASYNC was set).
    if (this.#yielding && !reg.signalling) {
      this.#signalling(reg, true);
      // Write space raises SIGIO only if O_ASYNC was on when the send failed:
      // let the call fail once more, now with O_ASYNC on.
      if (interest === Interest.Write) return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const w = this.#waiter(reg, interest, syscall, address, signal, resolve, reject);
      if (timeoutMs !== null) w.timer = this.#expireAfter(reg, w, timeoutMs);
      reg.waiters.push(w);
      this.#parked.add(reg);
      this.#quiet = QUIET_TURNS;
      this.stats.parks++;
      if (this.#waiting++ === 0 && !this.#timerRef) this.#holdLoop();
      if (!this.#yielding) this.#schedule();
    });
  }

  /**
   * Parks a call for `delayMs` on `reg`, for what readiness cannot announce: a
   * send to a unix datagram socket's full queue by address, where the sender's
   * epoll says writable whatever the receiver's queue holds. Like
   * {@linkcode wait}, it rejects on timeout, abort and close.
   *
   * @param reg The descriptor.
   * @param delayMs How long to wait, in milliseconds.
   * @param timeoutMs Milliseconds left, or `null`.
   * @param signal Aborts the wait.
   * @param syscall The call that waits, for its errors.
   * @param address The address the call is about, for its errors.
   */
  delay(
    reg: Registration,
    delayMs: number,
    timeoutMs: number | null,
    signal: AbortSignal | undefined,
    syscall: string,
    address?: SockAddr,
  ): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const w = this.#waiter(reg, Interest.Delay, syscall, address, signal, resolve, reject);
      w.timer = timeoutMs !== null && timeoutMs <= delayMs
        ? this.#expireAfter(reg, w, timeoutMs)
        : setTimeout(() => this.#drop(reg, w, undefined), delayMs);
      reg.waiters.push(w);
      // Not in #parked and not counted in #waiting: nothing is polled for it,
      // and its own timer holds the event loop open.
      this.stats.parks++;
    });
  }

  /** A waiter on `reg` for `interest`, its abort hooked to `signal`; the caller adds its timer. */
  #waiter(
    reg: Registration,
    interest: Interest,
    syscall: string,
    address: SockAddr | undefined,
    signal: AbortSignal | undefined,
    resolve: () => void,
    reject: (reason: unknown) => void,
  ): Waiter {
    const w: Waiter = {
      interest,
      syscall,
      address,
      resolve,
      reject,
      timer: 0,
      signal,
      onAbort: undefined,
    };
    if (signal) {
      w.onAbort = () => this.#drop(reg, w, signal.reason);
      signal.addEventListener("abort", w.onAbort, { once: true });
    }
    return w;
  }

  /** A timer that ends `w` with `SocketError` `ETIMEDOUT` after `ms`. */
  #expireAfter(reg: Registration, w: Waiter, ms: number): ReturnType<typeof setTimeout> {
    return setTimeout(
      () => this.#drop(reg, w, new SocketError(ETIMEDOUT, w.syscall, w.address)),
      ms,
    );
  }

  #drop(reg: Registration, w: Waiter, reason: unknown): void {
    const i = reg.waiters.indexOf(w);
    if (i < 0) return;
    reg.waiters.splice(i, 1);
    if (reg.waiters.length === 0) this.#parked.delete(reg);
    this.#settle(w, reason);
  }

  #settle(w: Waiter, reason?: unknown): void {
    if (w.timer) clearTimeout(w.timer);
    if (w.onAbort) w.signal!.removeEventListener("abort", w.onAbort);
    if (w.interest !== Interest.Delay && --this.#waiting === 0) this.#releaseSoon();
    if (reason === undefined) w.resolve();
    else w.reject(reason);
  }

  /**
   * Makes the epoll descriptor and installs the SIGIO listener (see
   * {@linkcode listenForSigio}), once for the life of the backend; the ffi
   * backend calls it before it makes its first socket, so both exist before any
   * descriptor is tracked and neither is ever made when the table may be full.
   *
   * @param syscall The call to name in the error.
   * @throws {SocketError} `EMFILE` or `ENFILE` when the three descriptors are not to be had.
   */
  prepare(syscall: string): void {
    if (this.#listening) return;
    if (this.#epfd < 0) {
      openLibc(syscall); // first: on a runtime without FFI this is the error to give
      if (runtimeOs() !== "linux") {
        throw new Error(
          `The ffi backend's reactor uses epoll(7), which ${runtimeOs()} does not have`,
        );
      }
      const fd = sys.epollCreate1(K.EPOLL_CLOEXEC);
      if (fd < 0) throw new SocketError(errno(), syscall);
      this.#epfd = fd;
      this.#owner = sys.getpid();
    }
    listenForSigio(this.#onSignal, syscall);
    this.#loopWatch = watchReadable(this.#epfd, this.#onSignal);
    this.#listening = true;
  }

  #add(reg: Registration): void {
    if (this.#epfd < 0) this.prepare("epoll_create1");
    const v = this.#ctlView;
    v.setUint32(0, REGISTER_EVENTS, true);
    v.setUint32(4, reg.fd, true);
    v.setUint32(8, reg.gen, true);
    if (sys.epollCtl(this.#epfd, K.EPOLL_CTL_ADD, reg.fd, this.#ctl) < 0) {
      throw new Error(`epoll_ctl(EPOLL_CTL_ADD, ${reg.fd}) failed with errno ${errno()}`);
    }
    reg.inEpoll = true;
  }

  /** Switches O_ASYNC (and, the first time, F_SETOWN) on or off for `reg`. */
  #signalling(reg: Registration, on: boolean): void {
    if (this.#loopWatch) {
      reg.signalling = on; // the event loop watches epoll itself: no SIGIO needed
      return;
    }
    if (on && !reg.owned) {
      sys.fcntl(reg.fd, K.F_SETOWN, this.#owner);
      reg.owned = true;
    }
    // The file status flags are read once: the backend's own are all it sets.
    if (reg.flags < 0) reg.flags = sys.fcntl(reg.fd, K.F_GETFL);
    if (reg.flags < 0) return;
    sys.fcntl(reg.fd, K.F_SETFL, on ? reg.flags | K.O_ASYNC : reg.flags & ~K.O_ASYNC);
    reg.signalling = on;
    this.stats.asyncSwitches++;
  }

  #onSignal = (): void => {
    this.stats.signals++;
    // A signal that finds nothing came for what a safety-net poll took first:
    // that wakeup was late (a starved signal thread), not lost.
    const sleptAt = this.#sleptAt;
    const woke = this.#resume();
    if (woke === 0) this.stats.safetyUnjudged = 0;
    else if (sleptAt >= 0) this.#judgeSleep(performance.now() - sleptAt);
  };

  /** Adapts the spin to a wakeup that came `ms` after the reactor slept. */
  #judgeSleep(ms: number): void {
    this.#sleptAt = -1;
    if (ms < SPIN_WORTH_MS) this.#growSpin();
    else this.#spinPolls >>= 1;
  }

  /** Doubles the spin (from 0 to 2), up to MAX_SPIN_POLLS. */
  #growSpin(): void {
    this.#spinPolls = Math.min(MAX_SPIN_POLLS, this.#spinPolls * 2 || 2);
  }

  /** A macrotask turn: the spin budget starts afresh. Returns how many waiters woke. */
  #resume(): number {
    this.#yielding = false;
    this.#spinStart = -1;
    this.#idle = 0;
    this.#fromSignal = true;
    const woke = this.poll();
    this.#fromSignal = false;
    if (this.#waiting > 0) this.#schedule();
    return woke;
  }

  /**
   * Holds the event loop open while calls wait. It is let go a few microtask
   * turns after nothing waits ({@linkcode #releaseSoon}): traffic makes the
   * count touch 0 between every two hops and parks again within a turn or
   * two, so a ref/unref pair per hop is not paid, while a script whose last
   * call has ended exits at once, not at the interval's next tick.
   */
  #holdLoop(): void {
    if (!this.#timer) this.#timer = setInterval(this.#safetyPoll, SAFETY_POLL_MS);
    else refTimer(this.#timer, true);
    this.#timerRef = true;
  }

  #releaseTurns = 0;

  /** Lets the event loop go if nothing has parked again after RELEASE_TURNS microtask turns. */
  #releaseSoon(): void {
    if (this.#releaseTurns > 0 || !this.#timerRef) return;
    this.#releaseTurns = RELEASE_TURNS;
    RESOLVED.then(this.#releaseCheck);
  }

  #releaseCheck = (): void => {
    if (this.#waiting > 0 || !this.#timerRef) {
      this.#releaseTurns = 0;
      return;
    }
    if (--this.#releaseTurns > 0) {
      RESOLVED.then(this.#releaseCheck);
      return;
    }
    refTimer(this.#timer, false);
    this.#timerRef = false;
  };

  #safetyPoll = (): void => {
    // Safety-net wakeups no signal came after within a tick were lost ones.
    this.stats.safetyWakeups += this.stats.safetyUnjudged;
    this.stats.safetyUnjudged = 0;
    if (this.#waiting === 0) {
      // Nothing waits: let the event loop end (a script with idle sockets exits).
      refTimer(this.#timer, false);
      this.#timerRef = false;
      return;
    }
    if (this.#safetyPending) return;
    // A SIGIO raised before this tick may still wait in the event loop behind
    // it (timers run first). Poll a little later, after such a signal has been
    // handled, so that what this poll wakes is a wakeup no signal delivered.
    this.#safetyPending = true;
    setTimeout(this.#safetyPollNow, SAFETY_DEFER_MS);
  };

  #safetyPending = false;
  #listening = false;
  /** The runtime's event loop watches the epoll descriptor (Node: uv_poll through koffi). */
  #loopWatch = false;

  #safetyPollNow = (): void => {
    this.#safetyPending = false;
    if (this.#waiting === 0) return;
    // While yielding, a SIGIO of our own is on its way: a wakeup now is not a lost one.
    const pending = this.#yielding;
    const before = this.#waiting;
    this.#resume();
    if (!pending && this.#waiting < before) this.stats.safetyUnjudged++;
  };

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    RESOLVED.then(this.#tick);
  }

  #tick = (): void => {
    this.#scheduled = false;
    if (this.#waiting === 0 || this.#yielding) return;
    if (this.#quiet > 0) {
      this.#quiet--;
      this.#schedule();
      return;
    }
    const now = performance.now();
    if (this.#spinStart < 0) this.#spinStart = now;
    // No spin wanted: the poll the sleep ends with is the only one.
    const woke = this.#spinPolls === 0 ? 0 : this.poll();
    if (woke > 0) {
      // Caught late in the spin: a little more would catch the next one too.
      if (this.#idle > this.#spinPolls >> 1) {
        this.#growSpin();
      }
      this.#idle = 0;
      this.#quiet = QUIET_TURNS;
    } else this.#idle++;
    if (this.#waiting === 0) return;
    if (now - this.#spinStart >= SPIN_BUDGET_MS) {
      // Long enough in microtasks: let timers and other I/O run. Parked
      // descriptors signal from now on, and a SIGIO to ourselves brings the
      // reactor back after the event loop has had its turn.
      this.stats.yields++;
      this.#yielding = true;
      this.#sleep();
      sys.kill(this.#owner, K.SIGIO);
      return;
    }
    if (this.#idle < this.#spinPolls) {
      this.#schedule();
      return;
    }
    // Nothing moves: sleep on SIGIO. Readiness that came before O_ASYNC was set
    // is already queued in epoll, so one more poll catches it; where every
    // parked descriptor already signalled, what came since raised its SIGIO.
    this.stats.sleeps++;
    this.#spinStart = -1;
    this.#idle = 0;
    if (this.#sleep() && this.poll() > 0) this.#schedule();
    else this.#sleptAt = performance.now();
  };

  /**
   * Switches SIGIO on for every descriptor with a parked call. Returns whether
   * any was switched now (readiness before that raised no signal).
   */
  #sleep(): boolean {
    let unsignalled = false;
    let switched = false;
    // Deleting from a Set while iterating it is safe (#wake may drop `reg`).
    for (const reg of this.#parked) {
      if (!reg.signalling) {
        switched = true;
        this.#signalling(reg, true);
        // Write space raises SIGIO only if O_ASYNC was on when the send failed:
        // wake parked sends to fail once more, now with O_ASYNC on.
        this.#wake(reg, K.EPOLLOUT);
      }
      if (!reg.writeSignals && reg.waiters.some((w) => w.interest === Interest.Write)) {
        unsignalled = true;
      }
    }
    if (unsignalled) this.#startBackoff();
    return switched;
  }

  #backoffTimer: ReturnType<typeof setTimeout> | 0 = 0;
  #backoffMs = BACKOFF_MIN_MS;

  /** Polls on a doubling interval while a send no signal will wake is parked. */
  #startBackoff(): void {
    if (this.#backoffTimer) return;
    this.#backoffTimer = setTimeout(this.#backoffPoll, this.#backoffMs);
  }

  #backoffPoll = (): void => {
    this.#backoffTimer = 0;
    const woke = this.poll();
    if (woke > 0) {
      this.stats.backoffWakeups++;
      this.#backoffMs = BACKOFF_MIN_MS;
      this.#schedule();
    } else this.#backoffMs = Math.min(this.#backoffMs * 2, BACKOFF_MAX_MS);
    for (const reg of this.#parked) {
      if (!reg.writeSignals && reg.waiters.some((w) => w.interest === Interest.Write)) {
        this.#startBackoff();
        return;
      }
    }
    this.#backoffMs = BACKOFF_MIN_MS;
  };

  /**
   * Drains ready events without blocking and wakes the matching waiters.
   *
   * @returns How many waiters were woken.
   */
  poll(): number {
    if (this.#epfd < 0) return 0;
    let woke = 0;
    const view = this.#eventView;
    // Edge-triggered: an event not taken now raises no new signal. A full batch
    // may have left more in epoll's ready list, so take until one is not full.
    for (let n = MAX_EVENTS; n === MAX_EVENTS;) {
      this.stats.polls++;
      n = sys.epollWait(this.#epfd, this.#events, MAX_EVENTS, 0);
      for (let i = 0; i < n; i++) {
        const off = i * K.EPOLL_EVENT_SIZE;
        const events = view.getUint32(off, true);
        const reg = this.#byFd.get(view.getUint32(off + 4, true));
        if (reg === undefined || reg.gen !== view.getUint32(off + 8, true)) continue;
        const w = this.#wake(reg, events);
        // Signals would only cost when a microtask poll found this descriptor ready
        // (its traffic is local and fast), or when it is ready with nothing waiting
        // (a listener accepting back to back, a connection read without parking):
        // each new connection or segment would raise a SIGIO nobody needs.
        if (reg.signalling && (w > 0 ? !this.#fromSignal : reg.waiters.length === 0)) {
          this.#signalling(reg, false);
        }
        woke += w;
      }
    }
    return woke;
  }

  #wake(reg: Registration, events: number): number {
    const list = reg.waiters;
    let woke = 0;
    for (let i = 0; i < list.length;) {
      const w = list[i];
      if (matches(w.interest, events)) {
        list.splice(i, 1);
        this.#settle(w);
        woke++;
      } else i++;
    }
    if (list.length === 0) this.#parked.delete(reg);
    return woke;
  }
}

/** The process-wide reactor. */
export const reactor: Reactor = new Reactor();
export type { Reactor };
