import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { introspect, introspectCounted } from '../../src/db/introspect.js';
import { findColumn, findTable } from '../../src/model/schema-model.js';
import { createDatabase } from '../support/database.js';

describe('introspect', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let sql: Sql;
  beforeAll(async () => {
    db = await createDatabase({ from: 'empty' });
    sql = postgres(db.url, { max: 2, onnotice: () => {} }) as unknown as Sql;
    await sql.unsafe(`
      create extension if not exists pgcrypto;
      create schema auth;
      create function auth.uid() returns uuid language sql as 'select null::uuid';
      create table auth.users (id uuid primary key);
      create table items (
        id bigint generated always as identity primary key,
        name varchar(80) not null,
        tags text[] default '{}',
        price numeric(10,2) default 0 check (price >= 0),
        slug text generated always as (lower(name)) stored,
        owner uuid default gen_random_uuid()
      );
      alter table items enable row level security;
      create policy "Owners read" on items for select to public using (owner = auth.uid());
      comment on column items.name is 'display name';
    `);
  });
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await db?.drop();
  });

  it('reads columns as format_type and pg_get_expr report them, in canonical form', async () => {
    const m = await introspect(sql);
    const items = findTable(m, 'items');
    expect(items?.rlsEnabled).toBe(true);
    expect(
      items?.columns.map((c) => [c.name, c.type, c.nullable, c.default, c.identity, c.generated]),
    ).toEqual([
      ['id', 'bigint', false, null, 'always', null],
      ['name', 'character varying(80)', false, null, null, null],
      ['tags', 'text[]', true, "'{}'", null, null],
      ['price', 'numeric(10,2)', true, '0', null, null],
      ['slug', 'text', true, null, null, 'lower(name)'],
      ['owner', 'uuid', true, 'gen_random_uuid()', null, null],
    ]);
    expect(items && findColumn(items, 'name')?.comment).toBe('display name');
    expect(items?.constraints.map((c) => [c.name, c.kind, c.expression])).toEqual([
      ['items_pkey', 'primary_key', null],
      ['items_price_check', 'check', 'price >= 0'],
    ]);
    expect(m.policies).toEqual([
      {
        schema: 'public',
        table: 'items',
        name: 'Owners read',
        command: 'select',
        permissive: true,
        roles: ['public'],
        using: 'owner = auth.uid()',
        withCheck: null,
      },
    ]);
  });

  it('leaves out auth, the system schemas and what extensions own, unless asked', async () => {
    const m = await introspect(sql);
    expect(m.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['public.items']);
    expect(m.functions).toEqual([]); // pgcrypto's functions belong to the extension
    const withAuth = await introspect(sql, { schemas: ['auth'] });
    expect(withAuth.tables.map((t) => t.name)).toEqual(['users']);
    expect(withAuth.functions.map((f) => `${f.schema}.${f.name}`)).toEqual(['auth.uid']);
  });

  it('issues the same number of catalog queries for 1 table and for 40', async () => {
    const before = await introspectCounted(sql);
    await sql.unsafe(
      Array.from(
        { length: 39 },
        (_, i) => `create table t${i} (id int primary key, v text); create index on t${i} (v);`,
      ).join('\n'),
    );
    const after = await introspectCounted(sql);
    expect(after.model.tables).toHaveLength(40);
    expect(after.queries).toBe(before.queries);
    expect(after.queries).toBe(8);
  });
});
