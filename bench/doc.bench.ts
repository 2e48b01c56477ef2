/**
 * The document layer on a 100-table document (seed 001's entries repeated): parseDoc cold (first call in this
 * process) and warm, `doc sync` when nothing changed and when one table gained a column, and `marked`'s lexer
 * over the same text as the baseline (a markdown tokenizer that knows nothing about tables or SQL).
 * The issue sets no target of its own for these; they are part of `dbcanon check`'s 1.0 s budget.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const seed = readFileSync(path.join(root, 'test/fixtures/doc/seeds/001_442cef1edb5577ed.md'), 'utf8');
const entry = seed.slice(seed.indexOf('### d44_predictive_signals'), seed.indexOf('### d44_signal_evidence'));
const entries = Array.from({ length: 100 }, (_, i) =>
  entry.replaceAll('d44_predictive_signals', `table_${i}`),
);
const text = seed.replace('### vtid_ledger', `${entries.join('\n')}\n### vtid_ledger`);

const ms = (t0: number) => performance.now() - t0;
const cpu = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const { parseDoc } = await import('../src/doc/parse.js');
const { syncDoc } = await import('../src/doc/sync.js');
const { replaySql } = await import('../src/sql/replay.js');
const { marked } = await import('marked');

let t0 = performance.now();
const c0 = process.cpuUsage();
const doc = await parseDoc(text, 'DATABASE_SCHEMA.md');
const coldWall = ms(t0);
const coldCpu = cpu(c0);
const warm: number[] = [];
for (let i = 0; i < 5; i++) {
  t0 = performance.now();
  await parseDoc(text, 'DATABASE_SCHEMA.md');
  warm.push(ms(t0));
}

t0 = performance.now();
marked.lexer(text);
const markedCold = ms(t0);
const markedWarm: number[] = [];
for (let i = 0; i < 5; i++) {
  t0 = performance.now();
  marked.lexer(text);
  markedWarm.push(ms(t0));
}

const inputs = doc.tables
  .filter((t) => t.schema?.kind === 'sql' && !t.deprecation)
  .map((t) => ({
    file: 'd.md',
    sql: t.schema?.kind === 'sql' ? t.schema.sql : '',
    line: t.schema?.line ?? 1,
  }));
const model = (await replaySql(inputs)).model;
const options = {
  today: '2026-01-01',
  config: { migrationsSchema: 'public', migrationsTable: 'pgmigrations' },
};
t0 = performance.now();
const same = await syncDoc(text, 'DATABASE_SCHEMA.md', model, options);
const syncSame = ms(t0);
const changed = (
  await replaySql([{ file: 'm.sql', sql: 'ALTER TABLE table_50 ADD COLUMN extra TEXT;' }], model)
).model;
t0 = performance.now();
const one = await syncDoc(text, 'DATABASE_SCHEMA.md', changed, options);
const syncOne = ms(t0);

const rows: [string, string][] = [
  [
    'document',
    `${doc.tables.length} tables, ${text.split('\n').length} lines, ${(text.length / 1024).toFixed(0)} KB`,
  ],
  ['parseDoc cold: wall / CPU (ms)', `${coldWall.toFixed(0)} / ${coldCpu.toFixed(0)}`],
  ['parseDoc warm, median of 5 (ms)', median(warm).toFixed(1)],
  [
    'baseline: marked.lexer cold / warm median (ms)',
    `${markedCold.toFixed(0)} / ${median(markedWarm).toFixed(1)}`,
  ],
  ['ratio parseDoc / marked.lexer (warm)', (median(warm) / median(markedWarm)).toFixed(2)],
  ['doc sync, nothing to change (ms) / changes', `${syncSame.toFixed(0)} / ${same.changes.length}`],
  ['doc sync, one table gained a column (ms) / changes', `${syncOne.toFixed(0)} / ${one.changes.length}`],
  ['target', 'none of its own; part of `dbcanon check` <= 1.0 s (see check.bench.ts)'],
  ['note', '2 shared cores, other engineers running: wall figures are noisy'],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
