import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/rls-enabled.js';
import { brief, col, context, loc, M1, model, run, table } from './context.js';

describe('rls-enabled', () => {
  it('valid: public tables with RLS; other schemas are not exposed', () => {
    const migrations = model({
      tables: [
        table('offers', [col('id')], { rlsEnabled: true }),
        table('jobs', [col('id')], { schema: 'internal' }),
      ],
    });
    expect(run(rule, context({ migrations }))).toEqual([]);
  });

  it('invalid: a public table without RLS', () => {
    const migrations = model({ tables: [table('offers', [col('id')], { loc: loc(M1, 2) })] });
    const findings = run(rule, context({ migrations }));
    expect(brief(findings)).toEqual([`${M1}:2 rls-enabled offers`]);
    expect(findings[0]?.message).toContain('alter table offers enable row level security');
  });
});

describe('rls-enabled without migrations', () => {
  it('valid: a document alone says nothing about RLS', () => {
    const docSchema = model({ tables: [table('offers', [col('id')])] });
    expect(run(rule, context({ docSchema }))).toEqual([]);
  });
});

describe('rls-enabled where no API exposes the tables', () => {
  it('valid: an application that reaches its database as the owner needs no RLS for the rule', () => {
    const migrations = model({ tables: [table('offers', [col('id')], { loc: loc(M1, 2) })] });
    const api = { exposed: false, because: 'the config says "api": "none"' };
    expect(run(rule, context({ migrations, api }))).toEqual([]);
  });
});
