/**
 * Compiles the library for npm with the TypeScript compiler API: ESM `.js` + `.d.ts` + source maps,
 * relative `.ts` imports rewritten to `.js`, type-checked against Node 20's ECMAScript library plus
 * the Deno namespace (the ffi backend uses it) and @types/node (`node:` imports); then the same
 * sources again as CommonJS into `cjs/` (its own package.json says `"type": "commonjs"`), for
 * `require()`.
 *
 * @module
 */
import ts from "typescript";
import { dirname, join, relative, resolve } from "node:path";
import { isLibraryPath, ROOT } from "./_config.ts";
import { importsOf, rewriteSpecifiers, tsToJs } from "./_specifiers.ts";

/**
 * The ECMAScript library the package may use: what Node 20 implements. ES2024's
 * `String.prototype.isWellFormed` is in Node 20; `Promise.withResolvers`, `Object.groupBy` and the
 * `Set` methods are not, so the rest of ES2024 stays out and the type check catches them.
 */
export const NODE20_LIB: readonly string[] = ["ES2023", "ES2024.String", "ESNext.Disposable"];

/** Options deno.json may hold that mean nothing to tsc here, or that the build sets itself. */
const DENO_ONLY_OPTIONS = new Set(["lib", "types", "jsx", "jsxImportSource", "jsxFactory"]);

/**
 * The compiler options for the library: deno.json's (strict…) plus ES2022 output as ES modules.
 * Under `"module": "NodeNext"` the `.ts` files are ES modules because the repository's
 * package.json says `"type": "module"`; this is checked here, as CommonJS output would be wrong.
 */
export function compilerOptions(
  fromDenoJson: Record<string, unknown> | undefined,
  outDir: string,
): ts.CompilerOptions {
  const manifest = JSON.parse(Deno.readTextFileSync(join(ROOT, "package.json")));
  if (manifest.type !== "module") {
    throw new Error('package.json must say "type": "module": NodeNext would emit CommonJS');
  }
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fromDenoJson ?? {})) {
    if (!DENO_ONLY_OPTIONS.has(key)) json[key] = value;
  }
  Object.assign(json, {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: NODE20_LIB,
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules", "@types")],
    strict: json.strict ?? true,
    declaration: true,
    sourceMap: true,
    inlineSources: true,
    rewriteRelativeImportExtensions: true,
    // Drops what the library marks `@internal` (Socket._wrap…) from the declarations.
    stripInternal: true,
    rootDir: ROOT,
    outDir,
    newLine: "lf",
    skipLibCheck: true,
    forceConsistentCasingInFileNames: true,
  });
  const { options, errors } = ts.convertCompilerOptionsFromJson(json, ROOT);
  if (errors.length > 0) throw new Error(formatDiagnostics(errors));
  return options;
}

/** Diagnostics as tsc prints them. */
export function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => "\n",
  });
}

/**
 * Deno's own declarations (`deno types`), minus the `/// <reference lib>` lines tsc cannot follow
 * (`deno.net`…): enough for the `Deno.*` names the ffi backend uses. Written to `dir`.
 */
export async function denoTypes(dir: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["types"], stderr: "inherit" })
    .output();
  if (!out.success) throw new Error("`deno types` failed");
  const text = new TextDecoder().decode(out.stdout)
    .split("\n")
    .filter((line) => !/^\/\/\/\s*<reference\s+(lib|no-default-lib)=/.test(line))
    .join("\n");
  const path = join(dir, "lib.deno.d.ts");
  await Deno.writeTextFile(path, text);
  return path;
}

/**
 * Points a source map's `sources` at the `.ts` file beside the `.js` in the package (`mod.ts` for
 * `mod.js`) instead of a path into the repository that leaves the package; the text itself is in
 * `sourcesContent` (`inlineSources`), so stack traces and debuggers show the TypeScript.
 */
export function relocateSources(mapFile: string, text: string, outDir: string): string {
  const map = JSON.parse(text) as { sources: string[]; sourceRoot?: string };
  map.sources = map.sources.map((source) => {
    const inRepo = relative(ROOT, resolve(dirname(mapFile), map.sourceRoot ?? "", source));
    return relative(dirname(mapFile), join(outDir, inRepo)).split("\\").join("/");
  });
  delete map.sourceRoot;
  return JSON.stringify(map);
}

/** What {@linkcode compileLibrary} produced. */
export interface LibraryBuild {
  /** Repository paths of the library sources compiled (reachable from an export). */
  sources: string[];
  /** Paths, relative to the output folder, of every file written. */
  written: string[];
}

/**
 * Type-checks and emits every file reachable from `entries` (repository paths) into `outDir`.
 * Throws on a type error, on a reachable file that is not library code (tests/, tools/…), and on
 * an emitted import that is neither relative nor a `node:` builtin.
 */
