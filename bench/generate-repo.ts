/**
 * The generated repository of the check benchmarks (bench/check.bench.ts, bench/tricks.bench.ts): 500 migrations
 * (about 5 MB of SQL, 100 tables, each file padded with a 9 KB plpgsql function), a 100-table document and the
 * 100 TypeScript files its "Used by" lines name. `generate` returns the bytes of SQL written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const TABLES = 100;
export const MIGRATIONS = 500;

const pad = (n: number) => String(n).padStart(3, '0');
const tableName = (i: number) => `bench_items_${pad(i)}`;
const STATUSES = ['pending', 'active', 'complete', 'blocked', 'cancelled'];

/** A plpgsql function of about 9 KB, so that 500 files make about 5 MB like a real project's history. */
function paddingFunction(k: number): string {
  const lines: string[] = [];
  for (let j = 0; j < 140; j++) {
    lines.push(`  if p_value > ${j} and p_value % ${j + 2} = 0 then v_total := v_total + ${j}; end if;`);
  }
  return [
    `create or replace function bench_score_${pad(k)}(p_value integer) returns integer`,
    'language plpgsql immutable as $$',
    'declare v_total integer := 0;',
    'begin',
    ...lines,
    '  return v_total;',
    'end',
    '$$;',
  ].join('\n');
}

function migration(k: number): string {
  const parts = ['-- Up Migration'];
  if (k < TABLES) {
    const t = tableName(k);
    parts.push(
      `create table ${t} (`,
      '  id uuid primary key default gen_random_uuid(),',
      '  tenant_id uuid not null,',
      '  name text not null,',
      `  status text not null default 'pending' check (status in (${STATUSES.map((s) => `'${s}'`).join(', ')})),`,
      "  details jsonb not null default '{}',",
      '  created_at timestamptz not null default now()',
      ');',
      `create index ix_${t}_tenant_id on ${t} (tenant_id);`,
      `alter table ${t} enable row level security;`,
    );
  } else {
    const t = tableName(k % TABLES);
    parts.push(
      `alter table ${t} add column extra_${pad(k)} text;`,
      `create index ix_${t}_extra_${pad(k)} on ${t} (extra_${pad(k)});`,
    );
  }
  parts.push(
    paddingFunction(k),
    '',
    '-- Down Migration',
    `drop function bench_score_${pad(k)}(integer);`,
    '',
  );
  return parts.join('\n');
}

function docEntry(i: number): string {
  const t = tableName(i);
  const extras: string[] = [];
  for (let k = TABLES + i; k < MIGRATIONS; k += TABLES) extras.push(`  extra_${pad(k)} TEXT,`);
  return [
    `### ${t}`,
    `**Purpose:** Generated table ${i} for the check benchmark`,
    '**Used by:**',
    `- \`src/routes/items-${pad(i)}.ts\` (CRUD operations)`,
    '',
    '**Schema:**',
    '```sql',
    `CREATE TABLE ${t} (`,
    '  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),',
    '  tenant_id UUID NOT NULL,',
    '  name TEXT NOT NULL,',
    `  status TEXT NOT NULL DEFAULT 'pending',  -- Values: ${STATUSES.join(', ')}`,
    "  details JSONB NOT NULL DEFAULT '{}',",
    ...extras,
    '  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()',
    ');',
    '```',
    '',
    '**API Endpoints:**',
    `- \`GET /api/v1/items-${pad(i)}\` - List items`,
    '',
    '---',
    '',
  ].join('\n');
}

export async function generate(dir: string): Promise<number> {
  await mkdir(path.join(dir, 'migrations'));
  let bytes = 0;
  for (let k = 0; k < MIGRATIONS; k++) {
    const stamp = `2025${String(Math.floor(k / 100) + 1).padStart(2, '0')}01${String(k % 100).padStart(6, '0')}`;
    const sql = migration(k);
    bytes += Buffer.byteLength(sql);
    await writeFile(path.join(dir, 'migrations', `${stamp}_bench_step_${pad(k)}.sql`), sql);
  }
  const doc = [
    '# Benchmark Database Schema',
    '',
    '## PRODUCTION TABLES',
    '',
    ...Array.from({ length: TABLES }, (_, i) => docEntry(i)),
    '## CHANGE LOG',
    '',
    '| Date | Change | Author | VTID |',
    '|------|--------|--------|------|',
    '| 2025-01-01 | Generated | bench | VTID-0001 |',
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'DATABASE_SCHEMA.md'), doc);
  // The code the document's "Used by" lines name, so the code rules have real files to read.
  await mkdir(path.join(dir, 'src/routes'), { recursive: true });
  await writeFile(
    path.join(dir, 'src/db.ts'),
    'export const supabase = { from: (t: string) => ({ t }) } as any;\n',
  );
  for (let i = 0; i < TABLES; i++) {
    await writeFile(
      path.join(dir, 'src/routes', `items-${pad(i)}.ts`),
      [
        "import { supabase } from '../db.js';",
        '',
        `export async function listItems${pad(i)}(tenantId: string) {`,
        `  return supabase.from('${tableName(i)}').select('*').eq('tenant_id', tenantId);`,
        '}',
        '',
      ].join('\n'),
    );
  }
  return bytes;
}
