/**
 * The Node and Bun runs: packs npm/dist with `npm pack`, installs the tarball and koffi (the
 * version the repository pins) into a scratch project, compiles the pure unit tests, the
 * integration suites of npm/_suites.ts and npm/_smoke.ts so that they import that installed copy,
 * and runs them with `node --test` and with `bun test` (the repository's pinned Bun).
 *
 * Scratch project layout:
 *
 * ```
 * <tmp>/package.json                       { "type": "module" } (+ what npm install adds)
 * <tmp>/node_modules/@bsdsock/socket/      the tarball's contents
 * <tmp>/node_modules/koffi/                the ffi backend's loader on Node
 * <tmp>/test/<repo path>.js                each test file, tests/_assert.ts, npm/test_shim.ts…
 * <tmp>/test/tests/py/, test/tests/c/      the python3 peers and C programs the suites run
 * ```
 *
 * A test's import of a library file (`./lookup.ts`) becomes a relative import of the installed
 * package's file (`../node_modules/@bsdsock/socket/constants/lookup.js`); `@std/assert` becomes
 * the compiled tests/_assert.ts; each file that names `Deno` gets the shim's `Deno` as a local.
 *
 * @module
 */
import ts from "typescript";
import { dirname, join, relative, resolve } from "node:path";
import { type DenoJson, isIgnored, isLibraryPath, pureTestSet, ROOT } from "./_config.ts";
import { ALL_TESTS, EXCLUDED } from "./_exclusions.ts";
import { rewriteSpecifiers } from "./_specifiers.ts";
import { formatDiagnostics } from "./_compile.ts";

/** Where the package `name` is installed inside the scratch project. */
export function installedAt(name: string): string {
  return join("node_modules", ...name.split("/"));
}

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed:\n${text}${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return text;
}

/** koffi as the repository pins it (package.json's devDependencies): `koffi@3.3.4`. */
export function koffiSpec(): string {
  const manifest = JSON.parse(Deno.readTextFileSync(join(ROOT, "package.json"))) as {
    devDependencies?: Record<string, string>;
  };
  const version = manifest.devDependencies?.koffi;
  if (!version) throw new Error("package.json pins no koffi in devDependencies");
  return `koffi@${version}`;
}

/** The repository's Bun (a devDependency), or `undefined` when it is not installed. */
export function bunPath(): string | undefined {
  const path = join(ROOT, "node_modules", ".bin", "bun");
  try {
    Deno.statSync(path);
    return path;
  } catch {
    return undefined;
  }
}

/**
 * `npm pack`s `dist` into `project` and installs the tarball there, with `beside` packages
 * (koffi) beside it, as a user would (`npm install <tarball> koffi`), from npm's cache when it can.
 * Fails unless the tarball holds exactly the files of `dist`.
 *
 * @returns The tarball's path and its file list.
 */
export async function packAndInstall(
  name: string,
  dist: string,
  project: string,
  expected: readonly string[],
  beside: readonly string[] = [],
): Promise<{ tarball: string; files: string[] }> {
  const json = await run("npm", [
    "pack",
    dist,
    "--json",
    "--pack-destination",
    project,
    "--ignore-scripts",
    "--offline",
    "--no-fund",
    "--no-audit",
  ], project);
  const [info] = JSON.parse(json.slice(json.indexOf("["))) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(project, info.filename);
  const files = info.files.map((f) => f.path).sort();
  const want = [...expected].sort();
  const missing = want.filter((f) => !files.includes(f));
  const extra = files.filter((f) => !want.includes(f));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `npm pack did not pack npm/dist as it is: missing ${missing.join(", ") || "none"}, ` +
        `extra ${extra.join(", ") || "none"}`,
    );
  }
  await run("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--prefer-offline",
    "--ignore-scripts",
    "--no-package-lock",
    tarball,
    ...beside,
  ], project);
  try {
    await Deno.stat(join(project, installedAt(name), "package.json"));
  } catch {
    throw new Error(`npm install did not install ${name} into ${project}`);
  }
  return { tarball, files };
}

