/**
 * Runs the library's `Deno.test` tests under `node --test` and `bun test`.
 *
 * The npm build compiles each test file and puts `const Deno = denoFor("<its path>")` at its top,
 * so the tests see this object while the library under test sees the runtime as it is (no global
 * `Deno`). It offers `Deno.test` (every overload, `ignore`, `t.step`) on top of `node:test`,
 * `Deno.build.os`/`arch`, `Deno.inspect`, and for the integration tests the subprocess, file and
 * process calls of npm/_deno_api.ts. Anything else throws, naming the test that should be listed
 * in npm/_exclusions.ts.
 *
 * @module
 */
import { test as nodeTest, type TestContext as NodeContext } from "node:test";
import { inspect as nodeInspect } from "node:util";
import process from "node:process";
import { exclusion, type Runtime } from "./_exclusions.ts";
import { denoApi } from "./_deno_api.ts";

/** The runtime running the tests. */
const RUNTIME: Runtime = (process.versions as Record<string, string | undefined>).bun !== undefined
  ? "bun"
  : "node";

/** What a Deno test function receives (the part of `Deno.TestContext` the shim offers). */
export interface StepContext {
  /** The test's or step's name. */
  name: string;
  /** The test file. */
  origin: string;
  /** Runs a sub-test; resolves to whether it passed. */
  step(nameOrDef: string | StepDefinition | StepFn, fn?: StepFn): Promise<boolean>;
}

/** A test or step body. */
export type StepFn = (t: StepContext) => void | Promise<void>;

/** `Deno.TestStepDefinition`, as far as the shim goes. */
export interface StepDefinition {
  name: string;
  fn: StepFn;
  ignore?: boolean;
}

/** `Deno.TestDefinition`, as far as the shim goes; sanitizers and permissions mean nothing here. */
export interface TestDefinition {
  name?: string;
  fn?: StepFn;
  ignore?: boolean;
  only?: boolean;
  permissions?: unknown;
  sanitizeOps?: boolean;
  sanitizeResources?: boolean;
  sanitizeExit?: boolean;
}

type TestOptions = Omit<TestDefinition, "name" | "fn">;

/** The `Deno` a test file sees on Node. */
export interface DenoShim {
  test(def: TestDefinition): void;
  test(name: string, fn: StepFn): void;
  test(name: string, options: TestOptions, fn: StepFn): void;
  test(fn: StepFn): void;
  test(options: TestOptions & { name?: string }, fn: StepFn): void;
  readonly build: { readonly os: string; readonly arch: string };
  inspect(value: unknown, options?: { depth?: number; colors?: boolean }): string;
}

const OS: Readonly<Record<string, string>> = { win32: "windows", sunos: "solaris" };
const ARCH: Readonly<Record<string, string>> = { x64: "x86_64", arm64: "aarch64" };

function normalize(args: unknown[]): TestDefinition & { name: string; fn: StepFn } {
  const [a, b, c] = args;
  let def: TestDefinition;
  if (typeof a === "string") {
    def = typeof b === "function"
      ? { name: a, fn: b as StepFn }
      : { ...(b as TestOptions), name: a, fn: c as StepFn };
  } else if (typeof a === "function") {
    def = { name: a.name, fn: a as StepFn };
  } else if (a && typeof a === "object") {
    def = typeof b === "function" ? { ...(a as TestDefinition), fn: b as StepFn } : a;
    if (!def.name && def.fn) def = { ...def, name: def.fn.name };
  } else {
    throw new TypeError(`Deno.test: unsupported arguments: ${nodeInspect(args)}`);
  }
  if (typeof def.fn !== "function") throw new TypeError(`Deno.test "${def.name}" has no function`);
  if (!def.name) throw new TypeError("Deno.test: a test needs a name");
  return def as TestDefinition & { name: string; fn: StepFn };
}

function context(node: NodeContext, name: string, origin: string): StepContext {
  return {
    name,
    origin,
    async step(nameOrDef, fn) {
      const def: StepDefinition = typeof nameOrDef === "string"
        ? { name: nameOrDef, fn: fn as StepFn }
        : typeof nameOrDef === "function"
        ? { name: nameOrDef.name, fn: nameOrDef }
        : nameOrDef;
      let passed = false;
      await node.test(def.name, { skip: def.ignore === true }, async (sub) => {
        await def.fn(context(sub, def.name, origin));
        passed = true;
      });
      return passed || def.ignore === true;
    },
  };
}

/** The `Deno` object for the test file `file` (a repository path such as `errno/strerror_test.ts`). */
export function denoFor(file: string): DenoShim {
  const shim: DenoShim = {
    ...denoApi,
    test(...args: unknown[]): void {
      const def = normalize(args);
      const reason = exclusion(file, def.name, RUNTIME);
      if (reason !== undefined) {
        nodeTest(def.name, { skip: `excluded on ${RUNTIME}: ${reason}` }, () => {});
        return;
      }
      nodeTest(def.name, { skip: def.ignore === true }, (t) => def.fn(context(t, def.name, file)));
    },
    build: {
      os: OS[process.platform] ?? process.platform,
      arch: ARCH[process.arch] ?? process.arch,
    },
    inspect: (value, options) => nodeInspect(value, { depth: 4, colors: false, ...options }),
  } as DenoShim;
  return new Proxy(shim, {
    get(target, key, receiver) {
      if (typeof key === "symbol" || key in target || key === "then") {
        return Reflect.get(target, key, receiver);
      }
      throw new Error(
        `Deno.${key} does not exist on ${RUNTIME} (test file ${file}): shim it in npm/_deno_api.ts ` +
          "or list the test in npm/_exclusions.ts with the reason",
      );
    },
  });
}
