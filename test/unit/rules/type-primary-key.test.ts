import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/type-primary-key.js';
import { brief, col, context, loc, M1, model, pk, run, table } from './context.js';

describe('type-primary-key', () => {
  it('valid (strict): uuid, text and varchar keys', () => {
    const migrations = model({
      tables: [
        table('a', [col('id', 'uuid')], { constraints: [pk('a', 'id')] }),
        table('b', [col('vtid', 'text')], { constraints: [pk('b', 'vtid')] }),
        table('c', [col('id', 'character varying(36)')], { constraints: [pk('c', 'id')] }),
      ],
    });
    expect(run(rule, context({ migrations }), 'strict')).toEqual([]);
  });

  it('invalid (strict): an integer key and a table without a key; off under recommended', () => {
    const migrations = model({
      tables: [
        table('a', [col('id', 'integer', { loc: loc(M1, 3) })], {
          constraints: [pk('a', 'id')],
          loc: loc(M1, 2),
        }),
        table('b', [col('x')], { loc: loc(M1, 10) }),
      ],
    });
    const findings = run(rule, context({ migrations }), 'strict');
    expect(brief(findings)).toEqual([`${M1}:3 type-primary-key a`, `${M1}:10 type-primary-key b`]);
    expect(findings[0]?.message).toContain('is `integer`');
    expect(findings[1]?.message).toContain('has no primary key');
    expect(run(rule, context({ migrations }))).toEqual([]);
  });
});
