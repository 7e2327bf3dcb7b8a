/**
 * The ffi backend's socket: libc socket(2) on a non-blocking descriptor, parked
 * on the {@linkcode reactor} whenever the kernel says `EAGAIN`. Every call goes
 * through its wrapper in `sys.ts`. Before it binds, connects or sends to an inet
 * address it asks Deno's permission, as Deno's own networking does.
 *
 * @module
 */
import { linux as C } from "../../constants/linux.ts";
import { linux as E } from "../../errno/linux.ts";
import { SocketError } from "../../errno/socket_error.ts";
import { decodeSockAddr, encodeSockAddr, SOCKADDR_STORAGE_SIZE } from "../../address/sockaddr.ts";
import type { SockAddr } from "../../address/types.ts";
import type { Ancillary, Op, RecvMsgResult, SocketImpl } from "../_backend.ts";
import type { MmsgOut, RecvMmsgResult } from "../_backend.ts";
import { MmsgIo } from "./_mmsg.ts";
import { errno, ffiRuntime, linuxSys as K } from "./_libc.ts";
import { decodeAncillary, encodeAncillary } from "./_msghdr.ts";
import { Interest, type Registration } from "./_reactor_types.ts";
import { reactor } from "./reactor.ts";
import { attached, attachedOne, fail, readName, recvInterest, sameBytes } from "./_ffi_util.ts";
import { nextTurn } from "../../_internal/turn.ts";
import * as sys from "./sys.ts";
import { MsgHdr } from "./sys.ts";

// The backend runs on Linux only (its reactor is epoll): its errno numbers are Linux's.
const EAGAIN = E.EAGAIN.errno;
const EALREADY = E.EALREADY.errno;
const EBADF = E.EBADF.errno;
const ECONNABORTED = E.ECONNABORTED.errno;
const EINPROGRESS = E.EINPROGRESS.errno;
const EINTR = E.EINTR.errno;
const EINVAL = E.EINVAL.errno;
const EISCONN = E.EISCONN.errno;
const ETIMEDOUT = E.ETIMEDOUT.errno;

/** `SO_PEERPIDFD` (Linux 6.5; the system headers here lack it). */
const SO_PEERPIDFD = 77;

/** Bounds of the retry delay of a send by address on a unix datagram socket, in ms. */
const SEND_DELAY_MIN_MS = 1;
const SEND_DELAY_MAX_MS = 64;
/** Errors of a call that may well fail again at once when retried: resources ran out. */
const SHORTAGE = new Set<number>([E.EMFILE.errno, E.ENFILE.errno, E.ENOBUFS.errno, E.ENOMEM.errno]);

const NOSIGNAL = C.MSG_NOSIGNAL;
const CREATE_FLAGS = C.SOCK_NONBLOCK | C.SOCK_CLOEXEC;
// tcpi_state values (include/net/tcp_states.h).
const TCP_ESTABLISHED = 1;
const TCP_FIN_WAIT1 = 4;
const TCP_FIN_WAIT2 = 5;
/** The reason that ends the losing wait of {@linkcode FfiSocket.#parkForUrgent}. */
const OTHER_WAIT_WON = Symbol("other wait won");

/**
 * Sandbox parity: `--allow-ffi` must not silently widen `--allow-net`. Before a
 * bind, connect or send to an inet address, throws Deno's own `NotCapable` error
 * unless net access to the address's host and port is granted (prompting only
 * where Deno itself would prompt); on Node, `ERR_ACCESS_DENIED` where its
 * permission model has a network scope and refuses it.
 */
function checkNetPermission(addr: SockAddr): void {
  if (addr.family !== "inet" && addr.family !== "inet6") return;
  ffiRuntime().checkNet(addr);
}

/** A socket on a libc descriptor. */
export class FfiSocket implements SocketImpl {
  /** Always `"ffi"`. */
  readonly backend = "ffi" as const;
  #fd: number;
  #reg: Registration;
  readonly #domain: number;
  readonly #type: number;
  readonly #stream: boolean;

