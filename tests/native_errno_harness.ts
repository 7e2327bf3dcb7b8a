/**
 * The harness of the errno tables (tests/native_errno_test.ts,
 * tests/native_errno_dgram_test.ts): each call sequence runs on native
 * sockets here and on kernel sockets in python3
 * (tests/fixtures/native_errno.py, same case names), and the outcomes — `ok`,
 * the errno of the first failing call, or a value read back — must be equal.
 *
 * Where Linux fails at bind() and native at listen() (a port in use, an
 * address not local: native's bind only records the address), the sequence
 * is bind()+listen() on both sides; tests/native_connect_test.ts checks the step.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { errnoName, SocketError } from "../errno/mod.ts";
import type { SockAddr } from "../address/mod.ts";
import { NativeSocket } from "../socket/native/mod.ts";
import type { Socket } from "../socket/socket.ts";
import { nativeSocket, tempDir } from "./native_helpers.ts";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;
export const I: number = C.AF_INET;
export const I6: number = C.AF_INET6;
export const U: number = C.AF_UNIX;
export const ST: number = C.SOCK_STREAM;
export const DG: number = C.SOCK_DGRAM;
export const LONG = "/tmp/bsdsock-xxxxxxxxxxxxxxxxxxxxxxxx";

export type Outcome = "ok" | { errno: number } | { value: unknown };
export type Case = () => unknown;

export let opened: Socket[] = [];
export let scratch = "";

export function sock(domain = I, type = ST, protocol = 0): Socket {
  const s = nativeSocket(domain, type, protocol);
  opened.push(s);
  return s;
}

export function create(domain: number, type: number, protocol: number): void {
  NativeSocket.create(domain, type, protocol).close();
}

export const host = (domain: number): string => (domain === I ? "127.0.0.1" : "::1");

export function listener(domain = I): Socket {
  const s = sock(domain);
  s.bind({ hostname: host(domain), port: 0 });
  s.listen();
  return s;
}

export async function connected(domain = I): Promise<Socket> {
  const l = listener(domain);
  const c = sock(domain);
  await c.connect(l.getsockname());
  const [a] = await l.accept();
  opened.push(a);
  return c;
}

export async function pairTcp(): Promise<[Socket, Socket]> {
  const l = listener();
  const c = sock();
  await c.connect(l.getsockname());
  const [a] = await l.accept();
  opened.push(a);
  return [c, a];
}

export function udp(domain = I): Socket {
  const s = sock(domain, DG);
  s.bind({ hostname: host(domain), port: 0 });
  return s;
}

export function unixListener(name: string): SockAddr {
  const s = sock(U);
  const addr = { path: `${scratch}/${name}` };
  s.bind(addr);
  s.listen();
  return { family: "unix", ...addr };
}

export function deadPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

/** Non-blocking connect, wait, (SO_ERROR,) then two blocking connects, as the python side does. */
export async function nbTwice(to: () => SockAddr, soError: boolean): Promise<void> {
  const s = sock();
  const addr = to();
  const first = await s.connect(addr, { timeout: 0 }).catch((e) => e);
  assertEquals((first as SocketError).code, "EINPROGRESS");
  await new Promise((r) => setTimeout(r, 50));
  if (soError) s.getsockopt(C.SOL_SOCKET, C.SO_ERROR);
  await s.connect(addr);
  await s.connect(addr);
}

export const v6 = (hostname: string, port: number): SockAddr => ({
  family: "inet6",
  hostname,
  port,
});
export const v4 = (hostname: string, port: number): SockAddr => ({
  family: "inet",
  hostname,
  port,
});
export const un = (path: string): SockAddr => ({ family: "unix", path });
export const mreq = (group: string): { multiaddr: string; interface: string } => ({
  multiaddr: group,
  interface: "127.0.0.1",
});
export const mreq6 = (group: string): { multiaddr: string; ifindex: number } => ({
  multiaddr: group,
  ifindex: 0,
});
export const x = new Uint8Array([120]);

export function int(s: Socket, level: number, name: number): number {
  const b = s.getsockopt(level, name, 4) as Uint8Array;
  return new DataView(b.buffer, b.byteOffset).getInt32(0, true);
}

export function hex(b: unknown): string {
  return Array.from(b as Uint8Array, (v) => v.toString(16).padStart(2, "0")).join("");
}

async function run(name: string, fn: Case): Promise<Outcome> {
  try {
    const value = await fn();
    return name.startsWith("value:") ? { value } : "ok";
  } catch (err) {
    if (err instanceof SocketError) return { errno: err.errno };
    throw err;
  } finally {
    for (const s of opened) s.close();
    opened = [];
  }
}

function show(o: Outcome | undefined): string {
  if (o === undefined || o === "ok") return String(o);
  if ("errno" in o) return errnoName(o.errno) ?? String(o.errno);
  return JSON.stringify(o.value);
}

/**
 * Runs python3's table once and each of `cases` on the native backend, and
 * asserts every outcome equal; `covers` picks the python3 cases `cases` must
 * name. `SHOW_ERRNO_TABLE=1` prints the table.
 */
export async function compareWithKernel(
  cases: Record<string, Case>,
  covers: (name: string) => boolean,
): Promise<void> {
  using dir = tempDir();
  scratch = dir.path;
  Deno.writeTextFileSync(`${scratch}/file`, "");
  Deno.mkdirSync(`${scratch}/py`);
  const py = await new Deno.Command("python3", {
    args: [`${fixtures}native_errno.py`, `${scratch}/py`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(py.success, true, new TextDecoder().decode(py.stderr));
  const kernel: Record<string, Outcome> = JSON.parse(new TextDecoder().decode(py.stdout));
  assertEquals(
    Object.keys(cases).sort(),
    Object.keys(kernel).filter(covers).sort(),
    "this table and python3's name the same cases",
  );
  const mismatches: string[] = [];
  for (const [name, fn] of Object.entries(cases)) {
    if (!(name in kernel)) {
      mismatches.push(`${name}: not in tests/fixtures/native_errno.py`);
      continue;
    }
    const native = await run(name, fn);
    if (JSON.stringify(native) !== JSON.stringify(kernel[name])) {
      mismatches.push(`${name}: native ${show(native)}, kernel ${show(kernel[name])}`);
    }
  }
  assertEquals(mismatches, []);
  if (Deno.env.get("SHOW_ERRNO_TABLE")) {
    for (const name of Object.keys(cases)) console.log(`${name.padEnd(64)} ${show(kernel[name])}`);
  }
}
