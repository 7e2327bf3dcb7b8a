/**
 * Tests that do not run on Node or Bun, each with the reason. The shim registers them with
 * node:test as skipped, so the runner's log shows the reason; the build fails on an entry whose
 * file or test name no longer exists.
 *
 * @module
 */

/** A runtime the npm package is tested on besides Deno. */
export type Runtime = "node" | "bun";

/** Why a test cannot run: one reason for both runtimes, or one for each runtime it skips on. */
export type Reason = string | Readonly<Partial<Record<Runtime, string>>>;

const DENO_NET = "needs Deno.connect/Deno.listen (the test compares with Deno's own sockets)";
const DENO_CHILD = "runs a `deno run` child (runDeno/runFixture); tests/runtime_process_test.ts " +
  "covers the child-process cases on every runtime";
const BUN_DGRAM = "native UDP is a native limit on Bun: its node:dgram binds asynchronously " +
  "(over Bun.udpSocket), so bind() cannot answer at once; Bun always has ffi";

/** The name that stands for every test of a file. */
export const ALL_TESTS = "*";

/** Test file (repository path) → test name (or {@linkcode ALL_TESTS}) → why it cannot run there. */
export const EXCLUDED: Readonly<Record<string, Readonly<Record<string, Reason>>>> = {
  "errno/deno_errors_test.ts": {
    "errnoFromError() maps each Deno.errors class that stands for an errno":
      "needs Deno.errors: it checks the mapping of Deno's own error classes",
    "errnoFromError() prefers errno, then code, then '(os error N)', then the class":
      "needs Deno.errors (builds Deno.errors.NotFound values; the last step is Deno's class mapping)",
    "errnoFromError() leaves permission refusals alone":
      "needs Deno.errors (NotCapable, PermissionDenied): Deno permission refusals",
  },
  "errno/socket_error_test.ts": {
    "SocketError.from() wraps an error with an errno, cause kept":
      "needs Deno.errors (wraps a Deno.errors.ConnectionRefused)",
    "SocketError.from() returns what carries no errno unchanged":
      "needs Deno.errors (a Deno.errors.NotCapable permission refusal)",
  },
  "tests/ffi_unix_test.ts": {
    "Socket.fromFd() on a descriptor that is not a socket throws ENOTSOCK and leaves it open":
      "opens its own source file and looks for a descriptor ending in .ts; compiled, it is .js",
  },
  "tests/native_datagram_test.ts": {
    [ALL_TESTS]: { bun: BUN_DGRAM },
  },
  "tests/sync_throw_test.ts": {
    "[native] every promise-returning call rejects, never throws, on every bad argument": {
      bun: `its fixture binds a native UDP socket: ${BUN_DGRAM}`,
    },
  },
  "tests/native_unix_test.ts": {
    "unix: abstract names work both ways": {
      node: "Node 20's libuv binds an abstract name padded with NULs to the whole sun_path " +
        "(/proc/net/unix shows @name@@@…), so python3, naming it exactly, is refused",
    },
  },
};

/** The reason `test` of `file` does not run on `runtime`, or `undefined` when it runs. */
export function exclusion(file: string, test: string, runtime: Runtime): string | undefined {
  const reason = EXCLUDED[file]?.[test] ?? EXCLUDED[file]?.[ALL_TESTS];
  if (reason === undefined || typeof reason === "string") return reason;
  return reason[runtime];
}

/** Reasons shared by several entries, exported for the build's report. */
export const REASONS = { DENO_NET, DENO_CHILD, BUN_DGRAM } as const;
