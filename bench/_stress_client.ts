/**
 * The client side of `deno task stress`:
 * `deno run -A bench/_stress_client.ts <port> <connections> <bytes> <deadline ms>` opens every
 * connection to 127.0.0.1:<port> at once (Deno.connect), sends each its own random bytes, reads
 * the echo back and checks its SHA-256; the connections stay open until all are checked, so the
 * server holds them all at the same time, then close. It prints one JSON line: the wall time from
 * the first connect to the last close, the bytes checked, the failures and its own peak RSS. Past
 * the deadline it prints what it has, marked `timedOut`, and exits.
 *
 * @module
 */

const [port, connections, size, deadlineMs] = Deno.args.map(Number);

/** The result line the parent reads. */
export interface ClientResult {
  /** Milliseconds from the first connect to the last close. */
  wallMs: number;
  /** Bytes echoed back and checked (connections × bytes when all succeed). */
  bytesChecked: number;
  /** Connections whose echo came back whole and matching. */
  ok: number;
  /** Connections that failed (error, short or mismatching echo). */
  failed: number;
  /** The first failure's message, if any. */
  firstError?: string;
  /** The client's peak RSS (VmHWM), in KiB. */
  peakRssKiB: number;
  /** Whether the deadline cut the run short. */
  timedOut: boolean;
}

async function peakRssKiB(): Promise<number> {
  const status = await Deno.readTextFile("/proc/self/status");
  return Number(status.match(/VmHWM:\s*(\d+)/)?.[1] ?? 0);
}

/** The random payloads, one slice per connection (getRandomValues fills 64 KiB a call). */
const data = new Uint8Array(connections * size);
for (let off = 0; off < data.byteLength; off += 65536) {
  crypto.getRandomValues(data.subarray(off, Math.min(off + 65536, data.byteLength)));
}
const payload = (i: number) => data.subarray(i * size, (i + 1) * size);
const expected = await Promise.all(
  Array.from({ length: connections }, (_, i) => crypto.subtle.digest("SHA-256", payload(i))),
);

let ok = 0;
let failed = 0;
let firstError: string | undefined;
let settled = 0;
let allChecked!: () => void;
const barrier = new Promise<void>((r) => allChecked = r);
const start = performance.now();

function done(good: boolean, err?: unknown): void {
  if (good) ok++;
  else {
    failed++;
    firstError ??= err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  if (++settled === connections) allChecked();
}

function sameDigest(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const x = new Uint8Array(a), y = new Uint8Array(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

async function one(i: number): Promise<void> {
  let conn: Deno.TcpConn | undefined;
  let reported = false;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const out = payload(i);
    let sent = 0;
    while (sent < size) sent += await conn.write(out.subarray(sent));
    const back = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const n = await conn.read(back.subarray(got));
      if (n === null) throw new Error(`echo ended after ${got} of ${size} bytes`);
      got += n;
    }
    const digest = await crypto.subtle.digest("SHA-256", back);
    if (!sameDigest(digest, expected[i])) throw new Error("echo does not match (SHA-256)");
    reported = true;
    done(true);
    await barrier;
  } catch (err) {
    if (!reported) done(false, err);
  } finally {
    conn?.close();
  }
}

async function report(timedOut: boolean): Promise<void> {
  const result: ClientResult = {
    wallMs: performance.now() - start,
    bytesChecked: ok * size,
    ok,
    failed,
    firstError,
    peakRssKiB: await peakRssKiB(),
    timedOut,
  };
  await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(result) + "\n"));
}

const timer = setTimeout(async () => {
  await report(true);
  Deno.exit(2);
}, deadlineMs);
await Promise.all(Array.from({ length: connections }, (_, i) => one(i)));
clearTimeout(timer);
await report(false);
Deno.exit(0);
