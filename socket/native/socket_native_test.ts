import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertMatch,
  assertRejects,
  assertThrows,
} from "@std/assert";
import { linux as C } from "../../constants/mod.ts";
import { SocketError } from "../../errno/mod.ts";
import type { SockAddr } from "../../address/mod.ts";
import { op } from "./_test_utils.ts";
import { isNativeLimit, NativeSocket } from "./mod.ts";

// Everything here is decided before the runtime is asked: no permission needed.

const v4 = (port = 0): SockAddr => ({ family: "inet", hostname: "127.0.0.1", port });
const int = (n: number) => new Uint8Array(new Int32Array([n]).buffer);

function throwsCode(fn: () => unknown, code: string): SocketError {
  const err = assertThrows(fn);
  assertInstanceOf(err, SocketError);
  assertEquals(err.code, code, err.message);
  return err;
}

async function rejectsCode(fn: () => Promise<unknown>, code: string): Promise<SocketError> {
  const err = await assertRejects(fn);
  assertInstanceOf(err, SocketError);
  assertEquals(err.code, code, err.message);
  return err;
}

Deno.test("NativeSocket.create / canCarry", () => {
  const s = NativeSocket.create(C.AF_INET, C.SOCK_STREAM, 0);
  assertEquals([s.backend, s.fd], ["native", -1]);
  s.close();
  assertEquals(NativeSocket.canCarry(C.AF_INET6, C.SOCK_DGRAM, 0), true);
  assertEquals(NativeSocket.canCarry(C.AF_UNIX, C.SOCK_DGRAM, 0), false);
  throwsCode(() => NativeSocket.create(C.AF_INET, C.SOCK_STREAM, C.IPPROTO_UDP), "EPROTONOSUPPORT");
  assert(
    isNativeLimit(
      throwsCode(() => NativeSocket.create(C.AF_UNIX, C.SOCK_SEQPACKET, 0), "ESOCKTNOSUPPORT"),
    ),
  );
});

Deno.test("TCP before any connection: Linux's errno", async () => {
  const s = NativeSocket.create(C.AF_INET, C.SOCK_STREAM, 0);
  await rejectsCode(() => s.recv(new Uint8Array(1), 0, op()), "ENOTCONN");
  await rejectsCode(() => s.send(new Uint8Array(1), 0, op()), "EPIPE");
  await rejectsCode(() => s.sendto(new Uint8Array(1), v4(9), 0, op()), "EPIPE");
  await rejectsCode(() => s.accept(op()), "EINVAL");
  throwsCode(() => s.getpeername(), "ENOTCONN");
  throwsCode(() => s.shutdown(C.SHUT_RD), "ENOTCONN");
  throwsCode(() => s.shutdown(7), "EINVAL");
  assertEquals(s.getsockname(), { family: "inet", hostname: "0.0.0.0", port: 0 });
  throwsCode(() => s.bind({ family: "inet6", hostname: "::1", port: 0 }), "EAFNOSUPPORT");
  s.bind(v4(0));
  assertEquals(s.getsockname(), v4(0)); // recorded until listen()
  throwsCode(() => s.bind(v4(0)), "EINVAL");
  await rejectsCode(() => s.recv(new Uint8Array(1), C.MSG_ERRQUEUE, op()), "EAGAIN");
  assert(
    isNativeLimit(
      await rejectsCode(() => s.recv(new Uint8Array(1), C.MSG_OOB, op()), "EOPNOTSUPP"),
    ),
  );
  s.close();
});

