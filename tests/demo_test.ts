/**
 * `deno task demo`, the README's main command: each part of the tour prints
 * what it did, and a process without CAP_NET_RAW is told the ping is not
 * permitted instead of failing.
 */
import { assertEquals, assertMatch } from "@std/assert";

const root = new URL("../", import.meta.url).pathname;

async function demo(wrapper: string[]): Promise<string[]> {
  const args = ["run", "-A", "--no-prompt", "examples/demo.ts"];
  const out = await new Deno.Command(wrapper.length ? wrapper[0] : Deno.execPath(), {
    args: wrapper.length ? [...wrapper.slice(1), Deno.execPath(), ...args] : args,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const dec = new TextDecoder();
  assertEquals(out.code, 0, dec.decode(out.stderr));
  return dec.decode(out.stdout).trimEnd().split("\n");
}

Deno.test({
  name: "the demo runs each part of the tour on loopback and says what happened",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    const lines = await demo([]);
    assertEquals(lines.length, 6, lines.join("\n"));
    assertMatch(
      lines[0],
      /^TCP echo {6}Socket\(fd=\d+, AF_INET\/SOCK_STREAM\/IPPROTO_TCP, ffi\) → 127\.0\.0\.1:\d+$/,
    );
    assertMatch(lines[1], /^ {14}accepted from 127\.0\.0\.1:\d+, echoed "hello over TCP"$/);
    assertMatch(lines[2], /^UDP {11}8 bytes "datagram" from 127\.0\.0\.1:\d+$/);
    assertMatch(
      lines[3],
      /^SEQPACKET {5}Socket\(fd=\d+, AF_UNIX\/SOCK_SEQPACKET\/0, ffi\): .* read "first " \(MSG_TRUNC true\), then 21 bytes$/,
    );
    assertMatch(
      lines[4],
      /^ICMP ping {5}echo reply from 127\.0\.0\.1: id=\d+ seq=1 ttl=64 time=[\d.]+ ms$/,
    );
    assertEquals(
      lines[5],
      'refused       socket(AF_INET, SOCK_STREAM, "udp") → errno 93, EPROTONOSUPPORT: ' +
        "socket: Protocol not supported (EPROTONOSUPPORT)",
    );
  },
});

Deno.test({
  name: "the demo without CAP_NET_RAW: the ping is not permitted, the rest of the tour runs",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    const lines = await demo(["setpriv", "--inh-caps=-net_raw", "--bounding-set=-net_raw"]);
    assertEquals(lines.length, 6, lines.join("\n"));
    assertEquals(
      lines[4],
      "ICMP ping     not permitted here: socket: Operation not permitted (EPERM)",
    );
    assertMatch(lines[5], /^refused {7}.*EPROTONOSUPPORT/);
  },
});
