/**
 * Tables that live outside the replayed SQL: the ones the replay met without a CREATE
 * (SchemaModel.externalTables) and the ones the config lists (`externalTables`). Both are tables that exist;
 * only the first kind that the config does not list is a finding (`migration-external-table`).
 */
import type { DbcanonConfig } from '../config/schema.js';
import type { ExternalTableModel, SchemaModel } from './schema-model.js';

/** Whether the config's `externalTables` (`t`, `s.t`, `s.*`) lists the table. */
export function listedExternal(config: Pick<DbcanonConfig, 'externalTables'>, schema: string, name: string) {
  return config.externalTables.some((entry) => {
    const dot = entry.indexOf('.');
    const [s, n] = dot < 0 ? ['public', entry] : [entry.slice(0, dot), entry.slice(dot + 1)];
    return s === schema && (n === '*' || n === name);
  });
}

/** The external tables that still exist at the end of the replay (not created later, not dropped). */
export function presentExternalTables(model: SchemaModel): ExternalTableModel[] {
  return (model.externalTables ?? []).filter((e) => e.createdAt === null && e.exists);
}

/** The config's listed tables, as `{schema, name}` (wildcards `s.*` say a schema is external; no names). */
export function configuredExternalTables(config: Pick<DbcanonConfig, 'externalTables'>) {
  const tables: { schema: string; name: string }[] = [];
  const schemas: string[] = [];
  for (const entry of config.externalTables) {
    const dot = entry.indexOf('.');
    const [s, n] = dot < 0 ? ['public', entry] : [entry.slice(0, dot), entry.slice(dot + 1)];
    if (n === '*') schemas.push(s);
    else tables.push({ schema: s, name: n });
  }
  return { tables, schemas };
}
