import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/security-definer-search-path.js';
import type { FunctionModel } from '../../../src/model/schema-model.js';
import { brief, context, loc, model, run } from './context.js';

const fn = (name: string, opts: Partial<FunctionModel>): FunctionModel => ({
  schema: 'public',
  name,
  identityArgs: 'p_year integer',
  returns: 'text',
  language: 'plpgsql',
  securityDefiner: false,
  searchPath: null,
  ...opts,
});

describe('security-definer-search-path', () => {
  it('valid: invoker functions, and definer functions that pin search_path', () => {
    const migrations = model({
      functions: [fn('a', {}), fn('b', { securityDefiner: true, searchPath: "''" })],
    });
    expect(run(rule, context({ migrations }))).toEqual([]);
  });

  it('invalid: a security definer function without search_path', () => {
    const migrations = model({
      functions: [fn('vtid_next', { securityDefiner: true, loc: loc('schema/vtid.sql', 12) })],
    });
    const findings = run(rule, context({ migrations }));
    expect(brief(findings)).toEqual(['schema/vtid.sql:12 security-definer-search-path']);
    expect(findings[0]?.message).toContain('`vtid_next(p_year integer)`');
    expect(findings[0]?.message).toContain("set search_path = ''");
  });
});
