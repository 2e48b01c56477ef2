/**
 * Tables that live outside the replayed SQL: the ones the replay met without a CREATE
 * (SchemaModel.externalTables) and the ones the config lists (`externalTables`). Both are tables that exist;
 * only the first kind that the config does not list is a finding (`migration-external-table`).
 */
import type { DbcanonConfig } from '../config/schema.js';
import type { ExternalTableModel, SchemaModel } from './schema-model.js';

/** A config entry (`t`, `s.t`, `s.*`) as schema and name; name `*` for a whole schema. */
function entryOf(entry: string): { schema: string; name: string } {
  const dot = entry.indexOf('.');
  return dot < 0
    ? { schema: 'public', name: entry }
    : { schema: entry.slice(0, dot), name: entry.slice(dot + 1) };
}

/** Whether the config's `externalTables` (`t`, `s.t`, `s.*`) lists the table. */
export function listedExternal(config: Pick<DbcanonConfig, 'externalTables'>, schema: string, name: string) {
  return config.externalTables
    .map(entryOf)
    .some((e) => e.schema === schema && (e.name === '*' || e.name === name));
}

/** The external tables that still exist at the end of the replay (not created later, not dropped). */
export function presentExternalTables(model: SchemaModel): ExternalTableModel[] {
  return (model.externalTables ?? []).filter((e) => e.createdAt === null && e.exists);
}

/** The config's listed tables, as `{schema, name}`, and the schemas listed whole (`s.*`). */
export function configuredExternalTables(config: Pick<DbcanonConfig, 'externalTables'>) {
  const entries = config.externalTables.map(entryOf);
  return {
    tables: entries.filter((e) => e.name !== '*'),
    schemas: entries.filter((e) => e.name === '*').map((e) => e.schema),
  };
}
