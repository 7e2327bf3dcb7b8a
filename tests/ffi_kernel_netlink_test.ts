/**
 * rtnetlink over an AF_NETLINK/SOCK_RAW/NETLINK_ROUTE socket: an RTM_GETLINK dump
 * built and parsed by hand (tests/fixtures/netlink.ts) lists the interfaces
 * `ip -o link` lists; the kernel-chosen port id of a bound netlink socket; an
 * NLMSG_ERROR; and the dump in a network namespace of its own (`unshare -n`).
 *
 * @module
 */
import { assert, assertEquals, assertGreater, assertNotEquals } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { ENODEV } from "../errno/mod.ts";
import { socket } from "./fixtures/ffi.ts";
import { sys } from "../socket/ffi/mod.ts";
import { compileC } from "./_c.ts";
import { fdLedger, safetyWakeups, throwsWith } from "./_helpers.ts";
import { lastJson, run, runFixture } from "./_kernel_helpers.ts";
import { dumpLinks, type Headers, type Link, linkRequest, messages } from "./fixtures/netlink.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first netlink test", fds.start);

const T = { timeout: 3000 };
const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;
const KERNEL = { family: "netlink", pid: 0, groups: 0 } as const;

let headers: Promise<Headers> | undefined;
function H(): Promise<Headers> {
  return headers ??= compileC("kernel_structs.c").then((out) => JSON.parse(out));
}

interface IpLink {
  index: number;
  name: string;
  up: boolean;
  loopback: boolean;
  mtu: number;
}

/** `ip -o link` output as index, name (without `@peer`), UP/LOOPBACK flags and mtu. */
function parseIpLink(text: string): IpLink[] {
  return text.trim().split("\n").map((line) => {
    const m = /^(\d+): ([^:@\s]+)(?:@\S+)?: <([^>]*)> mtu (\d+)/.exec(line);
    if (!m) throw new Error(`Unexpected ip -o link line: ${line}`);
    const flags = m[3].split(",");
    return {
      index: Number(m[1]),
      name: m[2],
      up: flags.includes("UP"),
      loopback: flags.includes("LOOPBACK"),
      mtu: Number(m[4]),
    };
  });
}

async function ipLink(): Promise<IpLink[]> {
  const r = await run("ip", ["-o", "link"], { timeout: 5000 });
  assertEquals(r.code, 0, r.stderr);
  return parseIpLink(r.stdout);
}

function asIp(l: Link): IpLink {
  return {
    index: l.index,
    name: l.name,
    up: (l.flags & IFF_UP) !== 0,
    loopback: (l.flags & IFF_LOOPBACK) !== 0,
    mtu: l.mtu,
  };
}

Deno.test("an RTM_GETLINK dump lists the interfaces `ip -o link` lists, lo among them", async () => {
  const h = await H();
  using s = socket(C.AF_NETLINK, C.SOCK_RAW, C.NETLINK_ROUTE);
  assertEquals([s.family, s.type, s.protocol], [C.AF_NETLINK, C.SOCK_RAW, C.NETLINK_ROUTE]);
  const before = await ipLink();
  const dump = await dumpLinks(h, s, 1);
  const after = await ipLink();
  const ours = dump.links.map(asIp).sort((a, b) => a.index - b.index);
  // Interfaces may come and go meanwhile: ours must lie between what ip saw before and after.
  const key = (l: IpLink) => JSON.stringify(l);
  const seen = new Set([...before, ...after].map(key));
  const stable = before.filter((l) => after.some((m) => key(m) === key(l)));
  for (const l of ours) assert(seen.has(key(l)), `ip did not list ${key(l)}: ${[...seen]}`);
  for (const l of stable) assert(ours.some((m) => key(m) === key(l)), `the dump lacks ${key(l)}`);
  const lo = ours.find((l) => l.name === "lo");
  assert(lo, "lo is in the dump");
  assert(lo.loopback, "lo has IFF_LOOPBACK");
  assertEquals(lo.index, sys.ifNameToIndex("lo"));
  // Every message but NLMSG_DONE is RTM_NEWLINK, each of a multipart reply from the kernel.
  const done = dump.replies[dump.replies.length - 1];
  assertEquals(done.type, h.NLMSG_DONE);
  for (const m of dump.replies) assert(m.flags & h.NLM_F_MULTI, "a multipart reply");
  assertEquals(dump.replies.length, dump.links.length + 1);
  for (const from of dump.senders) assertEquals(from, KERNEL);
});

