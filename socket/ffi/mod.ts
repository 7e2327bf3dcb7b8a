/**
 * The FFI layer: `sys`, libc's socket calls with C semantics (they return `-1`
 * and leave the reason in `errno()`), and the readiness reactor the ffi backend
 * parks on. Importing this module opens nothing: libc is opened on first use.
 *
 * @module
 */
export { errno, LIBC_ENV, LIBC_SYMBOLS } from "./_libc.ts";
export { MsgHdr } from "./sys.ts";
export * as sys from "./sys.ts";
export { type Reactor, reactor } from "./reactor.ts";
export { Interest, type ReactorStats, Registration, type Waiter } from "./_reactor_types.ts";
export type {
  Inet6Addr,
  InetAddr,
  NetlinkAddr,
  PacketAddr,
  SockAddr,
  UnixAddr,
} from "../../address/types.ts";
