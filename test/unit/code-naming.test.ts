/**
 * Query builders' naming transforms: detected in the code (Kysely's CamelCasePlugin, Knex's snake-case mappers,
 * Drizzle's casing) or set by `code.naming`, and applied when the code rules resolve a table name.
 */
import { describe, expect, it } from 'vitest';
import { type ExtractOptions, extractFile } from '../../src/code/extract.js';
import { snakeCase, snakeCaseCandidates } from '../../src/code/naming.js';
import type { NamingSignal } from '../../src/code/table-reference.js';
import codeTableCase from '../../src/lint/rules/code-table-case.js';
import codeUnknownTable from '../../src/lint/rules/code-unknown-table.js';
import { codeContext, ref } from './rules/code-context.js';

const options: ExtractOptions = { sqlTags: ['sql'], prismaAccessors: {} };
const signals = async (text: string) =>
  ((await extractFile('src/db.ts', text, options, 'whole')).naming ?? []).map(
    (s) => `${s.library} ${s.marker} ${s.line}`,
  );

describe('snake_case spellings', () => {
  it("gives the mappers' spellings of a camelCase name, and nothing for a name without capitals", () => {
    expect(snakeCaseCandidates('userProfiles')).toEqual(['user_profiles']);
    expect(snakeCaseCandidates('userID')).toEqual(['user_i_d', 'user_id']);
    expect(snakeCaseCandidates('user_profiles')).toEqual([]);
    expect(snakeCase('createdAt')).toBe('created_at');
    expect(snakeCase('userID')).toBe('user_id');
  });
});

describe('naming transforms in the code', () => {
  it('finds Kysely, Knex and Drizzle turning on snake_case', async () => {
    expect(
      await signals(`import { CamelCasePlugin, Kysely } from 'kysely';
import { knexSnakeCaseMappers } from 'objection';
import { drizzle } from 'drizzle-orm/node-postgres';
export const k = new Kysely<DB>({ dialect, plugins: [new CamelCasePlugin()] });
export const kx = knex({ client: 'pg', ...knexSnakeCaseMappers() });
export const d = drizzle(pool, { casing: 'snake_case' });
export const own = knex({ wrapIdentifier: (value, origImpl) => origImpl(toSnakeCase(value)) });
`),
    ).toEqual([
      'kysely CamelCasePlugin 4',
      'knex knexSnakeCaseMappers 5',
      'drizzle casing 6',
      'knex wrapIdentifier 7',
    ]);
  });

  it("does not take objection's column mappers, a plain wrapIdentifier or camelCase casing for one", async () => {
    expect(
      await signals(`import { Model, snakeCaseMappers } from 'objection';
class Person extends Model {
  static get columnNameMappers() { return snakeCaseMappers(); }
}
export const kx = knex({ client: 'pg', wrapIdentifier: (value, origImpl) => origImpl(value.trim()) });
export const d = drizzle(pool, { casing: 'camelCase' });
`),
    ).toEqual([]);
    expect(await signals("export const kx = knex({ client: 'pg', ...snakeCaseMappers() });\n")).toEqual([
      'knex snakeCaseMappers 1',
    ]);
  });
});

describe('resolving names through a naming transform', () => {
  const kysely: NamingSignal = {
    library: 'kysely',
    marker: 'CamelCasePlugin',
    file: 'src/db.ts',
    line: 3,
    column: 1,
  };
  const refs = [
    ref('userProfiles', 'src/profile.ts', 4, 'read', { via: 'kysely' }),
    ref('userProfiles', 'src/other.ts', 9, 'read', { via: 'supabase-from' }),
  ];
  const findings = (input: Parameters<typeof codeContext>[0]) => {
    const ctx = codeContext({ migrations: ['user_profiles'], references: refs, ...input });
    return [...codeUnknownTable.check(ctx), ...codeTableCase.check(ctx)].map(
      (f) => `${f.rule} ${f.file}:${f.line}`,
    );
  };

  it('reads a Kysely camelCase name as the snake_case table when the project uses CamelCasePlugin', () => {
    // supabase-js renames nothing: its camelCase name is still a case problem.
    expect(findings({ naming: [kysely] })).toEqual(['code-table-case src/other.ts:9']);
  });

  it('takes names as written without a transform, or when code.naming says as-is', () => {
    const both = ['code-table-case src/other.ts:9', 'code-table-case src/profile.ts:4'];
    expect(findings({}).sort()).toEqual(both);
    expect(findings({ naming: [kysely], config: { code: { naming: 'as-is' } } }).sort()).toEqual(both);
  });

  it('applies the transform to every query builder when code.naming is snake_case', () => {
    expect(findings({ config: { code: { naming: 'snake_case' } } })).toEqual([
      'code-table-case src/other.ts:9',
    ]);
  });
});
