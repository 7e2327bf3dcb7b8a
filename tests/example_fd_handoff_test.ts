/**
 * examples/fd_handoff.ts, run as its command line three times in a row, each
 * run taking the listening socket over from the one before, while a python3
 * client connects in a loop throughout: every connection is answered (none
 * refused, none reset), by each of the three processes in turn. Then the same
 * with a control socket at a path, a stale one to begin with.
 *
 * @module
 */
import { assert, assertEquals, assertGreater } from "@std/assert";
import { fdLedger, python } from "./_helpers.ts";
import { run, SYSTEM_PYTHON } from "./_kernel_helpers.ts";
import { assertUsage, type Proc, readToEnd, spawnExample } from "./_example_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first fd handoff example test", fds.start);

/**
 * Connects to 127.0.0.1:argv[1] over and over, reading each answer to its end:
 * says {pid} the first time a pid answers; at "stop" on stdin, says the totals.
 */
const CLIENT = `
import json, select, socket, sys, time
from _peer import say, hear
port, seen, errors, count, slowest = int(sys.argv[1]), {}, [], 0, 0.0
while not select.select([sys.stdin], [], [], 0)[0]:
    t = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
            data = b""
            while chunk := c.recv(64):
                data += chunk
        pid = int(data.decode().split()[-1])
        if pid not in seen:
            say(pid=pid)
        seen[pid] = seen.get(pid, 0) + 1
    except Exception as e:
        errors.append(repr(e))
    count += 1
    slowest = max(slowest, time.monotonic() - t)
hear()
say(count=count, errors=errors[:5], seen={str(k): v for k, v in seen.items()}, slowest=slowest)
`;

interface Totals {
  count: number;
  errors: string[];
  seen: Record<string, number>;
  slowest: number;
}

async function line(p: Proc, re: RegExp): Promise<RegExpExecArray> {
  return await p.stdout.waitFor(re, 10_000);
}

Deno.test("fd_handoff.ts run three times: each takes the listener over from the last, which exits 0; a client connecting throughout is never refused", async () => {
  const control = `@bsdsock-handoff-${Deno.pid}`;
  await using stack = new AsyncDisposableStack(); // every server, killed if still running
  const a = stack.use(spawnExample("fd_handoff", [control, "0"]));
  const port = Number((await line(a, /listening on 127\.0\.0\.1:(\d+), control socket /))[1]);
  await using client = python(CLIENT, [String(port)], { timeout: 30_000 });
  assertEquals((await client.read<{ pid: number }>()).pid, a.pid);

  const servers = [a];
  for (const round of [1, 2]) {
    const prev = servers[round - 1];
    const next = stack.use(spawnExample("fd_handoff", [control]));
    servers.push(next);
    await line(
      next,
      new RegExp(
        `took over 127\\.0\\.0\\.1:${port} from pid ${prev.pid}, control socket ${control}$`,
      ),
    );
    assertEquals((await prev.status()).code, 0, prev.stderr.text);
    assertEquals(
      prev.stdout.lines.at(-1),
      `fd_handoff[${prev.pid}]: handed 127.0.0.1:${port} to pid ${next.pid}, exiting`,
    );
    assertEquals((await client.read<{ pid: number }>()).pid, next.pid, "the successor answers");
  }
  await new Promise((r) => setTimeout(r, 100)); // a few more connections to the last one
  await client.write("stop");
  const totals = await client.read<Totals>();
  await client.done();
  assertEquals(totals.errors, [], "no connection refused, reset or timed out");
  for (const s of servers) {
    assertGreater(totals.seen[String(s.pid)] ?? 0, 0, `pid ${s.pid} answered`);
  }
  assertEquals(Object.keys(totals.seen).length, 3);
  const last = servers[2];
  last.kill("SIGTERM");
  assertEquals((await last.status()).code, 0, last.stderr.text);
  assertEquals(last.stdout.lines.at(-1), `fd_handoff[${last.pid}]: stopped`);
  for (const s of servers) assertEquals(s.stderr.text, "");
  assert(totals.slowest < 5, `slowest connection ${totals.slowest} s`);
});

Deno.test("fd_handoff.ts with a control socket at a path: a stale file is replaced, the path moves to the successor, the last one removes it", async () => {
  // A socket file nobody listens on, as a crashed server leaves it.
  const path = `/tmp/bsdsock-handoff-${Deno.pid}.ctl`;
  const stale = await run(SYSTEM_PYTHON, [
    "-c",
    `import socket; socket.socket(socket.AF_UNIX).bind("${path}")`,
  ]);
  assertEquals(stale.code, 0, stale.stderr);
  try {
    await using a = spawnExample("fd_handoff", [path, "0"], { doc: 1 });
    const port = Number((await line(a, /listening on 127\.0\.0\.1:(\d+), control socket /))[1]);
    await using b = spawnExample("fd_handoff", [path], { doc: 1 });
    await line(b, new RegExp(`took over 127\\.0\\.0\\.1:${port} from pid ${a.pid}`));
    assertEquals((await a.status()).code, 0, a.stderr.text);
    assert((await Deno.lstat(path)).isSocket, "the successor bound the path again");
    const answer = await readToEnd(await Deno.connect({ hostname: "127.0.0.1", port }));
    assertEquals(answer, `hello from ${b.pid}\n`);
    b.kill("SIGINT");
    assertEquals((await b.status()).code, 0, b.stderr.text);
    assertEquals(await Deno.lstat(path).then(() => "there", () => "removed"), "removed");
  } finally {
    await Deno.remove(path).catch(() => {});
  }
});

Deno.test("fd_handoff.ts usage errors: no CONTROL, a bad port: exit 2 with the usage line", async () => {
  await Promise.all([
    assertUsage("fd_handoff", [], /^usage: fd_handoff\.ts CONTROL/m),
    assertUsage("fd_handoff", ["@x", "70000"], /^usage: fd_handoff\.ts CONTROL/m),
  ]);
});

Deno.test("descriptors: none left open by the fd handoff example tests", fds.assertUnchanged);
