/**
 * `deno task npm`: builds the npm package into npm/dist and proves it on Node and Bun.
 *
 * 1. Compiles every export of deno.json (and what they import) with the TypeScript compiler
 *    into ESM `.js` + `.d.ts` + source maps, relative `.ts` imports rewritten to `.js`, and again
 *    as CommonJS into `cjs/`; fails on a
 *    type error, on a test/tool file reached from an export, and on an emitted import that is
 *    not relative or `node:` (the package has no dependencies).
 * 2. Writes package.json (from deno.json: name, version, license, exports), README.md
 *    (npm/README.md) and LICENSE (when the repository has one).
 * 3. Unless `--no-test`: `npm pack`s npm/dist, installs the tarball with koffi into a scratch
 *    project, compiles the pure unit tests (the files `deno task test:pure` runs), the
 *    integration suites of npm/_suites.ts and npm/_smoke.ts against that installed copy, with
 *    `Deno` from npm/test_shim.ts, and runs them with `node --test` and with `bun test`;
 *    type-checks strict NodeNext projects importing (ESM) and requiring (CommonJS) every subpath
 *    export.
 *
 * Flags: `--no-test` (build only), `--keep` (keep the scratch project and print its path),
 * `--only=<regexp>` (only the integration suites whose path matches), `--node-only` (no Bun run).
 *
 * @module
 */
import { join } from "node:path";
import { DIST, exportsOf, readDenoJson, ROOT } from "./_config.ts";
import { compileCommonJs, compileLibrary, denoTypes } from "./_compile.ts";
import { writePackageFiles } from "./_package.ts";
import {
  bunPath,
  checkExclusions,
  compileTests,
  copyTestAssets,
  koffiSpec,
  type NodeCounts,
  packAndInstall,
  pureTestFiles,
  runBunTests,
  runNodeTests,
  writeProjectManifest,
} from "./_node_tests.ts";
import { KERNEL_SUITES } from "./_suites.ts";
import { checkConsumerTypes } from "./_consumer.ts";

const log = (msg: string) => console.error(`[npm] ${msg}`);
const started = performance.now();
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)}s`;

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const result = await run();
  log(`${name} (${seconds(t)})`);
  return result;
}

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((a) =>
    a !== "--no-test" && a !== "--keep" && a !== "--node-only" && !a.startsWith("--only=")
  );
  if (unknown.length > 0) throw new Error(`Unknown arguments: ${unknown.join(" ")}`);
  const test = !args.includes("--no-test");
  const keep = args.includes("--keep");
  const nodeOnly = args.includes("--node-only");
  const onlyArg = args.find((a) => a.startsWith("--only="));
  const only = onlyArg ? new RegExp(onlyArg.slice("--only=".length)) : undefined;

  const json = readDenoJson();
  const exports = exportsOf(json);
  const scratch = await Deno.makeTempDir({ prefix: "bsdsock-npm-" });
  let ok = false;
  try {
    await Deno.remove(DIST, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
    await Deno.mkdir(DIST, { recursive: true });

    const denoDts = await denoTypes(scratch);
    const lib = await step(
      `compiled ${exports.size} exports`,
      () => compileLibrary([...exports.values()], json.compilerOptions, DIST, denoDts),
    );
    const cjs = await step(
      "compiled them again as CommonJS",
      () => compileCommonJs([...exports.values()], json.compilerOptions, DIST, denoDts),
    );
    const files = await writePackageFiles(json, exports, DIST);
    const written = [...lib.written, ...cjs, ...files.copied];
    log(
      `npm/dist: ${json.name}@${json.version}, ${lib.sources.length} modules, ` +
        `${written.length} files; imports only relative paths and node: builtins`,
    );
    for (const missing of files.missing) {
      log(`warning: the repository has no ${missing} file to ship`);
    }
    if (!test) {
      ok = true;
      return 0;
    }

    const project = join(scratch, "project");
    await Deno.mkdir(project);
    await writeProjectManifest(project);
    const koffi = koffiSpec();
    const packed = await step(
      `npm pack + install with ${koffi} into a scratch project`,
      () => packAndInstall(json.name, DIST, project, written, [koffi]),
    );
    const pure = await pureTestFiles(json);
    const kernel = Object.keys(KERNEL_SUITES).filter((f) => only === undefined || only.test(f));
    const excluded = await checkExclusions([...pure, ...kernel]);
    const compiled = await step(
      `compiled ${pure.length} unit test files, ${kernel.length} integration suites + the smoke test`,
      async () => {
        const out = await compileTests(
          json,
          project,
          [...pure, "npm/_smoke.ts", ...kernel],
          new Set(packed.files),
        );
        await copyTestAssets(project);
        return out;
      },
    );
    const unitJs = compiled.slice(0, pure.length + 1);
    const kernelJs = compiled.slice(pure.length + 1);

    let t = performance.now();
    const nodeUnit = runNodeTests(project, unitJs);
    // The type check runs in this process while node runs the tests in its own.
    const types = await checkConsumerTypes(project, json.name, [...exports.keys()]);
    const unit = await nodeUnit;
    log(`node --test, unit tests (${seconds(t)})`);
    log(
      `types: strict NodeNext projects import (ESM) and require (CommonJS) all ${exports.size} ` +
        "exports" +
        (types.known.length
          ? `; ${types.known.length} known error(s), waiting on the library:`
          : ""),
    );
    for (const k of types.known) log(`  ${k}`);
    for (const g of types.gone) log(`  ${g} no longer occurs: remove it from npm/_consumer.ts`);

    // The integration suites one file at a time, as deno test runs them: each counts descriptors
    // and wakeups of its own process, and timing-sensitive tests should not share two cores.
    t = performance.now();
    const nodeKernel = await runNodeTests(project, kernelJs, 1);
    log(`node --test, integration suites (${seconds(t)})`);

    const bun = nodeOnly ? undefined : bunPath();
    let bunRun: Awaited<ReturnType<typeof runBunTests>> | undefined;
    if (bun) {
      t = performance.now();
      bunRun = await runBunTests(bun, project, compiled);
      log(`bun test (${seconds(t)})`);
    }

    const line = (name: string, c: NodeCounts, files: number) =>
      log(
        `${name}: ${c.pass} passed, ${c.fail} failed, ${c.skipped} skipped, ${c.tests} tests in ` +
          `${files} files`,
      );
    line("node unit", unit.counts, unitJs.length);
    line("node integration", nodeKernel.counts, kernelJs.length);
    if (bunRun) line("bun (all)", bunRun.counts, compiled.length);
    else log(nodeOnly ? "bun: --node-only" : "bun: not installed (npm ci installs it): skipped");
    log(`${excluded} tests listed in npm/_exclusions.ts, with the reasons`);
    const success = unit.success && nodeKernel.success && (bunRun?.success ?? true);
    ok = success;
    return success ? 0 : 1;
  } finally {
    if (keep || !ok) log(`scratch project kept: ${scratch}`);
    else await Deno.remove(scratch, { recursive: true });
    log(`${ok ? "done" : "FAILED"} in ${seconds(started)} (root ${ROOT})`);
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    Deno.exit(1);
  }
}
