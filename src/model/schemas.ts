/**
 * The one list of schemas that are not the project's to design: Postgres's own, and those Supabase and common
 * extensions own. Objects there are not documented, named or typed by the project's conventions; what the
 * project adds to them (a policy on storage.objects, a trigger on auth.users) is still its own.
 */

/** Postgres's catalogs: `pg_catalog`, `pg_toast`, … and `information_schema`. */
export function isSystemSchema(schema: string): boolean {
  return schema.startsWith('pg_') || schema === 'information_schema';
}

/** Schemas Supabase's services and the usual extensions create and own. */
export const PLATFORM_SCHEMAS: ReadonlySet<string> = new Set([
  'auth',
  'storage',
  'realtime',
  'extensions',
  'graphql',
  'graphql_public',
  'pgsodium',
  'pgsodium_masks',
  'vault',
  'supabase_functions',
  'supabase_migrations',
  'net',
  'cron',
  'pgbouncer',
]);

/** Not the project's design: a system schema or a platform one. */
export function isForeignSchema(schema: string): boolean {
  return isSystemSchema(schema) || PLATFORM_SCHEMAS.has(schema);
}