export async function compileLibrary(
  entries: readonly string[],
  denoJsonOptions: Record<string, unknown> | undefined,
  outDir: string,
  denoTypesFile: string,
): Promise<LibraryBuild> {
  const options = compilerOptions(denoJsonOptions, outDir);
  const host = ts.createCompilerHost(options);
  const program = ts.createProgram({
    rootNames: [denoTypesFile, ...entries.map((e) => join(ROOT, e))],
    options,
    host,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (diagnostics.length > 0) {
    throw new Error(`Type errors:\n${formatDiagnostics(diagnostics)}`);
  }

  const sources: string[] = [];
  const strays: string[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile) continue;
    const path = relative(ROOT, file.fileName);
    if (isLibraryPath(path)) sources.push(path);
    else strays.push(path);
  }
  if (strays.length > 0) {
    throw new Error(`The exports reach files that are not library code: ${strays.join(", ")}`);
  }

  const written = await emitProgram(program, outDir, outDir, {
    afterDeclarations: [rewriteSpecifiers(tsToJs)],
  }, "Emit");
  written.sort();
  await checkImports(outDir, written);
  return { sources: sources.sort(), written };
}

/**
 * Emits `program`, creating directories as needed; source maps point back at the sources from
 * `mapDir`. Returns the files written, relative to `outDir`.
 */
async function emitProgram(
  program: ts.Program,
  outDir: string,
  mapDir: string,
  transformers: ts.CustomTransformers,
  what: string,
): Promise<string[]> {
  const written: string[] = [];
  const pending: Promise<void>[] = [];
  const dirs = new Set<string>();
  const result = program.emit(
    undefined,
    (fileName, text) => {
      const dir = dirname(fileName);
      if (!dirs.has(dir)) {
        Deno.mkdirSync(dir, { recursive: true });
        dirs.add(dir);
      }
      if (fileName.endsWith(".js.map")) text = relocateSources(fileName, text, mapDir);
      pending.push(Deno.writeTextFile(fileName, text));
      written.push(relative(outDir, fileName));
    },
    undefined,
    false,
    transformers,
  );
  await Promise.all(pending);
  if (result.emitSkipped || result.diagnostics.length > 0) {
    throw new Error(`${what} failed:\n${formatDiagnostics(result.diagnostics)}`);
  }
  return written;
}

/**
 * Fails unless every emitted `.js` and `.d.ts` imports only relative paths to files in the package
 * and `node:` builtins: the package has no dependencies.
 */
export async function checkImports(outDir: string, written: readonly string[]): Promise<void> {
  const present = new Set(written);
  const bad: string[] = [];
  for (const file of written) {
    if (!file.endsWith(".js") && !file.endsWith(".d.ts")) continue;
    const text = await Deno.readTextFile(join(outDir, file));
    for (const spec of importsOf(text)) {
      if (spec.startsWith("node:")) continue;
      if (/^\.\.?\//.test(spec)) {
        const target = relative(outDir, join(outDir, dirname(file), spec));
        const candidates = file.endsWith(".d.ts")
          ? [target, target.replace(/\.js$/, ".d.ts")]
          : [target];
        if (!spec.endsWith(".ts") && candidates.some((c) => present.has(c))) continue;
      }
      bad.push(`${file}: "${spec}"`);
    }
  }
  if (bad.length > 0) {
    throw new Error(
      `Emitted files import what the package does not contain:\n  ${bad.join("\n  ")}`,
    );
  }
}

/** The folder of the CommonJS build inside the package. */
export const CJS_DIR = "cjs";

/**
 * `import.meta.url` → this file's URL from CommonJS's `__filename`: the one use of `import.meta`
 * the library has (_internal/require.ts), which CommonJS has no syntax for.
 */
export function importMetaToCommonJs(
  context: ts.TransformationContext,
): ts.Transformer<ts.SourceFile> {
  const f = context.factory;
  const visit = (node: ts.Node): ts.Node => {
    if (
      ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression) &&
      node.expression.keywordToken === ts.SyntaxKind.ImportKeyword && node.name.text === "url"
    ) {
      // require("node:url").pathToFileURL(__filename).href
      const url = f.createCallExpression(f.createIdentifier("require"), undefined, [
        f.createStringLiteral("node:url"),
      ]);
      const file = f.createCallExpression(
        f.createPropertyAccessExpression(url, "pathToFileURL"),
        undefined,
        [f.createIdentifier("__filename")],
      );
      return f.createPropertyAccessExpression(file, "href");
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (file: ts.SourceFile): ts.SourceFile => ts.visitEachChild(file, visit, context);
}

/**
 * Emits the library a second time as CommonJS (`.js` + `.d.ts` + source maps) into
 * `<outDir>/cjs/`, with a package.json there that makes Node read those files as CommonJS. The
 * ESM build has type-checked the same sources; here only emit errors count (`import.meta` is the
 * one construct CommonJS lacks, and {@linkcode importMetaToCommonJs} replaces it).
 *
 * @returns Paths, relative to `outDir`, of every file written.
 */
export async function compileCommonJs(
  entries: readonly string[],
  denoJsonOptions: Record<string, unknown> | undefined,
  outDir: string,
  denoTypesFile: string,
): Promise<string[]> {
  const cjsDir = join(outDir, CJS_DIR);
  const options: ts.CompilerOptions = {
    ...compilerOptions(denoJsonOptions, cjsDir),
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    esModuleInterop: true,
    noEmitOnError: false,
  };
  const program = ts.createProgram({
    rootNames: [denoTypesFile, ...entries.map((e) => join(ROOT, e))],
    options,
    host: ts.createCompilerHost(options),
  });
  const written = await emitProgram(program, outDir, cjsDir, {
    before: [importMetaToCommonJs],
    afterDeclarations: [rewriteSpecifiers(tsToJs)],
  }, "CommonJS emit");
  await Deno.writeTextFile(
    join(cjsDir, "package.json"),
    JSON.stringify({ type: "commonjs" }, null, 2) + "\n",
  );
  written.push(join(CJS_DIR, "package.json"));
  written.sort();
  await checkImports(outDir, written.filter((f) => f.endsWith(".js") || f.endsWith(".d.ts")));
  return written;
}
