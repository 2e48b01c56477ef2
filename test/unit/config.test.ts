import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { DbcanonError } from '../../src/errors.js';

describe('config', () => {
  it('defaults fit this repository without a file', () => {
    const c = parseConfig({});
    expect(c.doc).toBe('DATABASE_SCHEMA.md');
    expect(c.migrations).toEqual(['migrations']);
    expect(c.repeatables).toEqual(['schema', 'policies']);
    expect(c.code.sqlTags).toEqual(['sql']);
    expect(c.preset).toBe('recommended');
    expect(c.rules).toEqual({ 'code-used-by-unlisted': 'warn' });
  });

  it('takes the migration runners it knows, and rejects any other', () => {
    expect(parseConfig({}).migrationRunner).toBe('auto');
    expect(parseConfig({ migrationRunner: 'goose' }).migrationRunner).toBe('goose');
    expect(() => parseConfig({ migrationRunner: 'sqitch' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        details: [expect.stringContaining('migrationRunner:')],
      }),
    );
  });

  it('reports every problem at once, unknown keys with their key path', () => {
    let err: DbcanonError | undefined;
    try {
      parseConfig({ docs: 'x', preset: 'loose', code: { includes: [] }, rules: { a: 'fatal' } });
    } catch (e) {
      err = e as DbcanonError;
    }
    expect(err).toBeInstanceOf(DbcanonError);
    expect(err?.code).toBe('CONFIG_INVALID');
    const text = err?.format() ?? '';
    expect(text).toContain('docs: unknown key');
    expect(text).toContain('code.includes: unknown key');
    expect(text).toContain('preset:');
    expect(text).toContain('rules.a:');
  });

  it('reads dbcanon.config.json from the project root and names a file that is not JSON', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-cfg-'));
    writeFileSync(path.join(dir, 'dbcanon.config.json'), JSON.stringify({ doc: 'docs/SCHEMA.md' }));
    const loaded = await loadConfig(dir);
    expect(loaded.config.doc).toBe('docs/SCHEMA.md');
    expect(loaded.root).toBe(dir);
    writeFileSync(path.join(dir, 'dbcanon.config.json'), '{ nope');
    await expect(loadConfig(dir)).rejects.toMatchObject({ code: 'CONFIG_PARSE' });
    await expect(loadConfig(dir, 'missing.json')).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
  });
});
