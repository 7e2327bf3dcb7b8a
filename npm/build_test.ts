import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import ts from "typescript";
import { dirname, join, relative } from "node:path";
import {
  type DenoJson,
  DIST,
  exportsOf,
  isIgnored,
  isLibraryPath,
  pureTestSet,
  readDenoJson,
  ROOT,
} from "./_config.ts";
import { checkImports, importMetaToCommonJs, relocateSources } from "./_compile.ts";
import { npmExports, packageJson, readmeDescription } from "./_package.ts";
import { importsOf, rewriteSpecifiers, tsToJs } from "./_specifiers.ts";

const base: DenoJson = { name: "@x/y", version: "1.2.3", license: "MIT", exports: "./mod.ts" };

Deno.test("exportsOf() reads deno.json's exports, a string meaning '.'", () => {
  const real = exportsOf(readDenoJson());
  assertEquals(real.get("."), "mod.ts");
  assertEquals(real.get("./constants"), "constants/mod.ts");
  assertEquals([...exportsOf(base)], [[".", "mod.ts"]]);
  assertThrows(() => exportsOf({ ...base, exports: { ".": "./mod.js" } }), Error, "not a .ts");
  assertThrows(() => exportsOf({ ...base, exports: { ".": "../x.ts" } }), Error, "leaves");
});

Deno.test("pureTestSet() reads roots and --ignore from the test:pure task", () => {
  const tasks = {
    "test:pure":
      "./node_modules/.bin/deno test --doc --parallel --ignore=socket/ffi/,socket/x.ts " +
      "constants/ errno/ socket/",
  };
  assertEquals(pureTestSet({ ...base, tasks }), {
    roots: ["constants/", "errno/", "socket/"],
    ignore: ["socket/ffi/", "socket/x.ts"],
  });
  assertEquals(
    pureTestSet({ ...base, tasks: { "test:pure": "deno test a/ && deno test b/" } }).roots,
    ["a/"],
  );
  assertThrows(() => pureTestSet({ ...base, tasks: { "test:pure": "npm test" } }), Error);
  assertThrows(() => pureTestSet(base), Error, 'no "test:pure"');
});

Deno.test("isIgnored() matches folders by prefix and files exactly", () => {
  const ignore = ["socket/ffi/", "socket/socket.ts"];
  assert(isIgnored("socket/ffi/sys.ts", ignore));
  assert(isIgnored("socket/socket.ts", ignore));
  assert(!isIgnored("socket/socket_test.ts", ignore));
  assert(!isIgnored("socket/ffix/a.ts", ignore));
});

Deno.test("isLibraryPath() keeps tests, tools and the build out of the package", () => {
  assert(isLibraryPath("mod.ts"));
  assert(isLibraryPath("socket/ffi/_libc.ts"));
  for (
    const path of [
      "socket/address_test.ts",
      "tests/_assert.ts",
      "tools/gen_errno.ts",
      "bench/main.ts",
      "examples/demo.ts",
      "npm/build.ts",
      "../elsewhere.ts",
      "README.md",
    ]
  ) {
    assert(!isLibraryPath(path), path);
  }
});

Deno.test("npmExports() mirrors deno.json: ESM for import, CommonJS for require, types first", () => {
  const map = npmExports(new Map([[".", "mod.ts"], ["./raw", "socket/ffi/mod.ts"]]));
  assertEquals(map, {
    ".": {
      import: { types: "./mod.d.ts", default: "./mod.js" },
      require: { types: "./cjs/mod.d.ts", default: "./cjs/mod.js" },
    },
    "./raw": {
      import: { types: "./socket/ffi/mod.d.ts", default: "./socket/ffi/mod.js" },
      require: { types: "./cjs/socket/ffi/mod.d.ts", default: "./cjs/socket/ffi/mod.js" },
    },
  });
  assertEquals(Object.keys(map["."]), ["import", "require"]);
  assertEquals(Object.keys(map["."].import), ["types", "default"]);
  assertEquals(Object.keys(map["."].require), ["types", "default"]);
});

Deno.test("packageJson() is ESM with a CommonJS main, side-effect free, koffi an optional peer", () => {
  const pkg = packageJson(base, new Map([[".", "mod.ts"]]), "# T\n\nThe `x` [lib](u).\n");
  assertEquals(pkg.name, "@x/y");
  assertEquals(pkg.version, "1.2.3");
  assertEquals(pkg.license, "MIT");
  assertEquals(pkg.description, "The x lib.");
  assertEquals(pkg.type, "module");
  assertEquals(pkg.sideEffects, false);
  assertEquals(pkg.engines, { node: ">=20" });
  assertEquals((pkg.exports as Record<string, unknown>)["./package.json"], "./package.json");
  assertEquals(pkg.main, "./cjs/mod.js");
  for (const key of ["dependencies", "optionalDependencies"]) assert(!(key in pkg), key);
  assertEquals(pkg.peerDependencies, { koffi: ">=2.15.0" });
  assertEquals(pkg.peerDependenciesMeta, { koffi: { optional: true } });
  assertEquals(packageJson({ ...base, description: "D" }, new Map(), "").description, "D");
});

