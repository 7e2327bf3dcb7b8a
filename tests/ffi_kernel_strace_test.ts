/**
 * The system calls themselves, as strace prints them: socket() and socketpair()
 * ask for SOCK_CLOEXEC|SOCK_NONBLOCK on top of the caller's type, accept4() and
 * recvmsg() ask for close-on-exec descriptors, connect() and sendto() pass the
 * sockaddr the caller named, and sends carry MSG_NOSIGNAL. One run of
 * tests/fixtures/kernel_socket_calls.ts under `strace -f` serves every test.
 *
 * @module
 */
import { assert, assertEquals, assertGreater } from "@std/assert";
import { fdLedger, safetyWakeups, tempDir } from "./_helpers.ts";
import { lastJson, runFixture } from "./_kernel_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first strace test", fds.start);

interface Fds {
  tcp: number;
  client: number;
  listener6: number;
  server: number;
  seqpacket: number;
  pair: [number, number];
  udp: number;
  nonblocking: number;
  port: number;
  port6: number;
}

let traced: Promise<{ fds: Fds; calls: string[] }> | undefined;
/** The fixture's descriptors and the calls of its trace (pid prefixes removed). */
function trace(): Promise<{ fds: Fds; calls: string[] }> {
  return traced ??= (async () => {
    using dir = tempDir();
    const file = `${dir.path}/trace`;
    const calls = "trace=socket,socketpair,connect,accept4,sendto,sendmsg,recvmsg";
    const r = await runFixture("kernel_socket_calls.ts", {
      wrapper: ["strace", "-f", "-qq", "-e", calls, "-o", file],
    });
    const fds = lastJson<Fds>(r, "kernel_socket_calls.ts");
    const lines = Deno.readTextFileSync(file).split("\n").map((l) => l.replace(/^\d+\s+/, ""));
    return { fds, calls: lines.filter((l) => /^[a-z0-9_]+\(/.test(l)) };
  })();
}

/** The one call of the trace that starts with `prefix`. */
function only(calls: string[], prefix: string): string {
  const found = calls.filter((l) => l.startsWith(prefix));
  assertEquals(found.length, 1, `one call starting ${prefix} in:\n${calls.join("\n")}`);
  return found[0];
}

const FLAGS = "SOCK_CLOEXEC|SOCK_NONBLOCK";

Deno.test("socket() and socketpair() ask the kernel for exactly the caller's (domain, type, protocol) plus SOCK_CLOEXEC|SOCK_NONBLOCK", async () => {
  const { fds: f, calls } = await trace();
  const expected = [
    `socket(AF_INET, SOCK_STREAM|${FLAGS}, IPPROTO_TCP) = ${f.tcp}`,
    `socket(AF_INET6, SOCK_STREAM|${FLAGS}, IPPROTO_IP) = ${f.client}`,
    `socket(AF_INET6, SOCK_STREAM|${FLAGS}, IPPROTO_IP) = ${f.listener6}`,
    `socket(AF_UNIX, SOCK_SEQPACKET|${FLAGS}, 0) = ${f.seqpacket}`,
    `socketpair(AF_UNIX, SOCK_DGRAM|${FLAGS}, 0, [${f.pair[0]}, ${f.pair[1]}]) = 0`,
    `socket(AF_INET, SOCK_DGRAM|${FLAGS}, IPPROTO_UDP) = ${f.udp}`,
    // SOCK_NONBLOCK given by the caller is passed once, not twice.
    `socket(AF_INET, SOCK_DGRAM|${FLAGS}, IPPROTO_IP) = ${f.nonblocking}`,
  ];
  const mine = [f.tcp, f.client, f.listener6, f.seqpacket, f.udp, f.nonblocking];
  const ours = calls.filter((l) =>
    (l.startsWith("socket(") && mine.some((fd) => l.endsWith(` = ${fd}`))) ||
    (l.startsWith("socketpair(") && l.includes(`[${f.pair[0]}, ${f.pair[1]}]`))
  );
  assertEquals(ours, expected);
});

Deno.test("accept4() asks for SOCK_CLOEXEC|SOCK_NONBLOCK, recvmsg() for MSG_CMSG_CLOEXEC on a unix socket only", async () => {
  const { fds: f, calls } = await trace();
  const accepts = calls.filter((l) => l.startsWith(`accept4(${f.listener6},`));
  assertGreater(accepts.length, 0);
  for (const l of accepts) assert(l.includes(`], ${FLAGS}) = `), l);
  assert(accepts.some((l) => l.endsWith(`) = ${f.server}`)), "the accepted descriptor");
  // Descriptors arrive on unix sockets alone; AF_PACKET refuses the flag (EINVAL).
  const inet = only(calls, `recvmsg(${f.server},`);
  assert(/\}, 0\) = 6$/.test(inet), inet);
  const unix = only(calls, `recvmsg(${f.pair[1]},`);
  assert(/\}, MSG_CMSG_CLOEXEC\) = 3$/.test(unix), unix);
});

Deno.test("connect() and sendto() pass the address the caller named; every send carries MSG_NOSIGNAL", async () => {
  const { fds: f, calls } = await trace();
  const sin6 = `{sa_family=AF_INET6, sin6_port=htons(${f.port6}), sin6_flowinfo=htonl(0), ` +
    `inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28)`;
  const connects = calls.filter((l) => l.startsWith(`connect(${f.client},`));
  assertEquals(connects, [
    `connect(${f.client}, ${sin6} = -1 EINPROGRESS (Operation now in progress)`,
    // Completing the non-blocking connect, as a blocking connect(2) would have.
    `connect(${f.client}, ${sin6} = 0`,
  ]);
  const sends = calls.filter((l) => /^send(to|msg)\(/.test(l)).filter((l) =>
    [f.client, f.udp].some((fd) => l.startsWith(`sendto(${fd},`) || l.startsWith(`sendmsg(${fd},`))
  );
  assertEquals(sends, [
    `sendto(${f.client}, "\\1\\2\\3", 3, MSG_NOSIGNAL, NULL, 0) = 3`,
    `sendto(${f.client}, "\\1\\2\\3", 3, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0) = 3`,
    `sendto(${f.udp}, "\\1\\2\\3", 3, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(${f.port}), ` +
    `sin_addr=inet_addr("127.0.0.1")}, 16) = 3`,
  ]);
});

Deno.test("strace tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the strace tests", fds.assertUnchanged);
