/**
 * examples/netlink_monitor.ts, run as its command line in a network namespace
 * of its own while `ip` changes links and addresses there: each change comes
 * out as the line `ip monitor` would print, in order. The monitor is known to
 * be listening once the kernel lists its netlink socket, with its groups, in
 * /proc/<pid>/net/netlink.
 *
 * @module
 */
import { assertEquals, assertMatch } from "@std/assert";
import { fdLedger } from "./_helpers.ts";
import { assertUsage, netns, spawnExample } from "./_example_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first netlink monitor example test", fds.start);

/** Waits until process `pid` has a NETLINK_ROUTE socket bound to `groups` (hex, as the kernel lists it). */
async function subscribed(pid: number, groups: string, timeout = 10_000): Promise<void> {
  const end = performance.now() + timeout;
  for (;;) {
    const table = await Deno.readTextFile(`/proc/${pid}/net/netlink`).catch(() => "");
    // sk  Eth  Pid  Groups …: protocol 0 is NETLINK_ROUTE.
    if (table.split("\n").some((l) => new RegExp(`^\\S+\\s+0\\s+\\d+\\s+${groups}\\s`).test(l))) {
      return;
    }
    if (performance.now() > end) throw new Error(`pid ${pid} never subscribed:\n${table}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("netlink_monitor.ts in a namespace: a veth pair, IPv4 and IPv6 addresses added and removed, the link deleted, each printed as ip monitor prints it", async () => {
  await using ns = await netns();
  await ns.sh("ip link set lo up");
  await using monitor = spawnExample("netlink_monitor", [], { wrapper: ns.enter });
  await subscribed(monitor.pid, "00000111"); // RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR
  await ns.sh(
    `ip link add v0 type veth peer name v1
     ip addr add 10.9.0.1/24 dev v0
     ip -6 addr add fd00:9::1/64 dev v0 nodad
     ip addr del 10.9.0.1/24 dev v0
     ip link del v0`,
  );
  await monitor.stdout.waitFor(/^Deleted \d+: v1: /);
  monitor.kill("SIGINT");
  assertEquals((await monitor.status()).code, 0, monitor.stderr.text);
  assertEquals(monitor.stderr.text, "");
  const lines = monitor.stdout.lines;
  const link = String
    .raw`<BROADCAST,MULTICAST> mtu 1500 state DOWN link/ether (?:[0-9a-f]{2}:){5}[0-9a-f]{2}`;
  const expected = [
    new RegExp(`^(\\d+): v1: ${link}$`),
    new RegExp(`^(\\d+): v0: ${link}$`),
    /^(\d+): v0 {4}inet 10\.9\.0\.1\/24 scope global v0$/,
    /^(\d+): v0 {4}inet6 fd00:9::1\/64 scope global$/,
    /^Deleted (\d+): v0 {4}inet 10\.9\.0\.1\/24 scope global v0$/,
    new RegExp(`^Deleted (\\d+): v0: ${link}$`),
    new RegExp(`^Deleted (\\d+): v1: ${link}$`),
  ];
  // Each expected line in order; the kernel may add others (a link change before a delete).
  let at = 0;
  const index = new Map<string, string>();
  for (const re of expected) {
    while (at < lines.length && !re.test(lines[at])) at++;
    assertMatch(lines[at] ?? "", re, `in order:\n${lines.join("\n")}`);
    const name = /(v[01])[: ]/.exec(lines[at])![1];
    const n = re.exec(lines[at])![1];
    assertEquals(index.get(name) ?? n, n, `${name} keeps its index`);
    index.set(name, n);
    at++;
  }
  assertEquals(index.size, 2);
});

Deno.test("netlink_monitor.ts with an argument: usage, exit 2", async () => {
  await assertUsage("netlink_monitor", ["link"], /^usage: netlink_monitor\.ts/m);
});

Deno.test("descriptors: none left open by the netlink monitor example tests", fds.assertUnchanged);
