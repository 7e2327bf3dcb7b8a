/**
 * The types `mod.ts` makes public. They are gathered here, and `mod.ts` re-exports this file with
 * `export *`, because `deno test --doc` imports every name a module exports into each of its
 * examples (denoland/deno#26900) and `noUnusedLocals` then rejects the example.
 *
 * @module
 */
export type { ErrnoInfo, ErrnoTable } from "./_types.ts";
export type {
  Inet6Addr,
  InetAddr,
  NetlinkAddr,
  PacketAddr,
  SockAddr,
  UnixAddr,
} from "../socket/address.ts";
