/**
 * The one place dbcanon changes how V8 runs: two flags for the CLI, whose runs are short, while V8's defaults are
 * tuned for long-lived pages and servers. API callers and the tests never get them.
 *
 * - `--liftoff-only`: WebAssembly's baseline compiler is enough. The default tier-up re-compiles the SQL parser's
 *   hot functions with the optimizing compiler in the middle of the run, which costs more than it gives back.
 * - `--interrupt-budget=300000`: JavaScript functions go to the optimizing compiler after about four times as
 *   much work as by default. On two cores TurboFan's background threads otherwise compete with the scan workers.
 *
 * Flags are process-wide, so the scan workers started later run with them too. `DBCANON_V8_DEFAULTS=1` leaves
 * V8 as it is; `npm run bench -- tricks` runs `dbcanon check` both ways and prints the ratio.
 * Measured there (2026-12-03, 2 cores, medians of 7 cold runs, interleaved): on the generated 500-migration
 * repository 1.48 s with V8's defaults, 1.19 s with these flags (0.80), peak RSS 225 → 169 MB; on vitana-platform
 * (2,007 TypeScript files) the runs swing by ±1 s and the flags' gain is inside that (6.74 → 6.65 s). Kept for the
 * first: the SQL-heavy part of a check is where they pay. docs/performance.md has the tables.
 */
import { setFlagsFromString } from 'node:v8';

export function tuneV8ForShortRun(): void {
  if (process.env.DBCANON_V8_DEFAULTS === '1') return;
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--interrupt-budget=300000');
}
