/**
 * The native backend: sockets on the runtime's own APIs — `Deno.connect` and
 * `Deno.listen` for streams, `node:dgram` for datagrams — with BSD semantics
 * and Linux's errno. It needs `--allow-net` (and read/write for unix paths)
 * but no `--allow-ffi` and no `--unstable-*` flag (`Deno.listenDatagram` is
 * unstable in Deno 2; `node:dgram` is not). Only `_runtime.ts` touches those
 * APIs, so a build for another runtime can put `node:net` behind it. A
 * missing permission surfaces as Deno's own `NotCapable`.
 *
 * Numbers (`AF_*`, `SOL_*`, `MSG_*`…) are Linux's, as on the ffi backend.
 *
 * ## What it carries
 *
 * `AF_INET`/`AF_INET6` `SOCK_STREAM` (TCP) and `SOCK_DGRAM` (UDP), and
 * `AF_UNIX` `SOCK_STREAM`. `NativeSocket.canCarry()` says so for a triple;
 * `NativeSocket.create()` throws Linux's errno for what Linux refuses and a
 * native limit for the rest.
 *
 * ## How BSD calls map
 *
 * - `bind()` on a stream socket checks the address as Linux does (family and
 *   length: `EAFNOSUPPORT`/`EINVAL`; bound twice: `EINVAL`) and records it;
 *   `listen(backlog)` calls `Deno.listen` with the address and the backlog
 *   (`tcpBacklog`; a unix listener's backlog is Deno's 1024). A port in use or
 *   an address not local is therefore reported by `listen()` (`EADDRINUSE`,
 *   `EADDRNOTAVAIL`, as Linux can also report from listen), not by `bind()`:
 *   a probe — listen and close again — would accept connections meant for
 *   nobody, would not reserve the port, and could not answer for a socket
 *   without `SO_REUSEADDR` since Deno's listener always sets it. Until
 *   `listen()`, `getsockname()` gives the recorded address (port 0 stays 0).
 *   A unix path is checked with lstat(2) at `bind()` when read permission is
 *   already granted (`EADDRINUSE`, `ENOENT`). Datagram sockets bind for real.
 * - `connect()` on TCP is `Deno.connect` with an abort signal: a timeout or an
 *   abort closes the attempt and leaves the socket unconnected and usable. A
 *   non-blocking TCP connect answers `EINPROGRESS` and goes on in the
 *   background (`EALREADY`; then `SO_ERROR`, or the next `connect()` returning
 *   0 once or the failure, as Linux does). A unix connect completes at once.
 * - A blocking `send()`/`sendAll()` with no flags, deadline or signal, with
 *   nothing queued ahead of it, is one runtime write, returning once the
 *   bytes are out as a blocking send(2) does. A blocking `recv()` with no
 *   flags, with nothing buffered ahead of it, is one runtime read of up to
 *   64 KiB (what the caller's buffer cannot take stays buffered); when its
 *   deadline, an abort or `shutdown(SHUT_RD)` answers it first, the read,
 *   still in flight, lands in the receive buffer.
 * - Every other call goes through a 256 KiB send buffer drained in order by
 *   the runtime's writes, and a receive buffer filled on demand. So a
 *   timeout or an abort never loses or half-sends bytes, `MSG_PEEK`,
 *   `MSG_WAITALL` and `MSG_TRUNC` (TCP: discard) are exact, and a
 *   non-blocking call knows what is buffered: it waits one turn of the event
 *   loop for data the kernel already holds, then answers `EAGAIN`.
 * - `close()` answers every pending call at once with `EBADF` (a
 *   `MSG_WAITALL` recv that has bytes returns them). When a send is waiting
 *   (the peer is not reading), the connection closes at once: the runtime's
 *   write in flight is cancelled and the send buffer dropped, so nothing is
 *   written after `close()`. Otherwise what the send buffer holds still goes
 *   out before the connection closes, as close(2) sends it.
 * - UDP datagrams wait whole in a queue bounded by `SO_RCVBUF`, each charged
 *   about the kernel's truesize; when it is full a *new* datagram is dropped,
 *   as Linux drops it. `MSG_TRUNC` and `MSG_PEEK` are exact. An unbound
 *   socket binds to the wildcard at its first `sendto()`/`connect()`.
 * - Options: `TCP_NODELAY`, `SO_KEEPALIVE` (applied once connected, inherited
 *   by accepted sockets), `SO_REUSEADDR`, `IPV6_V6ONLY`, `SO_BROADCAST`,
 *   `SO_RCVBUF`, `SO_SNDBUF` (UDP: kept and read back, as Linux doubles
 *   them; the `rmem`/`wmem` sysctls are read only where read permission is
 *   granted, else Linux's defaults), `IP_TTL`, `IP_MULTICAST_TTL`/`LOOP`/`IF`
 *   and IPv4 memberships (on `AF_INET`), `IPV6_MULTICAST_LOOP`/`IF` and IPv6
 *   memberships, and the read-only `SO_TYPE`, `SO_DOMAIN`, `SO_PROTOCOL`,
 *   `SO_ERROR`, `SO_ACCEPTCONN`. Options set before the socket exists are
 *   applied when it does.
 *
 * ## What it cannot do
 *
 * Each fails with a `SocketError` whose message names what is missing and
 * points to `backend: "ffi"`; `isNativeLimit(err)` recognises it.
 *
 * - Raw, packet, unix datagram/seqpacket sockets, MPTCP, UDP-Lite, ping
 *   sockets, other families: `ESOCKTNOSUPPORT`/`EPROTONOSUPPORT`/`EAFNOSUPPORT`.
 *   (Deno's `unixpacket` is `SOCK_DGRAM` and truncates datagrams silently.)
 * - Any other option, or a value the runtime cannot give: `SO_REUSEADDR` off
 *   on TCP, an interface by index in an IPv4/IPv6 membership or
 *   `IP_MULTICAST_IF`, `IP_MULTICAST_*` on an `AF_INET6` socket,
 *   `IPV6_MULTICAST_HOPS`, `IPV6_UNICAST_HOPS`, `SO_REUSEPORT`, `SO_LINGER`,
 *   `SO_RCVTIMEO`, `TCP_KEEPIDLE`, TCP's `SO_RCVBUF`…: `ENOPROTOOPT`.
 * - `MSG_OOB` on streams, `MSG_DONTROUTE`, `MSG_FASTOPEN`, `MSG_MORE` on UDP,
 *   ancillary data in `sendmsg()`: `EOPNOTSUPP`.
 * - `connect()` from a bound port, or from a bound address the runtime does
 *   not pick; to port 0 off loopback; sending to a connected UDP port 0;
 *   naming a connected unix socket; unix autobind; `IPV6_V6ONLY` on a `[::]`
 *   listener: `EOPNOTSUPP`.
 *
 * ## Differences that remain
 *
 * - `listen()` again does not change the backlog; Deno unlinks a unix
 *   listener's path when it closes; a listener with an accept in flight stops
 *   listening one event-loop turn after `close()`/`shutdown(SHUT_RD)`.
 * - A connected UDP socket keeps its peer in JavaScript (Deno's `node:dgram`
 *   connect resolves through DNS): ICMP errors do not become `ECONNREFUSED`,
 *   and its local address is the wildcard except towards loopback.
 * - `node:dgram` reports a failed membership as `EINVAL` and a refused send
 *   as `UNKNOWN`: repeated joins (`EADDRINUSE`) and leaving a group not joined
 *   (`EADDRNOTAVAIL`) are decided here first, a refused IPv4 send with
 *   `SO_BROADCAST` off reads `EACCES`, but an unknown interface address reads
 *   `EINVAL` where Linux says `ENODEV`.
 * - An open UDP socket keeps the process alive until closed (Deno's
 *   `node:dgram` ignores `unref()`); bytes still in a stream's send buffer
 *   at `close()` (no send waiting) keep it alive until written, as close(2)
 *   still sends them.
 *
 * @module
 */
export { NativeSocket } from "./socket_native.ts";
export { isNativeLimit } from "./_errors.ts";
