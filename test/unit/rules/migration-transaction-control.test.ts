import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { runCheck } from '../../../src/lint/engine.js';
import rule from '../../../src/lint/rules/migration-transaction-control.js';
import { tempProject } from '../../support/temp-project.js';
import { brief, context, run } from './context.js';

const M = 'migrations/20250101000000_t.sql';

/** The real producers on a throw-away project: the rule as `dbcanon check` runs it offline. */
async function check(files: Record<string, string>, migrations = ['migrations']) {
  const root = tempProject(files);
  const config = parseConfig({ doc: 'none.md', repeatables: [], migrations });
  const r = await runCheck({ root, config, rules: [rule] });
  return r.findings;
}

const S = 'supabase/migrations/20250101000000_t.sql';

describe('migration-transaction-control', () => {
  it('valid: plain sections, and autocommit-only statements under the marker', async () => {
    expect(run(rule, context({}))).toEqual([]);
    const findings = await check({
      [M]: '-- Up Migration\ncreate table t (a int);\n-- Down Migration\ndrop table t;\n',
      'migrations/20250102000000_i.sql':
        '-- Up Migration\n-- dbcanon:no-transaction\ncreate index concurrently t_a on t (a);\n' +
        '-- Down Migration\n-- dbcanon:no-transaction\ndrop index concurrently t_a;\n',
    });
    expect(findings).toEqual([]);
  });

  it('invalid: a COMMIT half-applies the section, reported at its line and column', async () => {
    const findings = await check({
      [M]: '-- Up Migration\ncreate table t(a int);\n  commit;\nselect 1/0;\n-- Down Migration\ndrop table t;\n',
    });
    expect(brief(findings)).toEqual([`${M}:3 migration-transaction-control`]);
    expect(findings[0]?.column).toBe(3);
    expect(findings[0]?.severity).toBe('error');
    expect(findings[0]?.message).toContain('`COMMIT` in the Up section');
    expect(findings[0]?.message).toContain('own transaction');
    expect(findings[0]?.message).toContain('half-applied');
  });

  it('invalid: BEGIN in a Down section, and VACUUM without the marker', async () => {
    const findings = await check({
      [M]: '-- Up Migration\nvacuum;\n-- Down Migration\nbegin;\nselect 1;\n',
    });
    expect(brief(findings)).toEqual([
      `${M}:2 migration-transaction-control`,
      `${M}:4 migration-transaction-control`,
    ]);
    expect(findings[0]?.message).toContain('-- dbcanon:no-transaction');
    expect(findings[1]?.message).toContain('`BEGIN` in the Down section');
  });

  it('invalid: a whole-section BEGIN … COMMIT wrapper is one finding, at its COMMIT', async () => {
    const findings = await check({
      [M]: '-- Up Migration\nbegin;\ncreate table t (a int);\ncommit;\n-- Down Migration\ndrop table t;\n',
    });
    expect(brief(findings)).toEqual([`${M}:4 migration-transaction-control`]);
    expect(findings[0]?.message).toContain('wrapped in BEGIN … COMMIT');
    expect(findings[0]?.message).toContain('Remove both lines');
  });

  it('invalid: a BEGIN … COMMIT pair with statements outside it is one finding, at the COMMIT', async () => {
    const findings = await check({
      [M]: "-- Up Migration\nbegin;\ninsert into t values (1);\ncommit;\nnotify pgrst, 'reload schema';\n",
    });
    expect(brief(findings)).toEqual([`${M}:4 migration-transaction-control`]);
    expect(findings[0]?.message).toContain('`COMMIT` in the Up section');
  });

  it('invalid: other transaction statements are each reported', async () => {
    const findings = await check({
      [M]: '-- Up Migration\nbegin;\nsavepoint a;\ncommit;\n',
    });
    expect(brief(findings)).toEqual([
      `${M}:2 migration-transaction-control`,
      `${M}:3 migration-transaction-control`,
      `${M}:4 migration-transaction-control`,
    ]);
  });

  describe('under the Supabase CLI, which sends each file as one implicit transaction', () => {
    const supabase = (text: string) => check({ [S]: text }, ['supabase/migrations']);

    it('valid: a BEGIN … COMMIT around the whole file, and CREATE INDEX CONCURRENTLY alone in its file', async () => {
      expect(await supabase('begin;\ncreate table t (a int);\ncommit;\n')).toEqual([]);
      expect(await supabase('create index concurrently t_a on t (a);\n')).toEqual([]);
    });

    it('invalid: a COMMIT inside the file, and CREATE INDEX CONCURRENTLY beside other statements', async () => {
      const findings = await supabase(
        'create table t (a int);\ncommit;\ncreate index concurrently t_a on t (a);\n',
      );
      expect(brief(findings)).toEqual([
        `${S}:2 migration-transaction-control`,
        `${S}:3 migration-transaction-control`,
      ]);
      expect(findings[0]?.message).toContain('the Supabase CLI sends each file as one batch');
      expect(findings[1]?.message).toContain('a migration file of its own, as its only statement');
    });
  });

  it('goose: `-- +goose NO TRANSACTION` lets CREATE INDEX CONCURRENTLY run; without it, the fix names it', async () => {
    const up = '-- +goose Up\ncreate index concurrently t_a on t (a);\n';
    expect(await check({ 'migrations/00001_i.sql': `-- +goose NO TRANSACTION\n${up}` })).toEqual([]);
    const findings = await check({ 'migrations/00001_i.sql': up });
    expect(brief(findings)).toEqual(['migrations/00001_i.sql:2 migration-transaction-control']);
    expect(findings[0]?.message).toContain('with a line `-- +goose NO TRANSACTION`');
  });

  it('drizzle: one transaction for the whole run, with no way out', async () => {
    const journal = JSON.stringify({ entries: [{ idx: 0, when: 1, tag: '0000_i' }] });
    const findings = await check(
      {
        'drizzle/0000_i.sql': 'create index concurrently t_a on t (a);',
        'drizzle/meta/_journal.json': journal,
      },
      ['drizzle'],
    );
    expect(brief(findings)).toEqual(['drizzle/0000_i.sql:1 migration-transaction-control']);
    expect(findings[0]?.message).toContain(
      'drizzle-kit has no way to run a migration outside its transaction',
    );
  });
});
