import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/code-unknown-table.js';
import { codeContext, docTable, ref } from './code-context.js';

const base = { doc: [docTable('vtid_ledger', 10)], migrations: ['vtid_ledger', 'oasis_events'] };

describe('code-unknown-table', () => {
  it('ok: documented or migrated tables, views the SQL defines, system catalogs, foreign schemas', () => {
    const ctx = codeContext({
      ...base,
      references: [
        ref('vtid_ledger', 'src/a.ts', 1),
        ref('oasis_events', 'src/a.ts', 2),
        ref('open_vtids', 'src/a.ts', 3),
        ref('pg_class', 'src/db.ts', 4),
        ref('tables', 'src/db.ts', 5, 'read', { schema: 'information_schema' }),
        ref('users', 'src/auth.ts', 6, 'read', { schema: 'auth' }),
        ref('pgmigrations', 'src/migrate.ts', 7),
      ],
      definitions: [
        { kind: 'view', name: 'open_vtids', schema: null, file: 'schema/views.sql', line: 1, column: 1 },
      ],
    });
    expect(rule.check(ctx)).toEqual([]);
  });

  it('ok: nothing to hold the code to without a document or migrations, or without a scan', () => {
    expect(rule.check(codeContext({ references: [ref('anything', 'src/a.ts', 1)] }))).toEqual([]);
    expect(rule.check(codeContext({ ...base, code: false }))).toEqual([]);
  });

  it('err: a table nobody declares, with the closest known name as suggestion', () => {
    const ctx = codeContext({ ...base, references: [ref('oasis_event', 'src/events.ts', 12, 'write')] });
    expect(rule.check(ctx)).toEqual([
      {
        rule: 'code-unknown-table',
        file: 'src/events.ts',
        line: 12,
        column: 5,
        table: 'oasis_event',
        suggestion: 'oasis_events',
        message:
          '`oasis_event` is neither documented in DATABASE_SCHEMA.md nor created by a migration, so this write fails ' +
          'at run time (or hits a table nobody governs). Did you mean `oasis_events`? Fix the name, or add the table ' +
          'with a migration and document it.',
      },
    ]);
  });

  it('err: an unknown table in a schema the project declares; a case variant is left to code-table-case', () => {
    const ctx = codeContext({
      ...base,
      references: [
        ref('ghosts', 'src/a.ts', 3, 'read', { schema: 'public' }),
        ref('VtidLedger', 'src/a.ts', 4),
        ref('Vtid_Ledger', 'src/a.ts', 5),
      ],
    });
    const found = rule.check(ctx);
    expect(found.map((f) => [f.line, f.table, f.suggestion])).toEqual([[3, 'public.ghosts', undefined]]);
  });
});
