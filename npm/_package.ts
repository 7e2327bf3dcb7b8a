/**
 * The package's package.json, README and LICENSE.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type DenoJson, NPM_DIR, ROOT } from "./_config.ts";

/** Fields deno.json has no place for. Add `repository` here once the project has a public home. */
const EXTRA = {
  keywords: [
    "socket",
    "bsd-sockets",
    "posix",
    "setsockopt",
    "errno",
    "raw-socket",
    "socketpair",
    "ffi",
    "deno",
  ],
  engines: { node: ">=20" },
} as const;

/** A package.json `exports` entry: types first, as TypeScript requires. */
export interface ExportEntry {
  types: string;
  import: string;
}

/** The npm `exports` map mirroring deno.json's: `"./constants"` → `./constants/mod.{d.ts,js}`. */
export function npmExports(exports: ReadonlyMap<string, string>): Record<string, ExportEntry> {
  const out: Record<string, ExportEntry> = {};
  for (const [key, source] of exports) {
    const base = `./${source.replace(/\.ts$/, "")}`;
    out[key] = { types: `${base}.d.ts`, import: `${base}.js` };
  }
  return out;
}

/**
 * The first paragraph of npm/README.md as one line of plain text: the package's description,
 * unless deno.json has one.
 */
export function readmeDescription(readme: string): string {
  const paragraph = readme.split(/\n\s*\n/).map((p) => p.trim())
    .find((p) => p !== "" && !p.startsWith("#") && !p.startsWith("```"));
  if (!paragraph) throw new Error("npm/README.md has no paragraph to take a description from");
  return paragraph.replace(/`/g, "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/\s+/g, " ");
}

/** The package.json written into the package. */
export function packageJson(
  json: DenoJson,
  exports: ReadonlyMap<string, string>,
  readme: string,
): Record<string, unknown> {
  const map = npmExports(exports);
  const root = map["."];
  return {
    name: json.name,
    version: json.version,
    description: json.description ?? readmeDescription(readme),
    license: json.license,
    keywords: EXTRA.keywords,
    type: "module",
    ...(root ? { main: root.import, types: root.types } : {}),
    exports: { ...map, "./package.json": "./package.json" },
    sideEffects: false,
    engines: EXTRA.engines,
  };
}

/** What {@linkcode writePackageFiles} wrote besides package.json, and what it could not find. */
export interface PackageFiles {
  copied: string[];
  missing: string[];
}

/** Writes package.json and copies README.md (npm/README.md) and LICENSE (the repository's) into `outDir`. */
export async function writePackageFiles(
  json: DenoJson,
  exports: ReadonlyMap<string, string>,
  outDir: string,
): Promise<PackageFiles> {
  const readme = await Deno.readTextFile(join(NPM_DIR, "README.md"));
  const pkg = packageJson(json, exports, readme);
  await Deno.writeTextFile(join(outDir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  await Deno.writeTextFile(join(outDir, "README.md"), readme);
  const copied = ["package.json", "README.md"];
  const missing: string[] = [];
  const license = ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE"]
    .find((name) => existsSync(join(ROOT, name)));
  if (license) {
    await Deno.copyFile(join(ROOT, license), join(outDir, license));
    copied.push(license);
  } else {
    missing.push("LICENSE");
  }
  return { copied, missing };
}
