import { describe, expect, it } from 'vitest';
import stale from '../../../src/lint/rules/code-used-by-stale.js';
import { tempProject } from '../../support/temp-project.js';
import { codeContext, docTable, ref } from './code-context.js';

/** Empty files at the given paths: the Used-by rules only ask whether a file is there and was scanned. */
const project = (files: string[]) =>
  tempProject(Object.fromEntries(files.map((f) => [f, ''])), 'dbcanon-usedby-');

const files = ['src/routes/vtid.ts', 'src/routes/tasks.ts', 'schema/vtid.sql'];
const doc = [
  docTable('vtid_ledger', 10, {
    usedBy: [
      ['src/routes/vtid.ts', 14],
      ['./src/routes/tasks.ts', 15],
      ['schema/vtid.sql', 16],
      ['OASIS Operator', 17],
    ],
  }),
  docTable('VtidLedger', 86, { replacement: 'vtid_ledger' }),
];

describe('code-used-by-stale', () => {
  const root = project(files);
  it('ok: each listed file references the table (a SQL file too); unscanned files are not judged', () => {
    const ctx = codeContext({
      doc,
      root,
      files: ['src/routes/vtid.ts', 'schema/vtid.sql'],
      references: [
        ref('vtid_ledger', 'src/routes/vtid.ts', 3, 'write'),
        ref('vtid_ledger', 'schema/vtid.sql', 9, 'write', { via: 'sql-file' }),
      ],
    });
    expect(stale.check(ctx)).toEqual([]);
  });

  it('err: a listed file that no longer references its table', () => {
    const ctx = codeContext({
      doc,
      root,
      files,
      references: [
        ref('vtid_ledger', 'src/routes/vtid.ts', 3),
        ref('oasis_events', 'src/routes/tasks.ts', 3),
      ],
    });
    expect(stale.check(ctx).map((f) => [f.line, f.message])).toEqual([
      [
        15,
        '"Used by" of `vtid_ledger` lists `src/routes/tasks.ts`, but that file no longer references the table (nor ' +
          'calls a SQL function that does), so the list misleads whoever checks who a migration affects. Remove ' +
          'the line (or restore the use).',
      ],
      [
        16,
        '"Used by" of `vtid_ledger` lists `schema/vtid.sql`, but that file no longer references the table (nor ' +
          'calls a SQL function that does), so the list misleads whoever checks who a migration affects. Remove ' +
          'the line (or restore the use).',
      ],
    ]);
  });

  it('ok: a listed file that calls a SQL function which (through another function) writes the table', () => {
    const fnDef = (name: string, uses: string[], calls: string[]) => ({
      kind: 'function' as const,
      name,
      schema: null,
      file: 'schema/vtid.sql',
      line: 1,
      column: 1,
      uses,
      calls,
    });
    const ctx = codeContext({
      doc,
      root,
      files: ['src/routes/tasks.ts'],
      definitions: [
        fnDef('vtid_create', [], ['public.vtid_store']),
        fnDef('vtid_store', ['public.vtid_ledger'], []),
      ],
      references: [
        ref('vtid_create', 'src/routes/tasks.ts', 3, 'unknown', { target: 'function', via: 'function-name' }),
      ],
    });
    expect(stale.check(ctx)).toEqual([]);
  });
});
