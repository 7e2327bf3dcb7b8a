/**
 * Raw ICMP and the error queue, answered by the kernel itself: an echo request
 * we build (checksum included) to 127.0.0.1 and the kernel's echo reply; a
 * request with a wrong checksum that the kernel drops; IP_RECVERR/IPV6_RECVERR
 * and SO_ERROR after an ICMP port unreachable, each compared with what python3's
 * socket module sees for the same steps (tests/py/kernel_recverr.py).
 *
 * @module
 */
import { assert, assertEquals, assertGreater, assertLess } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { ECONNREFUSED, errnoName } from "../errno/mod.ts";
import type { Socket } from "../mod.ts";
import { socket } from "./fixtures/ffi.ts";
import { decodeSockAddr, type SockAddr } from "../address/mod.ts";
import { reactor } from "../socket/ffi/reactor.ts";
import { errno, sys } from "../socket/ffi/mod.ts";
import { linuxSys as K } from "../socket/ffi/_libc.ts";
import { compileC } from "./_c.ts";
import { fdLedger, safetyWakeups, utf8 } from "./_helpers.ts";
import { inetChecksum, outcomeAsync, pyJson } from "./_kernel_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first raw/error-queue test", fds.start);

const T = { timeout: 5000 };
const LOOPBACK4 = { family: "inet", hostname: "127.0.0.1", port: 0 } as const;

/** ICMP, netlink and sock_extended_err numbers from the system headers (tests/c/kernel_structs.c). */
type Headers = Record<string, number>;
let headers: Promise<Headers> | undefined;
function H(): Promise<Headers> {
  return headers ??= compileC("kernel_structs.c").then((out) => JSON.parse(out));
}

// ------------------------------------------------------------------ ICMP echo

interface Icmp {
  type: number;
  code: number;
  id: number;
  seq: number;
  payload: Uint8Array;
  /** The ICMP checksum verifies (the one's-complement sum over the message is 0xffff). */
  icmpSumOk: boolean;
  /** The IPv4 header checksum verifies. */
  ipSumOk: boolean;
  src: string;
  dst: string;
  from: SockAddr;
}

function echoRequest(h: Headers, id: number, seq: number, payload: Uint8Array, sum?: number) {
  const m = new Uint8Array(8 + payload.length);
  const v = new DataView(m.buffer);
  m[0] = h.ICMP_ECHO;
  v.setUint16(4, id);
  v.setUint16(6, seq);
  m.set(payload, 8);
  v.setUint16(2, sum ?? inetChecksum(m));
  return m;
}

/** Reads datagrams from a raw ICMP socket (IPv4 header included) until `match` accepts one. */
async function nextIcmp(s: Socket, match: (m: Icmp) => boolean, seen: Icmp[]): Promise<Icmp> {
  const buf = new Uint8Array(65536);
  const end = performance.now() + 5000;
  for (;;) {
    const [n, from] = await s.recvfrom(buf, 0, { timeout: Math.max(1, end - performance.now()) });
    const ihl = (buf[0] & 0x0f) * 4;
    assertEquals([buf[0] >> 4, buf[9]], [4, C.IPPROTO_ICMP], "an IPv4 datagram carrying ICMP");
    const icmp = buf.slice(ihl, n);
    const v = new DataView(icmp.buffer);
    const m: Icmp = {
      type: icmp[0],
      code: icmp[1],
      id: v.getUint16(4),
      seq: v.getUint16(6),
      payload: icmp.slice(8),
      icmpSumOk: inetChecksum(icmp) === 0,
      ipSumOk: inetChecksum(buf.subarray(0, ihl)) === 0,
      src: [...buf.subarray(12, 16)].join("."),
      dst: [...buf.subarray(16, 20)].join("."),
      from,
    };
    seen.push(m);
    if (match(m)) return m;
  }
}

function randomId(): number {
  return crypto.getRandomValues(new Uint16Array(1))[0];
}

