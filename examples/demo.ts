/**
 * `deno task demo`: a short tour of @bsdsock/socket on loopback — a TCP echo, a
 * UDP exchange, a SEQPACKET socketpair, a raw ICMP ping of 127.0.0.1 when
 * permitted, and a socket() the kernel refuses — printing what happened.
 *
 * @module
 */
// deno-lint-ignore-file no-console
import {
  AF_INET,
  AF_UNIX,
  IPPROTO_ICMP,
  MSG_TRUNC,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  socket,
  SocketError,
  socketpair,
} from "../mod.ts";
import { formatSockAddr } from "../address/mod.ts";

const text = new TextEncoder();
const show = new TextDecoder();

async function tcpEcho(): Promise<void> {
  using server = socket(AF_INET, SOCK_STREAM);
  server.bind({ hostname: "127.0.0.1", port: 0 });
  server.listen();
  using client = socket(AF_INET, SOCK_STREAM);
  const accepted = server.accept();
  await client.connect(server.getsockname());
  const [conn, peer] = await accepted;
  using _conn = conn;
  await client.sendAll(text.encode("hello over TCP"));
  const buf = new Uint8Array(64);
  const n = await conn.recv(buf);
  await conn.sendAll(buf.subarray(0, n));
  const m = await client.recv(buf);
  console.log(`TCP echo      ${client} → ${formatSockAddr(server.getsockname())}`);
  console.log(
    `              accepted from ${formatSockAddr(peer)}, echoed "${
      show.decode(buf.subarray(0, m))
    }"`,
  );
}

async function udpExchange(): Promise<void> {
  using a = socket(AF_INET, SOCK_DGRAM);
  using b = socket(AF_INET, SOCK_DGRAM);
  a.bind({ hostname: "127.0.0.1", port: 0 });
  b.bind({ hostname: "127.0.0.1", port: 0 });
  await a.sendto(text.encode("datagram"), b.getsockname());
  const buf = new Uint8Array(64);
  const [n, from] = await b.recvfrom(buf);
  console.log(
    `UDP           ${n} bytes "${show.decode(buf.subarray(0, n))}" from ${formatSockAddr(from)}`,
  );
}

async function seqpacket(): Promise<void> {
  const [a, b] = socketpair(AF_UNIX, SOCK_SEQPACKET);
  using _a = a;
  using _b = b;
  await a.send(text.encode("first record"));
  await a.send(text.encode("second, longer record"));
  const small = new Uint8Array(6);
  const r1 = await b.recvmsg([small]);
  const r2 = await b.recv(new Uint8Array(64));
  const trunc = (r1.flags & MSG_TRUNC) !== 0;
  console.log(
    `SEQPACKET     ${a}: records keep their boundaries — read "${
      show.decode(small)
    }" (MSG_TRUNC ${trunc}), then ${r2} bytes`,
  );
}

async function ping(): Promise<void> {
  let s;
  try {
    s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  } catch (err) {
    if (err instanceof SocketError) {
      console.log(`ICMP ping     not permitted here: ${err.message}`);
      return;
    }
    throw err;
  }
  using raw = s;
  const id = Deno.pid & 0xffff;
  const echo = new Uint8Array(16);
  const v = new DataView(echo.buffer);
  v.setUint8(0, 8); // echo request
  v.setUint16(4, id);
  v.setUint16(6, 1);
  v.setUint16(2, checksum(echo));
  const t = performance.now();
  await raw.sendto(echo, { hostname: "127.0.0.1", port: 0 });
  const buf = new Uint8Array(256);
  raw.timeout = 2000;
  for (;;) {
    const [n] = await raw.recvfrom(buf);
    const ihl = (buf[0] & 0x0f) * 4;
    const r = new DataView(buf.buffer, ihl, n - ihl);
    if (r.getUint8(0) === 0 && r.getUint16(4) === id) {
      const ms = (performance.now() - t).toFixed(3);
      console.log(
        `ICMP ping     echo reply from 127.0.0.1: id=${id} seq=${r.getUint16(6)} ttl=${
          buf[8]
        } time=${ms} ms`,
      );
      return;
    }
  }
}

function checksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function refused(): void {
  try {
    socket(AF_INET, SOCK_STREAM, "udp").close();
  } catch (err) {
    if (!(err instanceof SocketError)) throw err;
    console.log(
      `refused       socket(AF_INET, SOCK_STREAM, "udp") → errno ${err.errno}, ${err.code}: ${err.message}`,
    );
  }
}

await tcpEcho();
await udpExchange();
await seqpacket();
await ping();
refused();
