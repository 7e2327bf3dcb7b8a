// Run by bench/datagram.ts under Bun: sends WARM datagrams of 64 bytes to 127.0.0.1:WARM_PORT,
// then COUNT to 127.0.0.1:PORT, with Bun.udpSocket's sendMany, BATCH per call, waiting for
// `drain` when the kernel's buffer is full. Prints {"sent":N,"seconds":S,"cpuUs":C} for the
// timed part: wall time, and this process's user + system CPU.
// Usage: bun bench/_bun_udp.mjs PORT COUNT BATCH WARM_PORT WARM

const [port, count, batch, warmPort, warm] = process.argv.slice(2).map(Number);
const SIZE = 64;
let drained = null;
const sock = await Bun.udpSocket({
  socket: {
    drain() {
      const d = drained;
      drained = null;
      d?.();
    },
  },
});
const msg = new Uint8Array(SIZE);

/** Sends `n` datagrams to `to`, `batch` per sendMany; a short call waits for drain (or 1 ms). */
async function send(to, n) {
  const packets = [];
  for (let i = 0; i < batch; i++) packets.push(msg, to, "127.0.0.1");
  let sent = 0;
  while (sent < n) {
    const k = Math.min(batch, n - sent);
    const got = sock.sendMany(k === batch ? packets : packets.slice(0, k * 3));
    sent += got;
    if (got < k) {
      await new Promise((resolve) => {
        drained = resolve;
        setTimeout(resolve, 1);
      });
    }
  }
}

await send(warmPort, warm);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await send(port, count);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ sent: count, seconds, cpuUs: cpu.user + cpu.system }));
sock.close();
