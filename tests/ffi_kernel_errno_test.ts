/**
 * The kernel's errno, unchanged: for a grid of (domain, type, protocol) triples,
 * for socketpair(), for calls made in the wrong state, and for addresses of the
 * wrong family, our outcome (success, or the errno) equals what python3 gets on
 * this machine for the same call (tests/py/kernel_errno.py, one subprocess).
 *
 * @module
 */
import { assert, assertEquals, assertGreater, assertInstanceOf } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { SocketError } from "../errno/mod.ts";
import { Socket } from "../mod.ts";
import { socket, socketpair } from "./fixtures/ffi.ts";
import { sys } from "../socket/ffi/mod.ts";
import { linuxSys } from "../socket/ffi/_libc.ts";
import { fdLedger, safetyWakeups, tcpListener, tcpPair, tempDir, utf8 } from "./_helpers.ts";
import { errnoOf, errnoOfAsync, outcomeName, pyJson } from "./_kernel_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first errno test", fds.start);

const T = { timeout: 5000 };
type Triple = [number, number, number | string];

const DOMAINS = [C.AF_INET, C.AF_INET6, C.AF_UNIX, C.AF_PACKET, C.AF_NETLINK, 9999, -1];
const TYPES = [
  C.SOCK_STREAM,
  C.SOCK_DGRAM,
  C.SOCK_SEQPACKET,
  C.SOCK_RAW,
  C.SOCK_RDM,
  C.SOCK_PACKET,
  99,
  -1,
];
const PROTOCOLS: (number | string)[] = [0, "tcp", "udp", "icmp", C.IPPROTO_RAW, -1];
/** Protocols and flags the cross product leaves out (names resolved through protocols(5) on both sides). */
const EXTRA: Triple[] = [
  [C.AF_INET, C.SOCK_STREAM, "sctp"],
  [C.AF_INET, C.SOCK_SEQPACKET, "sctp"],
  [C.AF_INET6, C.SOCK_STREAM, "sctp"],
  [C.AF_INET, C.SOCK_STREAM, C.IPPROTO_MPTCP],
  [C.AF_INET, C.SOCK_RAW, 256],
  [C.AF_INET6, C.SOCK_RAW, "ipv6-icmp"],
  [C.AF_INET6, C.SOCK_DGRAM, "ipv6-icmp"],
  [C.AF_PACKET, C.SOCK_RAW, 0x0300], // htons(ETH_P_ALL)
  [C.AF_NETLINK, C.SOCK_RAW, C.NETLINK_ROUTE],
  [C.AF_NETLINK, C.SOCK_DGRAM, C.NETLINK_GENERIC],
  [C.AF_NETLINK, C.SOCK_RAW, C.NETLINK_AUDIT],
  [C.AF_NETLINK, C.SOCK_STREAM, C.NETLINK_ROUTE],
  [C.AF_NETLINK, C.SOCK_RAW, 99999],
  [C.AF_INET, C.SOCK_STREAM | C.SOCK_NONBLOCK, "tcp"],
  [C.AF_INET, C.SOCK_DGRAM | C.SOCK_NONBLOCK | C.SOCK_CLOEXEC, "udp"],
  [C.AF_UNIX, C.SOCK_SEQPACKET | C.SOCK_CLOEXEC, 0],
  [C.AF_INET, 99 | C.SOCK_NONBLOCK, 0],
];
/**
 * 7 domains × 8 types × 6 protocols, then the extras. Where a triple holds -1,
 * python3's socket.socket() would read it as "the default" (AF_INET, SOCK_STREAM,
 * 0); kernel_errno.py asks libc's socket() through ctypes for those instead.
 */
const GRID: Triple[] = [
  ...DOMAINS.flatMap((d) => TYPES.flatMap((t) => PROTOCOLS.map((p): Triple => [d, t, p]))),
  ...EXTRA,
];

const PAIRS: Triple[] = [
  ...[C.SOCK_STREAM, C.SOCK_DGRAM, C.SOCK_SEQPACKET, C.SOCK_RAW, C.SOCK_RDM, 99].flatMap((
    t,
  ): Triple[] => [[C.AF_UNIX, t, 0], [C.AF_UNIX, t, 1]]),
  [C.AF_UNIX, C.SOCK_STREAM | C.SOCK_NONBLOCK, 0],
  [C.AF_INET, C.SOCK_STREAM, 0],
  [C.AF_INET, C.SOCK_DGRAM, "udp"],
  [C.AF_INET6, C.SOCK_STREAM, 0],
  [C.AF_NETLINK, C.SOCK_RAW, C.NETLINK_ROUTE],
  [C.AF_PACKET, C.SOCK_DGRAM, 0],
  [9999, C.SOCK_STREAM, 0],
];