Deno.test("readmeDescription() takes the first paragraph as plain text", () => {
  assertEquals(readmeDescription("# Title\n\nOne `two`\nthree.\n\nNext."), "One two three.");
  assertThrows(() => readmeDescription("# Only a title\n"), Error);
});

Deno.test("tsToJs() rewrites relative .ts specifiers only", () => {
  assertEquals(tsToJs("./a.ts"), "./a.js");
  assertEquals(tsToJs("../b/c.mts"), "../b/c.mjs");
  assertEquals(tsToJs("./d.d.ts"), "./d.d.ts");
  assertEquals(tsToJs("node:fs"), "node:fs");
  assertEquals(tsToJs("pkg/x.ts"), "pkg/x.ts");
});

Deno.test("rewriteSpecifiers() reaches imports, re-exports, import() and import types", () => {
  const source = [
    'import { a } from "./a.ts";',
    'export { b } from "./b.ts";',
    'export * from "./c.ts";',
    'const d = await import("./d.ts");',
    'export type E = import("./e.ts").E;',
    "console.log(a, d);",
  ].join("\n");
  const seen: string[] = [];
  const out = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    transformers: {
      after: [
        rewriteSpecifiers((spec) => {
          seen.push(spec);
          return spec.replace("./", "./x/");
        }) as ts.TransformerFactory<ts.SourceFile>,
      ],
    },
  }).outputText;
  for (const name of ["a", "b", "c", "d"]) assert(out.includes(`"./x/${name}.ts"`), out);
  assertEquals(seen.sort(), ["./a.ts", "./b.ts", "./c.ts", "./d.ts"]);

  const printer = ts.createPrinter();
  const file = ts.createSourceFile("t.d.ts", 'export type E = import("./e.ts").E;', 99, true);
  const result = ts.transform(file, [rewriteSpecifiers(tsToJs)]);
  assert(printer.printFile(result.transformed[0] as ts.SourceFile).includes('"./e.js"'));
});

Deno.test("importsOf() lists real imports, not those in comments", () => {
  const text = [
    "/** ```ts",
    ' * import { x } from "@bsdsock/socket";',
    " * ``` */",
    'import { a } from "./a.js";',
    'export * from "node:fs";',
    'const s = "import(\\"nope\\")";',
    'await import("./lazy.js");',
  ].join("\n");
  assertEquals(importsOf(text).sort(), ["./a.js", "./lazy.js", "node:fs"]);
});

Deno.test("relocateSources() points a map at the .ts beside its .js", () => {
  const mapFile = join(DIST, "socket", "ffi", "sys.js.map");
  const source = relative(dirname(mapFile), join(ROOT, "socket", "ffi", "sys.ts"));
  const map = relocateSources(mapFile, JSON.stringify({ version: 3, sources: [source] }), DIST);
  assertEquals(JSON.parse(map).sources, ["sys.ts"]);
});

Deno.test("checkImports() refuses bare, .ts and dangling imports", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bsdsock-npm-test-" });
  try {
    await Deno.writeTextFile(join(dir, "a.js"), 'import "./b.js"; import "node:fs";');
    await Deno.writeTextFile(join(dir, "b.js"), "export {};");
    await Deno.writeTextFile(join(dir, "a.d.ts"), 'export * from "./b.js";');
    await checkImports(dir, ["a.d.ts", "a.js", "b.js"]);
    for (const bad of ['import "left-pad";', 'import "./b.ts";', 'import "./gone.js";']) {
      await Deno.writeTextFile(join(dir, "c.js"), bad);
      await assertRejects(() => checkImports(dir, ["b.js", "c.js"]), Error, "c.js");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importMetaToCommonJs() gives import.meta.url a CommonJS equivalent", () => {
  const out = ts.transpileModule("export const u = import.meta.url;\nconst m = import.meta;", {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
    transformers: { before: [importMetaToCommonJs] },
  }).outputText;
  assert(out.includes('require("node:url").pathToFileURL(__filename).href'), out);
  assert(!out.includes("import.meta.url"), out);
});
