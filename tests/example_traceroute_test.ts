/**
 * examples/traceroute.ts, run as its command line in the client namespace of
 * three (client, router, server) joined by veth pairs, IPv4 and IPv6: hop 1 is
 * the router's near address (time exceeded), hop 2 the server (port
 * unreachable). Also a network the router has no route to (`!N`), and a router
 * that sends no ICMP at all (`*`).
 *
 * ```text
 * client c0 10.0.1.2 ── r0 10.0.1.1 router r1 10.0.2.1 ── s0 10.0.2.2 server
 * ```
 *
 * @module
 */
import { assertEquals, assertMatch } from "@std/assert";
import { fdLedger } from "./_helpers.ts";
import { assertUsage, type Netns, netns, runExample, sysctl } from "./_example_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first traceroute example test", fds.start);

/** Three namespaces, two hops. */
async function topology(): Promise<[Netns, Netns, Netns] & AsyncDisposable> {
  const all = await Promise.all([netns(), netns(), netns()]);
  const [client, router, server] = all;
  const dispose = async () => {
    await Promise.all(all.map((ns) => ns[Symbol.asyncDispose]()));
  };
  try {
    // No duplicate address detection: the addresses work at once, link-local ones too.
    const noDad = sysctl({
      "net.ipv6.conf.default.accept_dad": 0,
      "net.ipv6.conf.all.accept_dad": 0,
    });
    await Promise.all(all.map((ns) => ns.sh(noDad)));
    await router.sh(
      `ip link add r0 type veth peer name c0 netns ${client.pid}
       ip link add r1 type veth peer name s0 netns ${server.pid}`,
    );
    const addrs = (dev: string, v4: string, v6: string) =>
      `ip link set ${dev} up; ip addr add ${v4}/24 dev ${dev}; ip -6 addr add ${v6}/64 dev ${dev} nodad`;
    // No rate limit on the ICMP errors: every probe is answered.
    const icmp = sysctl({ "net.ipv4.icmp_ratelimit": 0, "net.ipv6.icmp.ratelimit": 0 });
    await Promise.all([
      client.sh(
        `ip link set lo up; ${addrs("c0", "10.0.1.2", "fd00:1::2")}
         ip route add default via 10.0.1.1; ip -6 route add default via fd00:1::1`,
      ),
      router.sh(
        `ip link set lo up; ${addrs("r0", "10.0.1.1", "fd00:1::1")}; ${
          addrs("r1", "10.0.2.1", "fd00:2::1")
        }
         ${sysctl({ "net.ipv4.ip_forward": 1, "net.ipv6.conf.all.forwarding": 1 })}; ${icmp}`,
      ),
      server.sh(
        `ip link set lo up; ${addrs("s0", "10.0.2.2", "fd00:2::2")}
         ip route add default via 10.0.2.1; ip -6 route add default via fd00:2::1; ${icmp}`,
      ),
    ]);
  } catch (err) {
    await dispose();
    throw err;
  }
  return Object.assign([client, router, server] as [Netns, Netns, Netns], {
    [Symbol.asyncDispose]: dispose,
  });
}

const TIME = String.raw`\d+\.\d{3} ms`;

function hop(n: number, address: string, mark = ""): RegExp {
  const probe = `  ${TIME}${mark ? ` ${mark}` : ""}`;
  return new RegExp(`^ ${n}  ${address.replaceAll(".", "\\.")}${probe}${probe}${probe}$`);
}

Deno.test("traceroute.ts across three namespaces: the router at hop 1 (time exceeded), the server at hop 2 (port unreachable), IPv4 and IPv6, exit 0", async () => {
  await using net = await topology();
  const [client] = net;
  const opts = { wrapper: client.enter };
  const [v4, v6] = await Promise.all([
    runExample("traceroute", ["10.0.2.2", "-w", "2"], opts),
    runExample("traceroute", ["fd00:2::2", "-w", "2"], opts),
  ]);
  assertEquals([v4.code, v4.stderr], [0, ""], v4.stdout);
  const l4 = v4.stdout.trimEnd().split("\n");
  assertEquals(l4[0], "traceroute to 10.0.2.2 (10.0.2.2), 30 hops max, 60 byte packets");
  assertMatch(l4[1], hop(1, "10.0.1.1"));
  assertMatch(l4[2], hop(2, "10.0.2.2"));
  assertEquals(l4.length, 3, v4.stdout);
  assertEquals([v6.code, v6.stderr], [0, ""], v6.stdout);
  const l6 = v6.stdout.trimEnd().split("\n");
  assertEquals(l6[0], "traceroute to fd00:2::2 (fd00:2::2), 30 hops max, 80 byte packets");
  assertMatch(l6[1], hop(1, "fd00:1::1"));
  assertMatch(l6[2], hop(2, "fd00:2::2"));
  assertEquals(l6.length, 3, v6.stdout);
});

Deno.test("traceroute.ts to a network the router has no route to: !N from hop 1, and the trace stops there (exit 1)", async () => {
  await using net = await topology();
  const r = await runExample("traceroute", ["10.0.3.3", "-w", "2"], { wrapper: net[0].enter });
  assertEquals([r.code, r.stderr], [1, ""], r.stdout);
  const lines = r.stdout.trimEnd().split("\n");
  assertEquals(lines[0], "traceroute to 10.0.3.3 (10.0.3.3), 30 hops max, 60 byte packets");
  assertMatch(lines[1], hop(1, "10.0.1.1", "!N"));
  assertEquals(lines.length, 2, r.stdout);
});

Deno.test("traceroute.ts past a router that sends no ICMP: * for each unanswered probe, then the server", async () => {
  await using net = await topology();
  const [client, router] = net;
  await router.sh(sysctl({ "net.ipv4.icmp_msgs_per_sec": 0, "net.ipv4.icmp_msgs_burst": 0 }));
  const r = await runExample("traceroute", ["10.0.2.2", "-q", "2", "-w", "0.3"], {
    wrapper: client.enter,
  });
  assertEquals([r.code, r.stderr], [0, ""], r.stdout);
  const lines = r.stdout.trimEnd().split("\n");
  assertEquals(lines.slice(1, 2), [" 1  * *"]);
  assertMatch(lines[2], new RegExp(`^ 2  10\\.0\\.2\\.2  ${TIME}  ${TIME}$`));
  assertEquals(lines.length, 3, r.stdout);
});

Deno.test("traceroute.ts usage errors: no HOST, a bad -m: exit 2 with the usage line", async () => {
  await Promise.all([
    assertUsage("traceroute", [], /^traceroute: HOST is missing$/m),
    assertUsage(
      "traceroute",
      ["10.0.2.2", "-m", "0"],
      /^traceroute: -m needs a number from 1 to 255$/m,
    ),
  ]);
});

Deno.test("descriptors: none left open by the traceroute example tests", fds.assertUnchanged);
