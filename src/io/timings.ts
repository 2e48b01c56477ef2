/**
 * Where a run's time goes, phase by phase (`dbcanon check --timings`). Phases overlap (the document, the
 * replay and the code scan run side by side), so each is recorded with its start and end on the run's clock;
 * the report lists them in start order. Costs two clock reads per phase; nothing is recorded without a recorder.
 */
import { performance } from 'node:perf_hooks';

export interface Phase {
  name: string;
  /** Milliseconds since the recorder was made. */
  start: number;
  end: number;
}

export class Timings {
  readonly phases: Phase[] = [];
  private readonly origin = performance.now();

  /** Times `work` (a promise or a function) as the phase `name`, and returns its result. */
  async time<T>(name: string, work: Promise<T> | (() => Promise<T>)): Promise<T> {
    const start = performance.now() - this.origin;
    try {
      return await (typeof work === 'function' ? work() : work);
    } finally {
      this.phases.push({ name, start, end: performance.now() - this.origin });
    }
  }

  /** Times a synchronous step. */
  timeSync<T>(name: string, work: () => T): T {
    const start = performance.now() - this.origin;
    try {
      return work();
    } finally {
      this.phases.push({ name, start, end: performance.now() - this.origin });
    }
  }

  /** The phases as a table: start, duration and name, in start order, with the whole run's wall time. */
  format(): string {
    const rows = [...this.phases].sort((a, b) => a.start - b.start || a.end - b.end);
    const ms = (n: number) => `${n.toFixed(0).padStart(6)} ms`;
    const total = Math.max(0, ...rows.map((p) => p.end));
    const lines = ['timings (start, duration, phase; phases run side by side where their times overlap):'];
    for (const p of rows) lines.push(`  ${ms(p.start)}  ${ms(p.end - p.start)}  ${p.name}`);
    lines.push(`  ${ms(0)}  ${ms(total)}  total`);
    return `${lines.join('\n')}\n`;
  }
}
