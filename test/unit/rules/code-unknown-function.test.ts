import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/code-unknown-function.js';
import { codeContext, ref } from './code-context.js';

const fn = (name: string, line: number, schema: string | null = null) =>
  ref(name, 'src/rpc.ts', line, 'unknown', { target: 'function', via: 'supabase-rpc', schema });

describe('code-unknown-function', () => {
  it('ok: functions from migrations and from repeatable SQL; schemas the project does not declare', () => {
    const ctx = codeContext({
      migrations: ['vtid_ledger'],
      functions: ['vtid_next'],
      definitions: [
        {
          kind: 'function',
          name: 'oasis_ledger_sync',
          schema: null,
          file: 'schema/ledger.sql',
          line: 1,
          column: 1,
        },
      ],
      references: [fn('vtid_next', 1), fn('oasis_ledger_sync', 2), fn('create_user', 3, 'auth')],
    });
    expect(rule.check(ctx)).toEqual([]);
  });

  it('err: an rpc to a function nobody defines, with the closest name', () => {
    const ctx = codeContext({
      migrations: ['vtid_ledger'],
      functions: ['vtid_next'],
      references: [fn('next_vtid', 9)],
    });
    expect(rule.check(ctx)).toEqual([
      {
        rule: 'code-unknown-function',
        file: 'src/rpc.ts',
        line: 9,
        column: 5,
        message:
          'no migration or repeatable SQL file defines the function `next_vtid`, so this call fails with "function ' +
          'not found" (PostgREST: PGRST202). Fix the name, or define the function in schema/.',
      },
    ]);
    const close = codeContext({
      migrations: ['t'],
      functions: ['vtid_next'],
      references: [fn('vtid_nxt', 2)],
    });
    expect(rule.check(close)[0]?.suggestion).toBe('vtid_next');
  });
});

describe('code-unknown-function: one finding per name, and schemas made elsewhere', () => {
  it('reports an unknown function once with its other calls related; only misspellings when tables live elsewhere', () => {
    const ctx = codeContext({
      migrations: ['t'],
      functions: ['vtid_next'],
      references: [fn('ghost_fn', 4), fn('ghost_fn', 2), fn('vtid_nxt', 7)],
    });
    const found = rule.check(ctx);
    expect(found.map((f) => [f.line, f.related?.map((r) => r.line) ?? []])).toEqual([
      [2, [4]],
      [7, []],
    ]);
    ctx.migrations.externalTables = [
      {
        schema: 'public',
        name: 'made_elsewhere',
        loc: { file: 'm.sql', line: 1, column: 1 },
        files: ['m.sql'],
        createdAt: null,
        exists: true,
      },
    ];
    expect(rule.check(ctx).map((f) => f.suggestion)).toEqual(['vtid_next']);
  });
});
