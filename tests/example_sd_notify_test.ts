/**
 * examples/sd_notify.ts, run as its command line against a python3 receiver
 * standing in for systemd: a unix datagram socket at a path or an abstract
 * name, with `SO_PASSCRED` on, as systemd's notify socket has it, so the
 * kernel's credentials show which process sent the datagram.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { fdLedger, python, tempDir } from "./_helpers.ts";
import { assertUsage, runExample, spawnExample } from "./_example_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first sd_notify example test", fds.start);

/** systemd's side: one datagram, with the sender's credentials. */
const RECEIVER = `
import socket, struct, sys
from _peer import say
name = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind("\\0" + name[1:] if name.startswith("@") else name)
say(ready=True)
data, anc, flags, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
creds = [struct.unpack("3i", d) for l, t, d in anc
         if l == socket.SOL_SOCKET and t == socket.SCM_CREDENTIALS]
say(data=data.decode(), pid=creds[0][0], uid=creds[0][1], truncated=bool(flags & socket.MSG_TRUNC))
`;

async function notifyThrough(name: string, states: string[]) {
  await using receiver = python(RECEIVER, [name]);
  await receiver.read();
  await using cli = spawnExample("sd_notify", states, { env: { NOTIFY_SOCKET: name } });
  const status = await cli.status();
  const got = await receiver.read<{ data: string; pid: number; uid: number; truncated: boolean }>();
  await receiver.done();
  return { status, got, pid: cli.pid, stdout: cli.stdout.text, stderr: cli.stderr.text };
}

Deno.test("sd_notify.ts READY=1 STATUS=…: one datagram to the path in NOTIFY_SOCKET, the states one per line, sent by the CLI's own pid; prints nothing", async () => {
  using dir = tempDir();
  const r = await notifyThrough(`${dir.path}/notify`, ["READY=1", "STATUS=Serving 3 clients"]);
  assertEquals([r.status.code, r.stdout, r.stderr], [0, "", ""]);
  assertEquals(r.got, {
    data: "READY=1\nSTATUS=Serving 3 clients",
    pid: r.pid,
    uid: 0,
    truncated: false,
  });
});

Deno.test("sd_notify.ts with NOTIFY_SOCKET=@name: the abstract namespace", async () => {
  const r = await notifyThrough(`@bsdsock-notify-${Deno.pid}`, ["STOPPING=1"]);
  assertEquals([r.status.code, r.stderr], [0, ""]);
  assertEquals([r.got.data, r.got.pid], ["STOPPING=1", r.pid]);
});

Deno.test("sd_notify.ts without NOTIFY_SOCKET: says it was not started as a notify service, exit 1", async () => {
  const r = await runExample("sd_notify", ["READY=1"], { env: { NOTIFY_SOCKET: "" } });
  assertEquals([r.code, r.stdout], [1, ""]);
  assertEquals(
    r.stderr,
    "sd_notify: NOTIFY_SOCKET is not set: not started by systemd as a Type=notify service\n",
  );
});

Deno.test("sd_notify.ts with nobody at NOTIFY_SOCKET: the kernel's ENOENT, exit 1", async () => {
  using dir = tempDir();
  const path = `${dir.path}/gone`;
  const r = await runExample("sd_notify", ["READY=1"], { env: { NOTIFY_SOCKET: path } });
  assertEquals([r.code, r.stdout], [1, ""]);
  assertEquals(r.stderr, `sd_notify: sendto: No such file or directory (ENOENT) ${path}\n`);
});

Deno.test("sd_notify.ts usage errors: no STATE, a state that is not KEY=value: exit 2 with the usage line", async () => {
  await Promise.all([
    assertUsage("sd_notify", [], /^sd_notify: no STATE given$/m),
    assertUsage("sd_notify", ["ready"], /^sd_notify: "ready" is not KEY=value$/m),
  ]);
});

Deno.test("descriptors: none left open by the sd_notify example tests", fds.assertUnchanged);