  private constructor(fd: number, domain: number, type: number) {
    this.#fd = fd;
    this.#domain = domain;
    this.#type = type;
    this.#stream = type === C.SOCK_STREAM;
    // A unix datagram or seqpacket sender blocked on its peer's full queue is
    // woken through poll only, never by SIGIO.
    this.#reg = reactor.track(fd, !(domain === C.AF_UNIX && type !== C.SOCK_STREAM));
  }

  /** socket(2), non-blocking and close-on-exec. */
  static create(domain: number, type: number, protocol: number): FfiSocket {
    reactor.prepare("socket");
    const fd = sys.socket(domain, type | CREATE_FLAGS, protocol);
    if (fd < 0) throw fail("socket");
    return new FfiSocket(fd, domain, type);
  }

  /** socketpair(2), both ends non-blocking and close-on-exec. */
  static pair(domain: number, type: number, protocol: number): [FfiSocket, FfiSocket] {
    reactor.prepare("socketpair");
    const fds = new Int32Array(2);
    if (sys.socketpair(domain, type | CREATE_FLAGS, protocol, fds) < 0) {
      throw fail("socketpair");
    }
    return [new FfiSocket(fds[0], domain, type), new FfiSocket(fds[1], domain, type)];
  }

  /**
   * Adopts a descriptor: makes it non-blocking and close-on-exec, and reads its
   * domain, type and protocol from the kernel.
   */
  static adopt(fd: number): { impl: FfiSocket; domain: number; type: number; protocol: number } {
    reactor.prepare("fromFd");
    const int = new Int32Array(1);
    const len = new Uint32Array(1);
    const read = (name: number): number => {
      len[0] = 4;
      const r = sys.getsockopt(fd, C.SOL_SOCKET, name, new Uint8Array(int.buffer), len);
      if (r < 0) throw fail("getsockopt");
      return int[0];
    };
    const domain = read(C.SO_DOMAIN);
    const type = read(C.SO_TYPE);
    const protocol = read(C.SO_PROTOCOL);
    const fl = sys.fcntl(fd, K.F_GETFL);
    if (fl < 0 || sys.fcntl(fd, K.F_SETFL, fl | K.O_NONBLOCK) < 0) throw fail("fcntl");
    const fdFlags = sys.fcntl(fd, K.F_GETFD);
    if (fdFlags < 0 || sys.fcntl(fd, K.F_SETFD, fdFlags | K.FD_CLOEXEC) < 0) {
      throw fail("fcntl");
    }
    return { impl: new FfiSocket(fd, domain, type), domain, type, protocol };
  }

  /** The descriptor, `-1` once closed. */
  get fd(): number {
    return this.#fd;
  }

  #live(syscall: string): number {
    if (this.#fd < 0) throw new SocketError(EBADF, syscall);
    return this.#fd;
  }

  #park(interest: Interest, syscall: string, op: Op, addr?: SockAddr): Promise<void> {
    if (op.nonblocking) return Promise.reject(new SocketError(EAGAIN, syscall, addr));
    let left: number | null = null;
    if (op.deadline !== null) {
      left = op.deadline - performance.now();
      if (left <= 0) return Promise.reject(new SocketError(ETIMEDOUT, syscall, addr));
    }
    return reactor.wait(this.#reg, interest, left, op.signal, syscall, addr);
  }

  /** The address of a connect(2) that said EINPROGRESS and has not been seen to end. */
  #connecting: Uint8Array | null = null;

  /** The next delay of a send by address that readiness cannot announce, in ms. */
  #sendDelay = SEND_DELAY_MIN_MS;

