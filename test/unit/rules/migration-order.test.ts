import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/migration-order.js';
import type { MigrationRecord } from '../../../src/lint/types.js';
import { brief, context, run } from './context.js';

const file = (name: string) => ({ file: `migrations/${name}.sql`, name });
const applied = (name: string): MigrationRecord => ({
  name,
  file: `migrations/${name}.sql`,
  recordedChecksum: 'a',
  currentChecksum: 'a',
});

describe('migration-order', () => {
  it('valid: timestamped snake_case names, unique, all applied in order', () => {
    const files = [file('20250101000000_init'), file('20250102000000_add_offers')];
    expect(run(rule, context({ migrationFiles: files }))).toEqual([]);
    const ctx = context({ migrationFiles: files, appliedMigrations: [applied('20250101000000_init')] });
    expect(run(rule, ctx)).toEqual([]);
  });

  it('invalid: a bad name and a duplicate timestamp', () => {
    const files = [file('20250101000000_init'), file('20250101000000_again'), file('2_AddStuff')];
    expect(brief(run(rule, context({ migrationFiles: files })))).toEqual([
      'migrations/20250101000000_again.sql:1 migration-order',
      'migrations/2_AddStuff.sql:1 migration-order',
    ]);
  });

  it('invalid (--db): a file older than the last applied one that never ran', () => {
    const files = [
      file('20250101000000_init'),
      file('20250102000000_late_branch'),
      file('20250103000000_next'),
    ];
    const ctx = context({
      migrationFiles: files,
      appliedMigrations: [applied('20250101000000_init'), applied('20250103000000_next')],
    });
    const findings = run(rule, ctx);
    expect(brief(findings)).toEqual([
      'migrations/20250102000000_late_branch.sql:1 migration-order [migrations/database]',
    ]);
    expect(findings[0]?.message).toContain('never applied');
  });
});
