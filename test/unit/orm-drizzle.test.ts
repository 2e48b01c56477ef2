/** Drizzle declarations: found by the code scanner as definitions (never references), mapped to a SchemaModel. */
import { describe, expect, it } from 'vitest';
import { type ExtractOptions, extractFile } from '../../src/code/extract.js';
import { findTable, type SchemaModel } from '../../src/model/schema-model.js';
import { drizzleToSchemaModel } from '../../src/orm/drizzle-model.js';

const options: ExtractOptions = { sqlTags: ['sql'], prismaAccessors: {} };

const SCHEMA = `import { sql } from 'drizzle-orm';
import { bigserial, integer, pgEnum, pgMaterializedView, pgSchema, pgTable, pgView, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

export const mood = pgEnum('mood', ['sad', 'ok', 'happy']);
const billing = pgSchema('billing');

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: varchar('email', { length: 320 }).notNull().unique(),
  displayName: text(),
  feeling: mood('feeling').default('ok'),
  tags: text('tags').array(),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export const invoices = billing.table('invoices', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  total: integer().notNull().default(0),
  note: text('note').default(sql\`'none'\`),
});

export const posts = pgTable('posts', (t) => ({
  id: t.integer().primaryKey(),
  title: t.varchar({ length: 200 }).notNull(),
}));

export const activeUsers = pgView('active_users').as((qb) => qb.select().from(users));
export const totals = billing.materializedView('invoice_totals', { total: integer('total') }).existing();
`;

async function scan(text: string) {
  return extractFile('src/db/schema.ts', text, options, 'whole');
}

describe('Drizzle declarations', () => {
  it('are definitions with their columns, and no reference to the table they declare', async () => {
    const s = await scan(SCHEMA);
    // The one reference is the view's query, a use of users.
    expect(s.references.map((r) => `${r.name} ${r.kind} ${r.line}`)).toEqual(['users read 28']);
    expect(s.drizzle?.map((d) => `${d.kind} ${d.schema ?? ''}.${d.name} @${d.line}:${d.column}`)).toEqual([
      'enum .mood @4:28',
      'table .users @7:30',
      'table billing.invoices @16:39',
      'table .posts @23:30',
      'view .active_users @28:35',
      'materialized-view billing.invoice_totals @29:48',
    ]);
    const invoices = s.drizzle?.find((d) => d.name === 'invoices');
    expect(invoices?.columns.find((c) => c.key === 'userId')?.references).toEqual({
      table: 'users',
      schema: null,
      key: 'id',
    });
    expect(s.drizzle?.find((d) => d.kind === 'enum')?.values).toEqual(['sad', 'ok', 'happy']);
  });

  it('map to tables, columns and keys as drizzle-kit creates them', async () => {
    const s = await scan(SCHEMA);
    const m = drizzleToSchemaModel(s.drizzle ?? []);
    const cols = (t: string) =>
      Object.fromEntries(
        (findTable(m, t)?.columns ?? []).map((c) => [
          c.name,
          `${c.type}${c.nullable ? '' : ' not null'}${c.default ? ` = ${c.default}` : ''}`,
        ]),
      );
    expect(cols('users')).toEqual({
      id: 'uuid not null = gen_random_uuid()',
      email: 'character varying(320) not null',
      displayName: 'text',
      feeling: "mood = 'ok'",
      tags: 'text[]',
      created_at: 'timestamp(3) with time zone not null = now()',
    });
    expect(cols('billing.invoices')).toEqual({
      id: "bigint not null = nextval('billing.invoices_id_seq')",
      user_id: 'uuid not null',
      total: 'integer not null = 0',
      note: "text = 'none'",
    });
    expect(cols('posts')).toEqual({ id: 'integer not null', title: 'character varying(200) not null' });
    expect(findTable(m, 'billing.invoices')?.constraints.map((c) => `${c.kind} ${c.name}`)).toEqual([
      'primary_key invoices_pkey',
      'foreign_key invoices_user_id_users_id_fk',
    ]);
    expect(findTable(m, 'users')?.constraints.map((c) => c.name)).toEqual([
      'users_email_unique',
      'users_pkey',
    ]);
    expect(m.views?.map((v) => `${v.schema}.${v.name} ${v.materialized}`)).toEqual([
      'billing.invoice_totals true',
      'public.active_users false',
    ]);
    expect(m.enums).toEqual([
      expect.objectContaining({ schema: 'public', name: 'mood', values: ['sad', 'ok', 'happy'] }),
    ]);
  });

  it("names unnamed columns by their key in snake_case under casing: 'snake_case'", async () => {
    const s = await scan(SCHEMA);
    const m: SchemaModel = drizzleToSchemaModel(s.drizzle ?? [], { snakeCaseColumns: true });
    expect(findTable(m, 'users')?.columns.map((c) => c.name)).toEqual([
      'id',
      'email',
      'display_name',
      'feeling',
      'tags',
      'created_at',
    ]);
  });

  it('skips a declaration whose name the file cannot compute, and still reads a constant name', async () => {
    const s = await scan(
      "import { pgTable, text } from 'drizzle-orm/pg-core';\nimport { NAME } from './names';\nconst LOCAL = 'local_t';\n" +
        "export const a = pgTable(NAME, { id: text('id') });\nexport const b = pgTable(LOCAL, { id: text('id') });\n",
    );
    expect(s.drizzle?.map((d) => d.name)).toEqual(['local_t']);
    expect(s.references).toEqual([]);
  });
});
