/**
 * Reads socket constants from the system headers with gcc: the part of `tools/gen_constants.ts`
 * that `tests/constants_headers_test.ts` repeats, so that both see the same names.
 *
 * 1. **Headers.** {@linkcode HEADERS}: glibc's socket headers, then the kernel's UAPI headers for
 *    what glibc does not carry (newer `IP_`/`IPV6_` options, netlink, packet, errqueue, vsock,
 *    CAN, RDS, MPTCP, netfilter's `SO_ORIGINAL_DST`). Headers that redefine glibc's structures
 *    (`linux/tcp.h`, `linux/udp.h`, `linux/un.h`) are left out.
 * 2. **Candidates.** Every object-like macro (`gcc -dM -E`) and every enumerator (the `enum { … }`
 *    bodies of `gcc -E`) whose name starts with one of {@linkcode PREFIXES} and `_`; plus, when
 *    given, other names (Python's). Function-like macros (`SO_EE_OFFENDER(ee)`) are not
 *    candidates.
 * 3. **Probe.** A candidate is kept only when `((NAME) | 0)` is an integer constant expression in
 *    a file that includes the headers; gcc's errors name the lines that are not (empty macros,
 *    strings, address-testing macros, names only mentioned), and those are dropped until the file
 *    compiles. `_Static_assert` makes gcc check each one at compile time.
 * 4. **Values.** A program printing `(long long)(NAME)` for every kept name is compiled and run;
 *    a value given by an expression (`SO_TIMESTAMP` picks `_OLD` or `_NEW` by `sizeof(time_t)`)
 *    is what it evaluates to on this machine.
 *
 * @module
 */

/** The name prefixes of the constants tables (each followed by `_`). */
export const PREFIXES = [
  "AF",
  "PF",
  "SOCK",
  "IPPROTO",
  "SOL",
  "SO",
  "TCP",
  "IP",
  "IPV6",
  "MSG",
  "SHUT",
  "SCM",
  "INADDR",
  "NETLINK",
  "UDP",
] as const;

/** One of {@linkcode PREFIXES}. */
export type Prefix = typeof PREFIXES[number];

/** The headers the Linux table is read from, in include order. */
export const HEADERS: readonly string[] = [
  "sys/socket.h",
  "sys/un.h",
  "netinet/in.h",
  "netinet/tcp.h",
  "netinet/udp.h",
  "linux/in.h",
  "linux/in6.h",
  "linux/netlink.h",
  "linux/if_packet.h",
  "linux/errqueue.h",
  "linux/net_tstamp.h",
  "linux/vm_sockets.h",
  "linux/can.h",
  "linux/can/raw.h",
  "linux/can/j1939.h",
  "linux/can/isotp.h",
  "linux/rds.h",
  "linux/tls.h",
  "linux/mptcp.h",
  "linux/netfilter_ipv4.h",
];

/** The prefix a name belongs to, or `undefined`. */
export function prefixOf(name: string): Prefix | undefined {
  return PREFIXES.find((p) => name.startsWith(`${p}_`) && name.length > p.length + 1);
}

/** What {@linkcode probeHeaders} read. */
export interface HeaderProbe {
  /** Every kept name and its value on this machine, sorted by name. */
  values: Map<string, number>;
  /** Candidates that are not integer constant expressions here, sorted. */
  dropped: string[];
  /** `gnu_get_libc_version()`. */
  glibc: string;
  /** `gcc -dumpfullversion`. */
  gcc: string;
  /** The kernel UAPI headers' `LINUX_VERSION_CODE` as `major.minor.patch`. */
  uapi: string;
}

const decoder = new TextDecoder();

async function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { LC_ALL: "C" },
  }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${decoder.decode(out.stderr)}`);
  }
  return decoder.decode(out.stdout);
}

/** The include lines of {@linkcode HEADERS}, after `_GNU_SOURCE`. */
export function includeLines(): string[] {
  return ["#define _GNU_SOURCE 1", ...HEADERS.map((h) => `#include <${h}>`)];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Object-like macro names with our prefixes, from `gcc -dM -E`. */
export function macroNames(dump: string): string[] {
  const names: string[] = [];
  for (const line of dump.split("\n")) {
    const m = /^#define ([A-Za-z_][A-Za-z0-9_]*)(\(?)/.exec(line);
    if (m && m[2] === "" && prefixOf(m[1])) names.push(m[1]);
  }
  return names;
}

