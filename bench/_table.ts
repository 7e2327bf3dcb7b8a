/**
 * The benchmark's table: per row and implementation, the median rate and CPU per operation,
 * and min / median / max of the per-run ratios against the row's reference — run i of the
 * implementation over run i of the reference, the two measured back to back — so the noise of a
 * shared machine shows instead of hiding in a best-of.
 *
 * @module
 */
import type { Sample } from "./_sample.ts";

/** One implementation's runs of a row: a Sample, or why the run failed. */
export interface ImplRuns {
  name: string;
  runs: (Sample | Error)[];
}

/** One row's results. */
export interface RowRuns {
  /** What the row measures, as the table's first column says it. */
  test: string;
  /** The rate's unit ("round trips/s"); CPU is per one of the same operation. */
  unit: string;
  /** The implementation the ratios are against. */
  ref: string;
  impls: ImplRuns[];
}

/** The middle value of `xs` (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Operations per second. */
export function rateOf(s: Sample): number {
  return s.ops / s.seconds;
}

/** CPU microseconds per operation. */
export function cpuOf(s: Sample): number {
  return s.cpuUs / s.ops;
}

/** `1,234` for large numbers, three significant digits for small ones. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100 || Number.isInteger(x)) return Math.round(x).toLocaleString("en-US");
  return x.toPrecision(3);
}

const times = (x: number) => `${x.toFixed(2)}×`;

function triple(xs: number[]): string {
  if (xs.length === 0) return "–";
  const s = [...xs].sort((a, b) => a - b);
  return `${times(s[0])} / ${times(median(s))} / ${times(s[s.length - 1])}`;
}

/** The markdown table of `rows`. */
export function table(rows: RowRuns[]): string {
  const lines = [
    "| test | implementation | rate, median | rate ÷ reference's, min / median / max " +
    "| CPU per operation, median | CPU ÷ reference's, min / median / max |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    const ref = row.impls.find((i) => i.name === row.ref);
    for (const impl of row.impls) {
      const ok = impl.runs.filter((r): r is Sample => !(r instanceof Error));
      const failed = impl.runs.length - ok.length;
      const name = failed
        ? `${impl.name} (${failed} of ${impl.runs.length} runs failed)`
        : impl.name;
      if (ok.length === 0) {
        const why = (impl.runs[0] as Error | undefined)?.message.split("\n")[0] ?? "not run";
        lines.push(`| ${row.test} | ${name} | failed: ${why.replaceAll("|", "/")} | | | |`);
        continue;
      }
      const rate = `${num(median(ok.map(rateOf)))} ${row.unit}`;
      const cpu = `${num(median(ok.map(cpuOf)))} µs`;
      let rateRatio = "1 (the reference)";
      let cpuRatio = rateRatio;
      if (impl !== ref) {
        const pairs = impl.runs.flatMap((r, i) => {
          const b = ref?.runs[i];
          return r instanceof Error || !b || b instanceof Error ? [] : [[r, b] as const];
        });
        rateRatio = triple(pairs.map(([r, b]) => rateOf(r) / rateOf(b)));
        cpuRatio = triple(pairs.map(([r, b]) => cpuOf(r) / cpuOf(b)));
      }
      lines.push(`| ${row.test} | ${name} | ${rate} | ${rateRatio} | ${cpu} | ${cpuRatio} |`);
    }
  }
  return lines.join("\n");
}
