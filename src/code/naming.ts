/**
 * Query builders that rename identifiers between the code and the database. With Kysely's `CamelCasePlugin`
 * `db.selectFrom('userProfiles')` queries `user_profiles`; Knex with `knexSnakeCaseMappers()` (or a snake-casing
 * `wrapIdentifier`) does the same for `knex('userProfiles')`; Drizzle's `casing: 'snake_case'` names the columns
 * of `{ createdAt: timestamp() }` `created_at`. The scanner records where the code turns one on (NamingSignal);
 * the config's `code.naming` can say so instead.
 */
import type { NamingSignal, ReferenceVia } from './table-reference.js';

/** `code.naming`: detect from the code, never rename, or rename every query builder's names. */
export type NamingMode = 'auto' | 'as-is' | 'snake_case';

export type NamingLibrary = NamingSignal['library'];

const ALL: NamingLibrary[] = ['kysely', 'knex', 'drizzle'];

/** The libraries whose camelCase names mean snake_case ones in this project. */
export function snakeCasedLibraries(
  mode: NamingMode,
  signals: readonly NamingSignal[] | undefined,
): Set<NamingLibrary> {
  if (mode === 'as-is') return new Set();
  if (mode === 'snake_case') return new Set(ALL);
  return new Set((signals ?? []).map((s) => s.library));
}

/** The library a table reference was written for, when it is one that can rename names. */
export function namingLibrary(via: ReferenceVia | undefined): NamingLibrary | null {
  return via === 'kysely' || via === 'knex' || via === 'drizzle' ? via : null;
}

/**
 * The snake_case spellings a camelCase name may stand for: the one Kysely's and objection's mappers make (an
 * underscore before each upper-case letter: `userID` → `user_i_d`), and the one that keeps an acronym whole
 * (`userID` → `user_id`, `HTTPLog` → `http_log`). Empty when the name has no upper-case letter.
 */
export function snakeCaseCandidates(name: string): string[] {
  if (!/[A-Z]/.test(name)) return [];
  const perLetter = name.replace(/(?!^)[A-Z]/g, (c) => `_${c}`).toLowerCase();
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
  return perLetter === words ? [perLetter] : [perLetter, words];
}

/** Drizzle's snake_case for a column key, which keeps acronyms whole (`createdAt` → `created_at`, `userID` → `user_id`). */
export function snakeCase(name: string): string {
  const words = name.replace(/['\u2019]/g, '').match(/[\da-z]+|[A-Z]+(?![a-z])|[A-Z][\da-z]+/g);
  return words ? words.map((w) => w.toLowerCase()).join('_') : name;
}
