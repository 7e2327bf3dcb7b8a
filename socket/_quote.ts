/**
 * Quoting of offending values in error messages.
 *
 * @module
 */

const MAX = 80;

/**
 * `value` as it should appear in an error message: strings JSON-quoted (so
 * whitespace and NUL show), cut after 80 characters; other values as `String()`
 * gives them, with objects inspected shallowly.
 */
export function quote(value: unknown): string {
  if (typeof value === "string") {
    const cut = value.length > MAX ? value.slice(0, MAX) : value;
    return JSON.stringify(cut) + (cut === value ? "" : `… (${value.length} characters)`);
  }
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") return String(value);
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text.length > MAX ? text.slice(0, MAX) + "…" : text;
  } catch {
    // fall through: cyclic or otherwise unserialisable
  }
  return Object.prototype.toString.call(value);
}
