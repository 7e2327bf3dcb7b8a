/**
 * bench/RESULTS.md is written by three tasks: `deno task bench` (the table at the top),
 * `deno task stress` ("## Stress: …") and bench/runtimes.ts ("## Node and Bun"). Each
 * section task replaces its own section and leaves the rest as it is.
 *
 * @module
 */

/** bench/RESULTS.md. */
export const RESULTS: string = new URL("./RESULTS.md", import.meta.url).pathname;

/**
 * Replaces the section of RESULTS.md whose heading starts with `heading` (up to the next
 * "## " heading), or appends `section` when there is none, then formats the file as
 * `deno fmt --check` (part of the gate) wants it.
 *
 * @param heading The start of the section's heading, e.g. `"## Stress: "`.
 * @param section The whole section, heading included.
 */
export async function writeSection(heading: string, section: string): Promise<void> {
  const old = await Deno.readTextFile(RESULTS);
  const at = old.search(new RegExp(`^${heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
  let text: string;
  if (at < 0) text = `${old.trimEnd()}\n\n${section}`;
  else {
    const rest = old.slice(at + 1).search(/^## /m);
    text = old.slice(0, at) + section + (rest < 0 ? "" : "\n" + old.slice(at + 1 + rest));
  }
  await Deno.writeTextFile(RESULTS, text);
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", RESULTS] }).output();
}
