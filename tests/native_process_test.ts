/**
 * The native backend needs nothing but --allow-net: a fresh `deno run
 * --allow-net` (no --allow-ffi, no --unstable-*) does TCP and UDP through it,
 * and strace shows the options it set reaching the kernel.
 */
import { assertEquals, assertMatch } from "@std/assert";
import { runDeno } from "./_helpers.ts";

const fixture = new URL("./fixtures/native_process.ts", import.meta.url).pathname;
const root = new URL("../", import.meta.url).pathname;

async function run(cmd: string, args: string[]) {
  const out = await new Deno.Command(cmd, { args, cwd: root, stdout: "piped", stderr: "piped" })
    .output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("a `deno run --allow-net` process does TCP and UDP on the native backend", async () => {
  const r = await run(Deno.execPath(), ["run", "--allow-net", fixture]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(JSON.parse(r.stdout.trim()), {
    tcp: 1 << 20,
    udp: "over udp",
    ffi: "prompt",
    backend: "native",
  });
});

Deno.test("the options native sets reach the kernel (strace)", async () => {
  const r = await run("strace", [
    "-f",
    "-qq",
    "-e",
    "trace=setsockopt",
    Deno.execPath(),
    "run",
    "--allow-net",
    fixture,
  ]);
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.stdout, /"tcp":1048576/);
  assertMatch(r.stderr, /setsockopt\(\d+, SOL_TCP, TCP_NODELAY, \[1\], 4\) = 0/);
  assertMatch(r.stderr, /setsockopt\(\d+, SOL_SOCKET, SO_KEEPALIVE, \[1\], 4\) = 0/);
});

Deno.test("a native socket keeps the process alive exactly while a call waits on it", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  // No top-level await: with one pending, Deno keeps the process running whatever is ref'd.
  const source = `
    import { socket, AF_INET, SOCK_STREAM } from "@bsdsock/socket";
    const s = socket(AF_INET, SOCK_STREAM, 0, { backend: "native" });
    s.connect({ hostname: "127.0.0.1", port: Number(Deno.args[0]) }).then(async () => {
      const buf = new Uint8Array(16);
      // Nothing else is pending: only the blocked recv can keep the process alive.
      const n = await s.recv(buf, 0, JSON.parse(Deno.args[2]));
      // A call that gives up (a timeout, or none to wait) leaves a read in flight.
      const code = await s.recv(buf, 0, { timeout: Number(Deno.args[1]) }).catch((e) => e.code);
      console.log(JSON.stringify({ got: new TextDecoder().decode(buf.subarray(0, n)), code }));
      // The socket stays open, with a read in flight that nobody waits for: the process still ends.
    });
  `;
  const cases = [
    [{}, 0, "EAGAIN"],
    [{ timeout: 60_000 }, 50, "ETIMEDOUT"], // the first call's timer ends with it
  ] as const;
  for (const [first, timeout, code] of cases) {
    const args = [String(listener.addr.port), String(timeout), JSON.stringify(first)];
    const child = runDeno(source, ["--allow-net"], { args, timeout: 5000 });
    using conn = await listener.accept();
    await new Promise((r) => setTimeout(r, 300));
    await conn.write(new TextEncoder().encode("ping"));
    const r = await child;
    assertEquals(r.code, 0, r.stderr);
    assertEquals(JSON.parse(r.stdout.trim()), { got: "ping", code });
  }
});