  /**
   * Parks a send by address that met `EAGAIN`. On an unconnected unix datagram
   * socket the kernel cannot say when the destination's queue has room (the
   * sender's epoll reports writable whatever it holds, so waiting on it would
   * spin): such a send retries on a doubling delay, 1 ms to 64 ms. Any other
   * send waits for readiness.
   */
  #parkSend(syscall: string, op: Op, addr: SockAddr | undefined): Promise<void> {
    if (addr === undefined || this.#domain !== C.AF_UNIX || this.#stream || this.#connected()) {
      return this.#park(Interest.Write, syscall, op, addr);
    }
    if (op.nonblocking) return Promise.reject(new SocketError(EAGAIN, syscall, addr));
    let left: number | null = null;
    if (op.deadline !== null) {
      left = op.deadline - performance.now();
      if (left <= 0) return Promise.reject(new SocketError(ETIMEDOUT, syscall, addr));
    }
    const ms = this.#sendDelay;
    this.#sendDelay = Math.min(ms * 2, SEND_DELAY_MAX_MS);
    return reactor.delay(this.#reg, ms, left, op.signal, syscall, addr);
  }

  #connected(): boolean {
    const sa = new Uint8Array(SOCKADDR_STORAGE_SIZE);
    const len = new Uint32Array([SOCKADDR_STORAGE_SIZE]);
    return sys.getpeername(this.#live("getpeername"), sa, len) === 0;
  }

