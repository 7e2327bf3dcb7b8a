/**
 * Helpers of the Sockets API conformance tests (tests/wintertc_*_test.ts): the
 * python3 server (tests/py/wintertc_peer.py), a certificate authority and a
 * server certificate made with openssl, a child process of the runtime running
 * the tests (Deno here; Node or Bun when the npm build runs these files) that
 * trusts that authority through `DENO_CERT` / `NODE_EXTRA_CA_CERTS`, and a
 * look at whether a promise has settled.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { linux as C } from "../constants/mod.ts";
import { socket } from "../socket/create.ts";
import { python, type PythonPeer, tempDir } from "./_peers.ts";

/** What wintertc_peer.py says once a connection is set up. */
export interface Handshake {
  /** The TLS version (`"TLSv1.3"`), or `null` without TLS. */
  tls: string | null;
  /** The server name the client sent (SNI), or `null`. */
  sni: string | null;
  /** The ALPN protocol agreed, or `null`. */
  alpn: string | null;
  /** Instead of the three above: why the server's TLS handshake failed. */
  tls_error?: string;
}

/** A running wintertc_peer.py and its port. */
export interface WintertcPeer extends AsyncDisposable {
  /** The python3 peer (JSON lines). */
  readonly peer: PythonPeer;
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /** Waits for the next connection: its client address, then its handshake. */
  accepted(): Promise<{ client: [string, number]; handshake: Handshake }>;
  /** Sends a command and reads its answer. */
  ask<T = Record<string, unknown>>(op: string, fields?: Record<string, unknown>): Promise<T>;
}

/** The peer's modes: see tests/py/wintertc_peer.py. */
export type PeerMode = "plain" | "tls" | "starttls" | "stall" | "backlog";

/**
 * Starts wintertc_peer.py in `mode` for `conns` connections; `certs` for the TLS modes, and
 * `alpn` the protocols the server agrees to.
 */
export async function wintertcPeer(
  mode: PeerMode,
  options: { certs?: Certs; alpn?: string[]; conns?: number } = {},
): Promise<WintertcPeer> {
  const env: Record<string, string> = {};
  if (options.certs) {
    env.CERT = options.certs.cert;
    env.KEY = options.certs.key;
  }
  if (options.alpn) env.ALPN = options.alpn.join(",");
  const peer = python("wintertc_peer.py", [mode, String(options.conns ?? 1)], { env });
  try {
    const { port } = await peer.read<{ port: number }>();
    return {
      peer,
      port,
      async accepted() {
        const { peer: client } = await peer.read<{ peer: [string, number] }>();
        return { client, handshake: await peer.read<Handshake>() };
      },
      async ask<T>(op: string, fields: Record<string, unknown> = {}): Promise<T> {
        await peer.write({ op, ...fields });
        return await peer.read<T>();
      },
      [Symbol.asyncDispose]: () => peer[Symbol.asyncDispose](),
    };
  } catch (err) {
    await peer[Symbol.asyncDispose]();
    throw err;
  }
}

