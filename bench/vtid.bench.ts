/**
 * VTID allocation: `select vtid_next()` against the floor it is built on, a bare `select nextval(…)` of a plain
 * sequence, at 1, 8 and 32 clients (pgbench, one transaction per allocation, prepared statements). The two
 * scripts alternate in short rounds; each round's ratio compares two runs seconds apart, and the ratio reported is
 * the median of the rounds', so that drift in the (shared) machine's load hits both sides.
 * Then 32 clients store 16,000 allocations and the duplicates among them are counted.
 * Target: vtid_next >= 0.8 x nextval at 8 clients; 0 duplicates.
 */
import { pgbench, requirePgbench, scratchDatabase, table } from './pgbench.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CLIENTS = [1, 8, 32];

requirePgbench();
const db = await scratchDatabase('dbcanon_bench_vtid');
try {
  await db.sql`create sequence bench_plain_seq`;
  await db.sql`select vtid_next()`; // this year's counter exists before timing starts, as in production
  await db.sql`create table bench_vtid_log (vtid text not null)`;

  const bare = `select nextval('bench_plain_seq');`;
  const vtid = 'select vtid_next();';
  const median = (xs: number[]) => {
    const s = [...xs].sort((x, y) => x - y);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
  };
  const rows: (string | number)[][] = [];
  let ratioAt8 = 0;
  for (const clients of CLIENTS) {
    const a: number[] = [];
    const b: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      a.push(pgbench(db.url, bare, { clients, seconds: SECONDS }));
      b.push(pgbench(db.url, vtid, { clients, seconds: SECONDS }));
      ratios.push((b.at(-1) ?? 0) / (a.at(-1) ?? 1));
    }
    const ratio = median(ratios);
    if (clients === 8) ratioAt8 = ratio;
    rows.push([
      clients,
      median(a).toFixed(0),
      median(b).toFixed(0),
      ratio.toFixed(2),
      `${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)}`,
    ]);
  }

  pgbench(db.url, 'insert into bench_vtid_log select vtid_next();', { clients: 32, transactions: 500 });
  const [dup] =
    await db.sql`select count(*)::int as total, (count(*) - count(distinct vtid))::int as duplicates
                             from bench_vtid_log`;

  process.stdout.write(
    `vtid_next() vs bare nextval(), pgbench -M prepared, ${ROUNDS} alternating rounds x ${SECONDS}s, medians\n`,
  );
  process.stdout.write(table(['clients', 'nextval tps', 'vtid_next tps', 'ratio', 'round ratios'], rows));
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
