/**
 * What `prisma.<accessor>` means in the code: the Prisma Client names each model's accessor after the model with
 * a lower-case first letter (`model VtidLedger` → `prisma.vtidLedger`), and the accessor reaches the model's
 * table (`@@map("…")`, else the model name as written). The models themselves are definitions, read as a schema
 * source by src/orm/prisma-model.ts, never uses of their tables.
 */
import { attr, type PrismaSchemaFile, stringArg } from '../orm/prisma-schema.js';
import type { PrismaAccessor } from './extract.js';

export function prismaAccessors(files: PrismaSchemaFile[]): Record<string, PrismaAccessor> {
  const out: Record<string, PrismaAccessor> = {};
  for (const b of files.flatMap((f) => f.blocks)) {
    if (b.kind !== 'model' && b.kind !== 'view') continue;
    out[b.name.charAt(0).toLowerCase() + b.name.slice(1)] = {
      table: stringArg(attr(b.attributes, 'map'), 'name') ?? b.name,
      schema: stringArg(attr(b.attributes, 'schema')),
    };
  }
  return out;
}