Deno.test("TCP options without a connection", () => {
  const s = NativeSocket.create(C.AF_INET6, C.SOCK_STREAM, 0);
  const get = (level: number, name: number) =>
    new DataView(s.getsockopt(level, name, 4).buffer).getInt32(0, true);
  assertEquals(get(C.SOL_SOCKET, C.SO_TYPE), C.SOCK_STREAM);
  assertEquals(get(C.SOL_SOCKET, C.SO_DOMAIN), C.AF_INET6);
  assertEquals(get(C.SOL_SOCKET, C.SO_PROTOCOL), C.IPPROTO_TCP);
  assertEquals(get(C.SOL_SOCKET, C.SO_ACCEPTCONN), 0);
  assertEquals(get(C.SOL_SOCKET, C.SO_ERROR), 0);
  s.setsockopt(C.IPPROTO_TCP, C.TCP_NODELAY, int(1));
  assertEquals(get(C.IPPROTO_TCP, C.TCP_NODELAY), 1);
  s.setsockopt(C.IPPROTO_IPV6, C.IPV6_V6ONLY, int(1));
  assertEquals(get(C.IPPROTO_IPV6, C.IPV6_V6ONLY), 1);
  throwsCode(() => s.setsockopt(C.SOL_SOCKET, C.SO_TYPE, int(1)), "ENOPROTOOPT");
  throwsCode(() => s.setsockopt(C.SOL_SOCKET, C.SO_KEEPALIVE, new Uint8Array(2)), "EINVAL");
  const err = throwsCode(
    () => s.setsockopt(C.SOL_SOCKET, C.SO_LINGER, new Uint8Array(8)),
    "ENOPROTOOPT",
  );
  assert(isNativeLimit(err));
  assertMatch(
    err.message,
    /^setsockopt: Protocol not available \(ENOPROTOOPT\) \[SOL_SOCKET\/SO_LINGER: /,
  );
  assertMatch(err.message, /--allow-ffi/);
  s.close();
});

Deno.test("UDP before any datagram: Linux's errno", async () => {
  const s = NativeSocket.create(C.AF_INET, C.SOCK_DGRAM, 0);
  throwsCode(() => s.listen(1), "EOPNOTSUPP");
  await rejectsCode(() => s.accept(op()), "EOPNOTSUPP");
  await rejectsCode(() => s.send(new Uint8Array(1), 0, op()), "EDESTADDRREQ");
  await rejectsCode(() => s.sendto(new Uint8Array(1), v4(0), 0, op()), "EINVAL");
  await rejectsCode(() => s.sendto(new Uint8Array(70000), v4(9), 0, op()), "EMSGSIZE");
  await rejectsCode(() => s.sendto(new Uint8Array(1), v4(9), C.MSG_OOB, op()), "EOPNOTSUPP");
  await rejectsCode(() => s.recv(new Uint8Array(1), 0, op({ nonblocking: true })), "EAGAIN");
  throwsCode(() => s.shutdown(C.SHUT_WR), "ENOTCONN");
  throwsCode(() => s.getpeername(), "ENOTCONN");
  assertEquals(s.getsockname(), { family: "inet", hostname: "0.0.0.0", port: 0 });
  throwsCode(() => s.setsockopt(C.IPPROTO_IP, C.IP_TTL, int(256)), "EINVAL");
  throwsCode(() => s.setsockopt(C.IPPROTO_IP, C.IP_ADD_MEMBERSHIP, new Uint8Array(4)), "EINVAL");
  s.setsockopt(C.SOL_SOCKET, C.SO_RCVBUF, int(100000));
  assertEquals(s.getsockopt(C.SOL_SOCKET, C.SO_RCVBUF, 4), int(200000));
  s.close();
});

Deno.test("unix before any connection: Linux's errno", async () => {
  const s = NativeSocket.create(C.AF_UNIX, C.SOCK_STREAM, 0);
  throwsCode(() => s.listen(1), "EINVAL");
  await rejectsCode(() => s.recv(new Uint8Array(1), 0, op()), "EINVAL");
  await rejectsCode(() => s.send(new Uint8Array(1), 0, op()), "ENOTCONN");
  s.shutdown(C.SHUT_RDWR);
  assertEquals(s.getsockname(), { family: "unix", path: "" });
  throwsCode(() => s.bind(v4(0)), "EINVAL");
  throwsCode(() => s.setsockopt(C.IPPROTO_TCP, C.TCP_NODELAY, int(1)), "EOPNOTSUPP");
  s.close();
});

Deno.test("close: idempotent, then EBADF everywhere", async () => {
  for (
    const [d, t] of [[C.AF_INET, C.SOCK_STREAM], [C.AF_INET, C.SOCK_DGRAM], [
      C.AF_UNIX,
      C.SOCK_STREAM,
    ]]
  ) {
    const s = NativeSocket.create(d, t, 0);
    s.close();
    s.close();
    throwsCode(() => s.bind(v4()), "EBADF");
    throwsCode(() => s.listen(1), "EBADF");
    throwsCode(() => s.getsockname(), "EBADF");
    throwsCode(() => s.getsockopt(C.SOL_SOCKET, C.SO_TYPE, 4), "EBADF");
    await rejectsCode(() => s.recv(new Uint8Array(1), 0, op()), "EBADF");
    await rejectsCode(() => s.send(new Uint8Array(1), 0, op()), "EBADF");
    await rejectsCode(() => s.accept(op()), "EBADF");
    await rejectsCode(() => s.connect(v4(9), op()), "EBADF");
    await rejectsCode(() => s.sendmsg([new Uint8Array(1)], [], 0, undefined, op()), "EBADF");
  }
});

Deno.test("sendmsg with ancillary data is a native limit", async () => {
  const s = NativeSocket.create(C.AF_INET, C.SOCK_STREAM, 0);
  const err = await rejectsCode(
    () =>
      s.sendmsg(
        [new Uint8Array(1)],
        [{ level: 1, type: 1, data: new Uint8Array(4) }],
        0,
        undefined,
        op(),
      ),
    "EOPNOTSUPP",
  );
  assert(isNativeLimit(err));
  s.close();
});
