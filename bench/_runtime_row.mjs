// One row of bench/runtimes.ts, run by node or bun: prints {"rate", "cpu"} as JSON, where rate is
// operations per second and cpu the process's CPU time per operation in microseconds.
//
//   node|bun _runtime_row.mjs <package url> <kind> <impl> <n> [port]
//
// kind: "pingpong" (64-byte round trips; against 127.0.0.1:<port> when a port is given, else an
// echo server in this process) or "bulk" (n bytes one way over loopback, in this process).
// impl: "ffi" | "native" (our Socket) | "net" (node:net) | "bun" (Bun.listen/Bun.connect).
// BSDSOCK_READINESS=sigio makes the ffi backend wake on SIGIO instead of uv_poll on Node.
const [pkgUrl, kind, impl, nArg, portArg] = process.argv.slice(2);
const n = Number(nArg);
const extPort = portArg ? Number(portArg) : 0;
const HOST = "127.0.0.1";
const SIZE = 64;
const CHUNK = 64 * 1024;
const { AF_INET, IPPROTO_TCP, SOCK_STREAM, TCP_NODELAY, socket } = await import(pkgUrl);

function measure(run) {
  return async (...args) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const ops = await run(...args);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { rate: ops / ms * 1000, cpu: (cpu.user + cpu.system) / ops };
  };
}

/** 200 untimed round trips, then `n` measured ones. */
async function timedRounds(round) {
  for (let i = 0; i < 200; i++) await round();
  return await measure(async () => {
    for (let i = 0; i < n; i++) await round();
    return n;
  })();
}

/**
 * Round trips of SIZE bytes on a callback API: `round(write)` writes and resolves once SIZE more
 * bytes have come, which the data callback reports through `got(bytes)`.
 */
function echoWaiter() {
  let pending = 0;
  let wake = null;
  return {
    got(bytes) {
      pending -= bytes;
      if (pending <= 0 && wake) {
        const w = wake;
        wake = null;
        w();
      }
    },
    round: (write) =>
      new Promise((resolve) => {
        pending += SIZE;
        wake = resolve;
        write();
      }),
  };
}

/** Our Socket on `backend`: [client, server or null, close()]. */
async function oursPair(backend) {
  const opts = { backend };
  let listener = null;
  let port = extPort;
  if (!port) {
    listener = socket(AF_INET, SOCK_STREAM, 0, opts);
    listener.bind({ hostname: HOST, port: 0 });
    listener.listen();
    port = listener.getsockname().port;
  }
  const client = socket(AF_INET, SOCK_STREAM, 0, opts);
  const accepting = listener?.accept();
  await client.connect({ hostname: HOST, port });
  client.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  const server = accepting ? (await accepting)[0] : null;
  server?.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  return [client, server, () => {
    client.close();
    server?.close();
    listener?.close();
  }];
}

async function oursPingPong(backend) {
  const [client, server, close] = await oursPair(backend);
  if (server) {
    (async () => {
      const b = new Uint8Array(SIZE);
      for (;;) {
        const got = await server.recv(b).catch(() => 0);
        if (got === 0) return;
        await server.sendAll(b.subarray(0, got)).catch(() => {});
      }
    })();
  }
  const msg = new Uint8Array(SIZE);
  const buf = new Uint8Array(SIZE);
  const round = async () => {
    await client.send(msg);
    let got = 0;
    while (got < SIZE) got += await client.recv(got ? buf.subarray(got) : buf);
  };
  const result = await timedRounds(round);
  close();
  return result;
}

async function oursBulk(backend) {
  const [client, server, close] = await oursPair(backend);
  const chunk = new Uint8Array(CHUNK);
  const result = await measure(async () => {
    const sending = (async () => {
      for (let sent = 0; sent < n; sent += CHUNK) await client.sendAll(chunk);
      client.shutdown(1);
    })();
    const b = new Uint8Array(CHUNK);
    let got = 0;
    for (;;) {
      const k = await server.recv(b);
      if (k === 0) break;
      got += k;
    }
    await sending;
    return got / (1024 * 1024);
  })();
  close();
  return result;
}

