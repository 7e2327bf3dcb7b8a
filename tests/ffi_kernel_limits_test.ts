/**
 * Limits the kernel enforces, seen from subprocesses: a descriptor table made
 * full under `prlimit --nofile` (socket() and socketpair() fail with EMFILE,
 * accept() reports EMFILE at once without spinning or losing the connection,
 * SCM_RIGHTS truncates), and raw sockets without CAP_NET_RAW (EPERM, as python3
 * gets it under the same setpriv).
 *
 * @module
 */
import { assert, assertEquals, assertLess } from "@std/assert";
import { fdLedger, runDeno, safetyWakeups } from "./_helpers.ts";
import { checkoutFor, lastJson, pyJson, runFixture, SYSTEM_PYTHON } from "./_kernel_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first limits test", fds.start);

// ------------------------------------------------------------------ EMFILE

const LIMIT = 64;

interface ErrorSeen {
  code: string;
  syscall: string;
  message: string;
}
interface Emfile {
  limit: string;
  socket: ErrorSeen;
  held: number;
  sysSocket: [number, number];
  socketpair: ErrorSeen;
  accept: ErrorSeen;
  acceptMs: number;
  acceptAgain: ErrorSeen;
  iterator: ErrorSeen;
  recvFds: { bytes: number; fds: number[]; ctrunc: boolean };
  cpuTicks: number;
  wallMs: number;
  afterClose: { accepted: boolean };
  socketAgain: boolean;
}

let emfile: Promise<Emfile> | undefined;
function full(): Promise<Emfile> {
  return emfile ??= runFixture("kernel_emfile.ts", {
    wrapper: ["prlimit", `--nofile=${LIMIT}:${LIMIT}`],
  }).then((r) => lastJson<Emfile>(r, "kernel_emfile.ts"));
}

const EMFILE = (syscall: string): ErrorSeen => ({
  code: "EMFILE",
  syscall,
  message: `${syscall}: Too many open files (EMFILE)`,
});

Deno.test(`socket() under prlimit --nofile=${LIMIT} fails with SocketError EMFILE once the table is full; closing one lets it work again`, async () => {
  const out = await full();
  assertEquals(out.limit, String(LIMIT), "the limit applied to the child");
  assert(out.held > 0 && out.held < LIMIT, `the child filled the table (${out.held} sockets)`);
  assertEquals(out.socket, EMFILE("socket"));
  assertEquals(out.sysSocket, [-1, 24], "sys.socket() returns -1 with errno EMFILE (24)");
  assertEquals(out.socketpair, EMFILE("socketpair"));
  assert(out.socketAgain, "socket() works again after a close");
});

Deno.test("accept() with the table full reports EMFILE at once (no retry loop, no spin); the connection waits in the backlog and is accepted once a descriptor is freed", async () => {
  const out = await full();
  // The right behaviour is accept(2)'s: report EMFILE and leave the connection queued.
  // Retrying would spin (the listener stays readable) or, edge-triggered, hang until the timeout.
  assertEquals(out.accept, EMFILE("accept"), "the parked accept() woke and reported EMFILE");
  assertLess(out.acceptMs, 1000, "well before its 3 s timeout");
  assertEquals(out.acceptAgain, EMFILE("accept"));
  assertEquals(out.iterator, EMFILE("accept"), "the listener's async iterator throws it too");
  // ~300 ms of wall time at 100 ticks a second: a busy loop would have burnt ~30 ticks.
  assert(out.wallMs >= 300, `the window lasted ${out.wallMs} ms`);
  assertLess(out.cpuTicks, 15, `CPU ticks spent while the table was full: ${out.cpuTicks}`);
  assertEquals(out.afterClose, { accepted: true }, "the queued connection was not lost");
});

Deno.test("SCM_RIGHTS into a full table: the byte arrives, the descriptor does not, and MSG_CTRUNC says so", async () => {
  const out = await full();
  assertEquals(out.recvFds, { bytes: 1, fds: [], ctrunc: true });
});

// ------------------------------------------------------------------ EPERM

interface Privileged {
  uid: number;
  outcomes: Record<string, number>;
}
interface Ours extends Privileged {
  netRaw: boolean | null;
  raw: { name: string; code: string; syscall: string; message: string } | null;
  sysRaw: number;
}

