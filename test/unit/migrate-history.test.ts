/** readMigrationHistory: each runner's reading of its folders (files, order, Up part, transactions), and `auto`. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { listRunnableMigrations } from '../../src/migrate/files.js';
import { freeVersionAfter, readMigrationHistory } from '../../src/migrate/history.js';
import { tempProject } from '../support/temp-project.js';

async function history(files: Record<string, string>, config: ConfigInput) {
  const root = tempProject(files, 'dbcanon-history-');
  return readMigrationHistory(root, parseConfig(config));
}

const names = (h: Awaited<ReturnType<typeof history>>) => h.files.map((f) => f.file);
const skipped = (h: Awaited<ReturnType<typeof history>>) => h.skipped.map((s) => `${s.file} ${s.reason}`);

describe('readMigrationHistory', () => {
  it('Supabase: file-name order, files off the pattern and a legacy first init skipped, whole file up', async () => {
    const h = await history(
      {
        'supabase/migrations/20200101000000_init.sql': 'select 0;',
        'supabase/migrations/20250101000000_b.sql': 'select 1;',
        'supabase/migrations/20250101_a.sql': 'select 2;',
        'supabase/migrations/2025-11-12_dated.sql': 'select 3;',
        'supabase/migrations/fixups/1_x.sql': 'select 4;',
        'supabase/migrations/README.md': '',
      },
      { migrations: ['supabase/migrations'] },
    );
    expect(h.runner.id).toBe('supabase');
    expect(h.because).toBe('the folder supabase/migrations');
    // '0' sorts before '_': the 14-digit version of the same day comes first, as the CLI reads the folder.
    expect(names(h)).toEqual([
      'supabase/migrations/20250101000000_b.sql',
      'supabase/migrations/20250101_a.sql',
    ]);
    expect(skipped(h)).toEqual([
      'supabase/migrations/20200101000000_init.sql legacy-init',
      'supabase/migrations/2025-11-12_dated.sql pattern',
    ]);
    expect(h.files[0]?.parts.up).toEqual({ sql: 'select 1;', line: 1, offset: 0 });
    expect(h.files[0]?.parts.down).toBeNull();
  });

  it('several folders make one history in the runner’s order, ties in folder order', async () => {
    const h = await history(
      {
        'supabase/migrations/20250102000000_b.sql': '',
        'supabase/migrations/20250101000000_same.sql': '',
        'database/migrations/20250101000000_same.sql': '',
        'database/migrations/20250101_a.sql': '',
        'database/migrations/001_first.sql': '',
      },
      { migrations: ['supabase/migrations', 'database/migrations'] },
    );
    expect(names(h)).toEqual([
      'database/migrations/001_first.sql',
      'supabase/migrations/20250101000000_same.sql',
      'database/migrations/20250101000000_same.sql',
      'database/migrations/20250101_a.sql',
      'supabase/migrations/20250102000000_b.sql',
    ]);
    // The Supabase CLI reads (and records the versions of) supabase/migrations alone: a version shared with
    // another folder's file is no clash for it.
    expect(h.orderProblems).toEqual([]);
  });

  it('a version used twice in the Supabase folder is a problem, next to another folder', async () => {
    const h = await history(
      {
        'supabase/migrations/20250101000000_a.sql': '',
        'supabase/migrations/20250101000000_b.sql': '',
        'database/migrations/20250102_x.sql': '',
        'database/migrations/20250102_y.sql': '',
      },
      { migrations: ['supabase/migrations', 'database/migrations'] },
    );
    expect(h.orderProblems).toEqual([
      {
        kind: 'duplicate-version',
        file: 'supabase/migrations/20250101000000_b.sql',
        version: '20250101000000',
        other: 'supabase/migrations/20250101000000_a.sql',
        free: '20250101000001',
      },
    ]);
  });

  it('with the runner named in the config, it records every folder', async () => {
    const h = await history(
      {
        'supabase/migrations/20250101000000_a.sql': '',
        'database/migrations/20250101000000_a.sql': '',
      },
      { migrations: ['supabase/migrations', 'database/migrations'], migrationRunner: 'supabase' },
    );
    expect(h.orderProblems.map((p) => p.kind)).toEqual(['duplicate-version']);
  });

  it('node-pg-migrate: numeric order, a name from a second folder left out, Up/Down markers', async () => {
    const h = await history(
      {
        'migrations/10_b.sql': '-- Up Migration\nselect 1;\n-- Down Migration\nselect 2;\n',
        'migrations/9_a.sql': '-- Up Migration\n-- dbcanon:no-transaction\nvacuum;\n',
        'more/10_b.sql': '',
        'migrations/no_prefix.sql': '',
      },
      { migrations: ['migrations', 'more'] },
    );
    expect(h.runner.id).toBe('node-pg-migrate');
    expect(names(h)).toEqual(['migrations/9_a.sql', 'migrations/10_b.sql']);
    expect(skipped(h)).toEqual(['migrations/no_prefix.sql pattern', 'more/10_b.sql duplicate-name']);
    expect(h.files[1]?.parts.up.sql).toBe('select 1;\n');
    expect(h.files[1]?.parts.down?.sql).toBe('select 2;\n');
    expect(h.files[0]?.parts.upNoTransaction).toBe(true);
  });

  it('prisma: one folder per migration, in folder-name order', async () => {
    const h = await history(
      {
        'prisma/migrations/20250102000000_b/migration.sql': 'select 2;',
        'prisma/migrations/20250101000000_a/migration.sql': 'select 1;',
        'prisma/migrations/migration_lock.toml': 'provider = "postgresql"',
        'prisma/migrations/stray.sql': '',
      },
      { migrations: ['prisma/migrations'] },
    );
    expect(h.runner.id).toBe('prisma');
    expect(h.files.map((f) => [f.name, f.file])).toEqual([
      ['20250101000000_a', 'prisma/migrations/20250101000000_a/migration.sql'],
      ['20250102000000_b', 'prisma/migrations/20250102000000_b/migration.sql'],
    ]);
    expect(skipped(h)).toEqual(['prisma/migrations/stray.sql pattern']);
  });

  it('drizzle: the journal’s entries in its order; a file it does not name is skipped', async () => {
    const journal = {
      entries: [
        { idx: 0, when: 1, tag: '0001_z' },
        { idx: 1, when: 2, tag: '0000_a' },
      ],
    };
    const h = await history(
      {
        'drizzle/0000_a.sql': 'select 1;\n--> statement-breakpoint\nselect 2;',
        'drizzle/0001_z.sql': 'select 3;',
        'drizzle/0002_stray.sql': '',
        'drizzle/meta/_journal.json': JSON.stringify(journal),
      },
      { migrations: ['drizzle'] },
    );
    expect(h.runner.id).toBe('drizzle');
    expect(names(h)).toEqual(['drizzle/0001_z.sql', 'drizzle/0000_a.sql']);
    expect(skipped(h)).toEqual(['drizzle/0002_stray.sql not-in-journal']);
    expect(h.runner.transaction).toBe('run');
  });

  it('golang-migrate: `.up.sql` files in numeric order, `.down.sql` kept apart, a version twice', async () => {
    const h = await history(
      {
        'db/10_b.up.sql': 'select 10;',
        'db/10_b.down.sql': 'select -10;',
        'db/9_a.up.sql': 'select 9;',
        'db/009_again.up.sql': 'select 9;',
        'db/notes.sql': '',
      },
      { migrations: ['db'] },
    );
    expect(h.runner.id).toBe('golang-migrate');
    expect(names(h)).toEqual(['db/009_again.up.sql', 'db/9_a.up.sql', 'db/10_b.up.sql']);
    expect(skipped(h)).toEqual(['db/notes.sql pattern']);
    expect(h.orderProblems.map((p) => `${p.kind} ${p.file}`)).toEqual(['duplicate-version db/9_a.up.sql']);
  });

  it('dbmate: `-- migrate:up`/`-- migrate:down` parts, `transaction:false` on the marker', async () => {
    const h = await history(
      {
        'db/migrations/20250101000000_a.sql':
          '-- migrate:up transaction:false\ncreate index concurrently i on t (a);\n\n-- migrate:down\ndrop index i;\n',
      },
      { migrations: ['db/migrations'] },
    );
    expect(h.runner.id).toBe('dbmate');
    const parts = h.files[0]?.parts;
    expect(parts?.up).toEqual({ sql: 'create index concurrently i on t (a);\n\n', line: 2, offset: 32 });
    expect(parts?.down?.sql).toBe('drop index i;\n');
    expect([parts?.upNoTransaction, parts?.downNoTransaction]).toEqual([true, false]);
  });

  it('goose: `-- +goose Up`/`Down` parts, NO TRANSACTION for the file, numeric order', async () => {
    const h = await history(
      {
        'migrations/00002_b.sql': '-- +goose Up\nselect 2;\n-- +goose Down\nselect -2;\n',
        'migrations/00001_a.sql':
          '-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\nselect 1;\n-- +goose StatementEnd\n',
        'migrations/helpers.sql': '',
      },
      { migrations: ['migrations'] },
    );
    expect(h.runner.id).toBe('goose');
    expect(names(h)).toEqual(['migrations/00001_a.sql', 'migrations/00002_b.sql']);
    expect(h.files[0]?.parts.upNoTransaction).toBe(true);
    expect(h.files[1]?.parts.up.sql).toBe('select 2;\n');
    expect(h.files[1]?.parts.upNoTransaction).toBe(false);
  });

  it('Flyway: versions compared part by part, repeatables last, undo files kept apart, `.conf` opt-out', async () => {
    const h = await history(
      {
        'sql/V1_10__c.sql': '',
        'sql/V1_9__b.sql': '',
        'sql/V1__a.sql': '',
        'sql/U1__a.sql': '',
        'sql/R__views.sql': '',
        'sql/V2__idx.sql': 'create index concurrently i on t (a);',
        'sql/V2__idx.sql.conf': 'executeInTransaction=false\n',
        'sql/notes.sql': '',
      },
      { migrations: ['sql'] },
    );
    expect(h.runner.id).toBe('flyway');
    expect(names(h)).toEqual([
      'sql/V1__a.sql',
      'sql/V1_9__b.sql',
      'sql/V1_10__c.sql',
      'sql/V2__idx.sql',
      'sql/R__views.sql',
    ]);
    expect(skipped(h)).toEqual(['sql/notes.sql pattern']);
    expect(h.files[3]?.parts.upNoTransaction).toBe(true);
  });

  it('auto: supabase/config.toml names the Supabase CLI for a folder with no layout of its own', async () => {
    const h = await history(
      { 'db/20250101000000_a.sql': '', 'supabase/config.toml': '' },
      { migrations: ['db'] },
    );
    expect([h.runner.id, h.because]).toEqual(['supabase', 'supabase/config.toml']);
  });

  it('config "migrationRunner" overrides the layout', async () => {
    const h = await history(
      { 'supabase/migrations/1_a.sql': '' },
      { migrations: ['supabase/migrations'], migrationRunner: 'node-pg-migrate' },
    );
    expect([h.runner.id, h.because]).toEqual(['node-pg-migrate', 'config "migrationRunner"']);
  });

  it('dbcanon migrate takes only the formats it applies, and refuses a history with skipped files', async () => {
    const goose = tempProject({ 'migrations/00001_a.sql': '-- +goose Up\nselect 1;\n' });
    await expect(listRunnableMigrations(goose, parseConfig({}))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining("this project's are goose's"),
    });
    const root = tempProject({ 'supabase/migrations/20250101_a.sql': '', 'supabase/migrations/x.sql': '' });
    const config = parseConfig({ migrations: ['supabase/migrations'] });
    await expect(listRunnableMigrations(root, config)).rejects.toMatchObject({ code: 'MIGRATE_NAME' });
  });
});

describe('freeVersionAfter', () => {
  const f = (name: string) => ({ name, version: name.split('_')[0] ?? '' });
  it('text order (Supabase): whole names compared, so a longer prefix can still fit', () => {
    expect(freeVersionAfter(f('0001_b.sql'), f('0003_c.sql'), new Set(['0001']), false)).toBe('0002');
    expect(
      freeVersionAfter(f('0001_b.sql'), f('0002_c.sql'), new Set(['0001', '0002']), false),
    ).toBeUndefined();
    // 20250102_b.sql sorts after 20250101120000_c.sql as text ('2' > '1'): nothing of 8 digits fits.
    expect(
      freeVersionAfter(f('20250101_b.sql'), f('20250101120000_c.sql'), new Set(), false),
    ).toBeUndefined();
    expect(freeVersionAfter(f('99_b.sql'), undefined, new Set(['99']), false)).toBeUndefined();
    expect(freeVersionAfter(f('init_b.sql'), undefined, new Set(), false)).toBeUndefined();
  });

  it('numeric order (golang-migrate, goose): versions compared as numbers, leading zeros kept', () => {
    const used = new Set(['1', '2']);
    const normal = (v: string) => v.replace(/^0+(?=\d)/, '');
    expect(freeVersionAfter(f('001_b.sql'), f('10_c.sql'), used, true, normal)).toBe('003');
    expect(freeVersionAfter(f('001_b.sql'), f('3_c.sql'), used, true, normal)).toBeUndefined();
  });
});
