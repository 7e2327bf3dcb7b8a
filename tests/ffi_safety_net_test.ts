/**
 * The reactor's safety net, seen in a subprocess: a wakeup no SIGIO delivers
 * (O_ASYNC taken away behind the reactor's back) is delivered by the safety-net
 * poll and counted as lost — unless a signal that finds nothing comes soon
 * after, which shows it was only late (a starved signal thread on a busy
 * machine), not lost.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { runDeno } from "./_helpers.ts";

const ffi = new URL("../socket/ffi/mod.ts", import.meta.url).pathname;

Deno.test("a wakeup only the safety net delivered counts as lost, unless a late signal explains it", async () => {
  const source = `
    import { AF_UNIX, SOCK_STREAM, socketpair } from "@bsdsock/socket";
    import { reactor, sys } from ${JSON.stringify(ffi)};
    Deno.unrefTimer(setTimeout(() => Deno.exit(99), 8000));
    const F_GETFL = 3, F_SETFL = 4, O_ASYNC = 0x2000;
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0, { backend: "ffi" });
    const pause = (ms) => new Promise((r) => setTimeout(r, ms));
    const judged = () => ({ lost: reactor.stats.safetyWakeups, unjudged: reactor.stats.safetyUnjudged });
    // A recv parks, the reactor sleeps on SIGIO, and O_ASYNC is taken away: the
    // bytes that come raise no signal, and only the safety net wakes the call.
    async function unsignalled() {
      const got = a.recv(new Uint8Array(8));
      await pause(30);
      sys.fcntl(a.fd, F_SETFL, sys.fcntl(a.fd, F_GETFL) & ~O_ASYNC);
      await b.send(new Uint8Array([1]));
      await got;
    }
    const out = {};
    await unsignalled();
    out.woken = judged();
    Deno.kill(Deno.pid, "SIGIO"); // late, and it finds nothing
    await pause(30);
    out.lateSignal = judged();
    await unsignalled();
    await pause(300); // a tick of the safety net, with no signal
    out.noSignal = judged();
    a.close();
    b.close();
    console.log(JSON.stringify(out));
    Deno.exit(0);
  `;
  const r = await runDeno(source, ["-A"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(JSON.parse(r.stdout.trim()), {
    woken: { lost: 0, unjudged: 1 },
    lateSignal: { lost: 0, unjudged: 0 },
    noSignal: { lost: 1, unjudged: 0 },
  });
});
