/**
 * Native datagram sockets (UDP over IPv4/IPv6) on `node:dgram`: the socket is
 * made and bound when bind() is called (or, as Linux autobinds, at the first
 * sendto() or connect()); received datagrams wait whole in a bounded queue,
 * so `MSG_PEEK` and `MSG_TRUNC` are exact. connect() is kept here — a default
 * destination, and a filter on received datagrams — because `node:dgram`'s
 * own connect resolves the address through DNS in Deno.
 *
 * @module
 */
import { current as C } from "../../constants/_current.ts";
import {
  EACCES,
  EAGAIN,
  EBADF,
  EDESTADDRREQ,
  EINVAL,
  EMSGSIZE,
  ENETUNREACH,
  ENODEV,
  ENOTCONN,
  EOPNOTSUPP,
  EPERM,
  EPIPE,
} from "../../errno/names.ts";
import { SocketError } from "../../errno/socket_error.ts";
import type { SockAddr } from "../../address/types.ts";
import type { Op } from "../_backend.ts";
import {
  inet6,
  ipAddrErrno,
  type IpTarget,
  ipTarget,
  isV4Mapped,
  isWildcard,
  loopbackSource,
  sameIp,
  unspecified,
} from "./_addr.ts";
import { capacity, type NativeCore, type Received, scatter } from "./_core.ts";
import { DatagramOptions } from "./_dgram_options.ts";
import { DatagramQueue } from "./_dgram_queue.ts";
import { fail, fromRuntime, nativeLimit } from "./_errors.ts";
import { readOnlyOption } from "./_opt_common.ts";
import { createUdp, type UdpSocket } from "./_runtime.ts";
import type { Triple } from "./_triple.ts";
import { Waiters } from "./_wait.ts";
import { nextTurn } from "../../_internal/turn.ts";

const UDP_MAX = 0xffff;

interface RemoteInfo {
  address: string;
  port: number;
}

/** A UDP socket on the native backend. */
export class NativeDatagram implements NativeCore {
  readonly #triple: Triple;
  readonly #queue = new DatagramQueue(0);
  readonly #opts: DatagramOptions;
  readonly #wait: Waiters;
  #sock: UdpSocket | null = null;
  #bound: SockAddr | undefined;
  #peer: SockAddr | undefined;
  #closed = false;
  #rdShut = false;
  #wrShut = false;
  #error: Error | null = null;
  #bindError: Error | null = null;

