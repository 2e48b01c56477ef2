/**
 * Prisma schemas: each `model` is a table — the `@@map("…")` name when there is one, else the model name as
 * written (`model VtidLedger` without @@map is the table "VtidLedger"). The client accessor is the model name
 * with a lower-case first letter (`prisma.vtidLedger`).
 */
import type { PrismaAccessor } from './extract.js';
import type { TableReference } from './table-reference.js';

export interface PrismaModel {
  model: string;
  table: string;
  schema: string | null;
  line: number;
  column: number;
}

/** Strips a `//` comment that is not inside a string. */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' && line[i - 1] !== '\\') inString = !inString;
    else if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

export function parsePrismaSchema(text: string): PrismaModel[] {
  const models: PrismaModel[] = [];
  let current: PrismaModel | null = null;
  let depth = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = stripComment(raw);
    if (!current) {
      const m = /^(\s*)model\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{/.exec(line);
      if (m?.[2]) {
        current = { model: m[2], table: m[2], schema: null, line: i + 1, column: line.indexOf(m[2]) + 1 };
        depth = 1;
      }
      return;
    }
    const map = /^\s*@@map\(\s*(?:name\s*:\s*)?"([^"]+)"/.exec(line);
    if (map?.[1]) current.table = map[1];
    const schema = /^\s*@@schema\(\s*"([^"]+)"/.exec(line);
    if (schema?.[1]) current.schema = schema[1];
    for (const c of line) {
      if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    if (depth <= 0) {
      models.push(current);
      current = null;
    }
  });
  return models;
}

export function prismaAccessors(models: PrismaModel[]): Record<string, PrismaAccessor> {
  const out: Record<string, PrismaAccessor> = {};
  for (const m of models) {
    out[m.model.charAt(0).toLowerCase() + m.model.slice(1)] = { table: m.table, schema: m.schema };
  }
  return out;
}

/** Each model is a user of its table: reported at the model's line, so a finding points at the declaration. */
export function prismaModelReferences(file: string, models: PrismaModel[]): TableReference[] {
  return models.map((m) => ({
    name: m.table,
    schema: m.schema,
    target: 'table',
    kind: 'unknown',
    via: 'prisma-model',
    file,
    line: m.line,
    column: m.column,
  }));
}
