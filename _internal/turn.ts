/**
 * One turn of the event loop.
 *
 * @module
 */

/**
 * Resolves on a later turn of the event loop (a macrotask), never from the
 * microtask queue: timers and I/O run first. The native backend gives a
 * runtime operation whose data is already in the kernel that long before a
 * non-blocking call answers `EAGAIN`; the ffi backend rejects a retryable
 * failure (accept(2) at the descriptor limit) through it, so that a retry loop
 * lets the event loop run, nested turns being spaced some milliseconds apart.
 *
 * @returns A promise resolved on the next macrotask.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
