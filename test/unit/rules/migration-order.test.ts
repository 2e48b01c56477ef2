import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { runCheck } from '../../../src/lint/engine.js';
import rule from '../../../src/lint/rules/migration-order.js';
import type { MigrationRecord } from '../../../src/lint/types.js';
import { tempProject } from '../../support/temp-project.js';
import { brief, context, run } from './context.js';

const file = (name: string) => ({ file: `migrations/${name}.sql`, name });
const applied = (name: string): MigrationRecord => ({
  name,
  file: `migrations/${name}.sql`,
  recordedChecksum: 'a',
  currentChecksum: 'a',
});

/** The real producers on a throw-away project: the rule as `dbcanon check` runs it offline. */
async function check(files: Record<string, string>, config: ConfigInput = {}) {
  const root = tempProject(files);
  const r = await runCheck({
    root,
    config: parseConfig({ doc: 'none.md', repeatables: [], ...config }),
    rules: [rule],
  });
  return r.findings;
}

const sql = 'select 1;\n';
const SUPABASE: ConfigInput = { migrations: ['supabase/migrations'] };

describe('migration-order', () => {
  it('valid: names no runner misorders (upper case, one timestamp twice in node-pg-migrate’s format)', async () => {
    expect(
      await check({
        'migrations/20250101000000_init.sql': sql,
        'migrations/20250101000000_again.sql': sql,
        'migrations/20250102000000_VTID_0001_Add_Stuff.sql': sql,
      }),
    ).toEqual([]);
  });

  it('invalid (node-pg-migrate): an 8-digit date among 14-digit ones runs first, as the smaller number', async () => {
    const findings = await check({
      'migrations/20250101000000_init.sql': sql,
      'migrations/20250301000000_later.sql': sql,
      'migrations/20250201_dated.sql': sql,
    });
    expect(brief(findings)).toEqual(['migrations/20250201_dated.sql:1 migration-order']);
    expect(findings[0]?.message).toContain('runs before `20250101000000_init.sql`');
    expect(findings[0]?.message).toContain('orders versions as numbers');
  });

  it('valid (Supabase): file-name order puts an 8-digit date where its date is, upper case is no problem', async () => {
    expect(
      await check(
        {
          'supabase/migrations/20250101000000_init.sql': sql,
          'supabase/migrations/20250201_dated.sql': sql,
          'supabase/migrations/20250301000000_VTID_LATER.sql': sql,
        },
        SUPABASE,
      ),
    ).toEqual([]);
  });

  it('invalid (Supabase): a version twice, at the second file in file-name order', async () => {
    const findings = await check(
      {
        'supabase/migrations/20250101000000_b.sql': sql,
        'supabase/migrations/20250101000000_a.sql': sql,
      },
      SUPABASE,
    );
    expect(brief(findings)).toEqual(['supabase/migrations/20250101000000_b.sql:1 migration-order']);
    expect(findings[0]?.message).toContain('the Supabase CLI records migrations by version');
  });

  it("invalid (Supabase): a rollback script sharing its migration's version is told to leave the folder", async () => {
    const findings = await check(
      {
        'supabase/migrations/20260209_live_rooms.sql':
          'create table rooms (id int);\ncreate index on rooms (id);\n',
        'supabase/migrations/20260209_live_rooms_down.sql': 'drop index rooms_id_idx;\ndrop table rooms;\n',
      },
      SUPABASE,
    );
    expect(brief(findings)).toEqual(['supabase/migrations/20260209_live_rooms_down.sql:1 migration-order']);
    expect(findings[0]?.message).toContain('move it out of the migrations folder');
    expect(findings[0]?.message).not.toContain('after the newest');
  });

  it('invalid (Supabase): a migration named for the rollback feature it adds is not taken for a rollback script', async () => {
    const findings = await check(
      {
        'supabase/migrations/20260509000000_index.sql': sql,
        'supabase/migrations/20260509000000_feedback_rollback.sql':
          'create table feedback_rollbacks (id int);\ncreate function f() returns int language sql as $$ select 1 $$;\n',
      },
      SUPABASE,
    );
    expect(brief(findings)).toEqual(['supabase/migrations/20260509000000_index.sql:1 migration-order']);
    expect(findings[0]?.message).toContain('Rename it `20260509000001_index.sql`');
  });

  it('invalid (Supabase): the new version offered keeps the file in its place, before the migrations after it', async () => {
    const findings = await check(
      {
        'supabase/migrations/20260419000000_a.sql': sql,
        'supabase/migrations/20260419000000_b.sql': sql,
        'supabase/migrations/20260419000000_c.sql': sql,
        'supabase/migrations/20260419000001_d.sql': sql,
        'supabase/migrations/20260419000005_e.sql': sql,
        'supabase/migrations/20260419000005_f.sql': sql,
        'supabase/migrations/20260420000000_later.sql': sql,
        'supabase/migrations/20260501_x.sql': sql,
        'supabase/migrations/20260501_y.sql': sql,
        'supabase/migrations/20260502_g.sql': sql,
      },
      SUPABASE,
    );
    expect(
      findings.map((f) => f.message.match(/\. (Rename it `[^`]+`|No free [^:]+: rename it `[^`]+`)/)?.[1]),
    ).toEqual([
      // Nothing is free between 000000 and d's 000001: renamed to 000002, b would run after d, and it says so.
      'No free version keeps its place (`20260419000001` comes right after it): rename it `20260419000002_b.sql`',
      'No free version keeps its place (`20260419000001` comes right after it): rename it `20260419000003_c.sql`',
      // The second duplicate takes the next free version after the first's.
      'Rename it `20260419000006_f.sql`',
      // No 8-digit version lies between 20260501 and 20260502.
      'No free version keeps its place (`20260502` comes right after it): rename it `20260503_y.sql`',
    ]);
    expect(findings.every((f) => !f.message.includes('after the newest.'))).toBe(true);
  });

  it('invalid (drizzle): a journal entry whose `when` is not after the one before it', async () => {
    const journal = {
      entries: [
        { idx: 0, when: 200, tag: '0000_a' },
        { idx: 1, when: 100, tag: '0001_b' },
      ],
    };
    const findings = await check(
      {
        'drizzle/0000_a.sql': sql,
        'drizzle/0001_b.sql': sql,
        'drizzle/meta/_journal.json': JSON.stringify(journal),
      },
      { migrations: ['drizzle'] },
    );
    expect(brief(findings)).toEqual(['drizzle/0001_b.sql:1 migration-order']);
    expect(findings[0]?.message).toContain('never runs this one');
  });

  it('invalid (--db): a file before the last applied one in the runner’s order that never ran', () => {
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
    expect(
      run(rule, context({ migrationFiles: files, appliedMigrations: [applied('20250101000000_init')] })),
    ).toEqual([]);
  });
});