/** A test certificate authority and a server certificate it signed, in a directory `using` removes. */
export interface Certs extends Disposable {
  /** The authority's certificate (PEM): what a client must trust. */
  readonly ca: string;
  /** The server's certificate (PEM), for `localhost`, `alt.test` and `127.0.0.1`. */
  readonly cert: string;
  /** The server's private key (PEM). */
  readonly key: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/**
 * Makes a certificate authority (EC P-256, a day long) and a server certificate
 * it signs for `localhost`, `alt.test` and `127.0.0.1`, with openssl(1).
 */
export async function makeCerts(): Promise<Certs> {
  const dir = tempDir();
  try {
    const d = dir.path;
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    await openssl([
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "1",
      "-subj",
      "/CN=bsdsock test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign",
    ], d);
    await openssl([
      "req",
      ...ec,
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
      "-subj",
      "/CN=localhost",
    ], d);
    Deno.writeTextFileSync(
      `${d}/server.ext`,
      "subjectAltName=DNS:localhost,DNS:alt.test,IP:127.0.0.1\n" +
        "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    );
    await openssl([
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      "1",
      "-extfile",
      "server.ext",
    ], d);
    return {
      ca: `${d}/ca.pem`,
      cert: `${d}/server.pem`,
      key: `${d}/server.key`,
      [Symbol.dispose]: () => dir[Symbol.dispose](),
    };
  } catch (err) {
    dir[Symbol.dispose]();
    throw err;
  }
}

/** The runtime running the tests. */
export const runtime: "deno" | "node" | "bun" = (() => {
  const versions = process.versions as Record<string, string | undefined>;
  return versions.deno !== undefined ? "deno" : versions.bun !== undefined ? "bun" : "node";
})();

/** The Sockets API module as a URL a child can import: this checkout's, or the installed one. */
function moduleUrl(): string {
  if (runtime === "deno") return new URL("../wintertc/mod.ts", import.meta.url).href;
  return (import.meta as unknown as { resolve(s: string): string }).resolve(
    "@bsdsock/socket/wintertc",
  );
}

/** What a child run printed and how it ended. */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs JavaScript `source` (which imports `"@bsdsock/socket/wintertc"`) in a new process of
 * this runtime with `args` (`process.argv.slice(2)` on Node and Bun, `Deno.args` on Deno — a
 * child reads them through `globalThis.Deno?.args ?? process.argv.slice(2)`), trusting the
 * certificate authority `ca` when given, killed after `timeout` ms.
 */
export async function runChild(
  source: string,
  options: { args?: string[]; ca?: string; timeout?: number } = {},
): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), "bsdsock-wintertc-"));
  try {
    const main = join(dir, "main.mjs");
    writeFileSync(
      main,
      source.replaceAll('"@bsdsock/socket/wintertc"', JSON.stringify(moduleUrl())),
    );
    const root = new URL("..", import.meta.url).pathname;
    const argv = runtime === "deno"
      ? ["run", "-A", "--no-prompt", "--no-lock", `--config=${root}deno.json`, main]
      : [main];
    const env: Record<string, string> = {
      ...process.env as Record<string, string>,
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
    };
    delete env.DENO_CERT;
    delete env.NODE_EXTRA_CA_CERTS;
    if (options.ca) env[runtime === "deno" ? "DENO_CERT" : "NODE_EXTRA_CA_CERTS"] = options.ca;
    const child = spawn(process.execPath, [...argv, ...(options.args ?? [])], {
      stdio: ["ignore", "pipe", "pipe"],
      env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => stdout += d);
    child.stderr.on("data", (d) => stderr += d);
    const killer = setTimeout(() => child.kill("SIGKILL"), options.timeout ?? 15_000);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearTimeout(killer);
    return { code, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The JSON lines a child printed. */
export function jsonLines<T = Record<string, unknown>>(run: ChildRun): T[] {
  return run.stdout.split("\n").filter((l) => l.trim() !== "").map((l) => {
    try {
      return JSON.parse(l) as T;
    } catch {
      throw new Error(`The child printed ${JSON.stringify(l)}; stderr:\n${run.stderr}`);
    }
  });
}

/** How `promise` stands after `ms` milliseconds: `"pending"`, `"resolved"` or `"rejected"`. */
export async function stateAfter(
  promise: Promise<unknown>,
  ms = 50,
): Promise<"pending" | "resolved" | "rejected"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<"pending">((r) => timer = setTimeout(() => r("pending"), ms));
  try {
    return await Promise.race([
      promise.then(() => "resolved" as const, () => "rejected" as const),
      pending,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A loopback port where nothing listens (a socket is bound there, not listening, so no one
 * else takes it): the kernel answers a SYN with RST. `using` frees it.
 */
export function refusedPort(): { port: number } & Disposable {
  const s = socket(C.AF_INET, C.SOCK_STREAM, 0, { backend: "ffi" });
  s.bind({ hostname: "127.0.0.1", port: 0 });
  const { port } = s.getsockname() as { port: number };
  return { port, [Symbol.dispose]: () => s.close() };
}

/**
 * The client of the README's "Code written for Workers" section, word for word
 * (tests/wintertc_readme_test.ts holds the two together); a test runs it on
 * each runtime with the port of a python3 peer in place of 6379.
 */
export const README_CLIENT = `// ping.mjs: a Redis PING, as a Worker sends it
import { connect } from "@bsdsock/socket/wintertc"; // on Workers: "cloudflare:sockets"

const socket = connect({ hostname: "localhost", port: 6379 });
const writer = socket.writable.getWriter();
await writer.write("PING\\r\\n");
const reader = socket.readable.getReader();
const { value } = await reader.read();
console.log(new TextDecoder().decode(value)); // +PONG
await socket.close();
`;