Deno.test("inetChecksum() is RFC 1071's: the RFC's own example sums to 0xddf2", () => {
  // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 adds up to ddf2; the checksum is its complement.
  const sample = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
  assertEquals(inetChecksum(sample), ~0xddf2 & 0xffff);
  const odd = new Uint8Array([0x01, 0x02, 0x03]); // the odd byte is padded with a zero
  assertEquals(inetChecksum(odd), ~(0x0102 + 0x0300) & 0xffff);
});

Deno.test("a raw ICMP echo request to 127.0.0.1 is answered by the kernel: id, sequence and payload come back, checksums verify", async () => {
  const h = await H();
  using s = socket(C.AF_INET, C.SOCK_RAW, "icmp");
  assertEquals([s.type, s.protocol], [C.SOCK_RAW, C.IPPROTO_ICMP]);
  const id = randomId();
  const seq = 1 + (randomId() % 1000);
  const payload = utf8(`bsdsock raw echo ${crypto.randomUUID()}`);
  const request = echoRequest(h, id, seq, payload);
  assertEquals(inetChecksum(request), 0, "a message carrying its own checksum sums to zero");
  assertEquals(await s.sendto(request, LOOPBACK4, 0, T), request.length);
  const seen: Icmp[] = [];
  const ours = (m: Icmp) => m.id === id && m.seq === seq;
  const reply = await nextIcmp(s, (m) => ours(m) && m.type === h.ICMP_ECHOREPLY, seen);
  assertEquals(reply.code, 0);
  assertEquals(reply.payload, payload);
  assert(reply.icmpSumOk, "the kernel's reply checksum verifies");
  assert(reply.ipSumOk, "the reply's IPv4 header checksum verifies");
  assertEquals([reply.src, reply.dst], ["127.0.0.1", "127.0.0.1"]);
  assertEquals(reply.from, { family: "inet", hostname: "127.0.0.1", port: 0 });
  // A raw socket also gets the incoming request itself, before ICMP answers it: our bytes, unchanged.
  const echoed = seen.find((m) => ours(m) && m.type === h.ICMP_ECHO);
  assert(echoed, "the raw socket saw our own request arrive on lo");
  assert(echoed.icmpSumOk);
  assertEquals(echoed.payload, payload);
});

function icmpInCsumErrors(): number {
  const lines = Deno.readTextFileSync("/proc/net/snmp").split("\n").filter((l) =>
    l.startsWith("Icmp:")
  );
  const [names, values] = lines.map((l) => l.split(/\s+/).slice(1));
  return Number(values[names.indexOf("InCsumErrors")]);
}

Deno.test("the kernel drops an echo request whose checksum is off by one bit; the same request with ours is answered", async () => {
  const h = await H();
  using s = socket(C.AF_INET, C.SOCK_RAW, C.IPPROTO_ICMP);
  const id = randomId();
  const payload = utf8("checksum check");
  const good = echoRequest(h, id, 1, payload);
  const right = new DataView(echoRequest(h, id, 2, payload).buffer).getUint16(2);
  const bad = echoRequest(h, id, 2, payload, right ^ 1);
  const errorsBefore = icmpInCsumErrors();
  const seen: Icmp[] = [];
  await s.sendto(bad, LOOPBACK4, 0, T);
  // The bad request reaches the host (raw sockets get it before ICMP checks it)…
  const arrived = await nextIcmp(s, (m) => m.id === id && m.seq === 2, seen);
  assertEquals(arrived.type, h.ICMP_ECHO);
  assertEquals(arrived.icmpSumOk, false);
  // …and by the time a good request sent after it has its answer, it has none.
  await s.sendto(good, LOOPBACK4, 0, T);
  await nextIcmp(s, (m) => m.id === id && m.seq === 1 && m.type === h.ICMP_ECHOREPLY, seen);
  const third = echoRequest(h, id, 3, payload);
  await s.sendto(third, LOOPBACK4, 0, T);
  await nextIcmp(s, (m) => m.id === id && m.seq === 3 && m.type === h.ICMP_ECHOREPLY, seen);
  const replies = seen.filter((m) => m.id === id && m.type === h.ICMP_ECHOREPLY).map((m) => m.seq);
  assertEquals(replies, [1, 3], "no reply to the request with the wrong checksum");
  assertGreater(icmpInCsumErrors(), errorsBefore, "the kernel counted an ICMP checksum error");
});

