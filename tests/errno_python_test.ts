/**
 * `strerror()` and `errnoName()` against CPython's `os.strerror()` and `errno.errorcode` (both read
 * the C library), over every number from 0 to 4095 — known, unknown and 0.
 */
import { assert, assertEquals } from "@std/assert";
import { errnoName, strerror } from "../errno/mod.ts";
import { current } from "../errno/_current.ts";

const LAST = 4095;

function fdCount(): number {
  return Array.from(Deno.readDirSync("/proc/self/fd")).length;
}

Deno.test("strerror() and errnoName() agree with python3 from 0 to 4095", async () => {
  const fds = fdCount();
  const script = `
import errno, json, os, sys
json.dump({
  "numbers": [[os.strerror(n), errno.errorcode.get(n)] for n in range(${LAST + 1})],
  "names": [name for name in dir(errno) if name.startswith("E")],
}, sys.stdout)
`;
  const out = await new Deno.Command("python3", {
    args: ["-c", script],
    stdout: "piped",
    stderr: "piped",
    env: { LC_ALL: "C" },
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  const { numbers: python, names: pythonNames }: {
    numbers: [string, string | null][];
    names: string[];
  } = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(python.length, LAST + 1);
  const pythonKnows = new Set(pythonNames);

  const textDiffs: string[] = [];
  const nameDiffs: string[] = [];
  const aliasChoices: string[] = [];
  const unknownToPython: string[] = [];
  let named = 0;
  for (let n = 0; n <= LAST; n++) {
    const [pyText, pyName] = python[n];
    if (strerror(n) !== pyText) textDiffs.push(`${n}: ${strerror(n)} ≠ ${pyText}`);
    const ours = errnoName(n);
    if (ours !== undefined) named++;
    if (ours === (pyName ?? undefined)) continue;
    // Where a number has two names, Python keeps whichever its errno module inserted last;
    // errnoName() keeps the one the header defines with a number (see errno_name.ts).
    const isAliasChoice = ours !== undefined && pyName !== null &&
      Object.hasOwn(current, pyName) && current[pyName].aliasOf === ours;
    // Python's errno module knows a fixed list of names; newer headers may define more.
    const pythonLacksName = ours !== undefined && pyName === null && !pythonKnows.has(ours);
    if (isAliasChoice) aliasChoices.push(`${n}: ${ours} (python: ${pyName})`);
    else if (pythonLacksName) unknownToPython.push(`${n}: ${ours}`);
    else nameDiffs.push(`${n}: ${ours} ≠ ${pyName}`);
  }
  assertEquals(textDiffs, [], "strerror() differs from os.strerror()");
  assertEquals(nameDiffs, [], "errnoName() differs from errno.errorcode");
  const same = LAST + 1 - aliasChoices.length - unknownToPython.length;
  console.log(
    `compared ${LAST + 1} numbers (${named} with a name): strerror() equal for all; ` +
      `errnoName() equal for ${same}, the rest being ${aliasChoices.length} alias choices ` +
      `[${aliasChoices.join(", ")}] and ${unknownToPython.length} names python's errno module ` +
      `lacks [${unknownToPython.join(", ")}]`,
  );
  assertEquals(fdCount(), fds, "descriptors leaked");
});