  bind(addr: SockAddr): void {
    checkNetPermission(addr);
    const sa = encodeSockAddr(addr);
    if (sys.bind(this.#live("bind"), sa, sa.byteLength) < 0) throw fail("bind", addr);
  }

  listen(backlog: number): void {
    if (sys.listen(this.#live("listen"), backlog) < 0) throw fail("listen");
  }

  async accept(op: Op): Promise<[SocketImpl, SockAddr]> {
    const sa = new Uint8Array(SOCKADDR_STORAGE_SIZE);
    const len = new Uint32Array(1);
    for (;;) {
      len[0] = SOCKADDR_STORAGE_SIZE;
      const fd = sys.accept4(this.#live("accept"), sa, len, CREATE_FLAGS);
      if (fd >= 0) {
        const peer = decodeSockAddr(sa, Math.min(len[0], SOCKADDR_STORAGE_SIZE));
        return [new FfiSocket(fd, this.#domain, this.#type), peer];
      }
      const e = errno();
      // accept(2): errors already pending on the new connection are passed on; retry those.
      if (e === EINTR || e === ECONNABORTED) continue;
      if (e === EAGAIN) {
        await this.#park(Interest.Read, "accept", op);
        continue;
      }
      // Out of descriptors or memory: accept(2) reports it and leaves the connection
      // queued, so the same call fails again at once. A caller that retries until it
      // works would chain rejections in microtasks and starve the event loop (and
      // with it the timer or I/O that frees a descriptor): reject from a macrotask.
      if (SHORTAGE.has(e)) await nextTurn();
      throw fail("accept", undefined, e);
    }
  }

  async connect(addr: SockAddr, op: Op): Promise<void> {
    checkNetPermission(addr);
    const sa = encodeSockAddr(addr);
    if (sys.connect(this.#live("connect"), sa, sa.byteLength) === 0) return;
    const e = errno();
    // EALREADY: a connect whose wait was aborted or timed out is still under
    // way. Asked again for the same address, wait for it, as a blocking
    // connect(2) the kernel restarts after a signal does; another address gets the
    // kernel's EALREADY.
    const resumes = e === EALREADY && !op.nonblocking && sameBytes(this.#connecting, sa);
    if (e !== EINPROGRESS && e !== EINTR && !resumes) throw fail("connect", addr, e);
    this.#connecting = sa;
    if (op.nonblocking) throw new SocketError(EINPROGRESS, "connect", addr);
    for (;;) {
      await this.#park(Interest.Write, "connect", op, addr);
      const so = this.getsockopt(C.SOL_SOCKET, C.SO_ERROR, 4);
      const code = new DataView(so.buffer, so.byteOffset).getInt32(0, true);
      if (code !== 0) {
        this.#connecting = null;
        throw new SocketError(code, "connect", addr);
      }
      // The kernel still calls a socket whose non-blocking connect completed "connecting",
      // and would report success for a later connect() to any address. Asking once more
      // completes it as a blocking connect(2) does: a later connect() then fails with EISCONN.
      const done = sys.connect(this.#live("connect"), sa, sa.byteLength) === 0;
      const again = done ? 0 : errno();
      if (done || again === EISCONN) {
        this.#connecting = null;
        return;
      }
      if (again !== EALREADY && again !== EINPROGRESS && again !== EINTR) {
        this.#connecting = null;
        throw fail("connect", addr, again);
      }
    }
  }

  async send(data: Uint8Array, flags: number, op: Op): Promise<number> {
    for (;;) {
      attachedOne(data, "send", "data");
      const n = sys.send(this.#live("send"), data, data.byteLength, flags | NOSIGNAL);
      if (n >= 0) return n;
      const e = errno();
      if (e === EINTR) continue;
      if (e !== EAGAIN || (flags & C.MSG_DONTWAIT)) throw fail("send", undefined, e);
      await this.#park(Interest.Write, "send", op);
    }
  }

  async recv(buf: Uint8Array, flags: number, op: Op): Promise<number> {
    const waitAll = this.#stream && (flags & C.MSG_WAITALL) !== 0 && (flags & C.MSG_PEEK) === 0;
    let got = 0;
    for (;;) {
      attachedOne(buf, "recv", "buf");
      const view = got === 0 ? buf : buf.subarray(got);
      const n = sys.recv(this.#live("recv"), view, view.byteLength, flags);
      if (n > 0 && waitAll) {
        got += n;
        if (got >= buf.byteLength) return got;
        continue;
      }
      if (n >= 0) return got + n;
      const e = errno();
      if (e === EINTR) continue;
      if (e === EINVAL && (flags & C.MSG_OOB) && this.#urgentMayCome(flags, op)) {
        await this.#parkForUrgent(op);
        continue;
      }
      if (e !== EAGAIN || (flags & (C.MSG_DONTWAIT | C.MSG_ERRQUEUE))) {
        if (got > 0) return got;
        throw fail("recv", undefined, e);
      }
      try {
        await this.#park(recvInterest(flags), "recv", op);
      } catch (err) {
        // MSG_WAITALL cut short by the timeout, an abort or close: the bytes already
        // taken from the stream are in `buf`; report them, as recv(2) does when a
        // timeout or a signal interrupts it, rather than lose them.
        if (got > 0) return got;
        throw err;
      }
    }
  }

  /**
   * recv(MSG_OOB) met EINVAL: TCP has no urgent data pending. A call that may
   * wait then waits for urgent data to arrive, as long as it still can: the
   * socket is a TCP connection the peer may still send on (established, or we
   * shut down writing only) and the urgent byte is not read inline
   * (`SO_OOBINLINE`). Otherwise the kernel's EINVAL stands, as in C.
   */
  #urgentMayCome(flags: number, op: Op): boolean {
    if (!this.#stream || op.nonblocking || (flags & C.MSG_DONTWAIT)) return false;
    try {
      const inline = this.getsockopt(C.SOL_SOCKET, C.SO_OOBINLINE, 4);
      if (new DataView(inline.buffer, inline.byteOffset).getInt32(0, true) !== 0) return false;
      const state = this.getsockopt(C.IPPROTO_TCP, C.TCP_INFO, 1)[0];
      return state === TCP_ESTABLISHED || state === TCP_FIN_WAIT1 || state === TCP_FIN_WAIT2;
    } catch {
      return false; // not TCP (a unix stream socket has its own MSG_OOB)
    }
  }

  /**
   * Waits for urgent data (EPOLLPRI) or for anything else on the stream (new
   * data, the peer's FIN or reset), after which the caller asks the kernel again.
   */
  async #parkForUrgent(op: Op): Promise<void> {
    const outer = op.signal;
    if (outer?.aborted) throw outer.reason;
    const both = new AbortController();
    const relay = () => both.abort(outer!.reason);
    outer?.addEventListener("abort", relay, { once: true });
    const sub: Op = { ...op, signal: both.signal };
    try {
      await Promise.race([
        this.#park(Interest.Priority, "recv", sub),
        this.#park(Interest.Read, "recv", sub),
      ]);
    } finally {
      outer?.removeEventListener("abort", relay);
      both.abort(OTHER_WAIT_WON); // ends the wait that lost the race
    }
  }

  async sendto(data: Uint8Array, addr: SockAddr, flags: number, op: Op): Promise<number> {
    checkNetPermission(addr);
    const sa = encodeSockAddr(addr);
    for (;;) {
      attachedOne(data, "sendto", "data");
      const n = sys.sendto(
        this.#live("sendto"),
        data,
        data.byteLength,
        flags | NOSIGNAL,
        sa,
        sa.byteLength,
      );
      if (n >= 0) {
        this.#sendDelay = SEND_DELAY_MIN_MS;
        return n;
      }
      const e = errno();
      if (e === EINTR) continue;
      if (e !== EAGAIN || (flags & C.MSG_DONTWAIT)) throw fail("sendto", addr, e);
      await this.#parkSend("sendto", op, addr);
    }
  }

  async recvfrom(buf: Uint8Array, flags: number, op: Op): Promise<[number, SockAddr]> {
    const sa = new Uint8Array(SOCKADDR_STORAGE_SIZE);
    const len = new Uint32Array(1);
    for (;;) {
      attachedOne(buf, "recvfrom", "buf");
      len[0] = SOCKADDR_STORAGE_SIZE;
      const n = sys.recvfrom(this.#live("recvfrom"), buf, buf.byteLength, flags, sa, len);
      if (n >= 0) return [n, this.#peerOf(sa, len[0])];
      const e = errno();
      if (e === EINTR) continue;
      if (e !== EAGAIN || (flags & (C.MSG_DONTWAIT | C.MSG_ERRQUEUE))) {
        throw fail("recvfrom", undefined, e);
      }
      await this.#park(recvInterest(flags), "recvfrom", op);
    }
  }

  /** A stream socket's recvfrom reports no address (length 0): answer with the peer's. */
  #peerOf(sa: Uint8Array, length: number): SockAddr {
    if (length === 0) {
      try {
        return this.getpeername();
      } catch {
        return decodeSockAddr(sa, 0);
      }
    }
    return decodeSockAddr(sa, Math.min(length, SOCKADDR_STORAGE_SIZE));
  }

  async sendmsg(
    buffers: Uint8Array[],
    ancillary: Ancillary[],
    flags: number,
    addr: SockAddr | undefined,
    op: Op,
  ): Promise<number> {
    if (addr) checkNetPermission(addr);
    const name = addr ? encodeSockAddr(addr) : null;
    const control = ancillary.length ? encodeAncillary(ancillary) : null;
    const msg = new MsgHdr(name, buffers, control);
    for (;;) {
      attached(buffers, "sendmsg", "buffers");
      const n = sys.sendmsg(this.#live("sendmsg"), msg, flags | NOSIGNAL);
      if (n >= 0) {
        this.#sendDelay = SEND_DELAY_MIN_MS;
        return n;
      }
      const e = errno();
      if (e === EINTR) continue;
      if (e !== EAGAIN || (flags & C.MSG_DONTWAIT)) throw fail("sendmsg", addr, e);
      await this.#parkSend("sendmsg", op, addr);
    }
  }

  async recvmsg(
    buffers: Uint8Array[],
    ancillarySize: number,
    flags: number,
    op: Op,
  ): Promise<RecvMsgResult> {
    const name = new Uint8Array(SOCKADDR_STORAGE_SIZE);
    const control = ancillarySize > 0 ? new Uint8Array(ancillarySize) : null;
    const msg = new MsgHdr(name, buffers, control);
    for (;;) {
      attached(buffers, "recvmsg", "buffers");
      msg.reset(SOCKADDR_STORAGE_SIZE, ancillarySize);
      const n = sys.recvmsg(this.#live("recvmsg"), msg, flags | this.#cloexec());
      if (n >= 0) {
        const nameLength = msg.nameLength;
        return {
          bytes: n,
          ancillary: control ? decodeAncillary(control, msg.controlLength) : [],
          flags: msg.flags,
          addr: nameLength > 0
            ? decodeSockAddr(name, Math.min(nameLength, SOCKADDR_STORAGE_SIZE))
            : undefined,
        };
      }
      const e = errno();
      if (e === EINTR) continue;
      if (e !== EAGAIN || (flags & (C.MSG_DONTWAIT | C.MSG_ERRQUEUE))) {
        throw fail("recvmsg", undefined, e);
      }
      await this.#park(recvInterest(flags), "recvmsg", op);
    }
  }

  #mmsg: MmsgIo | undefined;

  /**
   * `MSG_CMSG_CLOEXEC` for a unix socket, whose ancillary data can bring
   * descriptors (SCM_RIGHTS, SCM_PIDFD); 0 for the rest: AF_PACKET's receive
   * path refuses the flag with EINVAL, and no other family passes descriptors.
   */
  #cloexec(): number {
    return this.#domain === C.AF_UNIX ? C.MSG_CMSG_CLOEXEC : 0;
  }

  /** The batch calls' vectors, made on the first batch call (see `_mmsg.ts`). */
  #batch(): MmsgIo {
    return this.#mmsg ??= new MmsgIo({
      fd: () => this.#fd,
      parkSend: (syscall, op, addr) => this.#parkSend(syscall, op, addr),
      parkRecv: (interest, syscall, op) => this.#park(interest, syscall, op),
      sent: () => void (this.#sendDelay = SEND_DELAY_MIN_MS),
      cloexec: this.#cloexec(),
    });
  }

  /** sendmmsg(2): the messages in one call. */
  sendmmsg(
    messages: readonly MmsgOut[],
    addrs: readonly (SockAddr | undefined)[],
    flags: number,
    op: Op,
  ): Promise<number> {
    try {
      let last: SockAddr | undefined;
      for (const addr of addrs) {
        if (addr !== undefined && addr !== last) checkNetPermission(last = addr);
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#batch().send(messages, addrs, flags, op);
  }

  /** recvmmsg(2): a datagram into each buffer, in one call. */
  recvmmsg(
    buffers: readonly Uint8Array[],
    ancillarySize: number,
    flags: number,
    op: Op,
  ): Promise<RecvMmsgResult[]> {
    return this.#batch().recv(buffers, ancillarySize, flags, op);
  }

  shutdown(how: number): void {
    if (sys.shutdown(this.#live("shutdown"), how) < 0) throw fail("shutdown");
  }

  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    this.#fd = -1;
    reactor.untrack(this.#reg);
    // close(2): the descriptor is released even when close reports an error (EINTR
    // included), so it is never retried and never reported twice.
    sys.close(fd);
  }

  setsockopt(level: number, name: number, value: Uint8Array): void {
    if (sys.setsockopt(this.#live("setsockopt"), level, name, value, value.byteLength) < 0) {
      throw fail("setsockopt");
    }
  }

  getsockopt(level: number, name: number, size: number): Uint8Array {
    // The kernel installs a pidfd whatever the size, and copies only `size`
    // bytes of its number: below 4 the descriptor would be open and lost.
    if (level === C.SOL_SOCKET && name === SO_PEERPIDFD && size < 4) {
      throw new RangeError(
        `getsockopt(SO_PEERPIDFD) needs 4 bytes for the descriptor it opens, got size ${size}`,
      );
    }
    const out = new Uint8Array(size);
    const len = new Uint32Array([size]);
    if (sys.getsockopt(this.#live("getsockopt"), level, name, out, len) < 0) {
      throw fail("getsockopt");
    }
    return out.subarray(0, Math.min(len[0], size));
  }

  getsockname(): SockAddr {
    return readName(sys.getsockname, this.#live("getsockname"), "getsockname");
  }

  getpeername(): SockAddr {
    return readName(sys.getpeername, this.#live("getpeername"), "getpeername");
  }
}
