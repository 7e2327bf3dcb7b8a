/**
 * Unit tests that do not run on Node, each with the reason. The shim registers them with
 * node:test as skipped, so node's log shows the reason; the build fails on an entry whose file or
 * test name no longer exists.
 *
 * @module
 */

/** Test file (repository path) → test name → why it cannot run on Node. */
export const EXCLUDED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
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
};