/** Lists the test files `deno task test:pure` runs (repository paths), sorted. */
export async function pureTestFiles(json: DenoJson): Promise<string[]> {
  const { roots, ignore } = pureTestSet(json);
  const out: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(join(ROOT, dir))) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory) {
        if (!isIgnored(`${path}/`, ignore)) await walk(path);
      } else if (entry.isFile && path.endsWith("_test.ts") && !isIgnored(path, ignore)) {
        out.push(path);
      }
    }
  };
  for (const root of roots) {
    if (root.endsWith(".ts")) {
      if (!isIgnored(root, ignore)) out.push(root);
    } else {
      await walk(root.replace(/\/$/, ""));
    }
  }
  return [...new Set(out)].sort();
}

/** Copies the non-TypeScript files the integration tests run (tests/py, tests/c) beside them. */
export async function copyTestAssets(project: string): Promise<void> {
  for (const dir of ["tests/py", "tests/c"]) {
    await run("cp", ["-r", join(ROOT, dir), join(project, "test", "tests")], project);
  }
}

/** The names of a file's tests written as template literals (`\`[${backend}] …\``), as patterns. */
function templateNames(source: string): RegExp[] {
  return [...source.matchAll(/Deno\.test\(\s*`([^`]*)`/g)].map(([, t]) =>
    new RegExp(
      "^" + t.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".+") +
        "$",
    )
  );
}

/** Fails on an entry of npm/_exclusions.ts whose file is not run or whose test no longer exists. */
export async function checkExclusions(testFiles: readonly string[]): Promise<number> {
  const stale: string[] = [];
  let count = 0;
  for (const [file, tests] of Object.entries(EXCLUDED)) {
    if (!testFiles.includes(file)) {
      stale.push(`${file} (not among the tests run)`);
      continue;
    }
    const source = await Deno.readTextFile(join(ROOT, file));
    for (const name of Object.keys(tests)) {
      count++;
      if (name === ALL_TESTS) continue;
      const quoted = [JSON.stringify(name), `'${name}'`, `\`${name}\``];
      if (
        !quoted.some((q) => source.includes(q)) && !templateNames(source).some((t) => t.test(name))
      ) {
        stale.push(`${file}: "${name}"`);
      }
    }
  }
  if (stale.length > 0) {
    throw new Error(`npm/_exclusions.ts names tests that do not exist:\n  ${stale.join("\n  ")}`);
  }
  return count;
}

const toPosix = (p: string) => p.split("\\").join("/");
const dotted = (p: string) => (p.startsWith(".") ? p : `./${p}`);

/**
 * Compiles `entries` (repository paths: the test files, npm/_smoke.ts) and every file they import
 * that the package does not hold into `<project>/test/`, each import of a file the package holds
 * pointing into the installed package.
 *
 * @returns The compiled paths of `entries`, relative to `project`.
 */
export async function compileTests(
  json: DenoJson,
  project: string,
  entries: readonly string[],
  packaged: ReadonlySet<string>,
): Promise<string[]> {
  const testDir = join(project, "test");
  const pkgDir = join(project, installedAt(json.name));
  const outOf = (path: string) => join(testDir, path.replace(/\.ts$/, ".js"));
  const shim = "npm/test_shim.ts";
  const queue = [...entries, shim];
  const seen = new Set(queue);
  const problems: string[] = [];
  const imports = json.imports ?? {};

  const map = (from: string) => (spec: string, _file: string): string => {
    const fromOut = dirname(outOf(from));
    let target: string | undefined;
    if (spec in imports && imports[spec].startsWith(".")) {
      target = relative(ROOT, resolve(ROOT, imports[spec]));
    } else if (/^\.\.?\//.test(spec)) {
      target = relative(ROOT, resolve(ROOT, dirname(from), spec));
    } else if (
      spec.startsWith("node:") || spec === json.name || spec.startsWith(`${json.name}/`)
    ) {
      return spec;
    } else {
      problems.push(`${from}: cannot resolve "${spec}" for Node`);
      return spec;
    }
    target = toPosix(target);
    if (isLibraryPath(target)) {
      const js = target.replace(/\.ts$/, ".js");
      // A library file no export reaches (a barrel such as socket/native/mod.ts) is compiled
      // beside the tests, its own imports pointing into the package like theirs.
      if (packaged.has(js)) return dotted(toPosix(relative(fromOut, join(pkgDir, js))));
    }
    if (!seen.has(target)) {
      seen.add(target);
      queue.push(target);
    }
    return dotted(toPosix(relative(fromOut, outOf(target))));
  };

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    inlineSourceMap: true,
    inlineSources: true,
    newLine: ts.NewLineKind.LineFeed,
  };
  const writes: Promise<void>[] = [];
  while (queue.length > 0) {
    const path = queue.shift()!;
    const source = await Deno.readTextFile(join(ROOT, path));
    const result = ts.transpileModule(source, {
      compilerOptions: options,
      fileName: join(ROOT, path),
      reportDiagnostics: true,
      transformers: {
        after: [rewriteSpecifiers(map(path)) as ts.TransformerFactory<ts.SourceFile>],
      },
    });
    if (result.diagnostics?.length) problems.push(formatDiagnostics(result.diagnostics));
    let text = result.outputText;
    if (!path.startsWith("npm/") && /\bDeno\b/.test(source)) {
      // One line, prepended to the first: the source map's line numbers stay right.
      const shimPath = dotted(toPosix(relative(dirname(outOf(path)), outOf(shim))));
      text = `import { denoFor as __denoFor } from ${JSON.stringify(shimPath)}; ` +
        `const Deno = __denoFor(${JSON.stringify(path)}); ${text}`;
    }
    const out = outOf(path);
    await Deno.mkdir(dirname(out), { recursive: true });
    writes.push(Deno.writeTextFile(out, text));
  }
  await Promise.all(writes);
  if (problems.length > 0) {
    throw new Error(`Compiling the tests for Node:\n  ${problems.join("\n  ")}`);
  }
  return entries.map((e) => toPosix(relative(project, outOf(e))));
}

