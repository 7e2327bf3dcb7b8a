/**
 * The ffi backend seen from other processes: Deno's net sandbox applies to it
 * as to Deno's own sockets (a `deno run` without `--allow-net`), every send
 * carries MSG_NOSIGNAL (under strace), and no descriptor of ours leaks into a
 * child process.
 *
 * @module
 */
import { assert, assertEquals, assertGreater, assertStringIncludes } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { recvFds, sendFds, Socket } from "../mod.ts";
import { sys } from "../socket/ffi/mod.ts";
import {
  fdLedger,
  portOf,
  python,
  runDeno,
  safetyWakeups,
  tcpListener,
  tcpPair,
  tempDir,
  unixPair,
  utf8,
} from "./_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first process test", fds.start);

const T = { timeout: 5000 };

/** Tries each call in a child process and prints what each one did. */
const SANDBOX_CHILD = `
import { linux as C, socket } from "@bsdsock/socket";
setTimeout(() => Deno.exit(99), 10_000); // a watchdog; the script exits explicitly below
const [allowed, other] = Deno.args.map(Number);
const ffi = { backend: "ffi" } as const;
const out: Record<string, string> = {};
async function attempt(name: string, call: () => unknown): Promise<void> {
  try {
    await call();
    out[name] = "ok";
  } catch (e) {
    out[name] = (e as Error).name + ": " + (e as Error).message;
  }
}
const to = (port: number) => ({ hostname: "127.0.0.1", port });
for (const [name, port] of [["allowed", allowed], ["other", other]] as const) {
  await attempt("connect " + name, async () => {
    using s = socket(C.AF_INET, C.SOCK_STREAM, 0, ffi);
    await s.connect(to(port), { timeout: 5000 });
  });
  await attempt("bind " + name, () => {
    using s = socket(C.AF_INET, C.SOCK_DGRAM, 0, ffi);
    s.bind(to(port)); // UDP: the TCP listener on that port is no obstacle
  });
  await attempt("sendto " + name, async () => {
    using s = socket(C.AF_INET, C.SOCK_DGRAM, 0, ffi);
    await s.sendto(new Uint8Array(1), to(port));
  });
  await attempt("sendmsg " + name, async () => {
    using s = socket(C.AF_INET, C.SOCK_DGRAM, 0, ffi);
    await s.sendmsg([new Uint8Array(1)], { addr: to(port) });
  });
  await attempt("Deno.connect " + name, async () => {
    const conn = await Deno.connect(to(port));
    conn.close();
  });
}
console.log(JSON.stringify(out));
Deno.exit(0);
`;

