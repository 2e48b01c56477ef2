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
 * Measured there (2026-12-03, 2 cores, the generated 500-migration repository, medians of 5 cold runs): see
 * docs/performance.md, "Runtime tricks and what they pay".
 */
import { setFlagsFromString } from 'node:v8';

export function tuneV8ForShortRun(): void {
  if (process.env.DBCANON_V8_DEFAULTS === '1') return;
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--interrupt-budget=300000');
}
