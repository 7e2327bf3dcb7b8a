/**
 * A small stand-in for `jsr:@std/assert` built on `node:assert/strict`.
 *
 * JSR cannot be reached from this project's machines, so `deno.json` maps the
 * `@std/assert` specifier here. The functions keep the names, argument order and
 * return values of `@std/assert`, so switching to the real package is a one-line
 * change of the import map (see README).
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/** The error every assertion throws. */
export class AssertionError extends Error {
  /** Creates an assertion error with the given message. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AssertionError";
  }
}

function wrap(run: () => void, msg?: string): void {
  try {
    run();
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new AssertionError(msg ? `${msg}: ${detail}` : detail, { cause: err });
  }
}

// deno-lint-ignore no-explicit-any
type AnyConstructor = abstract new (...args: any[]) => any;
type GetConstructorType<T extends AnyConstructor> = InstanceType<T>;

/** Asserts that `expr` is truthy. */
export function assert(expr: unknown, msg = "Expected expression to be truthy"): asserts expr {
  if (!expr) throw new AssertionError(msg);
}

/** Asserts that `expr` is falsy. */
export function assertFalse(expr: unknown, msg = "Expected expression to be falsy"): void {
  if (expr) throw new AssertionError(msg);
}

/** Asserts deep, strict equality of `actual` and `expected`. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  wrap(() => nodeAssert.deepStrictEqual(actual, expected), msg);
}

/** Asserts that `actual` and `expected` are not deeply equal. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  wrap(() => nodeAssert.notDeepStrictEqual(actual, expected), msg);
}

/** Asserts `Object.is(actual, expected)`. */
export function assertStrictEquals<T>(
  actual: unknown,
  expected: T,
  msg?: string,
): asserts actual is T {
  wrap(() => nodeAssert.strictEqual(actual, expected), msg);
}

/** Asserts `!Object.is(actual, expected)`. */
export function assertNotStrictEquals<T>(actual: T, expected: T, msg?: string): void {
  wrap(() => nodeAssert.notStrictEqual(actual, expected), msg);
}

/** Asserts that `actual` is neither `null` nor `undefined`. */
export function assertExists<T>(actual: T, msg?: string): asserts actual is NonNullable<T> {
  if (actual === undefined || actual === null) {
    throw new AssertionError(msg ?? `Expected actual: "${actual}" to not be null or undefined`);
  }
}

/** Asserts that `actual` is an instance of `expectedType`. */
export function assertInstanceOf<T extends AnyConstructor>(
  actual: unknown,
  expectedType: T,
  msg?: string,
): asserts actual is GetConstructorType<T> {
  if (!(actual instanceof expectedType)) {
    const got = actual === null
      ? "null"
      : typeof actual === "object"
      ? (actual as object).constructor?.name ?? "Object"
      : typeof actual;
    throw new AssertionError(
      msg ?? `Expected object to be an instance of "${expectedType.name}" but was "${got}"`,
    );
  }
}

/** Asserts that `actual` matches the regular expression `expected`. */
export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  wrap(() => nodeAssert.match(actual, expected), msg);
}

/** Asserts that `actual` does not match the regular expression `expected`. */
export function assertNotMatch(actual: string, expected: RegExp, msg?: string): void {
  wrap(() => nodeAssert.doesNotMatch(actual, expected), msg);
}

/** Asserts that `actual` includes `expected`. */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (!actual.includes(expected)) {
    throw new AssertionError(msg ?? `Expected actual: "${actual}" to contain: "${expected}"`);
  }
}

/** Asserts that every value of `expected` is deeply equal to some value of `actual`. */
export function assertArrayIncludes<T>(
  actual: ArrayLike<T>,
  expected: ArrayLike<T>,
  msg?: string,
): void {
  const values = Array.from(actual);
  for (const want of Array.from(expected)) {
    const found = values.some((v) => {
      try {
        nodeAssert.deepStrictEqual(v, want);
        return true;
      } catch {
        return false;
      }
    });
    if (!found) {
      throw new AssertionError(msg ?? `Expected actual to include ${Deno.inspect(want)}`);
    }
  }
}

function compare(op: string, ok: boolean, actual: unknown, expected: unknown, msg?: string): void {
  if (!ok) throw new AssertionError(msg ?? `Expect ${actual} ${op} ${expected}`);
}

