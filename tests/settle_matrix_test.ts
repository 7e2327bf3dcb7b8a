/**
 * Every waiting call settles, on both backends: each call that can wait
 * (accept, connect, recv, recvfrom, recvmsg, send, sendto) is made to wait for
 * real — no client, a peer that drops SYNs, no data, a peer that does not read,
 * a full unix datagram queue — and then ended by close(), by its abort signal
 * or by its timeout. close() rejects it with EBADF at once and leaves no
 * descriptor behind; an abort rejects it with the signal's reason and a timeout
 * with ETIMEDOUT, and the socket still works afterwards. While a call waits,
 * timers keep running.
 */
import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { SocketError } from "../errno/mod.ts";
import { socket } from "../socket/create.ts";
import type { Socket } from "../socket/socket.ts";
import { datagrams } from "../socket/datagram.ts";
import {
  type Backend,
  delay,
  fdCount,
  tcpListener,
  tcpPair,
  udpSocket,
  until,
  utf8,
} from "./_helpers.ts";

type Ender = "close" | "abort" | "timeout";

/** A call made to wait, and how to show afterwards that its socket still works. */
interface Waiting {
  /** The socket whose call waits. */
  sock: Socket;
  /** Starts the call with these options. */
  start: (opts: { signal?: AbortSignal; timeout?: number }) => Promise<unknown>;
  /** After an abort or a timeout: the socket does what the call was for. */
  stillWorks: () => Promise<void>;
  /** Releases every other socket of the scenario. */
  [Symbol.asyncDispose]: () => Promise<void>;
}

/** Closes what is open of `socks`. */
function closeAll(...socks: Socket[]): void {
  for (const s of socks) if (!s.closed) s.close();
}

/** An async disposer that closes the sockets still open. */
function disposer(...socks: Socket[]): () => Promise<void> {
  return () => Promise.resolve(closeAll(...socks));
}

/** Fills the kernel's buffers from `tx` toward a peer that does not read. */
async function fill(tx: Socket): Promise<void> {
  const chunk = new Uint8Array(64 * 1024);
  for (;;) {
    try {
      await tx.send(chunk, C.MSG_DONTWAIT);
    } catch (err) {
      assertInstanceOf(err, SocketError);
      assertEquals(err.code, "EAGAIN");
      return;
    }
  }
}

