import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCode } from '../../src/code/scan.js';
import { parseConfig } from '../../src/config/load.js';
import { FileTexts } from '../../src/io/file-texts.js';
import { replayMigrations } from '../../src/sql/replay.js';
import { tempProject } from '../support/temp-project.js';

describe('FileTexts', () => {
  it('reads a file once: later reads give the first text, whatever the path spelling', () => {
    const root = tempProject({ 'a.sql': 'select 1;\n' });
    const texts = new FileTexts();
    expect(texts.read(path.join(root, 'a.sql'))).toBe('select 1;\n');
    writeFileSync(path.join(root, 'a.sql'), 'select 2;\n');
    expect(texts.read(path.join(root, '.', 'x', '..', 'a.sql'))).toBe('select 1;\n');
    // A new FileTexts is a new run: it reads the file as it is now.
    expect(new FileTexts().read(path.join(root, 'a.sql'))).toBe('select 2;\n');
  });

  it('passes a read error through unchanged', () => {
    const texts = new FileTexts();
    expect(() => texts.read(path.join(tempProject({}), 'missing.sql'))).toThrow(/ENOENT/);
  });

  it('gives the code scanner and the static replay of one run the same snapshot of each migration', async () => {
    const migration = 'migrations/20250101000000_init.sql';
    const root = tempProject({
      [migration]:
        '-- Up Migration\ncreate function touch_a() returns void language sql as $$ select 1 $$;\n',
    });
    const config = parseConfig({ migrations: ['migrations'], repeatables: [], code: { include: [] } });
    const texts = new FileTexts();
    const scan = await scanCode(root, config, { cache: false, workers: 0, texts });
    // Rewritten between the two readers: the replay still sees what the scanner read.
    writeFileSync(
      path.join(root, migration),
      '-- Up Migration\ncreate function touch_b() returns void language sql as $$ select 1 $$;\n',
    );
    const replay = await replayMigrations(root, config, texts);
    expect((scan.definitions ?? []).map((d) => d.name)).toEqual(['touch_a']);
    expect(replay.model.functions.map((f) => f.name)).toEqual(['touch_a']);
    // Without the shared FileTexts the replay reads the file anew.
    const fresh = await replayMigrations(root, config);
    expect(fresh.model.functions.map((f) => f.name)).toEqual(['touch_b']);
  });
});
