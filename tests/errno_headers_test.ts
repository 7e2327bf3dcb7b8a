/**
 * `errno/linux.ts` against this machine: a C program compiled here prints every `E*` macro of
 * `<errno.h>` with its value and glibc's `strerror()`, and every name, number, text and alias is
 * compared in both directions. `errno/gai_linux.ts` likewise, against the `EAI_*` macros of
 * `<netdb.h>` and `gai_strerror()`.
 */
import { assert, assertEquals } from "@std/assert";
import { gaiLinux } from "../errno/gai_linux.ts";
import { linux } from "../errno/linux.ts";
import type { ErrnoTable } from "../errno/types.ts";

function fdCount(): number {
  return Array.from(Deno.readDirSync("/proc/self/fd")).length;
}

async function run(cmd: string, args: string[], stdin?: string): Promise<string> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { LC_ALL: "C" },
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const { success, stdout, stderr } = await child.output();
  const text = new TextDecoder();
  assert(success, `${cmd} failed: ${text.decode(stderr)}`);
  return text.decode(stdout);
}

Deno.test({
  name: "linux.ts holds exactly the names, numbers and texts of <errno.h> and glibc",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const fds = fdCount();
    const prelude = "#define _GNU_SOURCE\n#include <errno.h>\n";
    const definitions = new Map<string, string>();
    for (const line of (await run("gcc", ["-E", "-dM", "-x", "c", "-"], prelude)).split("\n")) {
      const m = line.match(/^#define (E[A-Z0-9]+) (\S+)$/);
      if (m) definitions.set(m[1], m[2]);
    }
    assert(definitions.size > 100, `only ${definitions.size} E* macros found`);

    const dir = await Deno.makeTempDir({ prefix: "errno_headers_test_" });
    try {
      const program = `${prelude}#include <stdio.h>\n#include <string.h>\nint main(void) {\n${
        [...definitions.keys()]
          .map((n) => `  printf("%s %d %s\\n", "${n}", ${n}, strerror(${n}));\n`)
          .join("")
      }  return 0;\n}\n`;
      await Deno.writeTextFile(`${dir}/probe.c`, program);
      await run("gcc", ["-o", `${dir}/probe`, `${dir}/probe.c`]);
      const output = await run(`${dir}/probe`, []);

      const system = new Map<string, { errno: number; strerror: string }>();
      for (const line of output.trimEnd().split("\n")) {
        const [, name, value, text] = line.match(/^(\S+) (-?\d+) (.*)$/)!;
        system.set(name, { errno: Number(value), strerror: text });
      }
      const table: ErrnoTable = linux;

      let aliases = 0;
      for (const [name, sys] of system) {
        assert(Object.hasOwn(table, name), `${name} (${sys.errno}) is missing from linux.ts`);
        assertEquals(table[name].errno, sys.errno, `${name}: number`);
        assertEquals(table[name].strerror, sys.strerror, `${name}: strerror`);
        // An alias is a macro defined as another E* name; resolve chains of them.
        let target = name;
        while (/^E[A-Z0-9]+$/.test(definitions.get(target) ?? "")) {
          target = definitions.get(target)!;
        }
        assertEquals(table[name].aliasOf, target === name ? undefined : target, `${name}: alias`);
        if (target !== name) aliases++;
      }
      for (const name of Object.keys(table)) {
        assert(system.has(name), `${name} is in linux.ts but not in <errno.h>`);
      }
      assertEquals(Object.keys(table).length, system.size);
      console.log(
        `compared ${system.size} names (${system.size - aliases} numbers, ${aliases} aliases) ` +
          `with <errno.h> and strerror(): all equal both ways`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    assertEquals(fdCount(), fds, "descriptors leaked");
  },
});

Deno.test({
  name: "gai_linux.ts holds exactly the EAI_* names, numbers and texts of <netdb.h> and glibc",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const fds = fdCount();
    const prelude = "#define _GNU_SOURCE\n#include <netdb.h>\n";
    const names: string[] = [];
    for (const line of (await run("gcc", ["-E", "-dM", "-x", "c", "-"], prelude)).split("\n")) {
      const m = line.match(/^#define (EAI_[A-Z0-9_]+) (\S+)$/);
      if (m) names.push(m[1]);
    }
    assert(names.includes("EAI_NONAME"), `EAI_NONAME not among ${names.length} EAI_* macros`);

    const dir = await Deno.makeTempDir({ prefix: "errno_headers_test_" });
    try {
      const program = `${prelude}#include <stdio.h>\nint main(void) {\n${
        names.map((n) => `  printf("%s %d %s\\n", "${n}", ${n}, gai_strerror(${n}));\n`).join("")
      }  return 0;\n}\n`;
      await Deno.writeTextFile(`${dir}/probe.c`, program);
      await run("gcc", ["-o", `${dir}/probe`, `${dir}/probe.c`]);
      const system: Record<string, { errno: number; strerror: string }> = {};
      for (const line of (await run(`${dir}/probe`, [])).trimEnd().split("\n")) {
        const [, name, value, text] = line.match(/^(\S+) (-?\d+) (.*)$/)!;
        system[name] = { errno: Number(value), strerror: text };
      }
      assertEquals({ ...gaiLinux }, system);
      console.log(`compared ${names.length} EAI_* names with <netdb.h> and gai_strerror(): equal`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    assertEquals(fdCount(), fds, "descriptors leaked");
  },
});
