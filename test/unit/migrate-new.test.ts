import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { newMigration, snakeName } from '../../src/migrate/new-migration.js';
import { splitMigration } from '../../src/migrate/sections.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'dbcanon-new-'));

describe('newMigration', () => {
  it('writes YYYYMMDDHHMMSS_snake_name.sql (UTC) with both markers and returns its path', async () => {
    const root = tmp();
    const file = await newMigration({
      root,
      config: defaultConfig(),
      name: 'Add VTID ledger',
      now: new Date('2026-03-04T05:06:07.890Z'),
    });
    expect(file).toBe(path.join(root, 'migrations', '20260304050607_add_vtid_ledger.sql'));
    const sections = splitMigration(readFileSync(file, 'utf8'));
    expect(sections.up.sql.trim()).toBe('');
    expect(sections.down).not.toBeNull();
  });

  it('refuses a name that exists already, whatever its timestamp', async () => {
    const root = tmp();
    mkdirSync(path.join(root, 'migrations'));
    writeFileSync(path.join(root, 'migrations', '20200101000000_add_users.sql'), '-- Up Migration\n');
    await expect(newMigration({ root, config: defaultConfig(), name: 'add users' })).rejects.toMatchObject({
      code: 'MIGRATE_EXISTS',
      location: { file: 'migrations/20200101000000_add_users.sql' },
    });
    expect(readdirSync(path.join(root, 'migrations'))).toHaveLength(1);
  });

  it('sorts after the newest migration even when the clock is behind it', async () => {
    const root = tmp();
    mkdirSync(path.join(root, 'migrations'));
    writeFileSync(path.join(root, 'migrations', '20991231235959_future.sql'), '-- Up Migration\n');
    const file = await newMigration({
      root,
      config: defaultConfig(),
      name: 'next',
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(path.basename(file)).toBe('21000101000000_next.sql');
  });

  it('refuses a name with no letters or digits', async () => {
    await expect(newMigration({ root: tmp(), config: defaultConfig(), name: '--' })).rejects.toMatchObject({
      code: 'CLI_USAGE',
    });
  });

  it('makes snake_case of words and camelCase', () => {
    expect(snakeName('addUserEmail')).toBe('add_user_email');
    expect(snakeName('  Drop  old-table ')).toBe('drop_old_table');
  });
});