// ------------------------------------------------------------------ the error queue

function closedPort(family: "inet" | "inet6"): number {
  using s = socket(family === "inet" ? C.AF_INET : C.AF_INET6, C.SOCK_DGRAM);
  s.bind({ hostname: family === "inet" ? "127.0.0.1" : "::1", port: 0 });
  const a = s.getsockname();
  assert(a.family === family);
  return a.port;
}

/**
 * Blocks (at most `ms`) until `fd` has an error pending (EPOLLERR), through an
 * epoll instance of its own: nothing is read, so nothing is consumed.
 */
function waitForError(fd: number, ms = 2000): void {
  const ep = sys.epollCreate1(K.EPOLL_CLOEXEC);
  assert(ep >= 0, `epoll_create1: ${errnoName(errno())}`);
  try {
    const ev = new Uint8Array(K.EPOLL_EVENT_SIZE);
    new DataView(ev.buffer).setUint32(0, K.EPOLLERR, true);
    new DataView(ev.buffer).setUint32(4, fd, true);
    assertEquals(sys.epollCtl(ep, K.EPOLL_CTL_ADD, fd, ev), 0);
    const out = new Uint8Array(K.EPOLL_EVENT_SIZE);
    assertEquals(sys.epollWait(ep, out, 1, ms), 1, `no error on fd ${fd} within ${ms} ms`);
    assert(new DataView(out.buffer).getUint32(0, true) & K.EPOLLERR);
  } finally {
    sys.close(ep);
  }
}

interface PyRecverr {
  v4: Record<string, unknown>;
  v6: Record<string, unknown>;
  connectedRecv: Record<string, unknown>;
  connectedSoError: Record<string, unknown>;
}
let python: Promise<PyRecverr> | undefined;
function pythonSaw(): Promise<PyRecverr> {
  return python ??= pyJson<PyRecverr>("kernel_recverr.py");
}

async function errqueueCase(family: "inet" | "inet6"): Promise<Record<string, unknown>> {
  const h = await H();
  const v4 = family === "inet";
  const host = v4 ? "127.0.0.1" : "::1";
  using s = socket(v4 ? C.AF_INET : C.AF_INET6, C.SOCK_DGRAM);
  s.setsockopt(v4 ? "IPPROTO_IP" : "IPPROTO_IPV6", v4 ? "IP_RECVERR" : "IPV6_RECVERR", true);
  s.bind({ hostname: host, port: 0 });
  const buf = new Uint8Array(64);
  const errq = { flags: C.MSG_ERRQUEUE, ancillarySize: 512 };
  const empty = await outcomeAsync(() => s.recvmsg([buf], errq));
  const port = closedPort(family);
  const payload = utf8("recverr probe");
  await s.sendto(payload, { hostname: host, port }, 0, T);
  waitForError(s.fd);
  const r = await s.recvmsg([buf], errq);
  assertEquals(r.ancillary.length, 1, JSON.stringify(r.ancillary));
  const { level, type, data } = r.ancillary[0];
  const ee = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const offender = decodeSockAddr(data.subarray(h.SOCK_EXTENDED_ERR_SIZE));
  assert(offender.family === family);
  assert(r.addr?.family === family);
  return {
    empty,
    bytes: r.bytes,
    payload: new TextDecoder().decode(buf.subarray(0, r.bytes)),
    errqueueFlag: (r.flags & C.MSG_ERRQUEUE) !== 0,
    addr: [r.addr.hostname, r.addr.port === port],
    level,
    type,
    ee: [
      errnoName(ee.getUint32(h.EE_ERRNO_OFFSET, true)),
      data[h.EE_ORIGIN_OFFSET],
      data[h.EE_TYPE_OFFSET],
      data[h.EE_CODE_OFFSET],
      data[h.EE_CODE_OFFSET + 1], // ee_pad
      ee.getUint32(h.EE_INFO_OFFSET, true),
      ee.getUint32(h.EE_DATA_OFFSET, true),
    ],
    offender: [v4 ? C.AF_INET : C.AF_INET6, offender.hostname, offender.port],
    after: await outcomeAsync(() => s.recvmsg([buf], errq)),
    soError: s.getsockopt("SOL_SOCKET", "SO_ERROR"),
  };
}