/** Asserts `actual > expected`. */
export function assertGreater<T>(actual: T, expected: T, msg?: string): void {
  compare(">", actual > expected, actual, expected, msg);
}

/** Asserts `actual >= expected`. */
export function assertGreaterOrEqual<T>(actual: T, expected: T, msg?: string): void {
  compare(">=", actual >= expected, actual, expected, msg);
}

/** Asserts `actual < expected`. */
export function assertLess<T>(actual: T, expected: T, msg?: string): void {
  compare("<", actual < expected, actual, expected, msg);
}

/** Asserts `actual <= expected`. */
export function assertLessOrEqual<T>(actual: T, expected: T, msg?: string): void {
  compare("<=", actual <= expected, actual, expected, msg);
}

/** Asserts that `actual` is a subset-match of `expected` (each key of `expected` deeply equal). */
export function assertObjectMatch(
  actual: Record<PropertyKey, unknown>,
  expected: Record<PropertyKey, unknown>,
  msg?: string,
): void {
  for (const key of Reflect.ownKeys(expected)) {
    wrap(() => nodeAssert.deepStrictEqual(actual[key], expected[key]), msg ?? `key ${String(key)}`);
  }
}

function checkError(
  err: unknown,
  ErrorClass: AnyConstructor | undefined,
  msgIncludes: string | undefined,
  msg: string | undefined,
): void {
  const prefix = msg ? `${msg}: ` : "";
  if (ErrorClass && !(err instanceof ErrorClass)) {
    const got = err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
    throw new AssertionError(
      `${prefix}Expected error to be instance of "${ErrorClass.name}", but was "${got}"`,
      {
        cause: err,
      },
    );
  }
  if (msgIncludes !== undefined) {
    const text = err instanceof Error ? err.message : String(err);
    if (!text.includes(msgIncludes)) {
      throw new AssertionError(
        `${prefix}Expected error message to include "${msgIncludes}", but got "${text}"`,
        {
          cause: err,
        },
      );
    }
  }
}

/** Asserts that `fn` throws; returns what it threw. */
export function assertThrows(fn: () => unknown, msg?: string): unknown;
/** Asserts that `fn` throws an `ErrorClass` whose message includes `msgIncludes`; returns the error. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass: abstract new (...args: any[]) => E,
  msgIncludes?: string,
  msg?: string,
): E;
export function assertThrows(
  fn: () => unknown,
  classOrMsg?: AnyConstructor | string,
  msgIncludes?: string,
  msg?: string,
): unknown {
  const ErrorClass = typeof classOrMsg === "function" ? classOrMsg : undefined;
  if (typeof classOrMsg === "string") msg = classOrMsg;
  try {
    fn();
  } catch (err) {
    checkError(err, ErrorClass, msgIncludes, msg);
    return err;
  }
  throw new AssertionError(
    msg ? `${msg}: Expected function to throw` : "Expected function to throw",
  );
}

/** Asserts that `fn` returns a promise that rejects; resolves to the rejection reason. */
export function assertRejects(fn: () => PromiseLike<unknown>, msg?: string): Promise<unknown>;
/** Asserts that `fn` rejects with an `ErrorClass` whose message includes `msgIncludes`. */
export function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  // deno-lint-ignore no-explicit-any
  ErrorClass: abstract new (...args: any[]) => E,
  msgIncludes?: string,
  msg?: string,
): Promise<E>;
export async function assertRejects(
  fn: () => PromiseLike<unknown>,
  classOrMsg?: AnyConstructor | string,
  msgIncludes?: string,
  msg?: string,
): Promise<unknown> {
  const ErrorClass = typeof classOrMsg === "function" ? classOrMsg : undefined;
  if (typeof classOrMsg === "string") msg = classOrMsg;
  try {
    await fn();
  } catch (err) {
    checkError(err, ErrorClass, msgIncludes, msg);
    return err;
  }
  throw new AssertionError(
    msg ? `${msg}: Expected function to reject` : "Expected function to reject",
  );
}

/** Throws an `AssertionError` unconditionally. */
export function fail(msg?: string): never {
  throw new AssertionError(`Failed assertion${msg ? `: ${msg}` : "."}`);
}

/** Marks code that must never run. */
export function unreachable(msg?: string): never {
  throw new AssertionError(msg ?? "Unreachable");
}
