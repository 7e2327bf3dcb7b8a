/**
 * `sys`: libc's socket calls with C semantics. Each returns what the C function
 * returns (`-1` on failure) and leaves the reason in `errno()`; a kernel refusal
 * never throws. What does throw, before the call, is a JavaScript-level mistake
 * that would otherwise reach the kernel as a wild pointer or length.
 *
 * @example A socket refused by the kernel
 * ```ts
 * import { errno, sys } from "@bsdsock/socket/raw";
 * import { errnoName } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(sys.socket(9999, 1, 0), -1);
 * assertEquals(errnoName(errno()), "EAFNOSUPPORT");
 * ```
 *
 * @module
 */
export { errno } from "./_libc.ts";
export { MsgHdr } from "./_msghdr.ts";
export * as sys from "./_sys_calls.ts";
