// The node:net rows of the benchmark, run by node in a process of their own: the same rows and
// arguments as bench/_one.ts (without its IMPL), the same work, the same one JSON line at the
// end — {"ops","seconds","cpuUs","checked"}, CPU from process.cpuUsage() over the measured
// span — and {"port":N} first from a server row.
//   node node_peer.mjs pingpong ROUNDS SIZE WARM | bulk BYTES CHUNK
//                      client PORT ROUNDS SIZE WARM | server ROUNDS SIZE WARM
//                      conns CONNS BYTES WARM | accept COUNT WARM | connect PORT COUNT WARM
import net from "node:net";
import process from "node:process";

const LOOPBACK = "127.0.0.1";
const BACKLOG = 511;
const [row, ...rest] = process.argv.slice(2);
const n = rest.map(Number);

/** Promise.withResolvers, which node 20 does not have. */
function resolvers() {
  let resolve, reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function cpuUs() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Starts the clocks; the function it returns stops them and makes the sample. */
function clock() {
  const t = performance.now();
  const cpu = cpuUs();
  return (ops, checked = 0) => ({
    ops,
    seconds: (performance.now() - t) / 1000,
    cpuUs: cpuUs() - cpu,
    checked,
  });
}

function pair() {
  return new Promise((resolve) => {
    const server = net.createServer({ noDelay: true }, (s) => {
      server.close();
      resolve([client, s]);
    });
    let client;
    server.listen(0, LOOPBACK, () => {
      client = net.connect({ port: server.address().port, host: LOOPBACK, noDelay: true });
    });
  });
}

/**
 * warm + rounds round trips of size bytes on the connected socket c, each reply counted to the
 * byte and its first byte checked; the clock runs over the last rounds.
 */
function pingpongOn(c, rounds, size, warm) {
  const msg = Buffer.alloc(size);
  return new Promise((done, fail) => {
    let i = 0, got = 0, first = 0, stop = clock();
    c.on("error", fail);
    c.on("end", () => fail(new Error(`the peer closed after ${i} rounds`)));
    c.on("data", (d) => {
      if (got === 0) first = d[0];
      got += d.length;
      if (got < size) return;
      if (got > size) return fail(new Error(`round ${i} got ${got} bytes, expected ${size}`));
      if (first !== msg[0]) return fail(new Error(`round ${i} came back different`));
      got = 0;
      if (++i === warm) stop = clock();
      if (i === warm + rounds) return done(stop(rounds, rounds * size));
      msg[0] = i;
      c.write(msg);
    });
    msg[0] = 0;
    if (warm === 0) stop = clock();
    c.write(msg);
  });
}

async function pingpong(rounds, size, warm) {
  const [c, s] = await pair();
  s.on("data", (d) => s.write(d));
  const sample = await pingpongOn(c, rounds, size, warm);
  c.destroy();
  s.destroy();
  return sample;
}

async function bulk(bytes, chunk) {
  const [c, s] = await pair();
  const buf = Buffer.alloc(chunk);
  const stop = clock();
  const done = new Promise((resolve) => {
    let got = 0;
    s.on("data", (d) => (got += d.length));
    s.on("end", () => resolve(got));
  });
  let left = bytes;
  while (left > 0) {
    const k = Math.min(chunk, left);
    left -= k;
    if (!c.write(k === chunk ? buf : buf.subarray(0, k))) {
      await new Promise((r) => c.once("drain", r));
    }
  }
  c.end();
  const got = await done;
  if (got !== bytes) throw new Error(`short bulk transfer: ${got} of ${bytes}`);
  const sample = stop(bytes / (1024 * 1024), got);
  s.destroy();
  return sample;
}

async function client(port, rounds, size, warm) {
  const c = net.connect({ port, host: LOOPBACK, noDelay: true });
  await new Promise((resolve, reject) => c.once("connect", resolve).once("error", reject));
  const sample = await pingpongOn(c, rounds, size, warm);
  c.destroy();
  return sample;
}

/** A server on 127.0.0.1, a port the kernel picks, announced to the parent. */
async function listen(onConnection) {
  const server = net.createServer({ noDelay: true }, onConnection);
  await new Promise((resolve) => server.listen(0, LOOPBACK, BACKLOG, resolve));
  console.log(JSON.stringify({ port: server.address().port }));
  return server;
}

async function server(rounds, size, warm) {
  const warmBytes = warm * size;
  let stop;
  let echoed = 0;
  const ended = resolvers();
  const srv = await listen((s) => {
    if (warmBytes === 0) stop = clock();
    s.on("data", (d) => {
      s.write(d);
      echoed += d.length;
      if (!stop && echoed >= warmBytes) stop = clock();
    });
    s.on("error", ended.reject);
    s.on("end", () => {
      s.end();
      ended.resolve();
    });
  });
  await ended.promise;
  srv.close();
  if (!stop || echoed !== warmBytes + rounds * size) {
    throw new Error(`echoed ${echoed} bytes, expected ${warmBytes + rounds * size}`);
  }
  return stop(rounds, echoed - warmBytes);
}

/** Counts accepts and closes; the clock starts at the first accept after the warm-up's. */
function tally(warm, total) {
  const t = { accepted: 0, closed: 0, echoed: 0, stop: undefined, done: resolvers() };
  t.accept = () => {
    if (++t.accepted === warm + 1) t.stop = clock();
    return t.accepted > warm;
  };
  t.close = () => {
    if (++t.closed === total) t.done.resolve();
  };
  return t;
}

async function conns(count, bytes, warm) {
  const t = tally(warm, warm + count);
  const srv = await listen((s) => {
    const counted = t.accept();
    let got = 0;
    s.on("data", (d) => {
      s.write(d);
      got += d.length;
    });
    s.on("error", t.done.reject);
    s.on("end", () => {
      if (got !== bytes) t.done.reject(new Error(`a connection echoed ${got} bytes, not ${bytes}`));
      if (counted) t.echoed += got;
      s.end();
      t.close();
    });
  });
  await t.done.promise;
  srv.close();
  return t.stop(count, t.echoed);
}

async function accept(count, warm) {
  const t = tally(warm, warm + count);
  const srv = await listen((s) => {
    t.accept();
    s.destroy();
    t.close();
  });
  await t.done.promise;
  srv.close();
  return t.stop(count);
}

async function connect(port, count, warm) {
  let stop = clock();
  for (let i = 0; i < warm + count; i++) {
    if (i === warm) stop = clock();
    await new Promise((resolve, reject) => {
      const c = net.connect({ port, host: LOOPBACK });
      c.on("error", reject);
      c.on("data", () => reject(new Error("the server sent data")));
      c.on("end", () => {
        c.destroy();
        resolve();
      });
    });
  }
  return stop(count);
}

const rows = { pingpong, bulk, client, server, conns, accept, connect };
if (!(row in rows)) throw new TypeError(`Unknown row "${row}"`);
setTimeout(() => {
  console.error(`node_peer.mjs ${row}: still running after 10 minutes`);
  process.exit(3);
}, 10 * 60 * 1000).unref();
console.log(JSON.stringify(await rows[row](...n)));
process.exit(0);