  /** @param triple The socket's kind, domain and protocol. */
  constructor(triple: Triple) {
    this.#triple = triple;
    this.#opts = new DatagramOptions(triple.domain, this.#queue);
    this.#wait = new Waiters((busy) => {
      if (this.#sock === null || this.#closed) return;
      if (busy) this.#sock.ref();
      else this.#sock.unref();
    });
  }

  #live(syscall: string, addr?: SockAddr): void {
    if (this.#closed) throw fail(EBADF, syscall, addr);
  }

  /** Makes and binds the node:dgram socket; a failure leaves the socket unbound. */
  #open(at: IpTarget, syscall: string, addr: SockAddr): void {
    const sock = createUdp({
      ipv6: this.#triple.domain === C.AF_INET6,
      reuseAddr: this.#opts.reuseAddr,
      ipv6Only: this.#opts.v6only,
    });
    sock.on("error", (err) => {
      if (this.#sock === null) this.#bindError = err;
      else if (!this.#closed) {
        this.#error = fromRuntime(err, "recvmsg");
        this.#wait.notify();
      }
    });
    sock.on("message", (msg: Uint8Array, rinfo: RemoteInfo) => this.#arrived(msg, rinfo));
    this.#bindError = null;
    // The lookup is synchronous (see createUdp): bind completes or emits its error here.
    try {
      sock.bind({ address: at.hostname, port: at.port, exclusive: true });
    } catch (err) {
      this.#bindError = err as Error;
    }
    const bindError = this.#bindError as Error | null;
    if (bindError !== null) {
      try {
        sock.close();
      } catch {
        // Never bound.
      }
      throw this.#bindErrno(bindError, at, syscall, addr);
    }
    this.#sock = sock;
    sock.unref();
    const local = sock.address();
    this.#bound = this.#addrOf(local.address, local.port);
    this.#opts.applyAll(sock);
  }

  /**
   * A failed bind(2) as Linux's errno. Deno's `node:dgram` names only the
   * errnos of its own table and reports the rest as `UNKNOWN`; of those
   * inet6_bind() can give, only `ENODEV` (a scope id naming no interface)
   * is missing from it, so an `UNKNOWN` for a scoped address is `ENODEV`.
   */
  #bindErrno(err: Error, at: IpTarget, syscall: string, addr: SockAddr): Error {
    if ((err as { code?: unknown }).code === "UNKNOWN" && at.hostname.includes("%")) {
      return new SocketError(ENODEV, syscall, addr, { cause: err });
    }
    return fromRuntime(err, syscall, addr);
  }

  #addrOf(host: string, port: number): SockAddr {
    if (this.#triple.domain === C.AF_INET6) return inet6(host, port);
    return { family: "inet", hostname: host, port };
  }

  #arrived(msg: Uint8Array, rinfo: RemoteInfo): void {
    if (this.#closed) return;
    const from = this.#addrOf(rinfo.address, rinfo.port);
    // A connected UDP socket only takes datagrams from its peer (Linux drops the rest).
    if (this.#peer !== undefined && !sameIp(from, this.#peer)) return;
    if (this.#queue.push(Uint8Array.prototype.slice.call(msg), from)) this.#wait.notify();
  }

  #autobind(syscall: string, addr: SockAddr): void {
    if (this.#sock === null) {
      const any = unspecified(this.#triple.domain);
      this.#open(ipTarget(any, this.#triple.domain), syscall, addr);
    }
  }

  bind(addr: SockAddr): void {
    this.#live("bind", addr);
    const domain = this.#triple.domain;
    const errno = ipAddrErrno("bind", "udp", domain, addr, this.#opts.v6only);
    if (errno) throw fail(errno, "bind", addr);
    if (this.#sock !== null) throw fail(EINVAL, "bind", addr);
    const at = ipTarget(addr, domain);
    if (at.addr.family === "inet6" && this.#opts.v6only && isV4Mapped(at.addr.hostname)) {
      throw fail(EINVAL, "bind", addr);
    }
    this.#open(at, "bind", addr);
  }

  listen(): void {
    this.#live("listen");
    throw fail(EOPNOTSUPP, "listen");
  }

  accept(): Promise<[NativeCore, SockAddr]> {
    return Promise.reject(fail(this.#closed ? EBADF : EOPNOTSUPP, "accept"));
  }

  /** The peer's address for a v4/v6 check, or the errno Linux gives. */
  #target(call: "connect" | "sendto", addr: SockAddr): IpTarget {
    const domain = this.#triple.domain;
    const v6only = this.#opts.v6only;
    const errno = ipAddrErrno(call, "udp", domain, addr, v6only);
    if (errno) throw fail(errno, call, addr);
    const to = ipTarget(addr, domain);
    if (to.addr.family === "inet6" && v6only && isV4Mapped(to.addr.hostname)) {
      throw fail(ENETUNREACH, call, addr);
    }
    return to;
  }

  connect(addr: SockAddr, _op: Op): Promise<void> {
    try {
      this.#live("connect", addr);
      const to = this.#target("connect", addr);
      this.#autobind("connect", addr);
      this.#peer = to.addr;
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async transmit(
    data: Uint8Array,
    to: SockAddr | undefined,
    flags: number,
    _op: Op,
    syscall: string,
  ): Promise<number> {
    this.#live(syscall, to);
    // udp_sendmsg's order: size, MSG_OOB, destination, then the shut-down check.
    if (data.byteLength > UDP_MAX) throw fail(EMSGSIZE, syscall, to);
    if (flags & C.MSG_OOB) throw fail(EOPNOTSUPP, syscall, to);
    if (flags & ((C.MSG_MORE ?? 0) | C.MSG_DONTROUTE)) {
      throw nativeLimit(EOPNOTSUPP, syscall, "MSG_MORE and MSG_DONTROUTE on UDP", to);
    }
    let dest: SockAddr;
    if (to !== undefined) {
      dest = this.#target("sendto", to).addr;
      if ((dest as { port: number }).port === 0) throw fail(EINVAL, syscall, to);
    } else {
      if (this.#peer === undefined) throw fail(EDESTADDRREQ, syscall);
      dest = this.#peer;
      if ((dest as { port: number }).port === 0) {
        throw nativeLimit(EOPNOTSUPP, syscall, "sending to port 0", dest);
      }
    }
    if (this.#wrShut) throw fail(EPIPE, syscall, to);
    this.#autobind(syscall, dest);
    const sock = this.#sock!;
    const { hostname, port } = ipTarget(dest, this.#triple.domain);
    return await new Promise<number>((resolve, reject) => {
      try {
        sock.send(data, port, hostname, (err: Error | null, sent?: number) => {
          if (err) reject(this.#sendError(err, syscall, dest));
          else resolve(sent ?? data.byteLength);
        });
      } catch (err) {
        reject(fromRuntime(err, syscall, to, this.#closed));
      }
    });
  }

  /**
   * A failed send as Linux's errno. Deno's `node:dgram` reports a refusal it
   * has no name for (Rust's PermissionDenied: `EACCES` or `EPERM`) as
   * `UNKNOWN`; for IPv4 with `SO_BROADCAST` off that is the broadcast check
   * (`EACCES`), otherwise a firewall's `EPERM`.
   */
  #sendError(err: Error, syscall: string, to: SockAddr): Error {
    if ((err as { code?: unknown }).code === "UNKNOWN" && !this.#closed) {
      const v4 = to.family === "inet" || isV4Mapped((to as { hostname: string }).hostname);
      return fail(v4 && !this.#opts.broadcast ? EACCES : EPERM, syscall, to);
    }
    return fromRuntime(err, syscall, to, this.#closed);
  }

  async recv(buf: Uint8Array, flags: number, op: Op, syscall: string): Promise<number> {
    return (await this.receive([buf], flags, op, syscall)).bytes;
  }

  async receive(buffers: Uint8Array[], flags: number, op: Op, syscall: string): Promise<Received> {
    const dontWait = op.nonblocking || (flags & C.MSG_DONTWAIT) !== 0;
    let turned = false;
    for (;;) {
      this.#live(syscall);
      // Nothing native does puts errors on the error queue: Linux says EAGAIN for an empty one.
      if (flags & (C.MSG_ERRQUEUE ?? 0)) throw fail(EAGAIN, syscall);
      if (this.#error !== null) {
        const err = this.#error;
        this.#error = null;
        throw err;
      }
      const item = flags & C.MSG_PEEK ? this.#queue.peek() : this.#queue.shift();
      if (item !== undefined) {
        const room = capacity(buffers);
        const copied = scatter(item.data, buffers);
        const truncated = item.data.byteLength > room;
        return {
          bytes: flags & C.MSG_TRUNC ? item.data.byteLength : copied,
          flags: truncated ? C.MSG_TRUNC : 0,
          from: item.from,
        };
      }
      if (this.#rdShut) return { bytes: 0, flags: 0, from: undefined };
      if (dontWait) {
        if (!turned) {
          turned = true;
          await nextTurn();
          continue;
        }
        throw fail(EAGAIN, syscall);
      }
      await this.#wait.wait(op, syscall);
    }
  }

  shutdown(how: number): void {
    this.#live("shutdown");
    if (how !== C.SHUT_RD && how !== C.SHUT_WR && how !== C.SHUT_RDWR) {
      throw fail(EINVAL, "shutdown");
    }
    if (this.#peer === undefined) throw fail(ENOTCONN, "shutdown");
    if (how !== C.SHUT_WR) {
      this.#rdShut = true;
      this.#wait.notify();
    }
    if (how !== C.SHUT_RD) this.#wrShut = true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#wait.fail(fail(EBADF, "recvfrom"));
    this.#queue.clear();
    try {
      this.#sock?.close();
    } catch {
      // Already closed.
    }
  }

  setsockopt(level: number, name: number, value: Uint8Array): void {
    this.#live("setsockopt");
    this.#opts.set(level, name, value, this.#sock);
  }

  getsockopt(level: number, name: number, size: number): Uint8Array {
    this.#live("getsockopt");
    const fixed = readOnlyOption(level, name, size, {
      type: C.SOCK_DGRAM,
      domain: this.#triple.domain,
      protocol: this.#triple.protocol,
      listening: false,
      takeError: () => {
        const err = this.#error;
        this.#error = null;
        return err;
      },
    });
    return fixed ?? this.#opts.get(level, name, size);
  }

  getsockname(): SockAddr {
    this.#live("getsockname");
    const bound = this.#bound ?? unspecified(this.#triple.domain);
    if (this.#peer === undefined || !isWildcard(bound)) return bound;
    // Linux gives a connected socket bound to the wildcard the route's source address.
    const source = loopbackSource(this.#peer);
    if (source === undefined) return bound;
    const port = (bound as { port: number }).port;
    return this.#addrOf(source, port);
  }

  getpeername(): SockAddr {
    this.#live("getpeername");
    if (this.#peer === undefined) throw fail(ENOTCONN, "getpeername");
    return this.#peer;
  }
}
