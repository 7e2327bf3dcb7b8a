/**
 * A script exits by itself, promptly, once its ffi sockets are closed: the
 * reactor lets the event loop go as soon as nothing waits (it used to hold it
 * until its 250 ms safety interval ticked). Each case runs in a fresh process
 * and reports, from its `unload` event, how long after its last close() it
 * ended; Deno.Conn's script is the reference.
 */
import { assert, assertEquals } from "@std/assert";
import { runDeno } from "./_helpers.ts";

const SCRIPT = (kind: string) => `
import * as S from "@bsdsock/socket";
const kind = ${JSON.stringify(kind)};
if (kind === "deno") {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const c = await Deno.connect(l.addr as Deno.NetAddr);
  const s = await l.accept();
  const read = s.read(new Uint8Array(1));
  await new Promise((r) => setTimeout(r, 5));
  await c.write(new Uint8Array([1]));
  await read;
  c.close(); s.close(); l.close();
} else {
  const l = S.socket(S.AF_INET, S.SOCK_STREAM, 0, { backend: "ffi" });
  l.bind({ hostname: "127.0.0.1", port: 0 });
  l.listen();
  const c = S.socket(S.AF_INET, S.SOCK_STREAM, 0, { backend: "ffi" });
  const accepted = l.accept();
  await c.connect(l.getsockname());
  const [s] = await accepted;
  // A recv that parks and sleeps on SIGIO, woken by a send after a macrotask.
  const read = s.recv(new Uint8Array(1));
  await new Promise((r) => setTimeout(r, 5));
  await c.send(new Uint8Array([1]));
  await read;
  if (kind === "timeout") await s.recv(new Uint8Array(1), 0, { timeout: 20 }).catch(() => {});
  c.close(); s.close(); l.close();
}
const closed = performance.now();
globalThis.addEventListener("unload", () => console.log(JSON.stringify({ ms: performance.now() - closed })));
`;

async function exitAfterClose(kind: string): Promise<number> {
  const run = await runDeno(SCRIPT(kind), ["--allow-ffi", "--allow-net"], { timeout: 10_000 });
  assertEquals(run.code, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!).ms;
}

for (const kind of ["ffi", "timeout"]) {
  Deno.test(`a script whose ffi sockets are closed exits at once (${kind === "timeout" ? "after a recv that timed out" : "after a recv woken by SIGIO"})`, async () => {
    const reference = await exitAfterClose("deno");
    const ms = await exitAfterClose(kind);
    // The safety interval is 250 ms: a script held until its tick ends ≥ 200 ms
    // after its close. Letting go at once takes a few ms, as Deno.Conn's does.
    assert(
      ms < 100,
      `exited ${ms.toFixed(1)} ms after close (Deno.Conn: ${reference.toFixed(1)} ms)`,
    );
  });
}
