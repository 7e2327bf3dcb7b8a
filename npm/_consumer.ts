/**
 * Type-checks the installed package the way a strict Node project would: `"module": "NodeNext"`,
 * `@types/node`, and `skipLibCheck: false`, so that every `.d.ts` the package ships is checked;
 * once from an ES module (`consumer.ts`, the `import` condition) and once from CommonJS
 * (`consumer.cts`, the `require` condition and the declarations under `cjs/`).
 *
 * @module
 */
import ts from "typescript";
import { join, relative } from "node:path";
import { ROOT } from "./_config.ts";
import { formatDiagnostics } from "./_compile.ts";
import { installedAt } from "./_node_tests.ts";

/**
 * Errors in the shipped declarations that are known and waiting for a fix in the library, by
 * package file and TypeScript error code. They are reported, not fatal; any other error fails the
 * build, and an entry that no longer occurs is reported so it can be removed.
 */
export const KNOWN_TYPE_ERRORS: readonly { file: string; code: number; reason: string }[] = [];

/** What {@linkcode checkConsumerTypes} found. */
export interface ConsumerCheck {
  /** Known errors that occurred, as messages. */
  known: string[];
  /** Known errors that did not occur (fixed: remove them from the list). */
  gone: string[];
}

/**
 * Writes `<project>/consumer.ts` and `<project>/consumer.cts` importing every subpath export by
 * package name and type-checks them. Throws on an error that is not in
 * {@linkcode KNOWN_TYPE_ERRORS}.
 */
export async function checkConsumerTypes(
  project: string,
  name: string,
  subpaths: readonly string[],
): Promise<ConsumerCheck> {
  const lines = subpaths.map((key, i) => {
    const specifier = key === "." ? name : `${name}/${key.slice(2)}`;
    return `import * as m${i} from ${JSON.stringify(specifier)};`;
  });
  lines.push(`export const modules: object[] = [${subpaths.map((_, i) => `m${i}`).join(", ")}];`);
  const file = join(project, "consumer.ts");
  await Deno.writeTextFile(file, lines.join("\n") + "\n");
  const cjsFile = join(project, "consumer.cts");
  await Deno.writeTextFile(cjsFile, lines.join("\n") + "\n");

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules", "@types")],
    strict: true,
    skipLibCheck: false,
    noEmit: true,
  };
  const program = ts.createProgram({ rootNames: [file, cjsFile], options });
  const pkg = join(project, installedAt(name));
  const errors = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error);
  const unknown: ts.Diagnostic[] = [];
  const known: string[] = [];
  const seen = new Set<(typeof KNOWN_TYPE_ERRORS)[number]>();
  for (const d of errors) {
    const path = d.file ? relative(pkg, d.file.fileName) : "";
    const entry = KNOWN_TYPE_ERRORS.find((k) => k.file === path && k.code === d.code);
    if (entry) {
      seen.add(entry);
      known.push(`${path}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    } else {
      unknown.push(d);
    }
  }
  if (unknown.length > 0) {
    throw new Error(`A Node project cannot type-check the package:\n${formatDiagnostics(unknown)}`);
  }
  const gone = KNOWN_TYPE_ERRORS.filter((k) => !seen.has(k)).map((k) => `${k.file} TS${k.code}`);
  return { known, gone };
}
