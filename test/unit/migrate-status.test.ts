import { describe, expect, it } from 'vitest';
import type { DatabaseRecords } from '../../src/migrate/bookkeeping.js';
import { compareMigrationNames, type MigrationFile, type SqlFile } from '../../src/migrate/files.js';
import { wholeFile } from '../../src/migrate/runners/runner.js';
import { computeStatus } from '../../src/migrate/status.js';

const file = (name: string, checksum: string): MigrationFile => ({
  name,
  version: name.replace(/_.*/, ''),
  file: `migrations/${name}.sql`,
  path: `/p/migrations/${name}.sql`,
  text: '',
  checksum,
  parts: wholeFile(''),
});
const repeatable = (f: string, checksum: string): SqlFile => ({
  file: f,
  path: `/p/${f}`,
  text: '',
  checksum,
});
const at = new Date('2024-01-01T00:00:00Z');

function records(
  applied: string[],
  checksums: Record<string, string>,
  repeatables: Record<string, string> = {},
) {
  return {
    applied: applied.map((name) => ({ name, runOn: at })),
    checksums: new Map(Object.entries(checksums)),
    repeatables: new Map(Object.entries(repeatables)),
  } satisfies DatabaseRecords;
}

describe('computeStatus', () => {
  it('tells applied, changed, missing and pending apart', () => {
    const status = computeStatus(
      [file('1_a', 'A'), file('2_b', 'B2'), file('4_d', 'D')],
      [],
      records(['1_a', '2_b', '3_c'], { '1_a': 'A', '2_b': 'B1', '3_c': 'C' }),
    );
    expect(status.migrations.map((m) => [m.name, m.state, m.file])).toEqual([
      ['1_a', 'applied', 'migrations/1_a.sql'],
      ['2_b', 'changed', 'migrations/2_b.sql'],
      ['3_c', 'missing', null],
      ['4_d', 'pending', 'migrations/4_d.sql'],
    ]);
    expect(status.outOfOrder).toEqual([]);
  });

  it('counts a migration applied before checksums were recorded as applied, with no recorded checksum', () => {
    const [m] = computeStatus([file('1_a', 'A')], [], records(['1_a'], {})).migrations;
    expect(m).toMatchObject({ state: 'applied', recordedChecksum: null, currentChecksum: 'A' });
  });

  it('finds pending migrations older than the newest applied one', () => {
    const status = computeStatus(
      [file('1_a', 'A'), file('2_b', 'B'), file('3_c', 'C'), file('4_d', 'D')],
      [],
      records(['1_a', '3_c'], { '1_a': 'A', '3_c': 'C' }),
    );
    expect(
      status.outOfOrder.map((p) => [p.pending.name, p.newestApplied.name, p.newestApplied.file]),
    ).toEqual([['2_b', '3_c', 'migrations/3_c.sql']]);
  });

  it('gives each repeatable its state', () => {
    const status = computeStatus(
      [],
      [repeatable('schema/a.sql', 'A'), repeatable('schema/b.sql', 'B2'), repeatable('policies/c.sql', 'C')],
      records([], {}, { 'schema/a.sql': 'A', 'schema/b.sql': 'B1', 'schema/gone.sql': 'G' }),
    );
    expect(status.repeatables.map((r) => [r.file, r.state])).toEqual([
      ['schema/a.sql', 'applied'],
      ['schema/b.sql', 'changed'],
      ['policies/c.sql', 'pending'],
      ['schema/gone.sql', 'missing'],
    ]);
  });
});

describe('compareMigrationNames', () => {
  it('orders by numeric prefix as node-pg-migrate does, not as strings', () => {
    expect(['10_b', '9_a', '20240101000000_x', '1_z'].sort(compareMigrationNames)).toEqual([
      '1_z',
      '9_a',
      '10_b',
      '20240101000000_x',
    ]);
  });
});
