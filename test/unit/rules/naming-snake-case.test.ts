import { describe, expect, it } from 'vitest';
import rule, { toSnakeCase } from '../../../src/lint/rules/naming-snake-case.js';
import { brief, col, context, DOC, doc, docTable, index, loc, M1, model, run, table } from './context.js';

describe('naming-snake-case', () => {
  it('converts names', () => {
    expect(toSnakeCase('VtidLedger')).toBe('vtid_ledger');
    expect(toSnakeCase('HTTPRequests')).toBe('http_requests');
    expect(toSnakeCase('createdAt')).toBe('created_at');
  });

  it('valid: snake_case tables, columns and indexes', () => {
    const migrations = model({
      tables: [table('vtid_ledger', [col('created_at')])],
      indexes: [index('ix_a', 'vtid_ledger', ['a'])],
    });
    expect(run(rule, context({ migrations }))).toEqual([]);
  });

  it('invalid: a PascalCase table and a camelCase column, with suggestions', () => {
    const migrations = model({
      tables: [table('VtidLedger', [col('createdAt', 'text', { loc: loc(M1, 4) })], { loc: loc(M1, 2) })],
    });
    const findings = run(rule, context({ migrations }));
    expect(brief(findings)).toEqual([
      `${M1}:2 naming-snake-case VtidLedger`,
      `${M1}:4 naming-snake-case VtidLedger`,
    ]);
    expect(findings.map((f) => f.suggestion)).toEqual(['vtid_ledger', 'created_at']);
  });

  it('reads the document when the project has no migrations', () => {
    const docSchema = model({ tables: [table('VtidLedger', [], { loc: loc(DOC, 12) })] });
    const findings = run(rule, context({ doc: doc([docTable('VtidLedger', 10)]), docSchema }));
    expect(brief(findings)).toEqual([`${DOC}:12 naming-snake-case VtidLedger`]);
  });
});
