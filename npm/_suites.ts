/**
 * The integration tests (tests/) the npm build runs on Node and on Bun against the packed
 * package, with koffi installed: a subset chosen so that both runs stay within a minute or two
 * on two cores, covering each thing the library promises on every runtime. Tests of a listed
 * file that cannot run there are in npm/_exclusions.ts, with the reason.
 *
 * @module
 */

/** Test file (repository path) → what it proves on Node and Bun. */
export const KERNEL_SUITES: Readonly<Record<string, string>> = {
  "tests/ffi_stream_test.ts":
    "TCP over IPv4 and IPv6, byte-exact both ways against python3; MSG_PEEK/OOB/WAITALL, shutdown",
  "tests/ffi_datagram_test.ts": "UDP: sendto/recvfrom, connected datagrams, MSG_TRUNC",
  "tests/ffi_unix_test.ts":
    "unix SOCK_SEQPACKET/SOCK_DGRAM boundaries and MSG_TRUNC; SCM_RIGHTS with python3; fromFd",
  "tests/ffi_recvfds_test.ts": "recvFds()/sendFds(): SCM_RIGHTS, MSG_CTRUNC, no leaked descriptor",
  "tests/ffi_kernel_raw_test.ts":
    "raw ICMP echo answered by the kernel; IP_RECVERR error queues (needs root, as CI has)",
  "tests/ffi_kernel_errno_test.ts":
    "the errno grid: socket()/socketpair() and wrong-state calls give python3's errno",
  "tests/ffi_lifecycle_test.ts":
    "close() settles every pending call; timeouts, aborts; a reused descriptor is never touched",
  "tests/runtime_process_test.ts":
    "child processes of the same runtime: EPIPE never SIGPIPE (MSG_NOSIGNAL under strace), " +
    "a script with parked calls exits by itself promptly, no descriptor inherited",
  "tests/native_stream_test.ts": "the native backend's TCP on node:net",
  "tests/native_connect_test.ts": "the native backend's connect() errors, as the kernel's",
  "tests/native_unix_test.ts": "the native backend's unix stream sockets on node:net",
  "tests/native_datagram_test.ts": "the native backend's UDP on node:dgram (Node)",
  "tests/sync_throw_test.ts": "a method returning a Promise never throws, on both backends",
  "tests/wintertc_connect_test.ts":
    "the WinterTC Sockets API draft clause by clause (plain text) against python3, and the " +
    "README's Workers client in a child of the runtime",
  "tests/wintertc_tls_test.ts":
    "the draft's TLS clauses (secureTransport, startTls, alpn, sni) against python3's ssl " +
    "server, in children trusting the test CA through NODE_EXTRA_CA_CERTS",
  "tests/wintertc_socket_streams_test.ts":
    "Socket.readable/Socket.writable on both backends: backpressure each way, shutdown, close",
};
