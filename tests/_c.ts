/**
 * Test helper: compiles one of tests/c/*.c with gcc into a temporary directory
 * and returns what it prints.
 *
 * @module
 */

const here = new URL("./c/", import.meta.url);

/** Compiles `tests/c/<name>` and returns the program's path (cached per process). */
export async function buildC(name: string, extra: string[] = []): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bsdsock-c-" });
  const exe = `${dir}/${name.replace(/\.c$/, "")}`;
  const src = new URL(name, here).pathname;
  const cc = await new Deno.Command("gcc", { args: ["-O2", "-Wall", "-o", exe, src, ...extra] })
    .output();
  if (!cc.success) throw new Error(`gcc ${name} failed:\n${new TextDecoder().decode(cc.stderr)}`);
  return exe;
}

/** Compiles and runs `tests/c/<name>`; returns its standard output. */
export async function compileC(name: string, args: string[] = []): Promise<string> {
  const exe = await buildC(name);
  try {
    const run = await new Deno.Command(exe, { args }).output();
    if (!run.success) throw new Error(`${name} exited with ${run.code}`);
    return new TextDecoder().decode(run.stdout);
  } finally {
    await Deno.remove(exe.slice(0, exe.lastIndexOf("/")), { recursive: true });
  }
}