async function sandbox(flags: string[], allowed: number, other: number) {
  const run = await runDeno(SANDBOX_CHILD, flags, { args: [String(allowed), String(other)] });
  assertEquals(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, string>;
}

Deno.test("sandbox: with --allow-ffi but no --allow-net, connect/bind/sendto fail as Deno.connect does", async () => {
  using a = tcpListener();
  using b = tcpListener();
  const [pa, pb] = [portOf(a.getsockname()), portOf(b.getsockname())];
  const out = await sandbox(["--allow-ffi"], pa, pb);
  for (const [port, name] of [[pa, "allowed"], [pb, "other"]] as const) {
    const denied =
      `NotCapable: Requires net access to "127.0.0.1:${port}", run again with the --allow-net flag`;
    assertEquals(out[`Deno.connect ${name}`], denied, "Deno's own wording");
    for (const call of ["connect", "bind", "sendto", "sendmsg"]) {
      assertEquals(out[`${call} ${name}`], denied, `${call} to port ${port}`);
    }
  }
});

Deno.test("sandbox: --allow-net=127.0.0.1:PORT lets the ffi backend reach that port only", async () => {
  using a = tcpListener();
  using b = tcpListener();
  const [pa, pb] = [portOf(a.getsockname()), portOf(b.getsockname())];
  const out = await sandbox(["--allow-ffi", `--allow-net=127.0.0.1:${pa}`], pa, pb);
  for (const call of ["connect", "bind", "sendto", "sendmsg", "Deno.connect"]) {
    assertEquals(out[`${call} allowed`], "ok", call);
    assertStringIncludes(
      out[`${call} other`],
      `NotCapable: Requires net access to "127.0.0.1:${pb}"`,
    );
  }
  // The allowed connects did reach the listener.
  const [conn] = await a.accept(T);
  conn.close();
});

/** Sends every way the library can, on sockets whose numbers it prints, under strace. */
const SEND_CHILD = `
import { linux as C, sendFds, setLinger } from "@bsdsock/socket";
import { tcpPair, udpSocket, unixPair } from "@tests/helpers";
setTimeout(() => Deno.exit(99), 10_000); // strace must never be left tracing a stuck child
const T = { timeout: 5000 };
const data = new Uint8Array(8);
using pair = await tcpPair();
const [client, server] = pair;
await client.send(data, 0, T);
await client.sendAll(data, 0, T);
await client.sendmsg([data, data], T);
using udp = udpSocket();
await udp.sendto(data, udp.getsockname(), 0, T);
await udp.sendmsg([data], { addr: udp.getsockname(), ...T });
using unix = unixPair();
await sendFds(unix[0], data, [udp.fd], T);
await unix[0].send(data, C.MSG_DONTWAIT, T);
// A reset peer: the next sends fail (ECONNRESET, then EPIPE) instead of raising SIGPIPE.
setLinger(server, 0);
server.close();
await new Promise((r) => setTimeout(r, 50));
const errors: string[] = [];
for (let i = 0; i < 3; i++) await client.send(data, 0, T).catch((e) => errors.push(e.code));
console.log(JSON.stringify({ fds: [client.fd, udp.fd, unix[0].fd], errors }));
Deno.exit(0);
`;

Deno.test("every send(), sendto() and sendmsg() carries MSG_NOSIGNAL (strace)", async () => {
  using dir = tempDir();
  const trace = `${dir.path}/trace`;
  const run = await runDeno(SEND_CHILD, ["-A"], {
    wrapper: ["strace", "-f", "-qq", "-e", "trace=sendto,sendmsg,sendmmsg", "-o", trace],
  });
  assertEquals(run.code, 0, run.stderr);
  const { fds: ours, errors } = JSON.parse(run.stdout) as { fds: number[]; errors: string[] };
  assertEquals(errors, ["ECONNRESET", "EPIPE", "EPIPE"]);
  const lines = Deno.readTextFileSync(trace).split("\n");
  const calls = lines.filter((l) => {
    const m = /^\d+\s+(?:<\.\.\. )?(sendto|sendmsg|sendmmsg)\((\d+),/.exec(l);
    return m !== null && ours.includes(Number(m[2]));
  });
  // send ×2 (+ the three after the reset), sendAll, sendmsg, sendto, sendmsg(addr), sendFds.
  assertGreater(calls.length, 9, `the trace has our calls:\n${lines.join("\n")}`);
  for (const call of calls) assertStringIncludes(call, "MSG_NOSIGNAL");
  assert(calls.some((c) => /= -1 EPIPE/.test(c)), "a send met EPIPE");
  assert(!lines.some((l) => l.includes("SIGPIPE")), "no SIGPIPE was raised");
});

Deno.test("no descriptor of ours is inherited by a child process (python3 lists its own)", async () => {
  using listener = tcpListener();
  using pair = await tcpPair(); // includes an accept4()ed descriptor
  using channel = unixPair();
  using target = unixPair();
  await sendFds(channel[0], utf8("x"), [target[0].fd], T);
  const received = await recvFds(channel[1], new Uint8Array(1), 1, T);
  using passed = Socket.fromFd(received.fds[0]);
  const raw = sys.socket(C.AF_INET, C.SOCK_DGRAM, 0); // no SOCK_CLOEXEC: the control
  assert(raw >= 0);
  const rawSv = new Int32Array(2);
  assertEquals(sys.socketpair(C.AF_UNIX, C.SOCK_STREAM, 0, rawSv), 0);
  using adopted = Socket.fromFd(rawSv[0]); // adoption sets close-on-exec
  using adoptedToo = Socket.fromFd(rawSv[1]);
  try {
    await using py = python(
      "from _peer import say; import os; say(fds=sorted(int(n) for n in os.listdir('/proc/self/fd')))",
    );
    const { fds: inherited } = await py.read<{ fds: number[] }>();
    assert(inherited.includes(raw), `the control fd ${raw} is inherited: ${inherited}`);
    const mine = [listener, ...pair, ...channel, ...target, passed, adopted, adoptedToo];
    for (const s of mine) assert(!inherited.includes(s.fd), `${s} leaked into the child`);
    await py.done();
  } finally {
    sys.close(raw);
  }
});

Deno.test("a script whose calls parked exits on its own once they are done", async () => {
  const run = await runDeno(
    `
import { linux as C, socketpair } from "@bsdsock/socket";
const [a, b] = socketpair(C.AF_UNIX, C.SOCK_STREAM);
const pending = b.recv(new Uint8Array(4), 0, { timeout: 5000 }); // parks
await a.send(new Uint8Array([1, 2]));
console.log(await pending);
a.close();
b.close();
`,
    ["--allow-ffi"],
    { timeout: 5000 }, // it takes some 100 ms; a child that never exits is killed then
  );
  assertEquals([run.code, run.stdout.trim()], [0, "2"], `exit code ${run.code}: ${run.stderr}`);
});

Deno.test("process tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the process tests", fds.assertUnchanged);
