/**
 * `dbcanon check` on the seeds and on the generations of the platform they record, through the real producers
 * (document parser, static replay): what a team adopting dbcanon on such a document would see.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runCheck } from '../../src/lint/engine.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/check');
const check = (dir: string) => runCheck({ root: path.join(fixtures, dir), config: parseConfig({}) });

describe('check on the generations of the platform', () => {
  it("000's vtid_ledger against migrations that add 003's columns: each added column is drift-undocumented-column", async () => {
    const { findings } = await check('generations');
    const drift = findings.filter((f) => f.rule.startsWith('drift-'));
    expect(drift.map((f) => [f.rule, f.source, f.file, f.line, f.table])).toEqual(
      Array(4).fill(['drift-undocumented-column', 'doc/migrations', 'DATABASE_SCHEMA.md', 25, 'vtid_ledger']),
    );
    expect(drift.map((f) => /`vtid_ledger\.(\w+)`/.exec(f.message)?.[1])).toEqual([
      'last_event_id',
      'last_event_at',
      'service',
      'environment',
    ]);
    // The documented status values equal the CHECK's nine, so there is no status drift; the deprecated
    // VtidLedger entry is not reported as missing from the migrations.
    expect(findings.some((f) => f.table === 'VtidLedger')).toBe(false);
  });

  it('a documented `-- Values:` list that differs from the CHECK constraint is drift-status-values', async () => {
    const { findings } = await check('status-values');
    const drift = findings.filter((f) => f.rule.startsWith('drift-'));
    expect(drift.map((f) => [f.rule, f.source, f.line, f.table])).toEqual([
      ['drift-status-values', 'doc/migrations', 14, 'user_offers_memory'],
    ]);
    expect(drift[0]?.message).toContain('documented but refused by the CHECK: `rated`');
    expect(drift[0]?.message).toContain('allowed by the CHECK but not documented: `archived`');
    expect(drift[0]?.severity).toBe('error');
  });
});

describe('check on seed 001', () => {
  it('reports doc-misplaced-table for exactly its eight misplaced tables, and doc-encoding', async () => {
    const { findings } = await check('seed-001');
    const misplaced = findings.filter((f) => f.rule === 'doc-misplaced-table');
    expect(misplaced.map((f) => f.table).sort()).toEqual([
      'd44_intervention_history',
      'd44_predictive_signals',
      'd44_signal_evidence',
      'products_catalog',
      'relationship_edges',
      'services_catalog',
      'usage_outcomes',
      'user_offers_memory',
    ]);
    const encoding = findings.filter((f) => f.rule === 'doc-encoding');
    expect(encoding.length).toBeGreaterThan(0);
    expect(encoding.every((f) => f.severity === 'error' && f.file === 'DATABASE_SCHEMA.md')).toBe(true);
    expect(encoding[0]?.line).toBe(6);
  });
});