/** node:net: a connected client (and, in process, the server side's socket). */
async function netPair(net, echo) {
  let server = null;
  let port = extPort;
  let accepted;
  if (!port) {
    accepted = new Promise((resolve) => {
      server = net.createServer({ noDelay: true }, (s) => {
        if (echo) s.pipe(s);
        resolve(s);
      });
    });
    await new Promise((r) => server.listen(0, HOST, r));
    port = server.address().port;
  }
  const client = net.connect({ host: HOST, port, noDelay: true });
  await new Promise((r) => client.once("connect", r));
  const peer = accepted ? await accepted : null;
  return [client, peer, () => {
    client.destroy();
    peer?.destroy();
    server?.close();
  }];
}

async function netPingPong() {
  const net = await import("node:net");
  const [client, , close] = await netPair(net, true);
  const msg = Buffer.alloc(SIZE);
  const echo = echoWaiter();
  client.on("data", (d) => echo.got(d.length));
  const result = await timedRounds(() => echo.round(() => client.write(msg)));
  close();
  return result;
}

async function netBulk() {
  const net = await import("node:net");
  const [client, peer, close] = await netPair(net, false);
  const chunk = Buffer.alloc(CHUNK);
  const result = await measure(async () => {
    const done = new Promise((resolve) => {
      let got = 0;
      peer.on("data", (d) => got += d.length);
      peer.on("end", () => resolve(got));
    });
    let sent = 0;
    const pump = () => {
      while (sent < n) {
        sent += CHUNK;
        if (!client.write(chunk)) return void client.once("drain", pump);
      }
      client.end();
    };
    pump();
    return (await done) / (1024 * 1024);
  })();
  close();
  return result;
}

async function bunPingPong() {
  let listener = null;
  let port = extPort;
  if (!port) {
    listener = Bun.listen({
      hostname: HOST,
      port: 0,
      socket: { data: (s, d) => void s.write(d) },
    });
    port = listener.port;
  }
  const echo = echoWaiter();
  const client = await Bun.connect({
    hostname: HOST,
    port,
    socket: { data: (_s, d) => echo.got(d.length) },
  });
  client.setNoDelay?.(true);
  const msg = new Uint8Array(SIZE);
  const result = await timedRounds(() => echo.round(() => client.write(msg)));
  client.end();
  listener?.stop(true);
  return result;
}

async function bunBulk() {
  let got = 0;
  let done;
  const finished = new Promise((r) => done = r);
  const listener = Bun.listen({
    hostname: HOST,
    port: 0,
    socket: { data: (_s, d) => void (got += d.length), end: () => done(), close: () => done() },
  });
  let client;
  let sent = 0;
  const chunk = new Uint8Array(CHUNK);
  const pump = () => {
    while (sent < n) {
      const w = client.write(chunk);
      if (w < CHUNK) {
        sent += w;
        return; // drain() calls again
      }
      sent += CHUNK;
    }
    client.end();
  };
  const result = await measure(async () => {
    client = await Bun.connect({
      hostname: HOST,
      port: listener.port,
      socket: { data() {}, drain: () => pump() },
    });
    pump();
    await finished;
    return got / (1024 * 1024);
  })();
  listener.stop(true);
  return result;
}

const rows = {
  "pingpong:ffi": () => oursPingPong("ffi"),
  "pingpong:native": () => oursPingPong("native"),
  "pingpong:net": netPingPong,
  "pingpong:bun": bunPingPong,
  "bulk:ffi": () => oursBulk("ffi"),
  "bulk:native": () => oursBulk("native"),
  "bulk:net": netBulk,
  "bulk:bun": bunBulk,
};
const row = rows[`${kind}:${impl}`];
if (!row) throw new Error(`unknown row ${kind}:${impl}`);
console.log(JSON.stringify(await row()));
process.exit(0);
