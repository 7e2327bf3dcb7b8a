/**
 * JSDoc comments for the generated names files: one line where it fits in 100 columns, else
 * wrapped.
 *
 * @module
 */

/** `text` as the lines of a JSDoc comment, at most 100 columns each (a `code span` kept whole). */
export function wrap(text: string, width = 96): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.match(/(?:`[^`]*`|\S)+/g) ?? []) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => ` * ${l}`).join("\n");
}

/** `text` as a JSDoc comment: on one line where that fits in 100 columns, else wrapped. */
export function jsdoc(text: string): string {
  const one = `/** ${text} */`;
  return one.length <= 100 ? one : `/**\n${wrap(text)}\n */`;
}