const scenarios: Record<string, (backend: Backend) => Waiting | Promise<Waiting>> = {
  accept(backend) {
    const srv = tcpListener("inet", 4, backend);
    return {
      sock: srv,
      start: (opts) => srv.accept(opts),
      async stillWorks() {
        const c = socket(C.AF_INET, C.SOCK_STREAM, 0, { backend });
        try {
          const accepted = srv.accept({ timeout: 5000 });
          await c.connect(srv.getsockname(), { timeout: 5000 });
          (await accepted)[0].close();
        } finally {
          c.close();
        }
      },
      [Symbol.asyncDispose]: disposer(srv),
    };
  },

  async connect(backend) {
    // A listener whose accept queue is full drops further SYNs: a connect to
    // it waits in SYN_SENT, retransmitting.
    const srv = tcpListener("inet", 0, "ffi");
    const queued: Socket[] = [];
    for (let i = 0; i < 2; i++) {
      const q = socket(C.AF_INET, C.SOCK_STREAM, 0, { backend: "ffi" });
      queued.push(q);
      q.connect(srv.getsockname(), { timeout: 100 }).catch(() => {});
    }
    await delay(150);
    const c = socket(C.AF_INET, C.SOCK_STREAM, 0, { backend });
    return {
      sock: c,
      start: (opts) => c.connect(srv.getsockname(), opts),
      async stillWorks() {
        // Room in the queue: the next retransmitted SYN is answered, and the
        // same connect, asked again, completes.
        const drained: Socket[] = [];
        const done = c.connect(srv.getsockname(), { timeout: 8000 });
        for (let i = 0; i < 3; i++) {
          try {
            drained.push((await srv.accept({ timeout: 8000 }))[0]);
          } catch {
            break;
          }
          if (await Promise.race([done.then(() => true), delay(10).then(() => false)])) break;
        }
        await done;
        assertEquals(c.getpeername(), srv.getsockname());
        closeAll(...drained);
      },
      [Symbol.asyncDispose]: disposer(srv, c, ...queued),
    };
  },

  async recv(backend) {
    const [a, b] = await tcpPair("inet", backend);
    return {
      sock: a,
      start: (opts) => a.recv(new Uint8Array(16), 0, opts),
      async stillWorks() {
        await b.sendAll(utf8("late"));
        const buf = new Uint8Array(16);
        assertEquals(await a.recv(buf, 0, { timeout: 5000 }), 4);
      },
      [Symbol.asyncDispose]: disposer(a, b),
    };
  },

  recvfrom(backend) {
    const rx = udpSocket("inet", backend);
    const tx = udpSocket("inet", backend);
    return {
      sock: rx,
      start: (opts) => rx.recvfrom(new Uint8Array(16), 0, opts),
      async stillWorks() {
        await tx.sendto(utf8("late"), rx.getsockname());
        const [n, from] = await rx.recvfrom(new Uint8Array(16), 0, { timeout: 5000 });
        assertEquals([n, from], [4, tx.getsockname()]);
      },
      [Symbol.asyncDispose]: disposer(rx, tx),
    };
  },

  recvmsg(backend) {
    const rx = udpSocket("inet", backend);
    const tx = udpSocket("inet", backend);
    return {
      sock: rx,
      start: (opts) => rx.recvmsg(new Uint8Array(16), opts),
      async stillWorks() {
        await tx.sendto(utf8("late"), rx.getsockname());
        assertEquals((await rx.recvmsg(new Uint8Array(16), { timeout: 5000 })).bytes, 4);
      },
      [Symbol.asyncDispose]: disposer(rx, tx),
    };
  },

  async send(backend) {
    const [a, b] = await tcpPair("inet", backend);
    if (backend === "ffi") {
      a.setsockopt(C.SOL_SOCKET, C.SO_SNDBUF, 4096);
      await fill(a);
    }
    const big = new Uint8Array(16 << 20);
    return {
      sock: a,
      start: (opts) => a.sendAll(big, 0, opts),
      async stillWorks() {
        // The peer reads: what waited flows, and a new send goes through.
        const sink = (async () => {
          const buf = new Uint8Array(1 << 20);
          for (;;) if ((await b.recv(buf)) === 0) return;
        })();
        await a.send(utf8("more"), 0, { timeout: 10_000 });
        a.shutdown(C.SHUT_WR);
        await sink;
      },
      [Symbol.asyncDispose]: disposer(a, b),
    };
  },

  async sendto(backend) {
    // A unix datagram receiver that does not read; the sender is not connected,
    // so its own readiness says nothing about the receiver's queue.
    const path = `${Deno.makeTempDirSync()}/rx.sock`;
    const rx = socket(C.AF_UNIX, C.SOCK_DGRAM, 0, { backend });
    rx.bind({ path });
    const tx = socket(C.AF_UNIX, C.SOCK_DGRAM, 0, { backend });
    const dgram = new Uint8Array(256);
    for (;;) {
      try {
        await tx.sendto(dgram, { path }, C.MSG_DONTWAIT);
      } catch (err) {
        assertInstanceOf(err, SocketError);
        assertEquals(err.code, "EAGAIN");
        break;
      }
    }
    return {
      sock: tx,
      start: (opts) => tx.sendto(dgram, { path }, 0, opts),
      async stillWorks() {
        const late = tx.sendto(utf8("late"), { path }, 0, { timeout: 5000 });
        const buf = new Uint8Array(256);
        for (let i = 0; i < 64; i++) {
          if ((await rx.recv(buf, C.MSG_DONTWAIT).catch(() => -1)) < 0) break;
        }
        assertEquals(await late, 4);
      },
      async [Symbol.asyncDispose]() {
        closeAll(rx, tx);
        await Deno.remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      },
    };
  },
};

