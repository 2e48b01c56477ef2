/**
 * `check --db` on a Supabase project: the database holds Supabase's schemas (here the starting schema, plus
 * what a newer Supabase adds to storage) and the project's migration. Supabase's tables and functions are the
 * platform's: nothing about them is drift, while the project's policies on storage.objects still are checked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runCheck } from '../../src/lint/engine.js';
import { migrateUp } from '../../src/migrate/index.js';
import { createDatabase } from '../support/database.js';
import { SUPABASE_MIGRATION } from '../support/supabase-migration.js';
import { tempProject } from '../support/temp-project.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let db: Awaited<ReturnType<typeof createDatabase>>;
let root: string;

beforeAll(async () => {
  root = tempProject({
    'supabase/config.toml': 'project_id = "demo"\n',
    'supabase/migrations/20240101000000_profiles.sql': SUPABASE_MIGRATION,
  });
  db = await createDatabase({ from: 'empty' });
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(readFileSync(path.join(ROOT, 'starting-schemas/supabase.sql'), 'utf8'));
    // A newer Supabase than the starting schema describes: more columns, tables and functions of its own.
    await sql.unsafe(`
      alter table storage.objects add column level integer;
      create table storage.prefixes (bucket_id text not null, name text not null, primary key (bucket_id, name));
      create function storage.get_level(name text) returns integer language sql immutable
        as $$ select array_length(string_to_array(name, '/'), 1) $$;
    `);
  } finally {
    await sql.end();
  }
  const { config } = await loadConfig(root);
  await migrateUp({ databaseUrl: db.url, root, config });
});

afterAll(async () => {
  await db?.drop();
});

describe('check --db on a Supabase project', () => {
  it("reports nothing about Supabase's own schemas, and still holds the project's storage policies", async () => {
    const { config } = await loadConfig(root);
    expect(config.migrations).toEqual(['supabase/migrations']);
    const run = () => runCheck({ root, config, databaseUrl: db.url });
    let r = await run();
    const drift = (findings: typeof r.findings) =>
      findings.filter((f) => f.source === 'migrations/database').map((f) => [f.rule, f.table ?? null]);
    expect(drift(r.findings)).toEqual([]);
    expect(r.findings.filter((f) => /^(auth|storage)\.|"(auth|storage)\./.test(f.table ?? ''))).toEqual([]);

    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe('drop policy "Users can read their own avatar" on storage.objects');
    } finally {
      await sql.end();
    }
    r = await run();
    expect(drift(r.findings)).toEqual([['drift-policy', 'storage.objects']]);
  });
});
