import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { CACHE_DIR, cacheKey, readCache, writeCache } from '../../src/io/cache.js';
import { Timings } from '../../src/io/timings.js';
import { runCheck } from '../../src/lint/engine.js';
import { tempProject } from '../support/temp-project.js';

const config = parseConfig({ migrations: ['migrations'], doc: 'none.md', repeatables: [] });
const brief = (r: Awaited<ReturnType<typeof runCheck>>) =>
  r.findings.map((f) => `${f.rule} ${f.file}:${f.line}`);

describe('the cache of results between runs', () => {
  it('keys by every input, in order, and misses on another key', async () => {
    expect(cacheKey(['a', 'b'])).not.toBe(cacheKey(['b', 'a']));
    expect(cacheKey(['a', 'b'])).not.toBe(cacheKey(['ab']));
    expect(cacheKey(['a'])).toBe(cacheKey(['a']));
    const root = tempProject({});
    await writeCache(root, 'x.json', 'k1', { n: 1 });
    expect(await readCache(root, 'x.json', 'k1')).toEqual({ n: 1 });
    expect(await readCache(root, 'x.json', 'k2')).toBeNull();
    expect(await readCache(root, 'absent.json', 'k1')).toBeNull();
  });

  it('gives the same check from the replay it stored, and replays again when a migration changes', async () => {
    const root = tempProject({
      'migrations/20250101000000_a.sql': '-- Up Migration\ncreate table "Bad" (id int primary key);\n',
    });
    const first = await runCheck({ root, config });
    expect(existsSync(path.join(root, CACHE_DIR, 'replay.json'))).toBe(true);
    const second = await runCheck({ root, config });
    expect(second).toEqual(first);
    expect(brief(first)).toContain('naming-snake-case migrations/20250101000000_a.sql:2');

    writeFileSync(
      path.join(root, 'migrations/20250101000000_a.sql'),
      '-- Up Migration\ncreate table good (id int primary key);\n',
    );
    const third = await runCheck({ root, config });
    expect(brief(third)).not.toContain('naming-snake-case migrations/20250101000000_a.sql:2');
  });

  it('timings: each phase with its start and end, and the rules one by one', async () => {
    const root = tempProject({
      'migrations/20250101000000_a.sql': '-- Up Migration\ncreate table a (id int);\n',
    });
    const timings = new Timings();
    await runCheck({ root, config, timings });
    const names = timings.phases.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['migrations: list, parse and replay', 'code: scan', 'rule naming-snake-case']),
    );
    expect(timings.phases.every((p) => p.end >= p.start && p.start >= 0)).toBe(true);
    expect(timings.format()).toMatch(/ms {2}total\n$/);
  });
});
