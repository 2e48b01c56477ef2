/**
 * The ORM schemas as one SchemaModel: the project's Prisma schema (`code.prisma`) and the Drizzle declarations
 * the code scan found. This is the source a project without SQL migrations declares its tables in; the code
 * rules count its tables as known. Nothing yet compares it with the migrations.
 */
import { snakeCasedLibraries } from '../code/naming.js';
import type { CodeScanResult } from '../code/table-reference.js';
import type { DbcanonConfig } from '../config/schema.js';
import type { FileTexts } from '../io/file-texts.js';
import { canonicalize, emptySchemaModel, type SchemaModel } from '../model/schema-model.js';
import { drizzleToSchemaModel } from './drizzle-model.js';
import { readPrismaSchemas } from './prisma-files.js';
import { prismaToSchemaModel } from './prisma-model.js';

/** Several models as one: an object two of them declare is the first one's. */
export function mergeModels(models: SchemaModel[]): SchemaModel {
  const out = emptySchemaModel();
  const key = (x: { schema: string; name: string }) => `${x.schema}.${x.name}`;
  const add = <T extends { schema: string; name: string }>(into: T[], from: T[] | undefined) => {
    const have = new Set(into.map(key));
    for (const x of from ?? []) if (!have.has(key(x))) into.push(x);
  };
  const views: NonNullable<SchemaModel['views']> = [];
  const enums: NonNullable<SchemaModel['enums']> = [];
  for (const m of models) {
    add(out.tables, m.tables);
    add(out.indexes, m.indexes);
    add(views, m.views);
    add(enums, m.enums);
  }
  return canonicalize({ ...out, views, enums });
}

export async function ormSchema(
  root: string,
  config: DbcanonConfig,
  code: CodeScanResult | null,
  texts?: FileTexts,
): Promise<SchemaModel> {
  const prisma = await readPrismaSchemas(root, config.code.prisma, texts);
  let normalizeExpr: ((expr: string) => string | null) | undefined;
  // Only a `dbgenerated("…")` default is SQL to put in canonical form; the parser is loaded for nothing else.
  if (prisma.some((p) => p.text.includes('dbgenerated'))) {
    const [{ loadSqlParser }, expr] = await Promise.all([
      import('../sql/parser.js'),
      import('../sql/expr.js'),
    ]);
    await loadSqlParser();
    normalizeExpr = expr.normalizeExpr;
  }
  const snake = snakeCasedLibraries(config.code.naming, code?.naming);
  return mergeModels([
    prismaToSchemaModel(
      prisma.map((p) => p.schema),
      normalizeExpr ? { normalizeExpr } : {},
    ),
    drizzleToSchemaModel(code?.drizzle ?? [], { snakeCaseColumns: snake.has('drizzle') }),
  ]);
}
