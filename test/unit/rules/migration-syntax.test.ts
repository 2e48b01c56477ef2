import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/migration-syntax.js';
import { brief, context, run } from './context.js';

describe('migration-syntax', () => {
  it('valid: no parse problems', () => {
    expect(run(rule, context())).toEqual([]);
  });

  it('invalid: each parse problem at its file, line and column', () => {
    const ctx = context({
      migrationProblems: [
        {
          file: 'migrations/20250101000000_a.sql',
          line: 7,
          column: 12,
          message: 'syntax error at or near "tabel"',
        },
      ],
    });
    const findings = run(rule, ctx);
    expect(brief(findings)).toEqual(['migrations/20250101000000_a.sql:7 migration-syntax']);
    expect(findings[0]).toMatchObject({ column: 12, severity: 'error' });
    expect(findings[0]?.message).toMatch(/^syntax error at or near "tabel"\. The file fails/);
  });
});
