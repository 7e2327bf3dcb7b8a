/**
 * What one run of a benchmark row reports, and the clock that measures it: wall time and the
 * process's CPU time (user + system, all threads) over the same span, in the process that does
 * the work — so a peer in another process is never counted.
 *
 * @module
 */
import process from "node:process";

/** One run of one row: its operations, their wall time, and the CPU the process spent on them. */
export interface Sample {
  /** Operations done in the measured span: round trips, connections, MiB, socket pairs. */
  ops: number;
  /** Wall time of the span, in seconds. */
  seconds: number;
  /** The process's CPU time over the span, user + system, in microseconds. */
  cpuUs: number;
  /** Bytes that arrived and were counted (0 where nothing is echoed). */
  checked: number;
}

/** The process's CPU time so far, user + system, in microseconds (`process.cpuUsage()`). */
export function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Starts the clocks; the function it returns stops them and makes the Sample. */
export function clock(): (ops: number, checked?: number) => Sample {
  const t = performance.now();
  const cpu = cpuUs();
  return (ops, checked = 0) => ({
    ops,
    seconds: (performance.now() - t) / 1000,
    cpuUs: cpuUs() - cpu,
    checked,
  });
}