interface PythonOutcomes {
  grid: number[];
  pairs: number[];
  states: Record<string, number>;
  families: Record<string, number>;
}
let python: Promise<PythonOutcomes> | undefined;
function pythonSaw(): Promise<PythonOutcomes> {
  return python ??= pyJson<PythonOutcomes>("kernel_errno.py", { grid: GRID, pairs: PAIRS });
}

function describe([d, t, p]: Triple): string {
  return `(${d}, ${t}, ${JSON.stringify(p)})`;
}

/** The entries where ours and python's differ, as readable lines. */
function differences(labels: string[], ours: number[], theirs: number[]): string[] {
  assertEquals(ours.length, theirs.length);
  return labels.flatMap((label, i) =>
    ours[i] === theirs[i]
      ? []
      : [`${label}: ours ${outcomeName(ours[i])}, python3 ${outcomeName(theirs[i])}`]
  );
}

Deno.test(`socket() gives python3's outcome for each of ${GRID.length} (domain, type, protocol) triples`, async () => {
  assertGreater(GRID.length, 40);
  const ours = GRID.map(([d, t, p]) => errnoOf(() => socket(d, t, p).close()));
  const theirs = (await pythonSaw()).grid;
  assertEquals(differences(GRID.map(describe), ours, theirs), []);
  // The grid is not one-sided: it has successes and each refusal the contract names.
  const seen = new Set(ours.map(outcomeName));
  for (const code of ["OK", "EAFNOSUPPORT", "ESOCKTNOSUPPORT", "EPROTONOSUPPORT", "EINVAL"]) {
    assert(seen.has(code), `the grid has a ${code}: ${[...seen]}`);
  }
});

Deno.test("socket() refusals are SocketErrors of syscall socket, as API.md lists them", () => {
  const cases: [Triple, string][] = [
    [[C.AF_INET, C.SOCK_SEQPACKET, 0], "ESOCKTNOSUPPORT"],
    [[C.AF_INET, C.SOCK_STREAM, C.IPPROTO_UDP], "EPROTONOSUPPORT"],
    [[9999, C.SOCK_STREAM, 0], "EAFNOSUPPORT"],
    [[C.AF_INET, 99, 0], "EINVAL"],
  ];
  for (const [[d, t, p], code] of cases) {
    let caught: unknown;
    try {
      socket(d, t, p).close();
    } catch (err) {
      caught = err;
    }
    assertInstanceOf(caught, SocketError, describe([d, t, p]));
    assertEquals([caught.code, caught.syscall], [code, "socket"]);
    assertEquals(
      caught.message.startsWith("socket: ") && caught.message.endsWith(`(${code})`),
      true,
    );
  }
});

Deno.test(`socketpair() gives python3's outcome for each of ${PAIRS.length} triples`, async () => {
  const ours = PAIRS.map(([d, t, p]) =>
    errnoOf(() => {
      const [a, b] = socketpair(d, t, p);
      a.close();
      b.close();
    })
  );
  const theirs = (await pythonSaw()).pairs;
  assertEquals(differences(PAIRS.map(describe), ours, theirs), []);
  assertEquals(outcomeName(ours[PAIRS.findIndex(([d]) => d === C.AF_INET)]), "EOPNOTSUPP");
});

function tcp(): Socket {
  return socket(C.AF_INET, C.SOCK_STREAM);
}
function udp(): Socket {
  return socket(C.AF_INET, C.SOCK_DGRAM);
}

function closedPort(): number {
  using s = tcp();
  s.bind({ hostname: "127.0.0.1", port: 0 });
  const a = s.getsockname();
  assert(a.family === "inet");
  return a.port;
}