/** Enumerator names with our prefixes, from the `enum … { … }` bodies of `gcc -E` output. */
export function enumNames(preprocessed: string): string[] {
  const text = preprocessed.replace(/^#.*$/gm, "");
  const names: string[] = [];
  for (const m of text.matchAll(/\benum\b\s*[A-Za-z_0-9]*\s*\{([^}]*)\}/g)) {
    for (const item of m[1].split(",")) {
      const name = item.split("=")[0].trim();
      if (NAME.test(name) && prefixOf(name)) names.push(name);
    }
  }
  return names;
}

/** Drops, in rounds, every name gcc does not accept as an integer constant expression. */
async function keepIntegers(dir: string, names: string[]): Promise<string[]> {
  let kept = [...names];
  for (let round = 0; round < 8; round++) {
    const head = includeLines();
    const src = [...head, ...kept.map((n) => `_Static_assert(((${n}) | 0) || 1, "${n}");`), ""];
    await Deno.writeTextFile(`${dir}/probe.c`, src.join("\n"));
    const out = await new Deno.Command("gcc", {
      args: ["-fsyntax-only", "-w", "-fmax-errors=0", "probe.c"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      env: { LC_ALL: "C" },
    }).output();
    if (out.success) return kept;
    const bad = new Set<number>();
    for (const m of decoder.decode(out.stderr).matchAll(/^probe\.c:(\d+):\d+: error/gm)) {
      const index = Number(m[1]) - 1 - head.length;
      if (index >= 0 && index < kept.length) bad.add(index);
    }
    if (bad.size === 0) {
      throw new Error(`gcc rejected the headers themselves:\n${decoder.decode(out.stderr)}`);
    }
    kept = kept.filter((_, i) => !bad.has(i));
  }
  throw new Error("the integer probe did not settle");
}

/**
 * Reads every constant with our prefixes from {@linkcode HEADERS}, plus the `extra` names where
 * the headers define them (see the module doc for the steps).
 */
export async function probeHeaders(extra: Iterable<string> = []): Promise<HeaderProbe> {
  const dir = await Deno.makeTempDir({ prefix: "bsdsock-constants-" });
  try {
    await Deno.writeTextFile(`${dir}/headers.c`, includeLines().join("\n") + "\n");
    const macros = macroNames(await run("gcc", ["-dM", "-E", "headers.c"], dir));
    const enums = enumNames(await run("gcc", ["-E", "headers.c"], dir));
    const candidates = [...new Set([...macros, ...enums, ...extra])].sort();
    const kept = await keepIntegers(dir, candidates);
    const keptSet = new Set(kept);
    const program = [
      ...includeLines(),
      "#include <stdio.h>",
      "#include <gnu/libc-version.h>",
      "#include <linux/version.h>",
      "int main(void) {",
      '  printf("glibc %s\\n", gnu_get_libc_version());',
      '  printf("uapi %d.%d.%d\\n", LINUX_VERSION_CODE >> 16, (LINUX_VERSION_CODE >> 8) & 255,',
      "    LINUX_VERSION_CODE & 255);",
      ...kept.map((n) => `  printf("%s %lld\\n", "${n}", (long long)(${n}));`),
      "  return 0;",
      "}",
      "",
    ];
    await Deno.writeTextFile(`${dir}/print.c`, program.join("\n"));
    await run("gcc", ["-w", "-o", "print", "print.c"], dir);
    const values = new Map<string, number>();
    let glibc = "";
    let uapi = "";
    for (const line of (await run(`${dir}/print`, [], dir)).trimEnd().split("\n")) {
      const [name, value] = line.split(" ");
      if (name === "glibc") glibc = value;
      else if (name === "uapi") uapi = value;
      else values.set(name, Number(value));
    }
    const gcc = (await run("gcc", ["-dumpfullversion"])).trim();
    const dropped = candidates.filter((n) => !keptSet.has(n));
    return { values, dropped, glibc, gcc, uapi };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Python 3's `socket` module names with our prefixes, and their values, read from `python3`. */
export async function pythonConstants(): Promise<Map<string, number>> {
  const script = [
    "import json, socket",
    `p = tuple(x + "_" for x in ${JSON.stringify(PREFIXES)})`,
    "print(json.dumps({n: int(getattr(socket, n)) for n in dir(socket) if n.startswith(p)}))",
  ].join("\n");
  const out = await run("python3", ["-c", script]);
  return new Map(Object.entries(JSON.parse(out) as Record<string, number>));
}
