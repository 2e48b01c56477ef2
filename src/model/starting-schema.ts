/**
 * The starting schema: what a database holds before the project's first migration (Supabase's auth and storage
 * tables, its functions), as a SchemaModel the replay begins from. Its objects are the platform's, not the
 * project's: every source's model is held to the rules without them (`withoutPlatform`), while what the project
 * adds to them (a policy on storage.objects, a trigger on auth.users) stays the project's.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DbcanonConfig } from '../config/schema.js';
import type { SchemaModel } from './schema-model.js';

/** Config "startingSchema": a built-in name, or a SQL file of the project's (relative to the config's folder). */
export type StartingSchemaChoice =
  | { kind: 'supabase' }
  | { kind: 'postgres' }
  | { kind: 'file'; file: string };

export interface StartingSchema {
  choice: StartingSchemaChoice;
  /** Whether the choice was written in the config or detected from the project's folders. */
  detected: boolean;
  /** What the starting SQL creates; empty for `postgres`. */
  model: SchemaModel;
}

/**
 * The configured choice, else `supabase` when the project root holds a supabase/ folder (as `supabase init`
 * makes, with its config.toml), else `postgres`.
 */
export function detectStartingSchema(
  root: string,
  config: Pick<DbcanonConfig, 'startingSchema'>,
): { choice: StartingSchemaChoice; detected: boolean } {
  const configured = config.startingSchema;
  if (configured === 'supabase' || configured === 'postgres') {
    return { choice: { kind: configured }, detected: false };
  }
  if (configured !== undefined) return { choice: { kind: 'file', file: configured }, detected: false };
  const supabase = existsSync(path.join(root, 'supabase'));
  return { choice: { kind: supabase ? 'supabase' : 'postgres' }, detected: true };
}

const tableId = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;
const indexId = (i: { schema: string; name: string }) => `${i.schema}.${i.name}`;
const onTableId = (x: { schema: string; table: string; name: string }) => `${x.schema}.${x.table}.${x.name}`;
const functionId = (f: { schema: string; name: string; identityArgs: string }) =>
  `${f.schema}.${f.name}(${f.identityArgs})`;

/**
 * `model` without the objects `platform` holds (matched by schema and name, functions by signature), from any
 * producer: the replayed migrations, the document's SQL, the live database. Policies, triggers and indexes the
 * project puts on a platform table are kept.
 */
export function withoutPlatform(model: SchemaModel, platform: SchemaModel): SchemaModel {
  if (
    platform.tables.length +
      platform.indexes.length +
      platform.policies.length +
      platform.functions.length +
      platform.triggers.length +
      (platform.views?.length ?? 0) ===
    0
  ) {
    return model;
  }
  const tables = new Set(platform.tables.map(tableId));
  const indexes = new Set(platform.indexes.map(indexId));
  const policies = new Set(platform.policies.map(onTableId));
  const functions = new Set(platform.functions.map(functionId));
  const triggers = new Set(platform.triggers.map(onTableId));
  const views = new Set((platform.views ?? []).map(tableId));
  return {
    ...model,
    ...(model.views ? { views: model.views.filter((v) => !views.has(tableId(v))) } : {}),
    tables: model.tables.filter((t) => !tables.has(tableId(t))),
    indexes: model.indexes.filter((i) => !indexes.has(indexId(i))),
    policies: model.policies.filter((p) => !policies.has(onTableId(p))),
    functions: model.functions.filter((f) => !functions.has(functionId(f))),
    triggers: model.triggers.filter((t) => !triggers.has(onTableId(t))),
  };
}

/** True when `platform` holds the table `t` (so it is not the project's to document or regenerate). */
export function isPlatformTable(
  platform: SchemaModel | undefined,
  t: { schema: string; name: string },
): boolean {
  return platform?.tables.some((p) => p.schema === t.schema && p.name === t.name) ?? false;
}
