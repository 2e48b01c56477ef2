/**
 * VTID allocation: `select vtid_next()` against the floor it is built on, a bare `select nextval(…)` of a plain
 * sequence, at 1, 8 and 32 clients (pgbench, one transaction per allocation, prepared statements). The two
 * scripts alternate, twice each, and the figures are the means, so drift in the machine's load hits both.
 * Then 32 clients store 16,000 allocations and the duplicates among them are counted.
 * Target: vtid_next >= 0.8 x nextval at 8 clients; 0 duplicates.
 */
import { pgbench, requirePgbench, scratchDatabase, table } from './pgbench.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = 2;
const CLIENTS = [1, 8, 32];

requirePgbench();
const db = await scratchDatabase('dbcanon_bench_vtid');
try {
  await db.sql`create sequence bench_plain_seq`;
  await db.sql`select vtid_next()`; // this year's counter exists before timing starts, as in production
  await db.sql`create table bench_vtid_log (vtid text not null)`;

  const bare = `select nextval('bench_plain_seq');`;
  const vtid = 'select vtid_next();';
  const rows: (string | number)[][] = [];
  let ratioAt8 = 0;
  for (const clients of CLIENTS) {
    const a: number[] = [];
    const b: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      a.push(pgbench(db.url, bare, { clients, seconds: SECONDS }));
      b.push(pgbench(db.url, vtid, { clients, seconds: SECONDS }));
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const ratio = mean(b) / mean(a);
    if (clients === 8) ratioAt8 = ratio;
    rows.push([clients, mean(a).toFixed(0), mean(b).toFixed(0), ratio.toFixed(2)]);
  }

  pgbench(db.url, 'insert into bench_vtid_log select vtid_next();', { clients: 32, transactions: 500 });
  const [dup] =
    await db.sql`select count(*)::int as total, (count(*) - count(distinct vtid))::int as duplicates
                             from bench_vtid_log`;

  process.stdout.write(
    `vtid_next() vs bare nextval(), pgbench -M prepared, ${ROUNDS} x ${SECONDS}s each, means\n`,
  );
  process.stdout.write(table(['clients', 'nextval tps', 'vtid_next tps', 'ratio'], rows));
  process.stdout.write(
    `ratio at 8 clients: ${ratioAt8.toFixed(2)} (target >= 0.80: ${ratioAt8 >= 0.8 ? 'met' : 'NOT met'})\n`,
  );
  process.stdout.write(
    `duplicates among ${dup?.total} allocations by 32 clients: ${dup?.duplicates} (target 0: ${dup?.duplicates === 0 ? 'met' : 'NOT met'})\n`,
  );
  process.stdout.write(
    '(shared 2-core machine: figures are noisy; compare the ratio, not the absolute tps)\n',
  );
} finally {
  await db.drop();
}
