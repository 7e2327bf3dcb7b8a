/**
 * `deno task npm`: builds the npm package into npm/dist and proves it on Node.
 *
 * 1. Compiles every export of deno.json (and what they import) with the TypeScript compiler
 *    into ESM `.js` + `.d.ts` + source maps, relative `.ts` imports rewritten to `.js`; fails on a
 *    type error, on a test/tool file reached from an export, and on an emitted import that is
 *    not relative or `node:` (the package has no dependencies).
 * 2. Writes package.json (from deno.json: name, version, license, exports), README.md
 *    (npm/README.md) and LICENSE (when the repository has one).
 * 3. Unless `--no-test`: `npm pack`s npm/dist, installs the tarball into a scratch project,
 *    compiles the pure unit tests (the files `deno task test:pure` runs) against that installed
 *    copy, with `Deno.test` from npm/test_shim.ts, adds npm/_smoke.ts, and runs them all with
 *    `node --test`; type-checks a strict NodeNext project importing every subpath export.
 *
 * Flags: `--no-test` (build only), `--keep` (keep the scratch project and print its path).
 *
 * @module
 */
import { join } from "node:path";
import { DIST, exportsOf, readDenoJson, ROOT } from "./_config.ts";
import { compileLibrary, denoTypes } from "./_compile.ts";
import { writePackageFiles } from "./_package.ts";
import {
  checkExclusions,
  compileTests,
  packAndInstall,
  pureTestFiles,
  runNodeTests,
  writeProjectManifest,
} from "./_node_tests.ts";
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
  const unknown = args.filter((a) => a !== "--no-test" && a !== "--keep");
  if (unknown.length > 0) throw new Error(`Unknown arguments: ${unknown.join(" ")}`);
  const test = !args.includes("--no-test");
  const keep = args.includes("--keep");

  const json = readDenoJson();
  const exports = exportsOf(json);
  const scratch = await Deno.makeTempDir({ prefix: "bsdsock-npm-" });
  let ok = false;
  try {
    await Deno.remove(DIST, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
    await Deno.mkdir(DIST, { recursive: true });

    const lib = await step(`compiled ${exports.size} exports`, async () => {
      const types = await denoTypes(scratch);
      return await compileLibrary([...exports.values()], json.compilerOptions, DIST, types);
    });
    const files = await writePackageFiles(json, exports, DIST);
    const written = [...lib.written, ...files.copied];
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
    const packed = await step(
      "npm pack + install into a scratch project",
      () => packAndInstall(json.name, DIST, project, written),
    );
    const testFiles = await pureTestFiles(json);
    const excluded = await checkExclusions(testFiles);
    const compiled = await step(
      `compiled ${testFiles.length} test files + the smoke test`,
      () => compileTests(json, project, [...testFiles, "npm/_smoke.ts"], new Set(packed.files)),
    );

    const t = performance.now();
    const node = runNodeTests(project, compiled);
    // The type check runs in this process while node runs the tests in its own.
    const types = await checkConsumerTypes(project, json.name, [...exports.keys()]);
    const { success, counts } = await node;
    log(`node --test (${seconds(t)})`);
    log(
      `types: a strict NodeNext project imports all ${exports.size} exports` +
        (types.known.length
          ? `; ${types.known.length} known error(s), waiting on the library:`
          : ""),
    );
    for (const k of types.known) log(`  ${k}`);
    for (const g of types.gone) log(`  ${g} no longer occurs: remove it from npm/_consumer.ts`);
    log(
      `node: ${counts.pass} passed, ${counts.fail} failed, ${counts.skipped} skipped ` +
        `(${excluded} listed in npm/_exclusions.ts), ${counts.tests} tests in ` +
        `${compiled.length} files`,
    );
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
