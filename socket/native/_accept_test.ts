import { assertEquals, assertRejects } from "@std/assert";
import { SocketError } from "../../errno/mod.ts";
import { AcceptQueue } from "./_accept.ts";
import { FakeConn, FakeListener, op } from "./_test_utils.ts";

Deno.test("AcceptQueue: a timed-out accept loses no connection", async () => {
  const listener = new FakeListener();
  const q = new AcceptQueue(listener);
  await assertRejects(() => q.accept(op({ timeout: 10 })), SocketError, "ETIMEDOUT");
  const late = new FakeConn();
  listener.arrive(late);
  await new Promise((r) => setTimeout(r, 0));
  assertEquals(await q.accept(op({ nonblocking: true })), late);
  await assertRejects(() => q.accept(op({ nonblocking: true })), SocketError, "EAGAIN");
  q.close(new SocketError(9, "accept"));
  assertEquals(listener.closed, true);
});

Deno.test("AcceptQueue.close: waiting accepts fail with the reason; queued connections close", async () => {
  const listener = new FakeListener();
  const q = new AcceptQueue(listener);
  const waiting = q.accept(op());
  const reason = new SocketError(22, "accept");
  const queued = new FakeConn();
  await assertRejects(
    async () => {
      q.close(reason);
      await waiting;
    },
    SocketError,
    "EINVAL",
  );
  listener.arrive(queued); // too late: the listener is closed
  await assertRejects(() => q.accept(op()), SocketError, "EINVAL");
});