/** Counts from node's TAP summary. */
export interface NodeCounts {
  tests: number;
  pass: number;
  fail: number;
  skipped: number;
  todo: number;
  cancelled: number;
}

/**
 * Runs `node --test` over `files` in `project`, its TAP report going to this process's stdout as it
 * comes (node's closing `# pass N` / `# fail N` lines included), `concurrency` files at a time
 * (default: the cores, at least two; Node 20 would run one at a time on two cores).
 */
export async function runNodeTests(
  project: string,
  files: readonly string[],
  concurrency = Math.max(2, navigator.hardwareConcurrency),
): Promise<{
  success: boolean;
  counts: NodeCounts;
}> {
  const child = new Deno.Command("node", {
    args: [
      "--enable-source-maps",
      "--test",
      "--test-reporter=tap",
      `--test-concurrency=${concurrency}`,
      ...files,
    ],
    cwd: project,
    stdout: "piped",
    stderr: "inherit",
    env: { NODE_NO_WARNINGS: "1" },
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    text += decoder.decode(chunk, { stream: true });
  }
  const status = await child.status;
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(text)?.[1]);
  const counts: NodeCounts = {
    tests: count("tests"),
    pass: count("pass"),
    fail: count("fail"),
    skipped: count("skipped"),
    todo: count("todo"),
    cancelled: count("cancelled"),
  };
  return { success: status.success && counts.fail === 0 && counts.pass > 0, counts };
}

/** Writes the scratch project's package.json. */
export async function writeProjectManifest(project: string): Promise<void> {
  await Deno.writeTextFile(
    join(project, "package.json"),
    JSON.stringify({ name: "bsdsock-npm-check", private: true, type: "module" }, null, 2) + "\n",
  );
}

/**
 * Runs `bun test` over `files` in `project` (one process, one file after another), its report
 * going to this process's stderr as it comes; counts from Bun's closing ` N pass` / ` N fail`.
 */
export async function runBunTests(bun: string, project: string, files: readonly string[]): Promise<{
  success: boolean;
  counts: NodeCounts;
}> {
  const child = new Deno.Command(bun, {
    args: ["test", "--timeout=60000", ...files.map((f) => `./${f}`)],
    cwd: project,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      await Deno.stderr.write(chunk);
      text += decoder.decode(chunk, { stream: true });
    }
  };
  await Promise.all([pump(child.stdout), pump(child.stderr)]);
  const status = await child.status;
  const count = (name: string) =>
    Number(new RegExp(`^\\s*(\\d+) ${name}$`, "m").exec(text)?.[1] ?? 0);
  const counts: NodeCounts = {
    tests: Number(/^Ran (\d+) tests?/m.exec(text)?.[1] ?? 0),
    pass: count("pass"),
    fail: count("fail"),
    skipped: count("skip"),
    todo: count("todo"),
    cancelled: 0,
  };
  return { success: status.success && counts.fail === 0 && counts.pass > 0, counts };
}
