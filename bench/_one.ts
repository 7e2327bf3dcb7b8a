/**
 * One run of one benchmark row, in a process of its own, so that its CPU time is its own:
 *
 *   deno run -A bench/_one.ts ROW IMPL ARGS…     (IMPL: ffi | native | deno)
 *
 * | row        | args                        | what                                              |
 * | ---------- | --------------------------- | ------------------------------------------------- |
 * | `pingpong` | ROUNDS SIZE WARM            | ping-pong between two sockets of this process     |
 * | `bulk`     | BYTES CHUNK                 | bulk transfer between two sockets of this process |
 * | `create`   | COUNT                       | socket()+close() (ffi only)                        |
 * | `client`   | PORT ROUNDS SIZE WARM       | ping-pong as a client of the C echo server        |
 * | `server`   | ROUNDS SIZE WARM            | ping-pong as the server of the C client           |
 * | `conns`    | CONNS BYTES WARM            | echo server for many connections at once          |
 * | `accept`   | COUNT WARM                  | accept and close                                  |
 * | `connect`  | PORT COUNT WARM             | connect, wait for the server's close, close       |
 *
 * A server row prints `{"port":N}` once it listens; every row ends by printing its
 * {@linkcode Sample} as one JSON line and exiting (status 1, and the error on stderr, on failure).
 * `bench/node_peer.mjs` takes the same rows and arguments, without IMPL.
 *
 * @module
 */
// deno-lint-ignore-file no-console
import {
  connAcceptClose,
  connClient,
  connConnectClose,
  connManyServer,
  connServer,
  portOf,
  socketAcceptClose,
  socketClient,
  socketConnectClose,
  socketListener,
  socketManyServer,
  socketServer,
} from "./_peer_rows.ts";
import {
  type Backend,
  connBulk,
  connPingPong,
  ffiCreate,
  socketBulk,
  socketPingPong,
} from "./_rows.ts";
import type { Sample } from "./_sample.ts";

/** A run the parent has lost track of ends by itself. */
const LIFETIME_MS = 10 * 60 * 1000;

const [row, impl, ...rest] = Deno.args;
const n = rest.map(Number);
if (impl !== "ffi" && impl !== "native" && impl !== "deno") {
  throw new TypeError(`Unknown implementation "${impl}": use ffi, native or deno`);
}
const backend = impl === "deno" ? undefined : impl as Backend;

/** A listener on 127.0.0.1 whose port is announced to the parent. */
function listener(): Deno.TcpListener | ReturnType<typeof socketListener> {
  const l = backend ? socketListener(backend) : Deno.listen({ hostname: "127.0.0.1", port: 0 });
  console.log(JSON.stringify({ port: portOf(l) }));
  return l;
}

function run(): Promise<Sample> | Sample {
  switch (row) {
    case "pingpong":
      return backend ? socketPingPong(n[0], n[1], n[2], backend) : connPingPong(n[0], n[1], n[2]);
    case "bulk":
      return backend ? socketBulk(n[0], n[1], backend) : connBulk(n[0], n[1]);
    case "create":
      if (backend !== "ffi") throw new TypeError(`The create row is ffi only, got "${impl}"`);
      return ffiCreate(n[0]);
    case "client":
      return backend
        ? socketClient(n[0], n[1], n[2], n[3], backend)
        : connClient(n[0], n[1], n[2], n[3]);
    case "server": {
      const l = listener();
      return "addr" in l ? connServer(l, n[0], n[1], n[2]) : socketServer(l, n[0], n[1], n[2]);
    }
    case "conns": {
      const l = listener();
      return "addr" in l
        ? connManyServer(l, n[0], n[1], n[2])
        : socketManyServer(l, n[0], n[1], n[2]);
    }
    case "accept": {
      const l = listener();
      return "addr" in l ? connAcceptClose(l, n[0], n[1]) : socketAcceptClose(l, n[0], n[1]);
    }
    case "connect":
      return backend
        ? socketConnectClose(n[0], n[1], n[2], backend)
        : connConnectClose(n[0], n[1], n[2]);
    default:
      throw new TypeError(`Unknown row "${row}"`);
  }
}

Deno.unrefTimer(setTimeout(() => {
  console.error(`_one.ts ${row} ${impl}: still running after ${LIFETIME_MS / 60000} minutes`);
  Deno.exit(3);
}, LIFETIME_MS));
try {
  console.log(JSON.stringify(await run()));
} catch (err) {
  console.error(`_one.ts ${row} ${impl}:`, err);
  Deno.exit(1);
}
// Not waiting for whatever the runtime or a backend still has pending.
Deno.exit(0);
