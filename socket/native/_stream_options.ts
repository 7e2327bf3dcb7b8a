/**
 * Options of native stream sockets: what Deno lets a connection set
 * (`TCP_NODELAY` → `setNoDelay`, `SO_KEEPALIVE` → `setKeepAlive`), kept and
 * applied once the connection exists (and inherited by accepted connections,
 * as Linux copies them from the listener), plus the values Linux itself
 * gives. Anything else is a native limit (`ENOPROTOOPT`).
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import { EINVAL, ENOPROTOOPT, EOPNOTSUPP, EPROTO } from "../../errno/names.ts";
import { SocketError } from "../../errno/socket_error.ts";
import { fail } from "./_errors.ts";
import {
  intBytes,
  intValue,
  isReadOnly,
  optionLimit,
  readOnlyOption,
  readOnlyRefusal,
  type SocketFacts,
} from "./_opt_common.ts";
import type { RuntimeConn } from "./_runtime.ts";

/** What the stream's state adds to its options. */
export interface StreamFacts extends SocketFacts {
  /** Whether bind() was called, or the socket is connected or listening (IPV6_V6ONLY is then fixed). */
  bound: boolean;
  /** The connection, once there is one. */
  conn: RuntimeConn | undefined;
}

// IPPROTO_IP options that Linux refuses on a TCP socket with EPROTO.
const MEMBERSHIP_OPTIONS = new Set<number>([C.IP_ADD_MEMBERSHIP, C.IP_DROP_MEMBERSHIP]);

/** The options of one stream socket. */
export class StreamOptions {
  /** TCP_NODELAY. */
  noDelay = false;
  /** SO_KEEPALIVE. */
  keepAlive = false;
  /** SO_REUSEADDR as set (a Deno TCP listener has it on regardless). */
  reuseAddr = false;
  /** IPV6_V6ONLY. */
  v6only = false;
  readonly #tcp: boolean;
  readonly #domain: number;

  /**
   * @param tcp TCP rather than a unix stream.
   * @param domain `AF_INET`, `AF_INET6` or `AF_UNIX`.
   */
  constructor(tcp: boolean, domain: number) {
    this.#tcp = tcp;
    this.#domain = domain;
  }

  /** The options an accepted connection starts with: the listener's. */
  inherit(): StreamOptions {
    const child = new StreamOptions(this.#tcp, this.#domain);
    child.noDelay = this.noDelay;
    child.keepAlive = this.keepAlive;
    child.reuseAddr = this.#tcp || this.reuseAddr;
    child.v6only = this.v6only;
    return child;
  }

  /** Applies what was set to a new connection. */
  apply(conn: RuntimeConn): void {
    if (!this.#tcp) return;
    try {
      if (this.noDelay) conn.setNoDelay?.(true);
      if (this.keepAlive) conn.setKeepAlive?.(true);
    } catch (err) {
      throw SocketError.from(err, "setsockopt");
    }
  }

  /** setsockopt(2). */
  set(level: number, name: number, value: Uint8Array, facts: StreamFacts): void {
    if (isReadOnly(level, name)) throw readOnlyRefusal();
    if (level === C.SOL_SOCKET) {
      if (name === C.SO_KEEPALIVE) {
        this.keepAlive = intValue(level, value) !== 0;
        if (this.#tcp && facts.conn) this.#call(() => facts.conn!.setKeepAlive?.(this.keepAlive));
        return;
      }
      if (name === C.SO_REUSEADDR) {
        const on = intValue(level, value) !== 0;
        if (this.#tcp && !on) {
          throw optionLimit("setsockopt", level, name, " = 0 (Deno's TCP listeners always set it)");
        }
        this.reuseAddr = on;
        return;
      }
      throw optionLimit("setsockopt", level, name);
    }
    // A unix socket has only SOL_SOCKET options.
    if (!this.#tcp) throw fail(EOPNOTSUPP, "setsockopt");
    if (level === C.IPPROTO_TCP) {
      if (name !== C.TCP_NODELAY) throw optionLimit("setsockopt", level, name);
      this.noDelay = intValue(level, value) !== 0;
      if (facts.conn) this.#call(() => facts.conn!.setNoDelay?.(this.noDelay));
      return;
    }
    if (level === C.IPPROTO_IPV6) {
      if (this.#domain !== C.AF_INET6) throw fail(ENOPROTOOPT, "setsockopt");
      if (name !== C.IPV6_V6ONLY) throw optionLimit("setsockopt", level, name);
      const on = intValue(level, value) !== 0;
      if (facts.bound) throw fail(EINVAL, "setsockopt");
      this.v6only = on;
      return;
    }
    if (level === C.IPPROTO_IP && MEMBERSHIP_OPTIONS.has(name)) throw fail(EPROTO, "setsockopt");
    throw optionLimit("setsockopt", level, name);
  }

  /** getsockopt(2): what was set, Linux's default where nothing was. */
  get(level: number, name: number, size: number, facts: StreamFacts): Uint8Array {
    const fixed = readOnlyOption(level, name, size, facts);
    if (fixed !== undefined) return fixed;
    if (level === C.SOL_SOCKET) {
      if (name === C.SO_KEEPALIVE) return intBytes(level, this.keepAlive ? 1 : 0, size);
      if (name === C.SO_REUSEADDR) {
        const on = this.reuseAddr || (this.#tcp && facts.listening);
        return intBytes(level, on ? 1 : 0, size);
      }
      throw optionLimit("getsockopt", level, name);
    }
    if (!this.#tcp) throw fail(EOPNOTSUPP, "getsockopt");
    if (level === C.IPPROTO_TCP && name === C.TCP_NODELAY) {
      return intBytes(level, this.noDelay ? 1 : 0, size);
    }
    if (level === C.IPPROTO_IPV6) {
      if (this.#domain !== C.AF_INET6) throw fail(EOPNOTSUPP, "getsockopt");
      if (name === C.IPV6_V6ONLY) return intBytes(level, this.v6only ? 1 : 0, size);
    }
    throw optionLimit("getsockopt", level, name);
  }

  #call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      throw SocketError.from(err, "setsockopt");
    }
  }
}
