import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/naming-reserved-column.js';
import { brief, col, context, loc, M1, model, run, table } from './context.js';

describe('naming-reserved-column', () => {
  const migrations = model({
    tables: [
      table('messages', [
        col('id'),
        col('metadata', 'jsonb', { loc: loc(M1, 4) }),
        col('type', 'text', { loc: loc(M1, 5) }),
      ]),
    ],
  });

  it('valid: prefixed names; and the rule is off under recommended', () => {
    const good = model({
      tables: [table('messages', [col('message_metadata', 'jsonb'), col('message_type')])],
    });
    expect(run(rule, context({ migrations: good }), 'strict')).toEqual([]);
    expect(run(rule, context({ migrations }))).toEqual([]);
  });

  it('invalid (strict): metadata and type', () => {
    const findings = run(rule, context({ migrations }), 'strict');
    expect(brief(findings)).toEqual([
      `${M1}:4 naming-reserved-column messages`,
      `${M1}:5 naming-reserved-column messages`,
    ]);
    expect(findings.map((f) => f.suggestion)).toEqual(['message_metadata', 'message_type']);
  });
});
