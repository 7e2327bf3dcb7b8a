// The node:net row of the benchmark, run by node: the same work as the Deno rows.
//   node node_peer.mjs pingpong ROUNDS SIZE | bulk BYTES CHUNK
import net from "node:net";

const [mode, a, b] = process.argv.slice(2);

function pair() {
  return new Promise((resolve) => {
    const server = net.createServer({ noDelay: true }, (s) => {
      server.close();
      resolve([client, s]);
    });
    let client;
    server.listen(0, "127.0.0.1", () => {
      client = net.connect({ port: server.address().port, host: "127.0.0.1", noDelay: true });
    });
  });
}

async function pingpong(rounds, size) {
  const [c, s] = await pair();
  s.on("data", (d) => s.write(d));
  const msg = Buffer.alloc(size);
  const t = performance.now();
  await new Promise((done) => {
    let left = rounds, got = 0;
    c.on("data", (d) => {
      got += d.length;
      if (got < size) return;
      got -= size;
      if (--left === 0) return done();
      c.write(msg);
    });
    c.write(msg);
  });
  const rate = rounds / ((performance.now() - t) / 1000);
  c.destroy();
  s.destroy();
  return rate;
}

async function bulk(bytes, chunk) {
  const [c, s] = await pair();
  const buf = Buffer.alloc(chunk);
  const t = performance.now();
  const done = new Promise((resolve) => {
    let got = 0;
    s.on("data", (d) => (got += d.length));
    s.on("end", () => resolve(got));
  });
  let left = bytes;
  while (left > 0) {
    const n = Math.min(chunk, left);
    left -= n;
    if (!c.write(n === chunk ? buf : buf.subarray(0, n))) {
      await new Promise((r) => c.once("drain", r));
    }
  }
  c.end();
  const got = await done;
  if (got !== bytes) throw new Error(`short: ${got}`);
  const rate = bytes / ((performance.now() - t) / 1000);
  s.destroy();
  return rate;
}

const rate = mode === "pingpong"
  ? await pingpong(Number(a), Number(b))
  : await bulk(Number(a), Number(b));
console.log(rate);
