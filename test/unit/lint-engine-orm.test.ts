/**
 * A project whose only schema is its ORM's, through the engine with the real producers: the Prisma models and
 * the Drizzle pgTable declarations are the tables the code is held to, and no declaration is reported as a use.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { buildContext, runCheck } from '../../src/lint/engine.js';
import { defaultProducers } from '../../src/lint/producers.js';

let root: string;
const config = parseConfig({ migrations: [], repeatables: [], code: { include: ['src/**/*.ts'] } });

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-orm-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write(
    'prisma/schema.prisma',
    'datasource db {\n  provider = "postgresql"\n}\n\nmodel Member {\n  id String @id\n  @@map("members")\n}\n\nmodel AuditLog {\n  id Int @id\n}\n',
  );
  write(
    'src/db/schema.ts',
    "import { pgTable, text } from 'drizzle-orm/pg-core';\n\nexport const users = pgTable('users', { id: text('id').primaryKey() });\nexport const stray = pgTable('never_used', { id: text('id') });\n",
  );
  write(
    'src/app.ts',
    [
      "import { PrismaClient } from '@prisma/client';",
      "import { sql } from 'drizzle-orm';",
      "import { users } from './db/schema';",
      'const prisma = new PrismaClient();',
      'export async function run(db: any) {',
      '  await prisma.member.findMany();',
      '  await prisma.auditLog.create({ data: {} });',
      '  await db.select().from(users);',
      '  return db.execute(sql`select * from ghosts`);',
      '}',
      '',
    ].join('\n'),
  );
});

describe('ORM schemas through the engine', () => {
  it('gives the Prisma and Drizzle tables to the rules as one model', async () => {
    const { ctx } = await buildContext({ root, config }, defaultProducers);
    expect(ctx.orm.tables.map((t) => `${t.schema}.${t.name}`)).toEqual([
      'public.AuditLog',
      'public.members',
      'public.never_used',
      'public.users',
    ]);
    expect(ctx.code?.references.map((r) => `${r.file}:${r.line} ${r.name}`)).toEqual([
      'src/app.ts:6 members',
      'src/app.ts:7 AuditLog',
      'src/app.ts:8 users',
      'src/app.ts:9 ghosts',
    ]);
  }, 60_000);

  it('reports only the table no source declares, at its use; never a declaration', async () => {
    const r = await runCheck({ root, config, baseline: null });
    const code = r.findings.filter((f) => f.rule.startsWith('code-'));
    expect(code.map((f) => `${f.rule} ${f.file}:${f.line} ${f.table}`)).toEqual([
      'code-unknown-table src/app.ts:9 ghosts',
    ]);
    expect(code[0]?.message).toContain('nor declared in the ORM schema');
  }, 60_000);
});