Deno.test("MSG_ERRQUEUE never waits: an empty error queue fails with EAGAIN at once, even with a timeout and without SOCK_NONBLOCK", async () => {
  using s = socket(C.AF_INET, C.SOCK_DGRAM);
  s.setsockopt("IPPROTO_IP", "IP_RECVERR", true);
  s.bind(LOOPBACK4);
  const buf = new Uint8Array(16);
  const parks = reactor.stats.parks;
  const started = performance.now();
  const calls = [
    () => s.recvmsg([buf], { flags: C.MSG_ERRQUEUE, ancillarySize: 256, timeout: 5000 }),
    () => s.recvmsg([buf], { flags: C.MSG_ERRQUEUE }),
    () => s.recv(buf, C.MSG_ERRQUEUE, T),
    () => s.recvfrom(buf, C.MSG_ERRQUEUE, T),
  ];
  for (const call of calls) assertEquals(await outcomeAsync(call), "EAGAIN");
  assertLess(performance.now() - started, 1000, "no call waited for its timeout");
  assertEquals(reactor.stats.parks, parks, "no call parked on the reactor");
  assertEquals(reactor.waiting, 0);
});

Deno.test("IP_RECVERR: a datagram to a closed port of 127.0.0.1 queues ECONNREFUSED from ICMP type 3 code 3, with the offender and the original payload (as python3 sees it)", async () => {
  const h = await H();
  const ours = await errqueueCase("inet");
  assertEquals(ours.ee, [
    "ECONNREFUSED",
    C.SO_EE_ORIGIN_ICMP,
    h.ICMP_DEST_UNREACH,
    h.ICMP_PORT_UNREACH,
    0,
    0,
    0,
  ]);
  assertEquals([ours.level, ours.type], [C.SOL_IP, C.IP_RECVERR]);
  assertEquals(ours.offender, [C.AF_INET, "127.0.0.1", 0]);
  assertEquals([ours.empty, ours.after, ours.soError], ["EAGAIN", "EAGAIN", 0]);
  assertEquals(ours, (await pythonSaw()).v4);
});

Deno.test("IPV6_RECVERR: a datagram to a closed port of ::1 queues ECONNREFUSED from ICMPv6 type 1 code 4 (as python3 sees it)", async () => {
  const h = await H();
  const ours = await errqueueCase("inet6");
  assertEquals(ours.ee, [
    "ECONNREFUSED",
    C.SO_EE_ORIGIN_ICMP6,
    h.ICMP6_DST_UNREACH,
    h.ICMP6_DST_UNREACH_NOPORT,
    0,
    0,
    0,
  ]);
  assertEquals([ours.level, ours.type], [C.SOL_IPV6, C.IPV6_RECVERR]);
  assertEquals(ours, (await pythonSaw()).v6);
});

