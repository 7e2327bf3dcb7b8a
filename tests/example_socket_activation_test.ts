/**
 * examples/socket_activation.ts, run as its command line by a python3 launcher
 * that does what systemd does: binds the listening sockets, puts them at
 * descriptors 3 and 4, sets `LISTEN_FDS`, `LISTEN_PID` and `LISTEN_FDNAMES`,
 * and execs deno, so the pid it announces is the service's pid (exec, not
 * fork). Connections come from `Deno.connect`, the runtime's own networking.
 *
 * @module
 */
import { assertEquals, assertMatch } from "@std/assert";
import { fdLedger, tempDir } from "./_helpers.ts";
import { SYSTEM_PYTHON } from "./_kernel_helpers.ts";
import { exampleArgv, readToEnd, spawn } from "./_example_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first socket activation example test", fds.start);

/**
 * systemd's part: a TCP listener on 127.0.0.1, a unix stream listener at
 * argv[1] and a UDP socket, at descriptors 3, 4 and 5; the environment; exec.
 * argv[2] is LISTEN_PID ("self" for this process, which exec keeps), argv[3:]
 * the command.
 */
const LAUNCHER = `
import json, os, socket, sys
path, listen_pid, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.bind(("127.0.0.1", 0))
tcp.listen()
unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
unix.bind(path)
unix.listen()
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
port = tcp.getsockname()[1]
high = [os.dup(s.fileno()) for s in (tcp, unix, udp)]  # above 5, out of the way
for s in (tcp, unix, udp):
    s.close()
for target, fd in zip((3, 4, 5), high):
    os.dup2(fd, target)  # inheritable: it stays open across exec
    os.close(fd)
env = dict(os.environ, LISTEN_FDS="3", LISTEN_FDNAMES="web:control:stats",
           LISTEN_PID=str(os.getpid()) if listen_pid == "self" else listen_pid)
print(json.dumps({"port": port, "pid": os.getpid()}), flush=True)
os.execve(argv[0], argv, env)
`;

Deno.test("socket_activation.ts under a launcher that execs it with LISTEN_FDS=3: adopts fd 3 (TCP) and fd 4 (unix), closes fd 5 (UDP, not a listener), answers each connection with its pid, exits 0 at SIGTERM", async () => {
  using dir = tempDir();
  const path = `${dir.path}/control.sock`;
  await using service = spawn([
    SYSTEM_PYTHON,
    "-c",
    LAUNCHER,
    path,
    "self",
    ...exampleArgv("socket_activation", []),
  ]);
  const first = await service.stdout.waitFor(/^\{.*\}$/);
  const { port, pid } = JSON.parse(first[0]) as { port: number; pid: number };
  assertEquals(pid, service.pid, "the launcher is the process spawned");
  await service.stdout.waitFor(/fd 4 \(control\): listening/);
  assertEquals(service.stdout.lines.slice(1), [
    `socket_activation: fd 3 (web): listening on 127.0.0.1:${port}`,
    `socket_activation: fd 4 (control): listening on ${path}`,
  ]);
  const answers = await Promise.all([
    Deno.connect({ hostname: "127.0.0.1", port }).then(readToEnd),
    Deno.connect({ hostname: "127.0.0.1", port }).then(readToEnd),
    Deno.connect({ transport: "unix", path }).then(readToEnd),
  ]);
  assertEquals(answers, Array(3).fill(`hello from ${pid}\n`), "LISTEN_PID's process answers");
  await service.stdout.waitFor(/fd 4 \(control\): hello to /);
  const served = service.stdout.lines.slice(3).sort();
  assertEquals(served.length, 3, service.stdout.text);
  assertMatch(
    served[0],
    new RegExp(`^socket_activation: fd 3 \\(web\\): hello to 127\\.0\\.0\\.1:\\d+$`),
  );
  assertMatch(
    served[1],
    new RegExp(`^socket_activation: fd 3 \\(web\\): hello to 127\\.0\\.0\\.1:\\d+$`),
  );
  assertMatch(served[2], /^socket_activation: fd 4 \(control\): hello to /);
  service.kill("SIGTERM");
  assertEquals((await service.status()).code, 0, service.stderr.text);
  assertEquals(
    service.stderr.text,
    "socket_activation: fd 5 (stats): not a listening stream socket; closed\n",
  );
  // The sockets were closed: nothing listens on the port any more.
  const refused = await Deno.connect({ hostname: "127.0.0.1", port }).then(
    (c) => (c.close(), "connected"),
    (err) => err.name,
  );
  assertEquals(refused, "ConnectionRefused");
});

Deno.test("socket_activation.ts with LISTEN_PID naming another process: refuses the descriptors, exit 1", async () => {
  using dir = tempDir();
  await using service = spawn([
    SYSTEM_PYTHON,
    "-c",
    LAUNCHER,
    `${dir.path}/s`,
    "1",
    ...exampleArgv("socket_activation", []),
  ]);
  const { code } = await service.status();
  assertEquals(code, 1);
  assertEquals(
    service.stderr.text,
    `socket_activation: the sockets were passed to pid 1 (LISTEN_PID), not to this process (${service.pid})\n`,
  );
});

Deno.test("socket_activation.ts run directly, with nothing passed: says so, exit 1; with an argument: usage, exit 2", async () => {
  const unset = ["env", "-u", "LISTEN_FDS", "-u", "LISTEN_PID", "-u", "LISTEN_FDNAMES"];
  const [bare, extra] = await Promise.all(
    [[], ["8080"]].map(async (args) => {
      await using p = spawn([...unset, ...exampleArgv("socket_activation", args)]);
      return { code: (await p.status()).code, stdout: p.stdout.text, stderr: p.stderr.text };
    }),
  );
  assertEquals(bare, {
    code: 1,
    stdout: "",
    stderr: "socket_activation: no sockets passed (LISTEN_FDS and LISTEN_PID are not set)\n",
  });
  assertEquals([extra.code, extra.stdout], [2, ""]);
  assertMatch(extra.stderr, /^usage: socket_activation\.ts/);
});

Deno.test(
  "descriptors: none left open by the socket activation example tests",
  fds.assertUnchanged,
);
