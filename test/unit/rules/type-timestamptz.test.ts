import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/type-timestamptz.js';
import { brief, col, context, loc, M1, model, run, table } from './context.js';

describe('type-timestamptz', () => {
  it('valid: timestamp with time zone', () => {
    const migrations = model({ tables: [table('t', [col('at', 'timestamp with time zone')])] });
    expect(run(rule, context({ migrations }), 'strict')).toEqual([]);
  });

  it('invalid: timestamp without time zone, a warning by default and an error under strict', () => {
    const migrations = model({
      tables: [
        table('t', [
          col('at', 'timestamp without time zone', { loc: loc(M1, 3) }),
          col('ats', 'timestamp(3) without time zone[]', { loc: loc(M1, 4) }),
        ]),
      ],
    });
    const findings = run(rule, context({ migrations }));
    expect(brief(findings)).toEqual([`${M1}:3 type-timestamptz t`, `${M1}:4 type-timestamptz t`]);
    expect(findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(findings[1]?.suggestion).toBe('timestamp(3) with time zone[]');
    expect(run(rule, context({ migrations }), 'strict').map((f) => f.severity)).toEqual(['error', 'error']);
  });

  it('points at the ALTER COLUMN … TYPE that made the column a timestamp without time zone', () => {
    const migrations = model({
      tables: [
        table('t', [
          col('at', 'timestamp without time zone', {
            loc: loc(M1, 3),
            typeLoc: loc('migrations/2_b.sql', 7),
          }),
        ]),
      ],
    });
    expect(brief(run(rule, context({ migrations })))).toEqual(['migrations/2_b.sql:7 type-timestamptz t']);
  });
});
