/**
 * examples/capture.ts, run as its command line on `lo` of a network namespace
 * of its own (so the only packets are the test's), while python3 makes
 * traffic there: a UDP datagram to a closed port and the ICMP error it earns,
 * a TCP connection carrying five bytes, an ICMP echo, a UDP datagram over IPv6.
 * Each packet is printed once, as `tcpdump -n -S` prints it.
 *
 * @module
 */
import { assertEquals, assertMatch } from "@std/assert";
import { fdLedger } from "./_helpers.ts";
import { run, SYSTEM_PYTHON } from "./_kernel_helpers.ts";
import { assertUsage, netns, runExample, spawnExample } from "./_example_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first capture example test", fds.start);

/** The traffic, with the ports it used as JSON. */
const TRAFFIC = `
import json, socket
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.sendto(b"hello", ("127.0.0.1", 9))
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen()
cli = socket.create_connection(srv.getsockname())
conn, _ = srv.accept()
cli.sendall(b"12345")
assert conn.recv(16) == b"12345"
cli.close()
conn.recv(16)
conn.close()
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
echo = bytearray([8, 0, 0, 0, 0x12, 0x34, 0, 7]) + b"ping"
s = sum(int.from_bytes(echo[i:i + 2], "big") for i in range(0, len(echo), 2))
s = (s & 0xffff) + (s >> 16)
echo[2:4] = (~s & 0xffff).to_bytes(2, "big")
raw.sendto(bytes(echo), ("127.0.0.1", 0))
raw.recv(100)
raw.recv(100)
udp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
udp6.sendto(b"six", ("::1", 9))
print(json.dumps({"udp": udp.getsockname()[1],
                  "server": srv.getsockname()[1], "udp6": udp6.getsockname()[1]}))
`;

const TIME = String.raw`\d{2}:\d{2}:\d{2}\.\d{6}`;

Deno.test("capture.ts lo in a namespace: one line per packet, as tcpdump -n -S prints it — UDP, ICMP port unreachable, a TCP handshake, data and close, ICMP echo, UDP over IPv6", async () => {
  await using ns = await netns();
  await ns.sh("ip link set lo up");
  await using cap = spawnExample("capture", ["lo"], { wrapper: ns.enter });
  await cap.stderr.waitFor(/^capture: listening on lo/);
  const traffic = await run(SYSTEM_PYTHON, ["-c", TRAFFIC], { wrapper: ns.enter });
  assertEquals(traffic.code, 0, traffic.stderr);
  const ports = JSON.parse(traffic.stdout) as { udp: number; server: number; udp6: number };
  await cap.stdout.waitFor(/IP6 ::1\.\d+ > ::1\.9: UDP, length 3$/);
  await cap.stdout.waitFor(/ICMP6, ::1 udp port 9 unreachable/);
  cap.kill("SIGINT");
  assertEquals((await cap.status()).code, 0, cap.stderr.text);
  const lines = cap.stdout.lines;
  for (const line of lines) assertMatch(line, new RegExp(`^${TIME} IP6? `));
  const text = lines.map((l) => l.slice(16)); // without the time
  const S = ports.server;
  const tcp = text.filter((l) => l.includes(`.${S}`));
  const c = Number(/^IP 127\.0\.0\.1\.(\d+) > /.exec(tcp[0])?.[1]);
  const isn = Number(/seq (\d+), win/.exec(tcp[0])?.[1]);
  const sisn = Number(/seq (\d+), ack/.exec(tcp[1])?.[1]);
  const u32 = (n: number) => n >>> 0; // sequence numbers wrap
  assertEquals(text.slice(0, 2), [
    `IP 127.0.0.1.${ports.udp} > 127.0.0.1.9: UDP, length 5`,
    `IP 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 9 unreachable, length 41`,
  ], lines.join("\n"));
  // Then the handshake, the data, both FINs, the echo and its reply, IPv6.
  const from = `IP 127\\.0\\.0\\.1\\.${c} > 127\\.0\\.0\\.1\\.${S}: Flags`;
  const back = `IP 127\\.0\\.0\\.1\\.${S} > 127\\.0\\.0\\.1\\.${c}: Flags`;
  const rest = [
    new RegExp(`^${from} \\[S\\], seq ${isn}, win \\d+, length 0$`),
    new RegExp(`^${back} \\[S\\.\\], seq ${sisn}, ack ${u32(isn + 1)}, win \\d+, length 0$`),
    new RegExp(
      `^${from} \\[P\\.\\], seq ${u32(isn + 1)}:${u32(isn + 6)}, ack ${
        u32(sisn + 1)
      }, win \\d+, length 5$`,
    ),
    new RegExp(
      `^${from} \\[F\\.\\], seq ${u32(isn + 6)}, ack ${u32(sisn + 1)}, win \\d+, length 0$`,
    ),
    new RegExp(
      `^${back} \\[F\\.\\], seq ${u32(sisn + 1)}, ack ${u32(isn + 7)}, win \\d+, length 0$`,
    ),
    /^IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo request, id 4660, seq 7, length 12$/,
    /^IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo reply, id 4660, seq 7, length 12$/,
    new RegExp(`^IP6 ::1\\.${ports.udp6} > ::1\\.9: UDP, length 3$`),
    /^IP6 ::1 > ::1: ICMP6, ::1 udp port 9 unreachable, length 59$/,
  ];
  let at = 2;
  for (const re of rest) {
    while (at < text.length && !re.test(text[at])) at++;
    assertMatch(text[at] ?? "", re, `in order:\n${lines.join("\n")}`);
    at++;
  }
  // Loopback shows each packet twice to a packet socket (out, in): printed once.
  assertEquals(text.filter((l) => l.includes("UDP, length 5")).length, 1);
  assertEquals(cap.stderr.lines.at(-1), `${lines.length} packets captured`);
});

