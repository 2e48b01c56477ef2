import { describe, expect, it } from 'vitest';
import missing from '../../../src/lint/rules/code-used-by-missing-file.js';
import { tempProject } from '../../support/temp-project.js';
import { codeContext, docTable } from './code-context.js';

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

describe('code-used-by-missing-file', () => {
  it('ok: every listed file exists; free-text users are not paths', () => {
    expect(missing.check(codeContext({ doc, root: project(files) }))).toEqual([]);
  });

  it('ok: silent when the scanner did not run, like every code rule', () => {
    expect(missing.check(codeContext({ doc, root: project([]), code: false }))).toEqual([]);
  });

  it('err: a listed path that does not exist, at its line in the document', () => {
    const ctx = codeContext({ doc, root: project(['src/routes/vtid.ts', 'schema/vtid.sql']) });
    expect(missing.check(ctx)).toEqual([
      {
        rule: 'code-used-by-missing-file',
        file: 'DATABASE_SCHEMA.md',
        line: 15,
        column: 1,
        table: 'vtid_ledger',
        message:
          '"Used by" of `vtid_ledger` names `src/routes/tasks.ts`, which does not exist (moved or deleted?), so ' +
          'nobody can tell from the document who uses the table. Fix the path or remove the line.',
      },
    ]);
  });
});