/** The scenarios of kernel_errno.py's states(), by the same labels, each on fresh sockets. */
async function states(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const buf = new Uint8Array(1);
  const cases: [string, (() => unknown) | (() => Promise<unknown>)][] = [
    ["recv on an unconnected TCP socket", () => withSocket(tcp(), (s) => s.recv(buf, 0, T))],
    ["send on an unconnected TCP socket", () => withSocket(tcp(), (s) => s.send(utf8("x"), 0, T))],
    ["accept on a TCP socket that is not listening", () => withSocket(tcp(), (s) => s.accept(T))],
    ["getpeername on an unconnected TCP socket", () => withSocket(tcp(), (s) => s.getpeername())],
    [
      "shutdown of an unconnected TCP socket",
      () => withSocket(tcp(), (s) => s.shutdown(C.SHUT_RDWR)),
    ],
    [
      "setsockopt of an unknown SOL_SOCKET option",
      () => withSocket(tcp(), (s) => s.setsockopt(C.SOL_SOCKET, 9999, 1)),
    ],
    [
      "getsockopt of an unknown IPPROTO_TCP option",
      () => withSocket(tcp(), (s) => s.getsockopt(C.IPPROTO_TCP, 9999)),
    ],
    ["listen on a UDP socket", () => withSocket(udp(), (s) => s.listen())],
    ["accept on a UDP socket", () => withSocket(udp(), (s) => s.accept(T))],
    ["send on an unconnected UDP socket", () => withSocket(udp(), (s) => s.send(utf8("x"), 0, T))],
    ["bind of a bound socket", () =>
      withSocket(udp(), (s) => {
        s.bind({ hostname: "127.0.0.1", port: 0 });
        s.bind({ hostname: "127.0.0.1", port: 0 });
      })],
    ["recv on a listening TCP socket", () => withSocket(tcpListener(), (s) => s.recv(buf, 0, T))],
    [
      "connect of a listening TCP socket",
      () => withSocket(tcpListener(), (s) => s.connect({ hostname: "127.0.0.1", port: 9 }, T)),
    ],
    [
      "bind to a port in use",
      () => withSocket(tcpListener(), (l) => withSocket(tcp(), (s) => s.bind(l.getsockname()))),
    ],
    ["connect of a connected TCP socket", async () => {
      using pair = await tcpPair();
      await pair[0].connect(pair[1].getsockname(), T);
    }],
    // A call that may wait waits for urgent data (tests/ffi_stream_test.ts); one that may not gets the kernel's EINVAL.
    ["non-blocking recv MSG_OOB without urgent data", async () => {
      using pair = await tcpPair();
      await pair[0].recv(buf, C.MSG_OOB, { timeout: 0 });
    }],
    ["shutdown with an unknown how", async () => {
      using pair = await tcpPair();
      pair[0].shutdown(99);
    }],
    ["connect to a closed TCP port", async () => {
      const port = closedPort();
      await withSocket(tcp(), (s) => s.connect({ hostname: "127.0.0.1", port }, T));
    }],
    [
      "bind to an address this host does not have",
      () => withSocket(tcp(), (s) => s.bind({ hostname: "192.0.2.1", port: 0 })),
    ],
    [
      "listen on a unix datagram socket",
      () => withSocket(socket(C.AF_UNIX, C.SOCK_DGRAM), (s) => s.listen()),
    ],
    [
      "accept on a unix datagram socket",
      () => withSocket(socket(C.AF_UNIX, C.SOCK_DGRAM), (s) => s.accept(T)),
    ],
    [
      "connect of a unix socket to a missing path",
      () =>
        withSocket(
          socket(C.AF_UNIX, C.SOCK_STREAM),
          (s) => s.connect({ path: `${dir}/missing` }, T),
        ),
    ],
    [
      "bind of a unix socket to a path in use",
      () =>
        withSocket(socket(C.AF_UNIX, C.SOCK_STREAM), (taken) => {
          taken.bind({ path: `${dir}/taken` });
          return withSocket(
            socket(C.AF_UNIX, C.SOCK_STREAM),
            (s) => s.bind({ path: `${dir}/taken` }),
          );
        }),
    ],
    ["adopting a descriptor that is not a socket (an epoll instance)", () => {
      const ep = sys.epollCreate1(linuxSys.EPOLL_CLOEXEC);
      try {
        return Socket.fromFd(ep);
      } finally {
        sys.close(ep);
      }
    }],
  ];
  for (const [label, fn] of cases) out[label] = await errnoOfAsync(async () => await fn());
  return out;
}

