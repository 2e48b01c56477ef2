/**
 * Three producers, one model: the SQL of every migration, every schema/ and policies/ file, every SQL block of
 * the seed documents and every fixture under test/fixtures/sql is applied to a fresh empty database and
 * introspected, and replayed statically; after each file the two SchemaModels must be equal. Files are
 * discovered, so a new migration is covered the day it lands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { introspect } from '../../src/db/introspect.js';
import {
  isProjectSchema,
  onlySchemas,
  type SchemaModel,
  withoutLocations,
} from '../../src/model/schema-model.js';
import { withoutPlatform } from '../../src/model/starting-schema.js';
import { type ReplayInput, replaySql } from '../../src/sql/replay.js';
import { loadStartingSchema } from '../../src/sql/starting-schema.js';
import { createDatabase } from '../support/database.js';
import { SUPABASE_MIGRATION } from '../support/supabase-migration.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The seed documents, byte for byte (the document parser's fixtures). */
const SEEDS = 'test/fixtures/doc/seeds';

function sqlFiles(dir: string): string[] {
  try {
    return readdirSync(path.join(ROOT, dir))
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** The Up section of a migration file, with the line it starts on (node-pg-migrate's markers). */
function upSection(text: string): { sql: string; line: number } {
  const up = /^[ \t]*--[ \t-]*up[ \t]+migration\b.*$/im.exec(text);
  const down = /^[ \t]*--[ \t-]*down[ \t]+migration\b.*$/im.exec(text);
  const start = up ? text.indexOf('\n', up.index) + 1 || text.length : 0;
  const end = down && (!up || down.index > up.index) ? down.index : text.length;
  return { sql: text.slice(start, Math.max(start, end)), line: text.slice(0, start).split('\n').length };
}

/** ```sql blocks of a markdown document, with the line of their first SQL line. */
function sqlBlocks(file: string): ReplayInput[] {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split(/\r?\n/);
  const blocks: ReplayInput[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```sql\s*$/i.test(lines[i] ?? '')) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? '')) end++;
    blocks.push({ file, sql: lines.slice(start, end).join('\n'), line: start + 1 });
    i = end;
  }
  return blocks;
}

interface Sequence {
  name: string;
  inputs: ReplayInput[];
}

const project: ReplayInput[] = [
  ...sqlFiles('migrations').map((file) => ({
    file,
    ...upSection(readFileSync(path.join(ROOT, file), 'utf8')),
  })),
  ...[...sqlFiles('schema'), ...sqlFiles('policies')].map((file) => ({
    file,
    sql: readFileSync(path.join(ROOT, file), 'utf8'),
  })),
];

const sequences: Sequence[] = [
  { name: 'this repository: migrations/, schema/, policies/', inputs: project },
  ...readdirSync(path.join(ROOT, SEEDS))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ name: `seed ${f}`, inputs: sqlBlocks(path.join(SEEDS, f)) })),
  {
    name: 'fixtures test/fixtures/sql',
    inputs: sqlFiles('test/fixtures/sql').map((file) => ({
      file,
      sql: readFileSync(path.join(ROOT, file), 'utf8'),
    })),
  },
];

/**
 * Both sides over the same schemas (introspection skips auth and the system schemas), without locations, and
 * without what only the catalog knows: privileges (grants are not replayed), and without SQL-standard bodies,
 * which the catalog deparses.
 */
function comparable(model: SchemaModel): SchemaModel {
  const m = withoutLocations(onlySchemas(model, isProjectSchema));
  return {
    ...m,
    functions: m.functions.map(({ executableBy: _x, standardBody: _s, ...f }) => f),
    views: (m.views ?? []).map(({ selectableBy: _x, ...v }) => v),
  };
}

/**
 * The catalog always knows a view's columns; the replay only where the select list tells them (not through `*`).
 * Where the replay has none, the catalog's are left out too; everywhere else they must be equal.
 */
function columnsAsReplayed(live: SchemaModel, replayed: SchemaModel): SchemaModel {
  const known = new Set((replayed.views ?? []).filter((v) => v.columns).map((v) => `${v.schema}.${v.name}`));
  return {
    ...live,
    views: (live.views ?? []).map(({ columns, ...v }) =>
      known.has(`${v.schema}.${v.name}`) && columns ? { ...v, columns } : v,
    ),
  };
}

describe('three producers give one model', () => {
  const dbs: { drop: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });

  it('covers the seed documents and the fixtures (and the migrations once they exist)', () => {
    const withSql = sequences.filter((s) => s.name.startsWith('seed ') && s.inputs.length > 0);
    // 000 and 001 hold SQL blocks (2 and 11); 002-004 document tables as markdown tables or prose.
    expect(withSql.map((s) => s.inputs.length)).toEqual([2, 11]);
    expect(sequences.at(-1)?.inputs.length).toBeGreaterThanOrEqual(4);
  });

  for (const seq of sequences.filter((s) => s.inputs.length > 0)) {
    describe(seq.name, () => {
      let sql: Sql;
      beforeAll(async () => {
        const db = await createDatabase({ from: 'empty' });
        dbs.push(db);
        sql = postgres(db.url, { max: 1, onnotice: () => {} }) as unknown as Sql;
      });
      afterAll(async () => {
        await sql?.end({ timeout: 5 });
      });

      seq.inputs.forEach((input, i) => {
        it(`${input.file}${input.line && input.line > 1 ? `:${input.line}` : ''}: applied and introspected = replayed`, async () => {
          await sql.unsafe(input.sql);
          const live = await introspect(sql);
          const { model, problems } = await replaySql(seq.inputs.slice(0, i + 1));
          expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
          expect(comparable(model)).toEqual(columnsAsReplayed(comparable(live), comparable(model)));
        });
      });
    });
  }
});

/**
 * The Supabase starting schema applied to a real database, then a migration written for Supabase: what the
 * database holds is what the replay from the starting model gives, for the project's objects (its table, and its
 * policies on storage.objects) and for the storage tables the starting schema declares.
 */
describe('three producers from the Supabase starting schema', () => {
  let sql: Sql;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const db = await createDatabase({ from: 'empty' });
    drop = db.drop;
    sql = postgres(db.url, { max: 1, onnotice: () => {} }) as unknown as Sql;
  });
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await drop?.();
  });

  it('applied and introspected = replayed from the starting model', async () => {
    const starting = await loadStartingSchema(ROOT, { startingSchema: 'supabase' });
    await sql.unsafe(readFileSync(path.join(ROOT, 'starting-schemas/supabase.sql'), 'utf8'));
    await sql.unsafe(SUPABASE_MIGRATION);
    const live = await introspect(sql);
    const { model, problems } = await replaySql(
      [{ file: 'supabase/migrations/20240101000000_profiles.sql', sql: SUPABASE_MIGRATION }],
      starting.model,
    );
    expect(problems).toEqual([]);
    const own = (m: SchemaModel) => comparable(withoutPlatform(m, starting.model));
    expect(own(model).tables.map((t) => t.name)).toEqual(['avatar_audit', 'profiles']);
    expect(own(model).policies).toHaveLength(2);
    expect(own(model)).toEqual(own(live));
    // The platform's storage tables as the replay reads the starting schema are what Postgres made of it.
    const storage = (m: SchemaModel) => comparable(onlySchemas(m, (s) => s === 'storage')).tables;
    expect(storage(model).map((t) => t.name)).toEqual(['buckets', 'objects']);
    expect(storage(model)).toEqual(storage(live));
  });
});