Deno.test("capture.ts lo -c 1: stops by itself after one packet", async () => {
  await using ns = await netns();
  await ns.sh("ip link set lo up");
  await using cap = spawnExample("capture", ["lo", "-c", "1"], { wrapper: ns.enter });
  await cap.stderr.waitFor(/^capture: listening on lo/);
  const send =
    `import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 7))`;
  assertEquals((await run(SYSTEM_PYTHON, ["-c", send], { wrapper: ns.enter })).code, 0);
  assertEquals((await cap.status()).code, 0, cap.stderr.text);
  assertEquals(cap.stdout.lines.length, 1);
  assertMatch(
    cap.stdout.lines[0],
    new RegExp(`^${TIME} IP 127\\.0\\.0\\.1\\.\\d+ > 127\\.0\\.0\\.1\\.7: UDP, length 1$`),
  );
  assertEquals(cap.stderr.lines.at(-1), "1 packet captured");
});

Deno.test("capture.ts: an unknown interface (ENODEV, exit 1); without CAP_NET_RAW (EPERM and why, exit 1); usage errors (exit 2)", async () => {
  const [unknown, noCap] = await Promise.all([
    runExample("capture", ["nosuch0"]),
    runExample("capture", ["lo"], {
      wrapper: ["setpriv", "--inh-caps=-net_raw", "--bounding-set=-net_raw"],
    }),
    assertUsage("capture", [], /^capture: IFACE is missing$/m),
    assertUsage("capture", ["lo", "-c", "0"], /^capture: -c needs a whole number > 0$/m),
  ]);
  assertEquals([unknown.code, unknown.stdout], [1, ""]);
  assertEquals(unknown.stderr, "capture: nosuch0: if_nametoindex: No such device (ENODEV)\n");
  assertEquals([noCap.code, noCap.stdout], [1, ""]);
  assertEquals(
    noCap.stderr,
    "capture: lo: socket: Operation not permitted (EPERM) (a packet socket needs root or CAP_NET_RAW)\n",
  );
});

Deno.test("descriptors: none left open by the capture example tests", fds.assertUnchanged);
