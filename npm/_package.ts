/**
 * The package's package.json, README and LICENSE.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type DenoJson, NPM_DIR, ROOT } from "./_config.ts";
import { CJS_DIR } from "./_compile.ts";

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
    "node",
    "bun",
  ],
  engines: { node: ">=20" },
  /**
   * koffi is how the ffi backend reaches libc on Node: optional, so the package keeps no
   * required dependency (Deno and Bun bring their own FFI; without koffi, Node gets the native
   * backend, and an ffi-only call says `npm install koffi`). 2.15 added `koffi.node.poll`, the
   * reactor's wakeup on Node (older versions fall back to SIGIO).
   */
  peerDependencies: { koffi: ">=2.15.0" },
  peerDependenciesMeta: { koffi: { optional: true } },
} as const;

/** One condition of an `exports` entry: types first, as TypeScript requires. */
export interface ExportTarget {
  types: string;
  default: string;
}

/** A package.json `exports` entry, as dnt writes it: the ESM build for `import`, CommonJS for `require`. */
export interface ExportEntry {
  import: ExportTarget;
  require: ExportTarget;
}

/**
 * The npm `exports` map mirroring deno.json's: `"./constants"` → `./constants/mod.{d.ts,js}` for
 * `import` and `./cjs/constants/mod.{d.ts,js}` for `require`.
 */
export function npmExports(exports: ReadonlyMap<string, string>): Record<string, ExportEntry> {
  const out: Record<string, ExportEntry> = {};
  for (const [key, source] of exports) {
    const path = source.replace(/\.ts$/, "");
    out[key] = {
      import: { types: `./${path}.d.ts`, default: `./${path}.js` },
      require: { types: `./${CJS_DIR}/${path}.d.ts`, default: `./${CJS_DIR}/${path}.js` },
    };
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
    ...(root ? { main: root.require.default, types: root.require.types } : {}),
    exports: { ...map, "./package.json": "./package.json" },
    sideEffects: false,
    engines: EXTRA.engines,
    peerDependencies: EXTRA.peerDependencies,
    peerDependenciesMeta: EXTRA.peerDependenciesMeta,
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