/** Runs `fn` on `s` and closes `s` afterwards, whatever happens. */
async function withSocket<T>(s: Socket, fn: (s: Socket) => T | Promise<T>): Promise<T> {
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

Deno.test("calls in the wrong state fail with python3's errno (ENOTCONN, EOPNOTSUPP, EINVAL…)", async () => {
  using dir = tempDir();
  const ours = await states(dir.path);
  const theirs = (await pythonSaw()).states;
  assertEquals(Object.keys(ours), Object.keys(theirs), "the same scenarios on both sides");
  const labels = Object.keys(ours);
  assertEquals(differences(labels, Object.values(ours), Object.values(theirs)), []);
  const named = (label: string) => outcomeName(ours[label]);
  assertEquals(named("recv on an unconnected TCP socket"), "ENOTCONN");
  assertEquals(named("listen on a UDP socket"), "EOPNOTSUPP");
  assertEquals(named("accept on a TCP socket that is not listening"), "EINVAL");
  assertEquals(named("send on an unconnected TCP socket"), "EPIPE");
});

Deno.test("connect() of a connected TCP socket fails with EISCONN, for its peer's address or another (as a blocking python3 socket)", async () => {
  using a = tcpListener();
  using b = tcpListener();
  using c = tcp();
  await c.connect(a.getsockname());
  assertEquals(outcomeName(await errnoOfAsync(() => c.connect(a.getsockname()))), "EISCONN");
  assertEquals(outcomeName(await errnoOfAsync(() => c.connect(b.getsockname(), T))), "EISCONN");
  assertEquals(c.getpeername(), a.getsockname(), "still connected to the first listener");
});

Deno.test("an address of the wrong family reaches the kernel, which answers as it does python3 (EAFNOSUPPORT, EINVAL)", async () => {
  using dir = tempDir();
  const v6 = { family: "inet6", hostname: "::1", port: 9 } as const;
  const v4 = { family: "inet", hostname: "127.0.0.1", port: 9 } as const;
  const inet6 = () => socket(C.AF_INET6, C.SOCK_STREAM);
  const unix = () => socket(C.AF_UNIX, C.SOCK_STREAM);
  const netlink = () => socket(C.AF_NETLINK, C.SOCK_RAW, C.NETLINK_ROUTE);
  const cases: [string, () => Promise<unknown>][] = [
    ["bind an inet6 address on an AF_INET socket", () => withSocket(tcp(), (s) => s.bind(v6))],
    [
      "connect to an inet6 address from an AF_INET socket",
      () => withSocket(tcp(), (s) => s.connect(v6, T)),
    ],
    [
      "sendto an inet6 address from an AF_INET socket",
      () => withSocket(udp(), (s) => s.sendto(utf8("x"), v6, 0, T)),
    ],
    ["bind an inet address on an AF_INET6 socket", () => withSocket(inet6(), (s) => s.bind(v4))],
    [
      "connect to an inet address from an AF_INET6 socket",
      () => withSocket(inet6(), (s) => s.connect(v4, T)),
    ],
    [
      "bind a unix address on an AF_INET socket",
      () => withSocket(tcp(), (s) => s.bind({ family: "unix", path: `${dir.path}/u` })),
    ],
    [
      "bind a netlink address on an AF_INET socket",
      () => withSocket(tcp(), (s) => s.bind({ family: "netlink", pid: 0, groups: 0 })),
    ],
    [
      "connect to an inet address from a unix socket",
      () => withSocket(unix(), (s) => s.connect(v4, T)),
    ],
    ["bind an inet address on a netlink socket", () => withSocket(netlink(), (s) => s.bind(v4))],
  ];
  const ours: Record<string, number> = {};
  for (const [label, fn] of cases) ours[label] = await errnoOfAsync(fn);
  const theirs = (await pythonSaw()).families;
  assertEquals(Object.keys(ours), Object.keys(theirs), "the same scenarios on both sides");
  const labels = Object.keys(ours);
  assertEquals(differences(labels, Object.values(ours), Object.values(theirs)), []);
  assertEquals(outcomeName(ours["bind an inet6 address on an AF_INET socket"]), "EAFNOSUPPORT");
  assertEquals(outcomeName(ours["bind an inet address on an AF_INET6 socket"]), "EINVAL");
});

Deno.test("errno tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the errno tests", fds.assertUnchanged);
