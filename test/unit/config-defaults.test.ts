import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfigLazily } from '../../src/config/defaults.js';
import { parseConfig } from '../../src/config/load.js';

describe('config defaults without zod', () => {
  it('DEFAULT_CONFIG is exactly what the schema gives an empty config', () => {
    expect(DEFAULT_CONFIG).toEqual(parseConfig({}));
  });

  it('loadConfigLazily validates a config file when there is one, and uses the defaults otherwise', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-cfg-'));
    const none = await loadConfigLazily(dir);
    expect(none.file).toBeNull();
    expect(none.config).toEqual(DEFAULT_CONFIG);
    none.config.migrations.push('changed');
    expect(DEFAULT_CONFIG.migrations).toEqual(['migrations']);

    writeFileSync(
      path.join(dir, 'dbcanon.config.json'),
      JSON.stringify({ migrationsTable: 'schema_versions' }),
    );
    expect((await loadConfigLazily(dir)).config.migrationsTable).toBe('schema_versions');
    writeFileSync(path.join(dir, 'dbcanon.config.json'), JSON.stringify({ migrationz: ['x'] }));
    await expect(loadConfigLazily(dir)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
