import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/lint/registry.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The rule ids of the original contract (docs/design.md), minus the code rules, which the code scanner registers. */
const CONTRACT = [
  'doc-syntax',
  'doc-required-sections',
  'doc-misplaced-table',
  'doc-duplicate-table',
  'doc-encoding',
  'doc-changelog',
  'drift-undocumented-table',
  'drift-missing-table',
  'drift-undocumented-column',
  'drift-missing-column',
  'drift-column-type',
  'drift-column-nullability',
  'drift-column-default',
  'drift-constraint',
  'drift-status-values',
  'drift-rls',
  'drift-policy',
  'migration-syntax',
  'migration-order',
  'migration-checksum',
  'naming-snake-case',
  'naming-plural-table',
  'naming-index-prefix',
  'naming-reserved-column',
  'type-timestamptz',
  'type-primary-key',
  'type-fk-match',
  'index-foreign-key',
  'rls-enabled',
  'security-definer-search-path',
  // additions of 2026-12
  'migration-transaction-control',
  'migration-name',
  'security-definer-view',
  'function-exposed',
  'rls-policy-trusts-claim-role',
];

describe('rule registry', () => {
  it('registers every rule id of the contract once, sorted', () => {
    const ids = rules.map((r) => r.id);
    for (const id of CONTRACT) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
  });

  it('has one file per rule named after its id, and a test file for each', () => {
    const files = readdirSync(path.join(root, 'src/lint/rules')).map((f) => f.replace(/\.ts$/, ''));
    const tests = new Set(
      readdirSync(path.join(root, 'test/unit/rules')).map((f) => f.replace(/\.test\.ts$/, '')),
    );
    expect(rules.map((r) => r.id).sort()).toEqual(files.sort());
    for (const id of files) expect(tests.has(id), `test/unit/rules/${id}.test.ts`).toBe(true);
  });

  it('the strict preset only ever raises a severity', () => {
    const rank = { off: 0, warn: 1, error: 2 } as const;
    for (const r of rules) {
      if (r.strictSeverity) expect(rank[r.strictSeverity]).toBeGreaterThanOrEqual(rank[r.defaultSeverity]);
      expect(r.summary.length).toBeGreaterThan(10);
    }
  });
});
