/**
 * A synchronous `require` for the ffi loaders outside Deno: `bun:ffi` on Bun and
 * koffi on Node are loaded on first use, not at import, and from a synchronous
 * call (socket(2) is synchronous). Resolves from this file, so koffi is found
 * where the package is installed. (The npm build's CommonJS output replaces
 * `import.meta.url` with this file's own URL.)
 *
 * @module
 */
import { createRequire } from "node:module";

let req: ((id: string) => unknown) | undefined;

/**
 * `require(id)`, resolved from the package.
 *
 * @param id A module name (`"koffi"`) or a runtime builtin (`"bun:ffi"`).
 * @returns The module.
 */
export function requireModule(id: string): unknown {
  req ??= createRequire(import.meta.url);
  return req(id);
}
