/** Prisma schemas as a SchemaModel source: the parser, the mapping to tables, and multi-file schemas. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prismaAccessors } from '../../src/code/prisma.js';
import { findTable, type SchemaModel } from '../../src/model/schema-model.js';
import { listPrismaFiles, readPrismaSchemas } from '../../src/orm/prisma-files.js';
import { prismaToSchemaModel } from '../../src/orm/prisma-model.js';
import { parsePrismaSchema } from '../../src/orm/prisma-schema.js';

const model = (text: string, file = 'prisma/schema.prisma'): SchemaModel =>
  prismaToSchemaModel([parsePrismaSchema(text, file)]);

const columns = (m: SchemaModel, table: string) =>
  Object.fromEntries(
    (findTable(m, table)?.columns ?? []).map((c) => [c.name, `${c.type}${c.nullable ? '' : ' not null'}`]),
  );

describe('Prisma schema → SchemaModel', () => {
  it('names tables by @@map, else by the model name as written, and columns by @map', () => {
    const m = model(`
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model VtidLedger {
  id        String   @id @default(cuid())
  taskType  String   @map("task_type") // e.g. "migration"
  createdAt DateTime @default(now()) @map("created_at")

  @@map("vtid_ledger")
}

model AuditEntry {
  id Int @id @default(autoincrement())
}
`);
    expect(m.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['public.AuditEntry', 'public.vtid_ledger']);
    expect(columns(m, 'vtid_ledger')).toEqual({
      id: 'text not null',
      task_type: 'text not null',
      created_at: 'timestamp(3) without time zone not null',
    });
    const ledger = findTable(m, 'vtid_ledger');
    expect(ledger?.loc).toEqual({ file: 'prisma/schema.prisma', line: 7, column: 7 });
    expect(ledger?.columns.find((c) => c.name === 'created_at')?.default).toBe('CURRENT_TIMESTAMP');
    // cuid() is the client's: no database default.
    expect(ledger?.columns.find((c) => c.name === 'id')?.default).toBeNull();
    expect(ledger?.constraints).toEqual([
      expect.objectContaining({ name: 'vtid_ledger_pkey', kind: 'primary_key', columns: ['id'] }),
    ]);
    expect(findTable(m, 'AuditEntry')?.columns[0]).toMatchObject({
      type: 'integer',
      // As the catalog prints it: the sequence of a mixed-case table is quoted.
      default: `nextval('"AuditEntry_id_seq"')`,
    });
  });

  it('maps every scalar type as Prisma Migrate creates it, native @db types, lists, Unsupported and `?`', () => {
    const m = model(`
model Everything {
  s   String
  i   Int?
  b   BigInt
  f   Float
  d   Decimal
  ok  Boolean
  at  DateTime
  j   Json
  raw Bytes
  v   String   @db.VarChar(20)
  u   String   @db.Uuid
  tz  DateTime @db.Timestamptz(6)
  n   Decimal  @db.Decimal(10, 2)
  tags String[]
  tsv Unsupported("tsvector")?
  @@id([s, b])
}
`);
    expect(columns(m, 'Everything')).toEqual({
      s: 'text not null',
      i: 'integer',
      b: 'bigint not null',
      f: 'double precision not null',
      d: 'numeric(65,30) not null',
      ok: 'boolean not null',
      at: 'timestamp(3) without time zone not null',
      j: 'jsonb not null',
      raw: 'bytea not null',
      v: 'character varying(20) not null',
      u: 'uuid not null',
      tz: 'timestamp(6) with time zone not null',
      n: 'numeric(10,2) not null',
      tags: 'text[]',
      tsv: 'tsvector',
    });
    expect(findTable(m, 'Everything')?.constraints).toEqual([
      expect.objectContaining({ name: 'Everything_pkey', kind: 'primary_key', columns: ['s', 'b'] }),
    ]);
  });

  it('keeps relation fields out of the columns and gives the foreign key on the side that names `fields`', () => {
    const m = model(`
model User {
  id    String @id
  posts Post[]
  @@map("users")
}

model Post {
  id       String  @id
  authorId String  @map("author_id")
  author   User    @relation(fields: [authorId], references: [id], onDelete: Cascade)
  editor   User?   @relation("edits", fields: [editorId], references: [id])
  editorId String?
  @@map("posts")
}
`);
    expect(Object.keys(columns(m, 'users'))).toEqual(['id']);
    expect(Object.keys(columns(m, 'posts'))).toEqual(['id', 'author_id', 'editorId']);
    const fks = findTable(m, 'posts')?.constraints.filter((c) => c.kind === 'foreign_key');
    expect(fks).toEqual([
      expect.objectContaining({
        name: 'posts_author_id_fkey',
        columns: ['author_id'],
        references: {
          schema: 'public',
          table: 'users',
          columns: ['id'],
          onDelete: 'cascade',
          onUpdate: 'cascade',
        },
      }),
      expect.objectContaining({
        name: 'posts_editorId_fkey',
        references: expect.objectContaining({ onDelete: 'set null' }),
      }),
    ]);
  });

  it('reads @@schema (multiSchema), enums with @@map and @map, views, and indexes by their Prisma names', () => {
    const m = model(`
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["multiSchema", "views"]
}

enum Role {
  USER
  ADMIN @map("admin")
  @@map("user_role")
  @@schema("auth_ext")
}

model Member {
  id    String @id
  role  Role   @default(USER)
  email String @unique
  team  String
  @@index([team, email], map: "members_by_team")
  @@schema("crm")
  @@map("members")
}

view MemberCount {
  team  String @unique
  count Int
  @@schema("crm")
}
`);
    expect(m.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['crm.members']);
    expect(columns(m, 'crm.members').role).toBe('auth_ext.user_role not null');
    expect(findTable(m, 'crm.members')?.columns.find((c) => c.name === 'role')?.default).toBe("'USER'");
    expect(m.enums).toEqual([
      expect.objectContaining({ schema: 'auth_ext', name: 'user_role', values: ['USER', 'admin'] }),
    ]);
    expect(m.views).toEqual([
      expect.objectContaining({ schema: 'crm', name: 'MemberCount', materialized: false }),
    ]);
    expect(m.indexes.map((i) => `${i.name} ${i.unique} ${i.columns.join(',')}`)).toEqual([
      'members_by_team false team,email',
      'members_email_key true email',
    ]);
  });

  it('is not fooled by braces and attributes in comments and strings', () => {
    const m = model(`
// model Ghost { id String @id }
model Offer { // a { here
  id     String @id
  state  String @default("}") // a } in a comment does not end the model
  // @@map("not_this_one")
  note   String @default("// not a comment")
  @@map(name: "offers")
}
/// doc comment
model Next {
  id String @id
}
`);
    expect(m.tables.map((t) => t.name)).toEqual(['Next', 'offers']);
    expect(Object.keys(columns(m, 'offers'))).toEqual(['id', 'state', 'note']);
    expect(findTable(m, 'offers')?.columns.find((c) => c.name === 'note')?.default).toBe(
      "'// not a comment'",
    );
  });

  it('says nothing for a schema of another database', () => {
    const m = model('datasource db {\n  provider = "mysql"\n}\nmodel A {\n  id Int @id\n}\n');
    expect(m.tables).toEqual([]);
  });

  it('gives the client accessor of each model (lower-case first letter) with its table', () => {
    const schema = parsePrismaSchema(
      'model VtidLedger {\n  id String @id\n  @@map("vtid_ledger")\n  @@schema("ops")\n}\n',
    );
    expect(prismaAccessors([schema])).toEqual({ vtidLedger: { table: 'vtid_ledger', schema: 'ops' } });
  });
});

describe('Prisma schema files', () => {
  it('reads a multi-file schema from a folder, files and globs, each once, skipping what does not exist', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-prisma-'));
    mkdirSync(path.join(root, 'prisma/schema'), { recursive: true });
    mkdirSync(path.join(root, 'db/models'), { recursive: true });
    writeFileSync(
      path.join(root, 'prisma/schema/base.prisma'),
      'datasource db {\n  provider = "postgresql"\n}\n',
    );
    writeFileSync(
      path.join(root, 'prisma/schema/users.prisma'),
      'model User {\n  id String @id\n  posts Post[]\n  @@map("users")\n}\n',
    );
    writeFileSync(
      path.join(root, 'prisma/schema/posts.prisma'),
      'model Post {\n  id String @id\n  userId String\n  user User @relation(fields: [userId], references: [id])\n}\n',
    );
    writeFileSync(path.join(root, 'db/models/extra.prisma'), 'model Extra {\n  id String @id\n}\n');
    expect(
      await listPrismaFiles(root, [
        'prisma',
        'prisma/schema/users.prisma',
        'db/**/*.prisma',
        'missing.prisma',
      ]),
    ).toEqual([
      'db/models/extra.prisma',
      'prisma/schema/base.prisma',
      'prisma/schema/posts.prisma',
      'prisma/schema/users.prisma',
    ]);
    const files = await readPrismaSchemas(root, ['prisma/schema']);
    const m = prismaToSchemaModel(files.map((f) => f.schema));
    // A relation to a model of another file is still a relation, not a column.
    expect(columns(m, 'Post')).toEqual({ id: 'text not null', userId: 'text not null' });
    expect(findTable(m, 'Post')?.constraints.find((c) => c.kind === 'foreign_key')?.references?.table).toBe(
      'users',
    );
    expect(findTable(m, 'users')?.loc?.file).toBe('prisma/schema/users.prisma');
  });
});
