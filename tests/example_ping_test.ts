/**
 * examples/ping.ts, run as its command line in a network namespace of its own
 * whose default TTL and hop limit are 33 (so the TTL printed is the one in the
 * kernel's reply): as root over a raw socket; as nobody, where it falls back to
 * the ping socket when `net.ipv4.ping_group_range` allows it and explains the
 * sysctl when it does not; and with echo replies turned off (exit 1).
 *
 * @module
 */
import { assertEquals, assertMatch } from "@std/assert";
import { fdLedger } from "./_helpers.ts";
import {
  assertUsage,
  exampleCheckoutFor,
  netns,
  runExample,
  spawnExample,
  sysctl,
} from "./_example_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first ping example test", fds.start);

const NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
const TTL = 33;

/** A namespace with lo up and a default TTL/hop limit of 33. */
async function pingNetns(extra = "") {
  const ns = await netns();
  await ns.sh(
    `ip link set lo up; ${
      sysctl({
        "net.ipv4.ip_default_ttl": TTL,
        "net.ipv6.conf.lo.hop_limit": TTL,
        "net.ipv6.conf.all.hop_limit": TTL,
      })
    }; ${extra}`,
  );
  return ns;
}

function assertReplies(stdout: string, host: string, count: number, header: string): void {
  const lines = stdout.trimEnd().split("\n");
  assertEquals(lines[0], header);
  for (let seq = 1; seq <= count; seq++) {
    assertMatch(
      lines[seq],
      new RegExp(
        `^64 bytes from ${
          host.replaceAll(".", "\\.")
        }: icmp_seq=${seq} ttl=${TTL} time=\\d+(\\.\\d+)? ms$`,
      ),
    );
  }
  assertEquals(lines.slice(count + 1, count + 3), ["", `--- ${host} ping statistics ---`]);
  assertMatch(
    lines[count + 3],
    new RegExp(`^${count} packets transmitted, ${count} received, 0% packet loss, time \\d+ms$`),
  );
  assertMatch(lines[count + 4], /^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/);
  assertEquals(lines.length, count + 5, stdout);
}

Deno.test("ping.ts 127.0.0.1 -c 3 as root: a raw socket, three echo replies from the kernel with its TTL, ping(8)'s summary, exit 0", async () => {
  await using ns = await pingNetns();
  const r = await runExample("ping", ["127.0.0.1", "-c", "3", "-i", "0.1"], { wrapper: ns.enter });
  assertEquals([r.code, r.stderr], [0, ""], r.stdout);
  assertReplies(r.stdout, "127.0.0.1", 3, "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.");
});

Deno.test("ping.ts ::1 -c 2 as root: ICMPv6 echo over a raw socket, the hop limit read from the reply's ancillary data", async () => {
  await using ns = await pingNetns();
  const r = await runExample("ping", ["::1", "-c", "2", "-i", "0.1"], { wrapper: ns.enter });
  assertEquals([r.code, r.stderr], [0, ""], r.stdout);
  assertReplies(r.stdout, "::1", 2, "PING ::1 (::1) 56 data bytes");
});

Deno.test("ping.ts localhost: the name is resolved and printed with its address", async () => {
  await using ns = await pingNetns();
  const r = await runExample("ping", ["localhost", "-c", "1"], { wrapper: ns.enter });
  assertEquals([r.code, r.stderr], [0, ""], r.stdout);
  assertEquals(r.stdout.split("\n")[0], "PING localhost (127.0.0.1) 56(84) bytes of data.");
  assertMatch(r.stdout.split("\n")[1], /^64 bytes from 127\.0\.0\.1: icmp_seq=1 ttl=33 /);
});

