/**
 * The native backend needs nothing but --allow-net: a fresh `deno run
 * --allow-net` (no --allow-ffi, no --unstable-*) does TCP and UDP through it,
 * and strace shows the options it set reaching the kernel.
 */
import { assertEquals, assertMatch } from "@std/assert";

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
