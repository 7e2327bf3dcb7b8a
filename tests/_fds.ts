/**
 * Descriptor accounting for the integration tests: what /proc/self/fd holds,
 * close-on-exec flags, and the per-file ledger every integration test file
 * keeps (Deno's resource sanitizer cannot see descriptors opened through FFI).
 * Re-exported by `./_helpers.ts`.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { socketpair } from "../socket/create.ts";
import { reactor } from "../socket/ffi/reactor.ts";

/** Open descriptors of this process: number → what /proc/self/fd links to. */
export function openFds(): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    const fd = Number(entry.name);
    try {
      out.set(fd, Deno.readLinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // The directory handle of this very listing, closed by now.
    }
  }
  return out;
}

/** How many descriptors this process has open. */
export function fdCount(): number {
  return openFds().size;
}

/** The `flags:` field of /proc/self/fdinfo/`fd` (octal open flags, `O_CLOEXEC` is 0o2000000). */
export function fdFlags(fd: number): number {
  const info = Deno.readTextFileSync(`/proc/self/fdinfo/${fd}`);
  const m = /^flags:\s+([0-7]+)$/m.exec(info);
  if (!m) throw new Error(`No flags in /proc/self/fdinfo/${fd}:\n${info}`);
  return parseInt(m[1], 8);
}

const O_CLOEXEC = 0o2000000;

/** Whether `fd` is close-on-exec, read from /proc/self/fdinfo. */
export function isCloexec(fd: number): boolean {
  return (fdFlags(fd) & O_CLOEXEC) !== 0;
}

/**
 * The per-file descriptor check. Deno's resource sanitizer cannot see
 * descriptors opened through FFI, so each integration test file counts
 * /proc/self/fd before its first test and after its last:
 *
 * ```ts
 * const fds = fdLedger();
 * Deno.test("descriptors: counted before the first test", fds.start);
 * // … the file's tests …
 * Deno.test("descriptors: none left open by this file", fds.assertUnchanged);
 * ```
 *
 * `start` first brings up what stays open for the life of the process by design
 * (the reactor's epoll instance and SIGIO listener, the runtime's child-process
 * machinery) so only leaks are counted. The count is per process: run the test
 * files one after the other (`deno test` without `--parallel`), as the project's
 * task does.
 */
export function fdLedger(): { start: () => Promise<void>; assertUnchanged: () => Promise<void> } {
  let before: Map<number, string> | undefined;
  return {
    start: async () => {
      await warmUp();
      before = openFds();
    },
    assertUnchanged: async () => {
      if (before === undefined) return; // the first test was filtered out
      // Subprocess pipes and the like are released asynchronously: give them a moment.
      let now = openFds();
      for (let i = 0; i < 40 && now.size !== before.size; i++) {
        await new Promise((r) => setTimeout(r, 25));
        now = openFds();
      }
      const opened = [...now].filter(([fd, what]) => before!.get(fd) !== what);
      const closed = [...before].filter(([fd, what]) => now.get(fd) !== what);
      assertEquals(
        now.size,
        before.size,
        `descriptor count changed: opened ${JSON.stringify(opened)}, closed ${
          JSON.stringify(closed)
        }`,
      );
    },
  };
}

async function warmUp(): Promise<void> {
  // The first parked call starts the reactor (epoll fd, SIGIO listener).
  const [a, b] = socketpair(C.AF_UNIX, C.SOCK_STREAM, 0, { backend: "ffi" });
  await a.recv(new Uint8Array(1), 0, { timeout: 1 }).catch(() => {});
  a.close();
  b.close();
  // The runtime's first subprocess sets up its child reaping for good.
  await new Deno.Command("true", { stdout: "null", stderr: "null" }).output();
}

/**
 * `reactor.stats.safetyWakeups`: wakeups only the 250 ms safety-net poll delivered
 * (should be 0), once the reactor has judged the ones a late signal may still explain.
 */
export async function safetyWakeups(): Promise<number> {
  if (reactor.stats.safetyUnjudged > 0) await new Promise((r) => setTimeout(r, 300));
  return reactor.stats.safetyWakeups + reactor.stats.safetyUnjudged;
}
