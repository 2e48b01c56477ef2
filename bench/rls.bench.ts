/**
 * `npm run bench -- rls`: what row-level security costs on a user's offers list. 1,000,000 user_offers_memory
 * rows over 1,000 users (100 tenants × 10 users); the same list query run as `authenticated` with claims (the
 * policy adds the filter) and as the owner with an explicit WHERE, interleaved over the same users in one run.
 * Prints the median and p95 of each, the ratio against the target, and the key lines of both plans.
 */
import path from 'node:path';
import postgres from 'postgres';
import { findServer, urlFor } from '../test/support/server.js';

const ROWS = 1_000_000;
const USERS = 1_000;
const USERS_PER_TENANT = 10;
const SAMPLES = 200;
const TARGET_RATIO = 1.5;
const ROOT = path.resolve(import.meta.dirname, '..');

const LIST_COLUMNS = 'id, target_type, target_id, state, trust_score, notes, updated_at';

function userId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
function tenantId(n: number): string {
  return `10000000-0000-4000-8000-${Math.floor(n / USERS_PER_TENANT)
    .toString(16)
    .padStart(12, '0')}`;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const KEY_LINE =
  /(Scan|Index Cond|Filter|InitPlan|SubPlan|Sort|Limit|Rows Removed|Execution Time|Planning Time)/;

async function main(): Promise<void> {
  const server = await findServer();
  const name = `dbcanon_bench_rls_${process.pid}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = urlFor(server.adminUrl, name);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    const { migrateUp } = await import('../src/migrate/index.js');
    await migrateUp({ databaseUrl: url, root: ROOT });

    let t = performance.now();
    // Users u = g % USERS, so every user has ROWS / USERS rows spread through the heap, as real writes would.
    await sql.unsafe(`
      insert into user_offers_memory (tenant_id, user_id, target_type, target_id, state, trust_score, updated_at)
      select ('10000000-0000-4000-8000-' || lpad(to_hex((g % ${USERS}) / ${USERS_PER_TENANT}), 12, '0'))::uuid,
             ('00000000-0000-4000-8000-' || lpad(to_hex(g % ${USERS}), 12, '0'))::uuid,
             case when g % 2 = 0 then 'service' else 'product' end,
             md5(g::text)::uuid,
             (array['viewed', 'saved', 'used', 'dismissed', 'rated'])[1 + g % 5],
             case when g % 5 = 4 then g % 101 end,
             now() - (g % 100000) * interval '1 second'
      from generate_series(0, ${ROWS - 1}) g`);
    await sql`vacuum analyze user_offers_memory`;
    const loadSeconds = (performance.now() - t) / 1000;

    const rlsQuery = `select ${LIST_COLUMNS} from public.user_offers_memory order by updated_at desc`;
    const ownerQuery = `select ${LIST_COLUMNS} from public.user_offers_memory
                        where tenant_id = $1 and user_id = $2 order by updated_at desc`;

    const asUser = async <T>(n: number, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> =>
      (await sql.begin(async (tx) => {
        await tx.unsafe('set local role authenticated');
        const claims = { role: 'authenticated', sub: userId(n), tenant_id: tenantId(n), tenant: 'bench' };
        await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
        return fn(tx);
      })) as T;

    // Warm both paths (plans, buffers) on users outside the measured set.
    for (let n = 0; n < 20; n++) {
      await asUser(USERS - 1 - n, (tx) => tx.unsafe(rlsQuery));
      await sql.unsafe(ownerQuery, [tenantId(USERS - 1 - n), userId(USERS - 1 - n)]);
    }

    const rls: number[] = [];
    const owner: number[] = [];
    let rowsSeen = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const n = (i * 7) % (USERS - 20);
      const order = i % 2 === 0 ? ['rls', 'owner'] : ['owner', 'rls'];
      for (const which of order) {
        if (which === 'rls') {
          const ms = await asUser(n, async (tx) => {
            const s = performance.now();
            const r = await tx.unsafe(rlsQuery);
            rowsSeen = r.length;
            return performance.now() - s;
          });
          rls.push(ms);
        } else {
          t = performance.now();
          const r = await sql.unsafe(ownerQuery, [tenantId(n), userId(n)]);
          owner.push(performance.now() - t);
          if (r.length !== rowsSeen) throw new Error(`owner saw ${r.length} rows, authenticated ${rowsSeen}`);
        }
      }
    }
    if (rowsSeen !== ROWS / USERS)
      throw new Error(`a user's list has ${rowsSeen} rows, expected ${ROWS / USERS}`);

    rls.sort((a, b) => a - b);
    owner.sort((a, b) => a - b);
    const rlsMedian = quantile(rls, 0.5);
    const ownerMedian = quantile(owner, 0.5);
    const ratio = rlsMedian / ownerMedian;

    const planRls = await asUser(7, (tx) => tx.unsafe(`explain (analyze, buffers) ${rlsQuery}`));
    const planOwner = await sql.unsafe(`explain (analyze, buffers) ${ownerQuery}`, [tenantId(7), userId(7)]);
    const keyLines = (plan: readonly Record<string, unknown>[]) =>
      plan
        .map((r) => String(r['QUERY PLAN']))
        .filter((l) => KEY_LINE.test(l))
        .map((l) => `    ${l.trim()}`)
        .join('\n');

    const f = (ms: number) => `${ms.toFixed(2)} ms`.padStart(10);
    process.stdout.write(
      [
        `rows: ${ROWS.toLocaleString('en')} user_offers_memory over ${USERS} users (${ROWS / USERS} each); load + analyze ${loadSeconds.toFixed(1)} s`,
        `query: a user's list, ${rowsSeen} rows, ordered by updated_at desc; ${SAMPLES} samples each, interleaved`,
        '',
        `                                   median        p95`,
        `authenticated (RLS policy)     ${f(rlsMedian)} ${f(quantile(rls, 0.95))}`,
        `owner + explicit WHERE (base)  ${f(ownerMedian)} ${f(quantile(owner, 0.95))}`,
        `ratio RLS / baseline: ${ratio.toFixed(2)}  (target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
        '',
        'plan as authenticated (key lines):',
        keyLines(planRls),
        'plan as owner with WHERE (key lines):',
        keyLines(planOwner),
        '',
      ].join('\n'),
    );
    if (ratio > TARGET_RATIO) process.exitCode = 1;
  } finally {
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    await server.stop();
  }
}

await main();
