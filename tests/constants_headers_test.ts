/**
 * The Linux constants table against this machine: the system headers (through gcc) and Python's
 * `socket` module, and protocols(5) against `/etc/protocols`.
 *
 * The names are found independently of `tools/gen_constants.ts`: every identifier with one of the
 * prefixes anywhere in the text of every header gcc reads for the list in
 * `tools/_constants_probe.ts` (comments and macro bodies included). They then go through the same
 * filter and the same printing program as the generator's (`probeHeaders`): kept when gcc accepts
 * them as integer constant expressions, valued by what a compiled program prints.
 */
import { assert, assertEquals } from "@std/assert";
import { linux } from "../constants/linux.ts";
import { getprotobyname, getprotobynumber, parseProtocols } from "../constants/protocols.ts";
import { BUILT_IN_PROTOCOLS } from "../constants/_protocols_builtin.ts";
import {
  includeLines,
  PREFIXES,
  probeHeaders,
  pythonConstants,
} from "../tools/_constants_probe.ts";

const fdsBefore = [...Deno.readDirSync("/proc/self/fd")].length;
const table: Record<string, number> = linux;

/** Every file gcc reads for the header list, from its dependency output (`gcc -M`). */
async function headerFiles(): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "bsdsock-headers-" });
  try {
    await Deno.writeTextFile(`${dir}/h.c`, includeLines().join("\n") + "\n");
    const out = await new Deno.Command("gcc", { args: ["-M", "h.c"], cwd: dir }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
    const deps = new TextDecoder().decode(out.stdout).replace(/\\\n/g, " ").split(/\s+/);
    return deps.filter((f) => f.endsWith(".h"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every identifier with one of our prefixes in the text of `files`. */
async function namesInText(files: string[]): Promise<Set<string>> {
  const re = new RegExp(`\\b(?:${PREFIXES.join("|")})_[A-Za-z0-9_]+\\b`, "g");
  const names = new Set<string>();
  for (const file of files) {
    for (const m of (await Deno.readTextFile(file)).matchAll(re)) names.add(m[0]);
  }
  return names;
}

const files = await headerFiles();
const textual = await namesInText(files);
const python = await pythonConstants();
const probe = await probeHeaders(textual);
const headerNames = [...probe.values.keys()];
const tableNames = Object.keys(table);

Deno.test(
  `every one of the ${tableNames.length} names of linux.ts has the value the headers give`,
  () => {
    const wrong = tableNames
      .filter((n) => probe.values.get(n) !== table[n])
      .map((n) => `${n}: table ${table[n]}, headers ${probe.values.get(n) ?? "(not defined)"}`);
    assertEquals(wrong, [], `of ${tableNames.length} names`);
  },
);

Deno.test(
  `every one of the ${headerNames.length} integer constants with our prefixes in the ` +
    `${files.length} headers (of ${textual.size} such names in their text) is in linux.ts`,
  () => {
    const missing = headerNames.filter((n) => !Object.hasOwn(table, n));
    assertEquals(missing, [], `of ${headerNames.length} header constants`);
    assertEquals(headerNames.length, tableNames.length);
  },
);

Deno.test(
  `every one of Python's ${python.size} socket module names with our prefixes is in linux.ts ` +
    `with Python's value`,
  () => {
    const wrong = [...python]
      .filter(([n, v]) => table[n] !== v)
      .map(([n, v]) => `${n}: python ${v}, table ${table[n] ?? "(missing)"}`);
    assertEquals(wrong, [], `of ${python.size} Python names`);
    assert(python.size >= 200, `only ${python.size} names from Python`);
  },
);

Deno.test("with read permission the protocol lookups use /etc/protocols", async () => {
  const path = "/etc/protocols";
  const status = await Deno.permissions.query({ name: "read", path });
  assertEquals(status.state, "granted");
  const text = await Deno.readTextFile(path);
  const fromFile = parseProtocols(text);
  assert(fromFile.length > 10, `${fromFile.length} entries in ${path}`);
  for (const entry of fromFile) {
    const first = fromFile.find((e) => e.name === entry.name || e.aliases.includes(entry.name))!;
    assertEquals(getprotobyname(entry.name), first, entry.name);
    if (entry.number <= 255) {
      assertEquals(getprotobynumber(entry.number), fromFile.find((e) => e.number === entry.number));
    }
  }
});

Deno.test("the built-in protocols table is a part of this machine's /etc/protocols", async () => {
  const fromFile = parseProtocols(await Deno.readTextFile("/etc/protocols"));
  for (const entry of parseProtocols(BUILT_IN_PROTOCOLS)) {
    assertEquals(fromFile.find((e) => e.name === entry.name), entry, entry.name);
  }
});

Deno.test("the tests leave no descriptor open", () => {
  assertEquals([...Deno.readDirSync("/proc/self/fd")].length, fdsBefore);
});