/**
 * Scenarios only the ffi backend can set up: native has no unix datagram sockets
 * (it cannot carry them: socket/native/socket_native_test.ts).
 */
const FFI_ONLY = new Set(["sendto"]);

// The ffi backend's epoll descriptor and signal pipe last for the process:
// make them before any test counts descriptors.
socket(C.AF_INET, C.SOCK_STREAM, 0, { backend: "ffi" }).close();

for (const backend of ["ffi", "native"] as const) {
  for (const [call, make] of Object.entries(scenarios)) {
    if (backend === "native" && FFI_ONLY.has(call)) continue;
    for (const ender of ["close", "abort", "timeout"] as Ender[]) {
      Deno.test(`${backend} ${call}(): ${ender} settles the waiting call`, async () => {
        const before = fdCount();
        const s = await make(backend);
        let ticks = 0;
        const ticker = setInterval(() => ticks++, 5);
        try {
          const ac = new AbortController();
          const reason = new Error("stop");
          const opts = ender === "abort"
            ? { signal: ac.signal }
            : ender === "timeout"
            ? { timeout: 200 }
            : {};
          let state = "pending";
          let error: unknown;
          const call = s.start(opts).then(
            () => state = "resolved",
            (e) => {
              state = "rejected";
              error = e;
            },
          );
          await delay(100);
          assertEquals(state, "pending", "the call waits");
          assert(ticks >= 5, `timers run while it waits (${ticks} ticks in 100 ms)`);
          const t0 = performance.now();
          if (ender === "close") s.sock.close();
          if (ender === "abort") ac.abort(reason);
          await until(() => state !== "pending", `the ${ender} to settle the call`, 2000);
          await call;
          assertEquals(state, "rejected");
          if (ender === "close") {
            assertInstanceOf(error, SocketError);
            assertEquals(error.code, "EBADF");
            assert(performance.now() - t0 < 100, "close() settles at once");
          } else if (ender === "abort") {
            assertEquals(error, reason);
          } else {
            assertInstanceOf(error, SocketError);
            assertEquals(error.code, "ETIMEDOUT");
          }
          if (ender !== "close") await s.stillWorks();
        } finally {
          clearInterval(ticker);
          await s[Symbol.asyncDispose]();
        }
        // Native sockets release their descriptors when the runtime's I/O ends.
        await until(() => fdCount() <= before, `descriptors back to ${before}`, 3000);
      });
    }
  }
}

for (const backend of ["ffi", "native"] as const) {
  Deno.test(`${backend}: the longest timeout (2^31 − 1 ms) waits, it does not fire at once`, async () => {
    const rx = udpSocket("inet", backend);
    try {
      let state = "pending";
      const call = rx.recv(new Uint8Array(8), 0, { timeout: 2 ** 31 - 1 }).then(
        () => state = "resolved",
        (e) => state = `rejected: ${e}`,
      );
      await delay(100);
      assertEquals(state, "pending");
      rx.close();
      await call;
      assert(state.includes("EBADF"), state);
    } finally {
      if (!rx.closed) rx.close();
    }
  });
}

for (const backend of ["ffi", "native"] as const) {
  Deno.test(`${backend}: datagrams() with a signal: abort rejects the waiting next() with the reason; the socket goes on`, async () => {
    const rx = udpSocket("inet", backend);
    const tx = udpSocket("inet", backend);
    try {
      const ctl = new AbortController();
      const it = datagrams(rx, 64, { batch: 4, signal: ctl.signal });
      const next = it.next();
      await delay(50);
      const reason = new Error("stop");
      ctl.abort(reason);
      const err = await next.then(() => undefined, (e) => e);
      assertEquals(err, reason);
      // The same socket still receives, through a new iteration.
      await tx.sendto(utf8("after"), rx.getsockname());
      const again = await datagrams(rx, 64, { batch: 4, timeout: 5000 }).next();
      assertEquals(new TextDecoder().decode((again.value as [Uint8Array, unknown])[0]), "after");
    } finally {
      rx.close();
      tx.close();
    }
  });
}