/** The fixture and tests/py/kernel_unprivileged.py, both run under `setpriv dropTo` (or as is). */
async function underSetpriv(
  dropTo: readonly string[],
): Promise<{ ours: Ours; python: Privileged }> {
  const wrapper = dropTo.length ? ["setpriv", ...dropTo] : [];
  await using checkout = await checkoutFor(dropTo);
  const r = await runFixture("kernel_unprivileged.ts", { wrapper, checkout });
  const ours = lastJson<Ours>(r, `kernel_unprivileged.ts under ${wrapper.join(" ")}`);
  const python = await pyJson<Privileged>("kernel_unprivileged.py", null, {
    wrapper,
    python: SYSTEM_PYTHON,
    inline: true,
  });
  return { ours, python };
}

const EPERM = 1;
const RAW = ["raw icmp", "raw ipv6-icmp", "raw ip", "packet"];

function assertRefused(ours: Ours): void {
  assertEquals(ours.netRaw, false, "CAP_NET_RAW is not in the child's effective set");
  for (const name of RAW) assertEquals(ours.outcomes[name], EPERM, name);
  assertEquals(ours.raw, {
    name: "SocketError",
    code: "EPERM",
    syscall: "socket",
    message: "socket: Operation not permitted (EPERM)",
  });
  assertEquals(ours.sysRaw, EPERM, "sys.socket() leaves EPERM in errno()");
}

Deno.test("the first ffi socket of a process, with one descriptor free: EMFILE, not a crash of the runtime", async () => {
  // The runtime's first signal listener (the reactor's SIGIO) takes two descriptors and
  // aborts the process when it cannot get them, so socket() makes sure of them first.
  const source = `
    import { AF_INET, SOCK_DGRAM, socket } from "@bsdsock/socket";
    Deno.unrefTimer(setTimeout(() => Deno.exit(99), 8000));
    const files = [];
    for (;;) {
      try {
        files.push(Deno.openSync("/dev/null"));
      } catch {
        break;
      }
    }
    const make = () => {
      try {
        return socket(AF_INET, SOCK_DGRAM, 0, { backend: "ffi" });
      } catch (err) {
        return err.code ?? String(err);
      }
    };
    files.pop().close();
    const first = make();
    for (let i = 0; i < 4; i++) files.pop().close();
    const sock = make();
    const parked = await sock.recv(new Uint8Array(1), 0, { timeout: 20 }).catch((e) => e.code);
    sock.close();
    console.log(JSON.stringify({ filled: files.length > 0, first, parked }));
    Deno.exit(0);
  `;
  const r = await runDeno(source, ["-A"], { wrapper: ["prlimit", `--nofile=${LIMIT}:${LIMIT}`] });
  assertEquals(r.code, 0, r.stderr);
  assertEquals(JSON.parse(r.stdout.trim()), { filled: true, first: "EMFILE", parked: "ETIMEDOUT" });
});

Deno.test("socket() refuses a raw socket without privilege with EPERM: as nobody (setpriv --reuid=65534), as python3 does", async () => {
  const { ours, python } = await underSetpriv([
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
  ]);
  assertEquals([ours.uid, python.uid], [65534, 65534]);
  assertRefused(ours);
  assertEquals(ours.outcomes, python.outcomes);
  assertEquals(ours.outcomes["bind port 1023"], 13, "EACCES: no CAP_NET_BIND_SERVICE either");
});

Deno.test("socket() refuses a raw socket with EPERM to root without CAP_NET_RAW (setpriv --bounding-set=-net_raw), as python3 does", async () => {
  const { ours, python } = await underSetpriv(["--inh-caps=-net_raw", "--bounding-set=-net_raw"]);
  assertEquals([ours.uid, python.uid], [0, 0]);
  assertRefused(ours);
  assertEquals(ours.outcomes, python.outcomes);
  assertEquals(ours.outcomes["bind port 1023"], 0, "root keeps its other capabilities");
});

Deno.test({
  name: "with CAP_NET_RAW (this process's privileges) the same raw sockets open, for python3 too",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    const { ours, python } = await underSetpriv([]);
    assertEquals(ours.netRaw, true);
    for (const name of RAW) assertEquals(ours.outcomes[name], 0, name);
    assertEquals([ours.raw, ours.sysRaw], [null, 0]);
    assertEquals(ours.outcomes, python.outcomes);
  },
});

Deno.test("limits tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the limits tests", fds.assertUnchanged);
