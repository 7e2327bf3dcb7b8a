/**
 * Syscalls per operation from `strace -f -c`: a row is run twice under strace, with N rounds and
 * with none (the same start-up, connection and warm-up), and the difference of the two counts,
 * divided by N, is what one round trip costs — start-up and module loading cancel out.
 *
 * @module
 */

/** Calls and failed calls per syscall, as `strace -c` sums them. */
export type Counts = Map<string, { calls: number; errors: number }>;

/**
 * The per-syscall counts of an `strace -c` summary: lines of
 * `% time  seconds  usecs/call  calls  errors  syscall`, errors blank when none.
 */
export function parseSummary(text: string): Counts {
  const counts: Counts = new Map();
  for (const line of text.split("\n")) {
    const t = line.trim().split(/\s+/);
    if (t.length < 5 || !/^[\d.]+$/.test(t[0]) || t.at(-1) === "total") continue;
    const name = t.at(-1)!;
    counts.set(name, { calls: Number(t[3]), errors: t.length >= 6 ? Number(t[4]) : 0 });
  }
  return counts;
}

/** Syscalls of one operation: `run` less `base`, over `ops`, most frequent first. */
export interface PerOp {
  total: number;
  top: { name: string; calls: number; errors: number }[];
}

/** What `ops` operations added to the counts of `base`, per operation. */
export function perOp(run: Counts, base: Counts, ops: number): PerOp {
  const top = [...run].map(([name, c]) => {
    const b = base.get(name) ?? { calls: 0, errors: 0 };
    return { name, calls: (c.calls - b.calls) / ops, errors: (c.errors - b.errors) / ops };
  }).filter((s) => s.calls >= 0.005).sort((a, b) => b.calls - a.calls);
  return { total: top.reduce((n, s) => n + s.calls, 0), top };
}

/** `recvfrom 2.00 (1.00 failing), epoll_wait 1.00, …`: the first `n` syscalls of `p`. */
export function describe(p: PerOp, n = 6): string {
  const f = (x: number) => x.toFixed(2);
  return p.top.slice(0, n).map((s) =>
    `${s.name} ${f(s.calls)}${s.errors >= 0.005 ? ` (${f(s.errors)} failing)` : ""}`
  ).join(", ");
}
