/**
 * examples/syslog.ts, run as its command line against a python3 receiver
 * standing in for the syslog daemon behind /dev/log (`--socket PATH`): a unix
 * datagram socket with `SO_PASSCRED` on, as journald's is, so the PROCID of the
 * line can be checked against the kernel's credentials of the datagram.
 *
 * @module
 */
import { assertEquals, assertMatch } from "@std/assert";
import { fdLedger, python, tempDir } from "./_helpers.ts";
import { assertUsage, runExample, spawnExample } from "./_example_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first syslog example test", fds.start);

/** The daemon's side: one datagram, its sender's pid, and the host name. */
const RECEIVER = `
import socket, struct, sys
from _peer import say
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind(sys.argv[1])
say(ready=True, hostname=socket.gethostname())
data, anc, flags, _ = s.recvmsg(65536, socket.CMSG_SPACE(12))
pid = [struct.unpack("3i", d)[0] for l, t, d in anc if t == socket.SCM_CREDENTIALS][0]
say(line=data.decode(), pid=pid)
`;

async function logThrough(args: string[]) {
  using dir = tempDir();
  const path = `${dir.path}/log`;
  await using receiver = python(RECEIVER, [path]);
  const { hostname } = await receiver.read<{ hostname: string }>();
  await using cli = spawnExample("syslog", ["--socket", path, ...args]);
  const status = await cli.status();
  const got = await receiver.read<{ line: string; pid: number }>();
  await receiver.done();
  return { status, got, hostname, pid: cli.pid, stdout: cli.stdout.text, stderr: cli.stderr.text };
}

const ISO = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;

Deno.test("syslog.ts MESSAGE: one RFC 5424 line, user.notice (PRI 13), this host, the CLI's own pid as PROCID", async () => {
  const before = Date.now();
  const r = await logThrough(["disk", "almost", "full"]);
  assertEquals([r.status.code, r.stdout, r.stderr], [0, "", ""]);
  const line = new RegExp(`^<13>1 (${ISO}) (\\S+) syslog\\.ts (\\d+) - - disk almost full$`);
  assertMatch(r.got.line, line);
  const [, iso, host, procid] = line.exec(r.got.line)!;
  assertEquals([host, Number(procid)], [r.hostname, r.pid]);
  assertEquals(r.got.pid, r.pid, "the kernel's credentials name the same process");
  const time = Date.parse(iso);
  assertEquals(time >= before - 1000 && time <= Date.now() + 1000, true, iso);
});

Deno.test("syslog.ts -p local3.err -t myapp -s: PRI 155, the tag as APP-NAME, and the same line on stderr", async () => {
  const r = await logThrough([
    "-p",
    "local3.err",
    "-t",
    "myapp",
    "-s",
    "--",
    "-x is not an option",
  ]);
  assertEquals([r.status.code, r.stdout], [0, ""]);
  assertMatch(
    r.got.line,
    new RegExp(`^<155>1 ${ISO} \\S+ myapp ${r.pid} - - -x is not an option$`),
  );
  assertEquals(r.stderr, `${r.got.line}\n`);
});

Deno.test("syslog.ts to a socket nobody listens on: the kernel's error, exit 1", async () => {
  using dir = tempDir();
  const path = `${dir.path}/nobody`;
  const r = await runExample("syslog", ["--socket", path, "hello"]);
  assertEquals([r.code, r.stdout], [1, ""]);
  assertEquals(r.stderr, `syslog: connect: No such file or directory (ENOENT) ${path}\n`);
});

Deno.test("syslog.ts usage errors: no MESSAGE, an unknown priority: exit 2 with the usage line", async () => {
  await Promise.all([
    assertUsage("syslog", [], /^syslog: MESSAGE is missing$/m),
    assertUsage("syslog", ["-p", "user.loud", "x"], /^syslog: unknown priority "user\.loud"/m),
  ]);
});

Deno.test("descriptors: none left open by the syslog example tests", fds.assertUnchanged);
