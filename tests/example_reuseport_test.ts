/**
 * examples/reuseport.ts, run as its command line: three worker processes on
 * one port, the kernel spreading 300 connections among them (the example
 * checks the workers' own counts against what its client saw, and exits 1 when
 * they differ); and a port already held by a socket without `SO_REUSEPORT`,
 * which the kernel refuses to share (`EADDRINUSE`).
 *
 * @module
 */
import { assertEquals, assertGreater, assertMatch } from "@std/assert";
import { fdLedger, python } from "./_helpers.ts";
import { assertUsage, spawnExample } from "./_example_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first reuseport example test", fds.start);

Deno.test("reuseport.ts 3 -n 300: three worker processes share one port; every connection answered; the table is the kernel's spread", async () => {
  await using cli = spawnExample("reuseport", ["3", "-n", "300"]);
  const { code } = await cli.status();
  assertEquals([code, cli.stderr.text], [0, ""], cli.stdout.text);
  const [head, ...rows] = cli.stdout.lines;
  assertMatch(head, /^3 workers share 127\.0\.0\.1:\d+ \(SO_REUSEPORT\); 300 connections:$/);
  assertEquals(rows.length, 3, cli.stdout.text);
  const parsed = rows.map((row, i) => {
    const m = /^worker (\d) {2}pid (\d+) +(\d+) {2}(#*)$/.exec(row);
    assertEquals(m?.[1], String(i + 1), row);
    return { pid: Number(m![2]), count: Number(m![3]), bar: m![4].length };
  });
  const pids = new Set(parsed.map((p) => p.pid));
  assertEquals(pids.size, 3, "three processes");
  assertEquals(pids.has(cli.pid), false, "none of them the parent");
  assertEquals(parsed.reduce((n, p) => n + p.count, 0), 300);
  // With a hash of each connection's ports, a worker left out of 300 is ~1e-53 likely.
  for (const p of parsed) assertGreater(p.count, 0);
  const max = Math.max(...parsed.map((p) => p.count));
  for (const p of parsed) assertEquals(p.bar, Math.round((p.count * 40) / max));
});

Deno.test("reuseport.ts -p PORT held by a listener without SO_REUSEPORT: the kernel refuses the workers (EADDRINUSE), exit 1", async () => {
  await using holder = python(`
import socket
from _peer import say, hear
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
say(port=s.getsockname()[1])
hear()
`);
  const { port } = await holder.read<{ port: number }>();
  await using cli = spawnExample("reuseport", ["2", "-p", String(port)]);
  const { code } = await cli.status();
  assertEquals([code, cli.stdout.text], [1, ""]);
  assertEquals(cli.stderr.lines, [
    `reuseport: worker 1: bind: Address already in use (EADDRINUSE) 127.0.0.1:${port}`,
    "reuseport: worker 1 exited with 1",
  ]);
  await holder.write({});
  await holder.done();
});

Deno.test("reuseport.ts usage errors: no N, N out of range, a bad -n: exit 2 with the usage line", async () => {
  await Promise.all([
    assertUsage("reuseport", [], /^reuseport: N is missing$/m),
    assertUsage("reuseport", ["0"], /^reuseport: N must be from 1 to 64, got 0$/m),
    assertUsage("reuseport", ["2", "-n", "x"], /^reuseport: -n needs a whole number from 1/m),
  ]);
});

Deno.test("descriptors: none left open by the reuseport example tests", fds.assertUnchanged);
