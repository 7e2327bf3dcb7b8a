/**
 * The server side of `deno task stress`: `deno run -A bench/_stress_server.ts <deno|ffi|native>`
 * listens on 127.0.0.1:0 (backlog 511, as Deno.listen's), prints the port on stdout, and echoes
 * every connection until its peer ends it. It exits when its stdin closes (the parent is gone) or
 * after ten minutes, whichever comes first.
 *
 * @module
 */
import { listen } from "../socket/stream.ts";
import type { Socket } from "../socket/socket.ts";

/** Each connection's echo buffer, the same for every implementation. */
const BUF = 16 * 1024;
/** Deno.listen's backlog (as `ss -ltn` shows it); ours get the same. */
const BACKLOG = 511;
const LIFETIME_MS = 10 * 60 * 1000;

const impl = Deno.args[0];
let failures = 0;

async function echoConn(c: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(BUF);
  try {
    for (;;) {
      const n = await c.read(buf);
      if (n === null) break;
      let off = 0;
      while (off < n) off += await c.write(buf.subarray(off, n));
    }
  } catch {
    failures++;
  } finally {
    c.close();
  }
}

async function echoSocket(s: Socket): Promise<void> {
  const buf = new Uint8Array(BUF);
  try {
    for (;;) {
      const n = await s.recv(buf);
      if (n === 0) break;
      await s.sendAll(buf.subarray(0, n));
    }
  } catch {
    failures++;
  } finally {
    s.close();
  }
}

function serveDeno(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  (async () => {
    for await (const c of l) echoConn(c);
  })();
  return l.addr.port;
}

function serveOurs(backend: "ffi" | "native"): number {
  const s = listen({ hostname: "127.0.0.1", port: 0 }, { backend, backlog: BACKLOG });
  (async () => {
    for await (const c of s.accepted()) echoSocket(c);
  })();
  return (s.getsockname() as { port: number }).port;
}

if (impl !== "deno" && impl !== "ffi" && impl !== "native") {
  throw new TypeError(`Unknown implementation "${impl}": use deno, ffi or native`);
}
const port = impl === "deno" ? serveDeno() : serveOurs(impl);
await Deno.stdout.write(new TextEncoder().encode(`${port}\n`));

setTimeout(() => Deno.exit(3), LIFETIME_MS);
// The parent holds our stdin: when it ends (the parent finished or died), so do we.
for await (const _ of Deno.stdin.readable) { /* nothing is sent */ }
Deno.stderr.writeSync(new TextEncoder().encode(failures ? `${failures} echo failures\n` : ""));
Deno.exit(0);
