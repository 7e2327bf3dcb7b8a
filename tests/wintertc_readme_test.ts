/**
 * The README's "Code written for Workers" client is the one
 * tests/wintertc_connect_test.ts runs on Deno, Node and Bun. This file reads
 * README.md from the repository, so only `deno task test` runs it (the npm
 * build's runs have no README beside the tests).
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { README_CLIENT } from "./_wintertc_helpers.ts";

Deno.test('README: the Workers client of "Code written for Workers" is the one the conformance tests run', () => {
  const readme = Deno.readTextFileSync(new URL("../README.md", import.meta.url));
  const section = readme.slice(readme.indexOf("## Code written for Workers"));
  const block = /```js\n([\s\S]*?)```/.exec(section);
  assertEquals(block?.[1], README_CLIENT);
});
