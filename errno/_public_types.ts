/**
 * The types `mod.ts` makes public, gathered in one place.
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
} from "../address/mod.ts";