Deno.test("ping.ts without -c: pings until SIGINT, then prints the statistics of what it sent, exit 0", async () => {
  await using ns = await pingNetns();
  await using p = spawnExample("ping", ["127.0.0.1", "-i", "0.05"], { wrapper: ns.enter });
  await p.stdout.waitFor(/icmp_seq=3 /);
  p.kill("SIGINT");
  assertEquals((await p.status()).code, 0, p.stderr.text);
  const lines = p.stdout.lines;
  const sent = lines.filter((l) => l.startsWith("64 bytes from 127.0.0.1: ")).length;
  assertEquals(lines.at(-3), "--- 127.0.0.1 ping statistics ---");
  assertMatch(
    lines.at(-2)!,
    new RegExp(`^(${sent}|${sent + 1}) packets transmitted, ${sent} received, `),
  );
});

Deno.test("ping.ts as nobody, ping_group_range unset (the default, 1 0): says why neither socket is allowed and names the sysctl, exit 2", async () => {
  await using checkout = await exampleCheckoutFor(NOBODY.slice(1));
  await using ns = await pingNetns();
  const r = await runExample("ping", ["127.0.0.1", "-c", "1"], {
    wrapper: [...ns.enter, ...NOBODY],
    checkout,
  });
  assertEquals([r.code, r.stdout], [2, ""], r.stderr);
  assertEquals(
    r.stderr,
    "ping: no raw socket without CAP_NET_RAW (EPERM), and the ping socket (SOCK_DGRAM, IPPROTO_ICMP) " +
      "is refused too (EACCES): your group is outside net.ipv4.ping_group_range.\n" +
      'Run as root, or allow the ping socket: sysctl -w net.ipv4.ping_group_range="0 2147483647"\n',
  );
});

Deno.test("ping.ts as nobody, ping_group_range allowing its group: says so, uses the ping socket, IPv4 and IPv6 replies, exit 0", async () => {
  await using checkout = await exampleCheckoutFor(NOBODY.slice(1));
  await using ns = await pingNetns(sysctl({ "net.ipv4.ping_group_range": "65534 65534" }));
  const opts = { wrapper: [...ns.enter, ...NOBODY], checkout };
  const [v4, v6] = await Promise.all([
    runExample("ping", ["127.0.0.1", "-c", "2", "-i", "0.1"], opts),
    runExample("ping", ["::1", "-c", "2", "-i", "0.1"], opts),
  ]);
  assertEquals(v4.code, 0, v4.stderr);
  assertEquals(
    v4.stderr,
    "ping: no raw socket without CAP_NET_RAW (EPERM); using the ping socket (SOCK_DGRAM, IPPROTO_ICMP) " +
      "that net.ipv4.ping_group_range allows\n",
  );
  assertReplies(v4.stdout, "127.0.0.1", 2, "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.");
  assertEquals(v6.code, 0, v6.stderr);
  assertMatch(v6.stderr, /using the ping socket \(SOCK_DGRAM, IPPROTO_ICMPV6\)/);
  assertReplies(v6.stdout, "::1", 2, "PING ::1 (::1) 56 data bytes");
});

Deno.test("ping.ts with the kernel ignoring echo requests: 100% packet loss after -W, exit 1", async () => {
  await using ns = await pingNetns(sysctl({ "net.ipv4.icmp_echo_ignore_all": 1 }));
  const r = await runExample("ping", ["127.0.0.1", "-c", "2", "-i", "0.1", "-W", "0.3"], {
    wrapper: ns.enter,
  });
  assertEquals(r.code, 1, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assertEquals(lines.slice(0, 3), [
    "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.",
    "",
    "--- 127.0.0.1 ping statistics ---",
  ]);
  assertMatch(lines[3], /^2 packets transmitted, 0 received, 100% packet loss, time \d+ms$/);
  assertEquals(lines.length, 4);
});

Deno.test("ping.ts usage errors: no HOST, a bad count, an unknown option: exit 2 with the usage line", async () => {
  await Promise.all([
    assertUsage("ping", [], /^ping: HOST is missing$/m),
    assertUsage("ping", ["127.0.0.1", "-c", "x"], /^ping: -c needs a number > 0$/m),
    assertUsage("ping", ["127.0.0.1", "-z"], /^ping: unknown option -z$/m),
  ]);
});

Deno.test("descriptors: none left open by the ping example tests", fds.assertUnchanged);
