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

describe('migration-syntax: one file, one finding', () => {
  it('reports a file at its first problem, with the later ones related', () => {
    const file = 'migrations/20250101000000_a.sql';
    const ctx = context({
      migrationProblems: [
        { file, line: 9, column: 1, message: 'policy "p" for table "t" already exists' },
        { file, line: 4, column: 1, message: 'relation "t_idx" already exists' },
        {
          file: 'migrations/20250102000000_b.sql',
          line: 2,
          column: 3,
          message: 'syntax error at or near "x"',
        },
      ],
    });
    const findings = run(rule, ctx);
    expect(brief(findings)).toEqual([
      `${file}:4 migration-syntax`,
      'migrations/20250102000000_b.sql:2 migration-syntax',
    ]);
    expect(findings[0]?.message).toContain('(1 more in this file)');
    expect(findings[0]?.related).toEqual([
      { file, line: 9, column: 1, message: 'policy "p" for table "t" already exists' },
    ]);
    expect(findings[1]).not.toHaveProperty('related');
  });
});