Deno.test("bind() to {pid: 0, groups: 0} lets the kernel pick the port id: getsockname() reports it, /proc/net/netlink lists it, replies are addressed to it", async () => {
  const h = await H();
  using s = socket(C.AF_NETLINK, C.SOCK_RAW, C.NETLINK_ROUTE);
  s.bind({ family: "netlink", pid: 0, groups: 0 });
  const me = s.getsockname();
  assert(me.family === "netlink");
  assertNotEquals(me.pid, 0, "the kernel chose a port id");
  assertEquals(me.groups, 0);
  // sk Eth Pid Groups …: protocol NETLINK_ROUTE (0) and our port id (decimal).
  const rows = Deno.readTextFileSync("/proc/net/netlink").trim().split("\n").slice(1)
    .map((l) => l.trim().split(/\s+/));
  assert(
    rows.some((r) => Number(r[1]) === C.NETLINK_ROUTE && Number(r[2]) === me.pid),
    `/proc/net/netlink lists port ${me.pid}`,
  );
  const dump = await dumpLinks(h, s, 2);
  for (const m of dump.replies) assertEquals(m.pid, me.pid, "a reply addressed to our port id");
  using other = socket(C.AF_NETLINK, C.SOCK_RAW, C.NETLINK_ROUTE);
  other.bind({ family: "netlink", pid: 0, groups: 0 });
  const second = other.getsockname();
  assert(second.family === "netlink");
  assertNotEquals(second.pid, me.pid, "a second socket gets a port id of its own");
  using third = socket(C.AF_NETLINK, C.SOCK_RAW, C.NETLINK_ROUTE);
  const err = throwsWith(
    () => third.bind({ family: "netlink", pid: me.pid, groups: 0 }),
    "EADDRINUSE",
  );
  assertEquals(err.syscall, "bind");
});

Deno.test("RTM_GETLINK for an interface that does not exist is answered with NLMSG_ERROR carrying -ENODEV", async () => {
  const h = await H();
  using s = socket(C.AF_NETLINK, C.SOCK_RAW, C.NETLINK_ROUTE);
  const request = linkRequest(h, 3, h.NLM_F_REQUEST | h.NLM_F_ACK, 0x7ffffff0);
  await s.sendto(request, KERNEL, 0, T);
  const buf = new Uint8Array(8192);
  const n = await s.recv(buf, 0, T);
  const [reply] = messages(h, buf, n);
  assertEquals([reply.type, reply.seq], [h.NLMSG_ERROR, 3]);
  const body = new DataView(reply.body.buffer);
  assertEquals(body.getInt32(0, true), -ENODEV, "struct nlmsgerr's error is -ENODEV");
  // nlmsgerr.msg: the request's own header comes back.
  assertEquals([body.getUint16(8, true), body.getUint32(12, true)], [h.RTM_GETLINK, 3]);
});

const canUnshare = new Deno.Command("unshare", { args: ["-n", "true"], stderr: "null" })
  .outputSync().success;

Deno.test({
  name: "in a network namespace of its own (unshare -n), the dump finds lo alone, down, as ip does",
  ignore: !canUnshare, // needs CAP_SYS_ADMIN; a container without it cannot make one
  fn: async () => {
    const h = await H();
    const r = await runFixture("kernel_netns_links.ts", {
      wrapper: ["unshare", "-n", "sh", "-c", 'ip -o link >&2 && exec "$0" "$@"'],
      args: [JSON.stringify(h)],
    });
    const out = lastJson<{ links: Link[]; netns: string }>(r, "kernel_netns_links.ts");
    assertNotEquals(out.netns, Deno.readLinkSync("/proc/self/ns/net"), "another namespace");
    const ip = parseIpLink(r.stderr);
    assertEquals(out.links.map(asIp), ip);
    assertEquals(ip.map((l) => [l.name, l.up, l.loopback]), [["lo", false, true]]);
    assertGreater(out.links[0].mtu, 0);
  },
});

Deno.test("netlink tests needed no safety-net wakeup", async () => {
  assertEquals(await safetyWakeups(), 0);
});

Deno.test("descriptors: none left open by the netlink tests", fds.assertUnchanged);
