/**
 * What the npm build reads from the repository: deno.json (name, version, license, exports,
 * compiler options, the `test:pure` task) and the paths everything goes to.
 *
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the folder holding deno.json). */
export const ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** This folder: the build script, its helpers, the package README. */
export const NPM_DIR: string = join(ROOT, "npm");
/** Where the package is written. */
export const DIST: string = join(NPM_DIR, "dist");

/** The parts of deno.json the build uses. */
export interface DenoJson {
  name: string;
  version: string;
  license?: string;
  description?: string;
  exports: string | Record<string, string>;
  compilerOptions?: Record<string, unknown>;
  tasks?: Record<string, string>;
  imports?: Record<string, string>;
}

/** Reads and checks deno.json. */
export function readDenoJson(): DenoJson {
  const json = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))) as DenoJson;
  for (const key of ["name", "version", "exports"] as const) {
    if (!json[key]) throw new Error(`deno.json has no "${key}"`);
  }
  return json;
}

/** deno.json's exports as a map of subpath (`"."`, `"./constants"`) to a source path (`"mod.ts"`). */
export function exportsOf(json: DenoJson): Map<string, string> {
  const raw = typeof json.exports === "string" ? { ".": json.exports } : json.exports;
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(raw)) {
    if (!value.endsWith(".ts")) throw new Error(`Export "${key}" is not a .ts file: "${value}"`);
    const path = relative(ROOT, resolve(ROOT, value));
    if (path.startsWith("..")) throw new Error(`Export "${key}" leaves the repository: "${value}"`);
    out.set(key, path);
  }
  return out;
}

/** The folders and files the `test:pure` task runs, and the ones it leaves out. */
export interface PureTestSet {
  roots: string[];
  ignore: string[];
}

/**
 * Reads `deno test … --ignore=a,b roots…` from the `test:pure` task, so the Node run covers the
 * same files as `deno task test:pure` without a second list to keep in step.
 */
export function pureTestSet(json: DenoJson): PureTestSet {
  const task = json.tasks?.["test:pure"];
  if (!task) throw new Error('deno.json has no "test:pure" task to take the pure tests from');
  const words = task.split(/\s+/).filter(Boolean);
  if (!/(^|\/)deno$/.test(words[0] ?? "") || words[1] !== "test") {
    throw new Error(`Cannot read "test:pure" (expected "deno test …"): ${task}`);
  }
  const roots: string[] = [];
  const ignore: string[] = [];
  for (const word of words.slice(2)) {
    if (word === "&&" || word === ";" || word === "|") break;
    if (word.startsWith("--ignore=")) {
      ignore.push(...word.slice("--ignore=".length).split(",").filter(Boolean));
    } else if (!word.startsWith("-")) {
      roots.push(...expandGlob(word));
    }
  }
  if (roots.length === 0) throw new Error(`"test:pure" names no folders: ${task}`);
  const norm = (p: string) => relative(ROOT, resolve(ROOT, p)) + (p.endsWith("/") ? "/" : "");
  return { roots: roots.map(norm), ignore: ignore.map(norm) };
}

/** A task word with `*` in its last part (as the task shell expands it) → the matching files, sorted. */
export function expandGlob(word: string): string[] {
  if (!word.includes("*")) return [word];
  const slash = word.lastIndexOf("/");
  const dir = slash < 0 ? "." : word.slice(0, slash);
  const pattern = new RegExp(
    "^" + word.slice(slash + 1).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*") + "$",
  );
  const names: string[] = [];
  for (const entry of Deno.readDirSync(resolve(ROOT, dir))) {
    if (entry.isFile && pattern.test(entry.name)) {
      names.push(slash < 0 ? entry.name : `${dir}/${entry.name}`);
    }
  }
  return names.sort();
}

/** Whether the repository path `path` falls under one of `ignore` (a folder ending in "/" or a file). */
export function isIgnored(path: string, ignore: readonly string[]): boolean {
  return ignore.some((i) => i.endsWith("/") ? path.startsWith(i) : path === i);
}

/** Folders whose files never go into the package. */
export const NOT_LIBRARY: readonly string[] = [
  "tests/",
  "bench/",
  "examples/",
  "tools/",
  "npm/",
  "node_modules/",
  ".ci/",
];

/** Whether a repository path is library code that may be published. */
export function isLibraryPath(path: string): boolean {
  if (path.startsWith("..") || NOT_LIBRARY.some((d) => path.startsWith(d))) return false;
  return path.endsWith(".ts") && !path.endsWith("_test.ts") && !path.endsWith(".d.ts");
}
