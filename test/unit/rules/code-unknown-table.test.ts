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

describe('code-unknown-table: one finding per name, and tables made elsewhere', () => {
  const external = {
    schema: 'public',
    name: 'legacy_orders',
    loc: { file: 'migrations/1_a.sql', line: 1, column: 1 },
    files: ['migrations/1_a.sql'],
    createdAt: null,
    exists: true,
  };

  it('reports an unknown name once, at its first use, with the other uses related', () => {
    const ctx = codeContext({
      ...base,
      references: [ref('ghosts', 'src/b.ts', 9), ref('ghosts', 'src/a.ts', 3), ref('ghosts', 'src/a.ts', 1)],
    });
    const found = rule.check(ctx);
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual(['src/a.ts:1']);
    expect(found[0]?.related).toEqual([
      { file: 'src/a.ts', line: 3, column: 5 },
      { file: 'src/b.ts', line: 9, column: 5 },
    ]);
    expect(found[0]?.message).toContain('(used in 3 places; this is the first)');
  });

  it('when migrations touch a table made elsewhere, reports only names that look misspelt', () => {
    const ctx = codeContext({
      ...base,
      references: [
        ref('legacy_orders', 'src/a.ts', 1),
        ref('events_elsewhere', 'src/a.ts', 2),
        ref('vtid_ledgr', 'src/a.ts', 3),
      ],
    });
    ctx.migrations.externalTables = [external];
    expect(rule.check(ctx).map((f) => [f.table, f.suggestion])).toEqual([['vtid_ledgr', 'vtid_ledger']]);
    // Listing the tables made elsewhere makes the list complete again: every unknown name is reported.
    const listed = { ...ctx, config: { ...ctx.config, externalTables: ['legacy_orders'] } };
    expect(rule.check(listed).map((f) => f.table)).toEqual(['events_elsewhere', 'vtid_ledgr']);
  });
});

describe('code-unknown-table: the migrations have the last word', () => {
  it('a table the migrations dropped or renamed is unknown even if the document still lists it', () => {
    const ctx = codeContext({
      doc: [docTable('old_events', 10), docTable('ledger_v1', 20)],
      migrations: ['oasis_events'],
      references: [ref('old_events', 'src/a.ts', 1), ref('ledger_v1', 'src/a.ts', 2, 'write')],
    });
    ctx.migrations.goneTables = [
      { schema: 'public', name: 'old_events', loc: { file: 'm/2.sql', line: 3, column: 1 }, becameKey: null },
      {
        schema: 'public',
        name: 'ledger_v1',
        loc: { file: 'm/3.sql', line: 1, column: 1 },
        becameKey: 'public.ledger',
      },
    ];
    // Reported even when tables live elsewhere: the project's own history took these away.
    ctx.migrations.externalTables = [
      {
        schema: 'public',
        name: 'x',
        loc: { file: 'm/1.sql', line: 1, column: 1 },
        files: ['m/1.sql'],
        createdAt: null,
        exists: true,
      },
    ];
    const found = rule.check(ctx);
    expect(found.map((f) => [f.table, f.suggestion])).toEqual([
      ['old_events', undefined],
      ['ledger_v1', 'ledger'],
    ]);
    expect(found[0]?.message).toContain('was dropped by m/2.sql:3');
    expect(found[1]?.message).toContain('was renamed to `ledger` by m/3.sql:1');
  });

  it("a migration's CREATE of a table a later one dropped does not make it known again; other SQL still does", () => {
    const ctx = codeContext({
      migrations: ['oasis_events'],
      references: [ref('notes', 'src/a.ts', 1), ref('scratch', 'src/a.ts', 2)],
      definitions: [
        { kind: 'table', name: 'notes', schema: null, file: 'migrations/1_init.sql', line: 1, column: 1 },
        { kind: 'table', name: 'scratch', schema: null, file: 'scripts/seed.sql', line: 1, column: 1 },
      ],
    });
    ctx.migrations.goneTables = [
      {
        schema: 'public',
        name: 'notes',
        loc: { file: 'migrations/2_drop.sql', line: 1, column: 1 },
        becameKey: null,
      },
      {
        schema: 'public',
        name: 'scratch',
        loc: { file: 'migrations/2_drop.sql', line: 2, column: 1 },
        becameKey: null,
      },
    ];
    const found = rule.check(ctx);
    expect(found.map((f) => f.table)).toEqual(['notes']);
    expect(found[0]?.message).toContain('was dropped by migrations/2_drop.sql:1');
  });
});
