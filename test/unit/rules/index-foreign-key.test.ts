import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/index-foreign-key.js';
import { brief, col, context, fk, index, loc, M1, model, pk, run, table } from './context.js';

const parent = table('signals', [col('id', 'uuid')], { constraints: [pk('signals', 'id')] });
const child = table('evidence', [col('id', 'uuid'), col('signal_id', 'uuid')], {
  constraints: [pk('evidence', 'id'), { ...fk('evidence', 'signal_id', 'signals'), loc: loc(M1, 6) }],
});

describe('index-foreign-key', () => {
  it('valid: an index leading with the foreign key columns', () => {
    const migrations = model({
      tables: [parent, child],
      indexes: [index('ix_evidence_signal_id', 'evidence', ['signal_id', 'id'])],
    });
    expect(run(rule, context({ migrations }))).toEqual([]);
  });

  it('invalid: no index, or only one where the column is not first, or a partial one', () => {
    const migrations = model({
      tables: [parent, child],
      indexes: [
        index('ix_evidence_other', 'evidence', ['id', 'signal_id']),
        index('ix_evidence_partial', 'evidence', ['signal_id'], { where: '(id IS NOT NULL)' }),
      ],
    });
    const findings = run(rule, context({ migrations }));
    expect(brief(findings)).toEqual([`${M1}:6 index-foreign-key evidence`]);
    expect(findings[0]?.message).toContain('create index ix_evidence_signal_id on evidence (signal_id)');
  });
});

describe('index-foreign-key and partial indexes', () => {
  it('valid: a partial index whose predicate only says the key is not null serves the key', () => {
    for (const where of ['(signal_id IS NOT NULL)', 'signal_id IS NOT NULL']) {
      const migrations = model({
        tables: [parent, child],
        indexes: [index('ix_evidence_signal', 'evidence', ['signal_id'], { where })],
      });
      expect(run(rule, context({ migrations }))).toEqual([]);
    }
  });

  it('invalid: a predicate that leaves rows out for other reasons does not', () => {
    const migrations = model({
      tables: [parent, child],
      indexes: [
        index('ix_evidence_live', 'evidence', ['signal_id'], {
          where: '((signal_id IS NOT NULL) AND (id IS NULL))',
        }),
      ],
    });
    expect(brief(run(rule, context({ migrations })))).toEqual([`${M1}:6 index-foreign-key evidence`]);
  });
});
