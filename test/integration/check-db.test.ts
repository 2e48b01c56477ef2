/**
 * `dbcanon check --db` against a live database: a fixture project is migrated into a fresh database, changed
 * by hand in four ways, and each change must be reported with the right rule and source, and nothing else.
 */
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/load.js';
import { runCheck } from '../../src/lint/engine.js';
import { migrateUp } from '../../src/migrate/index.js';
import { createDatabase } from '../support/database.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/check/live');
let root: string;
let db: Awaited<ReturnType<typeof createDatabase>>;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dbcanon-check-db-'));
  await cp(fixture, root, { recursive: true });
  db = await createDatabase({ from: 'empty' });
  await migrateUp({ databaseUrl: db.url, root });
});

afterAll(async () => {
  await db?.drop();
  await rm(root, { recursive: true, force: true });
});

const check = () => runCheck({ root, config: parseConfig({}), databaseUrl: db.url });

describe('check --db', () => {
  it('reports nothing on a database migrated from the files', async () => {
    const r = await check();
    expect(r.findings).toEqual([]);
    const io = memoryIo(root);
    expect(await main(['check', '--db', db.url, '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out()).summary.errors).toBe(0);
  });

  it('reports each hand-made change with its rule id and source, and nothing else', async () => {
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      await sql`alter table offers add column hotfix text`;
      await sql`drop policy "Views follow their offer" on offer_views`;
      await sql`alter table offers disable row level security`;
    } finally {
      await sql.end();
    }
    await appendFile(path.join(root, 'migrations/20250101000000_offers.sql'), '-- edited after it ran\n');

    const r = await check();
    expect(r.findings.map((f) => [f.rule, f.source, f.file, f.table ?? null])).toEqual([
      ['migration-checksum', 'migrations/database', 'migrations/20250101000000_offers.sql', null],
      ['drift-rls', 'migrations/database', 'migrations/20250101000000_offers.sql', 'offers'],
      ['drift-undocumented-column', 'migrations/database', 'migrations/20250101000000_offers.sql', 'offers'],
      ['drift-policy', 'migrations/database', 'policies/offer_views.sql', 'offer_views'],
    ]);
    expect(r.findings[2]?.message).toContain('`offers.hotfix`');
    expect(r.findings[3]?.message).toContain('"Views follow their offer"');

    const io = memoryIo(root);
    expect(await main(['check', '--db', db.url, '--format', 'github'], io)).toBe(1);
    expect(io.out().match(/^::error /gm)).toHaveLength(4);
  });

  it('leaves the database as it found it (reads only)', async () => {
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const before = await sql`select count(*)::int as n from pg_class`;
      await check();
      const after = await sql`select count(*)::int as n from pg_class`;
      expect(after[0]?.n).toBe(before[0]?.n);
    } finally {
      await sql.end();
    }
  });

  it('an unreachable database is a clear connection error, not a crash', async () => {
    const io = memoryIo(root);
    const code = await main(['check', '--db', 'postgres://nobody@127.0.0.1:1/none'], io);
    expect(code).toBe(1);
    expect(io.err()).toContain('DB_CONNECT');
  });
});
