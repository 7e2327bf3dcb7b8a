/**
 * When the reactor asks for SIGIO: O_ASYNC goes on a descriptor when the reactor
 * sleeps with a call parked on it, and comes off once the descriptor is found
 * ready with nothing waiting. A listener that accepts back to back while
 * connections keep coming then raises no signal per connection (each would cost
 * a signal frame and a hop through the runtime's signal thread).
 *
 * @module
 */
import { assert, assertEquals } from "@std/assert";
import { AF_UNIX, SOCK_STREAM, socketpair } from "../mod.ts";
import { reactor, sys } from "../socket/ffi/mod.ts";
import { delay, tcpListener } from "./_helpers.ts";

const F_GETFL = 3, O_ASYNC = 0x2000;
const ffi = { backend: "ffi" } as const;
const asyncOn = (fd: number): boolean => (sys.fcntl(fd, F_GETFL) & O_ASYNC) !== 0;

Deno.test("a listener found ready with no accept waiting stops raising SIGIO", async () => {
  using l = tcpListener("inet", 64, "ffi");
  const addr = l.getsockname() as { hostname: string; port: number };
  const conns: Deno.Conn[] = [];
  try {
    const first = l.accept();
    await delay(50); // the spin ends: the reactor sleeps on SIGIO
    assert(asyncOn(l.fd), "O_ASYNC on while accept waits");
    conns.push(await Deno.connect(addr));
    (await first)[0].close();
    assert(asyncOn(l.fd), "still on after the signal that woke the accept");

    // Connections nobody waits for: the first one's SIGIO finds the listener
    // ready and idle, and O_ASYNC comes off; the rest raise none.
    const before = reactor.stats.signals;
    for (let i = 0; i < 20; i++) conns.push(await Deno.connect(addr));
    await delay(50);
    assert(!asyncOn(l.fd), "O_ASYNC off: nothing waits on the listener");
    const signals = reactor.stats.signals - before;
    assert(signals <= 2, `${signals} SIGIO for 20 connections nobody waited for`);

    // The queued connections are accepted without a wait; the next wait asks
    // for SIGIO again and is woken by it.
    for (let i = 0; i < 20; i++) (await l.accept())[0].close();
    const last = l.accept({ timeout: 5000 });
    await delay(50);
    assert(asyncOn(l.fd), "O_ASYNC on again for the next wait");
    conns.push(await Deno.connect(addr));
    (await last)[0].close();
    assertEquals(reactor.stats.safetyWakeups, 0);
  } finally {
    for (const c of conns) c.close();
  }
});

Deno.test("one poll takes every ready event, beyond one epoll_wait's batch of 64: none is left for the safety net", async () => {
  // Edge-triggered epoll raises no second signal for an event left unread.
  const pairs = Array.from({ length: 200 }, () => socketpair(AF_UNIX, SOCK_STREAM, 0, ffi));
  try {
    const reads = Promise.allSettled(
      pairs.map(([a]) => a.recv(new Uint8Array(1), 0, { timeout: 10_000 })),
    );
    await delay(50); // all parked, the reactor asleep
    for (const [, b] of pairs) await b.send(new Uint8Array([1]));
    assertEquals(reactor.poll(), 200, "woken by one poll");
    assertEquals(await reads, pairs.map(() => ({ status: "fulfilled", value: 1 })));
  } finally {
    for (const [a, b] of pairs) {
      a.close();
      b.close();
    }
  }
});
