import { assert, assertEquals } from "@std/assert";
import { isDetached } from "./check.ts";

Deno.test("isDetached() tells a transferred buffer from a live one, empty or not", () => {
  const live = new ArrayBuffer(8);
  const empty = new ArrayBuffer(0);
  const gone = new ArrayBuffer(8);
  structuredClone(gone, { transfer: [gone] });
  assertEquals([isDetached(live), isDetached(empty), isDetached(gone)], [false, false, true]);
  // The same answer without ES2024's `detached` getter (Node 20 has none).
  const bare = (buffer: ArrayBuffer) =>
    new Proxy(buffer, {
      get: (target, key) => key === "detached" ? undefined : Reflect.get(target, key, target),
    });
  assert(!isDetached(bare(new ArrayBuffer(0))));
  assert(!isDetached(bare(new ArrayBuffer(4))));
});
