import { assertEquals } from "@std/assert";
import {
  EACCES,
  EADDRINUSE,
  EADDRNOTAVAIL,
  EAGAIN,
  EBADF,
  EBUSY,
  ECONNABORTED,
  ECONNREFUSED,
  ECONNRESET,
  EEXIST,
  EINTR,
  EINVAL,
  EISDIR,
  ELOOP,
  ENETUNREACH,
  ENOENT,
  ENOTCONN,
  ENOTDIR,
  EOPNOTSUPP,
  EPIPE,
  errnoFromError,
  ETIMEDOUT,
  EWOULDBLOCK,
  SocketError,
} from "./mod.ts";

Deno.test("errnoFromError() maps each Deno.errors class that stands for an errno", () => {
  const expected: Record<string, number> = {
    NotFound: ENOENT,
    PermissionDenied: EACCES,
    ConnectionRefused: ECONNREFUSED,
    ConnectionReset: ECONNRESET,
    ConnectionAborted: ECONNABORTED,
    NotConnected: ENOTCONN,
    AddrInUse: EADDRINUSE,
    AddrNotAvailable: EADDRNOTAVAIL,
    BrokenPipe: EPIPE,
    AlreadyExists: EEXIST,
    TimedOut: ETIMEDOUT,
    Interrupted: EINTR,
    WouldBlock: EAGAIN,
    BadResource: EBADF,
    Busy: EBUSY,
    NotSupported: EOPNOTSUPP,
    FilesystemLoop: ELOOP,
    IsADirectory: EISDIR,
    NetworkUnreachable: ENETUNREACH,
    NotADirectory: ENOTDIR,
  };
  const notErrno = ["NotCapable", "InvalidData", "WriteZero", "UnexpectedEof", "Http"];
  const errors = Deno.errors as unknown as Record<string, new (msg: string) => Error>;
  for (const cls of Object.keys(errors)) {
    const got = errnoFromError(new errors[cls]("message"));
    if (notErrno.includes(cls)) assertEquals(got, undefined, cls);
    else assertEquals(got, expected[cls], `${cls} is not mapped (a new Deno.errors class?)`);
  }
});

Deno.test("errnoFromError() prefers errno, then code, then '(os error N)', then the class", () => {
  const e1 = Object.assign(new Deno.errors.NotFound("x (os error 2)"), {
    errno: 13,
    code: "EEXIST",
  });
  assertEquals(errnoFromError(e1), 13);
  const e2 = Object.assign(new Deno.errors.NotFound("x (os error 2)"), { code: "EEXIST" });
  assertEquals(errnoFromError(e2), EEXIST);
  assertEquals(errnoFromError(new Deno.errors.NotFound("No such file (os error 17)")), 17);
  assertEquals(errnoFromError(new Deno.errors.NotFound("gone")), ENOENT);
});

Deno.test("errnoFromError() reads Deno's code on a TypeError (EINVAL) and aliases", () => {
  const invalid = Object.assign(new TypeError("Invalid argument (os error 22)"), {
    code: "EINVAL",
  });
  assertEquals(errnoFromError(invalid), EINVAL);
  assertEquals(errnoFromError({ code: "EWOULDBLOCK" }), EWOULDBLOCK);
  assertEquals(errnoFromError({ message: "Broken pipe (os error 32)" }), 32);
});

Deno.test("errnoFromError() skips Node's negative errno and uses its code", () => {
  assertEquals(errnoFromError({ errno: -111, code: "ECONNREFUSED" }), ECONNREFUSED);
  // getaddrinfo errors are not errnos: EAI_NONAME as -3008 / "ENOTFOUND".
  assertEquals(errnoFromError({ errno: -3008, code: "ENOTFOUND" }), undefined);
  assertEquals(errnoFromError({ code: "ERR_INVALID_ARG_TYPE" }), undefined);
});

Deno.test("errnoFromError() leaves permission refusals alone", () => {
  const notCapable = new Deno.errors.NotCapable(
    'Requires net access to "127.0.0.1:9", run again with the --allow-net flag',
  );
  assertEquals(errnoFromError(notCapable), undefined);
  const deno1 = new Deno.errors.PermissionDenied(
    'Requires net access to "127.0.0.1:9", run again with the --allow-net flag',
  );
  assertEquals(errnoFromError(deno1), undefined);
  const os = Object.assign(new Deno.errors.PermissionDenied("Permission denied (os error 13)"), {
    code: "EACCES",
  });
  assertEquals(errnoFromError(os), EACCES);
});

Deno.test("errnoFromError() gives undefined for what carries no errno", () => {
  for (
    const value of [
      undefined,
      null,
      111,
      "ECONNREFUSED",
      new Error("boom"),
      new Error("(os error 0)"),
      { errno: 0 },
      { errno: 1.5 },
      { errno: "111" },
      { code: "constructor" },
      { code: "__proto__" },
      { code: "toString" },
    ]
  ) {
    assertEquals(errnoFromError(value), undefined, String(value));
  }
});

Deno.test("errnoFromError() reads a SocketError's errno", () => {
  assertEquals(errnoFromError(new SocketError(ETIMEDOUT, "recv")), ETIMEDOUT);
});
