import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/migration-checksum.js';
import { brief, context, run } from './context.js';

describe('migration-checksum', () => {
  it('valid: without --db, and with unchanged applied files', () => {
    expect(run(rule, context())).toEqual([]);
    const ctx = context({
      appliedMigrations: [
        { name: '1_a', file: 'migrations/1_a.sql', recordedChecksum: 'abc', currentChecksum: 'abc' },
      ],
    });
    expect(run(rule, ctx)).toEqual([]);
  });

  it('invalid: an applied file edited since, and one deleted', () => {
    const ctx = context({
      appliedMigrations: [
        {
          name: '1_a',
          file: 'migrations/1_a.sql',
          recordedChecksum: 'aaaaaaaaaaaaaaaa',
          currentChecksum: 'bbbbbbbbbbbbbbbb',
        },
        { name: '2_b', file: null, recordedChecksum: 'cc', currentChecksum: null },
      ],
    });
    const findings = run(rule, ctx);
    expect(brief(findings)).toEqual([
      'migrations:1 migration-checksum [migrations/database]',
      'migrations/1_a.sql:1 migration-checksum [migrations/database]',
    ]);
    expect(findings[0]?.message).toContain('its file is gone');
    expect(findings[1]?.message).toContain('edited after it was applied');
  });
});
