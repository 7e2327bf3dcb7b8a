import { assertEquals } from "@std/assert";
import type { SockAddr } from "../../address/mod.ts";
import { DatagramQueue, truesize } from "./_dgram_queue.ts";

const from: SockAddr = { family: "inet", hostname: "127.0.0.1", port: 1 };

Deno.test("truesize() charges small datagrams what Linux does (832 bytes)", () => {
  assertEquals(truesize(0), 832);
  assertEquals(truesize(100), 832);
  assertEquals(truesize(1000), 576 + 2048);
});

Deno.test("DatagramQueue drops the new datagram once over its limit, never a queued one", () => {
  const q = new DatagramQueue(2000);
  assertEquals(q.push(new Uint8Array([1]), from), true); // 832
  assertEquals(q.push(new Uint8Array([2]), from), true); // 1664
  assertEquals(q.push(new Uint8Array([3]), from), true); // 1664 ≤ 2000 before: taken (2496)
  assertEquals(q.push(new Uint8Array([4]), from), false); // over: dropped
  assertEquals([q.length, q.dropped, q.charged], [3, 1, 3 * 832]);
  assertEquals(q.peek()?.data, new Uint8Array([1]));
  assertEquals(q.shift()?.data, new Uint8Array([1]));
  assertEquals(q.push(new Uint8Array([5]), from), true);
  assertEquals([...Array(q.length)].map(() => q.shift()!.data[0]), [2, 3, 5]);
  assertEquals([q.length, q.charged, q.shift()], [0, 0, undefined]);
});

Deno.test("DatagramQueue keeps order across many pushes and shifts", () => {
  const q = new DatagramQueue(1 << 30);
  for (let i = 0; i < 1000; i++) q.push(new Uint8Array([i & 0xff]), from);
  for (let i = 0; i < 1000; i++) assertEquals(q.shift()!.data[0], i & 0xff);
  q.push(new Uint8Array(1), from);
  q.clear();
  assertEquals(q.length, 0);
});
