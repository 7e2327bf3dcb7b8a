/**
 * How the reactor sleeps on Deno: on a thread's poll(2) of the epoll descriptor
 * (one wakeup per sleep, however many descriptors turn ready, and no O_ASYNC on
 * any), except for a descriptor parked alone sleep after sleep — a connection
 * waiting on a slow peer — which sleeps on SIGIO, one signal per wakeup being
 * cheaper there than a thread's. ffi_sigio_test.ts covers the SIGIO side.
 *
 * @module
 */
import { assert, assertEquals } from "@std/assert";
import { AF_UNIX, SOCK_STREAM, socketpair } from "../mod.ts";
import { reactor, sys } from "../socket/ffi/mod.ts";
import { delay } from "./_helpers.ts";

const F_GETFL = 3, O_ASYNC = 0x2000;
const ffi = { backend: "ffi" } as const;
const asyncOn = (fd: number): boolean => (sys.fcntl(fd, F_GETFL) & O_ASYNC) !== 0;

Deno.test("200 descriptors parked while the reactor sleeps on its thread: none gets O_ASYNC, and every one is woken", async () => {
  const pairs = Array.from({ length: 200 }, () => socketpair(AF_UNIX, SOCK_STREAM, 0, ffi));
  try {
    const reads = Promise.allSettled(
      pairs.map(([a]) => a.recv(new Uint8Array(1), 0, { timeout: 10_000 })),
    );
    await delay(50); // all parked, the reactor asleep
    const sleeps = reactor.stats.sleeps;
    assert(sleeps > 0, "the reactor slept");
    assertEquals(pairs.filter(([a]) => asyncOn(a.fd)).length, 0, "descriptors with O_ASYNC");
    // Sent from a macrotask each, so that the reactor sleeps between some of them.
    for (const [, b] of pairs) {
      await b.send(new Uint8Array([1]));
      if (b.fd % 16 === 0) await delay(1);
    }
    assertEquals(await reads, pairs.map(() => ({ status: "fulfilled", value: 1 })));
    assertEquals(pairs.filter(([a]) => asyncOn(a.fd)).length, 0, "descriptors with O_ASYNC");
    assertEquals(reactor.stats.safetyWakeups, 0);
  } finally {
    for (const [a, b] of pairs) {
      a.close();
      b.close();
    }
  }
});

Deno.test("a descriptor parked alone sleep after sleep moves to SIGIO, and back to the thread once another parks with it", async () => {
  const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0, ffi);
  const [c, d] = socketpair(AF_UNIX, SOCK_STREAM, 0, ffi);
  try {
    const seen: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      const got = a.recv(new Uint8Array(1), 0, { timeout: 5000 });
      await delay(20); // the reactor sleeps with only `a` parked
      seen.push(asyncOn(a.fd));
      await b.send(new Uint8Array([i]));
      assertEquals(await got, 1);
    }
    assertEquals(seen[0], false, "the first sleep is on the thread");
    assertEquals(seen.slice(4), [true, true], "alone sleep after sleep: on SIGIO");

    const first = a.recv(new Uint8Array(1), 0, { timeout: 5000 });
    const second = c.recv(new Uint8Array(1), 0, { timeout: 5000 });
    await delay(20); // two parked: the thread, and O_ASYNC off again
    assertEquals([asyncOn(a.fd), asyncOn(c.fd)], [false, false]);
    await d.send(new Uint8Array([1]));
    await b.send(new Uint8Array([1]));
    assertEquals([await first, await second], [1, 1]);
  } finally {
    for (const s of [a, b, c, d]) s.close();
  }
});
