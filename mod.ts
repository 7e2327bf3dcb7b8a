/**
 * The BSD sockets API for TypeScript: socket(2) and all that goes with it —
 * every domain and type, every option, the kernel's own errno, descriptor
 * passing, raw sockets. The `ffi` backend calls libc's socket functions and
 * gives a real descriptor; the `native` backend rides on the runtime's own
 * networking (`Deno.connect`, `Deno.listen`) where FFI is not permitted.
 *
 * @example A UDP datagram to oneself
 * ```ts
 * import { AF_INET, SOCK_DGRAM, socket } from "@bsdsock/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET, SOCK_DGRAM);
 * s.bind({ hostname: "127.0.0.1", port: 0 });
 * await s.sendto(new TextEncoder().encode("ping"), s.getsockname());
 * const buf = new Uint8Array(64);
 * const [n, from] = await s.recvfrom(buf);
 * assertEquals(n, 4);
 * assertEquals(from.family, "inet");
 * ```
 *
 * The subpath modules stand alone: `@bsdsock/socket/constants`, `/errno`,
 * `/address`, `/options`, `/raw`.
 *
 * @module
 */
export * from "./constants/mod.ts";
export * from "./errno/mod.ts";
// Both modules name their per-OS tables `linux` and `darwin`: here the constants keep
// those names and the errno tables are renamed.
export { darwin, linux } from "./constants/mod.ts";
export { darwin as darwinErrno, linux as linuxErrno } from "./errno/mod.ts";
export * from "./address/mod.ts";
export * from "./options/mod.ts";
export { Socket } from "./socket/socket.ts";
export type {
  Ancillary,
  CallOptions,
  MmsgMessage,
  OptionValue,
  RecvMmsgOptions,
  RecvMmsgResult,
  RecvMsgOptions,
  RecvMsgResult,
  SendMsgOptions,
} from "./socket/socket.ts";
export { socket, type SocketOptions, socketpair } from "./socket/create.ts";
export { recvFds, type RecvFdsResult, sendFds } from "./socket/fds.ts";