Deno.test("a connected UDP socket: a parked recv() is woken by the ICMP error and fails with ECONNREFUSED; the queue still holds the details (as python3 sees it)", async () => {
  using c = socket(C.AF_INET, C.SOCK_DGRAM);
  c.setsockopt("IPPROTO_IP", "IP_RECVERR", true);
  await c.connect({ hostname: "127.0.0.1", port: closedPort("inet") }, T);
  const buf = new Uint8Array(16);
  const parks = reactor.stats.parks;
  const started = performance.now();
  const parked = outcomeAsync(() => c.recv(buf, 0, T));
  assertEquals(reactor.stats.parks, parks + 1, "recv() parked before anything was sent");
  await c.send(utf8("x"), 0, T);
  const recv = await parked;
  assertLess(performance.now() - started, 2500, "woken by the error, not by the timeout");
  const soError = c.getsockopt("SOL_SOCKET", "SO_ERROR");
  const q = await c.recvmsg([buf], { flags: C.MSG_ERRQUEUE, ancillarySize: 256 });
  const ours = {
    recv,
    soError,
    queued: [
      new TextDecoder().decode(buf.subarray(0, q.bytes)),
      errnoName(new DataView(q.ancillary[0].data.buffer).getUint32(0, true)),
    ],
    after: await outcomeAsync(() =>
      c.recvmsg([buf], { flags: C.MSG_ERRQUEUE, ancillarySize: 256 })
    ),
    recvAgain: await outcomeAsync(() => c.recv(buf, 0, { timeout: 0 })),
  };
  assertEquals(ours.recv, "ECONNREFUSED");
  assertEquals(ours, (await pythonSaw()).connectedRecv);
});

Deno.test("a connected UDP socket without IP_RECVERR: SO_ERROR reports ECONNREFUSED once, and the next send() fails with it (as python3 sees it)", async () => {
  using c = socket(C.AF_INET, C.SOCK_DGRAM);
  await c.connect({ hostname: "127.0.0.1", port: closedPort("inet") }, T);
  await c.send(utf8("x"), 0, T);
  waitForError(c.fd);
  const soError = [c.getsockopt("SOL_SOCKET", "SO_ERROR"), c.getsockopt("SOL_SOCKET", "SO_ERROR")];
  await c.send(utf8("y"), 0, T);
  waitForError(c.fd);
  const sendAfter = [
    await outcomeAsync(() => c.send(utf8("z"), 0, T)),
    await outcomeAsync(() => c.recv(new Uint8Array(16), 0, { timeout: 0 })),
  ];
  assertEquals(soError, [ECONNREFUSED, 0]);
  assertEquals({ soError, sendAfter }, (await pythonSaw()).connectedSoError);
});

Deno.test("raw and error-queue tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("AF_PACKET: recvmsg() and recvmmsg() read captured frames (the kernel refuses MSG_CMSG_CLOEXEC there, so it is asked only on unix sockets)", async () => {
  // Cooked capture of every protocol on lo (ifindex 1), then a datagram to see.
  using p = socket(C.AF_PACKET, C.SOCK_DGRAM, 0x0300); // htons(ETH_P_ALL)
  p.bind({ family: "packet", protocol: 0x0003, ifindex: 1 });
  using u = socket(C.AF_INET, C.SOCK_DGRAM, 0);
  const mark = utf8("frame-" + Deno.pid);
  const seen = (b: Uint8Array, n: number) =>
    new TextDecoder().decode(b.subarray(0, n)).includes(`frame-${Deno.pid}`);
  await u.sendto(mark, { hostname: "127.0.0.1", port: 9 });
  let found = false;
  for (let i = 0; i < 50 && !found; i++) {
    const buf = new Uint8Array(2048);
    const r = await p.recvmsg([buf], { timeout: 2000 });
    assertEquals(r.addr?.family, "packet");
    found = seen(buf, r.bytes);
  }
  assert(found, "the datagram's frame came through recvmsg");
  await u.sendto(mark, { hostname: "127.0.0.1", port: 9 });
  found = false;
  const bufs = Array.from({ length: 8 }, () => new Uint8Array(2048));
  for (let i = 0; i < 50 && !found; i++) {
    const got = await p.recvmmsg(bufs, 0, { timeout: 2000 });
    found = got.some((m, j) => seen(bufs[j], m.bytes));
  }
  assert(found, "the datagram's frame came through recvmmsg");
});

Deno.test("descriptors: none left open by the raw/error-queue tests", fds.assertUnchanged);
