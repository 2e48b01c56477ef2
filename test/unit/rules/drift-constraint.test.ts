import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/drift-constraint.js';
import { brief, check, col, context, DOC, doc, docTable, fk, loc, model, pk, run, table } from './context.js';

const parent = table('signals', [col('id', 'uuid')], { constraints: [pk('signals', 'id')] });

describe('drift-constraint', () => {
  const docSchema = model({
    tables: [
      parent,
      table('evidence', [col('id', 'uuid'), col('signal_id', 'uuid'), col('status')], {
        loc: loc(DOC, 20),
        constraints: [pk('evidence', 'id'), { ...fk('evidence', 'signal_id', 'signals'), loc: loc(DOC, 23) }],
      }),
    ],
  });
  const d = doc([
    docTable('signals', 5),
    docTable('evidence', 15, {
      statusValues: [{ column: 'status', values: ['a'], origin: 'sql-comment', line: 24 }],
    }),
  ]);

  it('valid: the same constraints, names aside; a CHECK documented as `-- Values:` is left to drift-status-values', () => {
    const migrations = model({
      tables: [
        parent,
        table('evidence', [col('id', 'uuid'), col('signal_id', 'uuid'), col('status')], {
          constraints: [
            { ...pk('evidence', 'id'), name: 'evidence_pk' },
            fk('evidence', 'signal_id', 'signals'),
            check('evidence', 'status', "(status = ANY (ARRAY['a'::text]))"),
          ],
        }),
      ],
    });
    expect(run(rule, context({ doc: d, docSchema, migrations }))).toEqual([]);
  });

  it('invalid: a foreign key the migrations lack, and a check only the migrations have', () => {
    const migrations = model({
      tables: [
        parent,
        table('evidence', [col('id', 'uuid'), col('signal_id', 'uuid'), col('status')], {
          constraints: [pk('evidence', 'id'), check('evidence', 'signal_id', '(signal_id IS NOT NULL)')],
        }),
      ],
    });
    const findings = run(rule, context({ doc: d, docSchema, migrations }));
    expect(brief(findings)).toEqual([
      `${DOC}:20 drift-constraint [doc/migrations] evidence`,
      `${DOC}:23 drift-constraint [doc/migrations] evidence`,
    ]);
    expect(findings[1]?.message).toContain('foreign key (signal_id) of `evidence` referencing signals(id)');
    expect(findings[0]?.message).toContain('check ((signal_id IS NOT NULL))');
  });
});
