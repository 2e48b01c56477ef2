/**
 * code-cache.ts: a CommonJS module required through V8's code cache behaves as a plain require, writes its
 * cache beside node_modules, and is compiled from it in the next process.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

function fakePackage(): { root: string; file: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-codecache-'));
  const dir = path.join(root, 'node_modules', 'big');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'index.js');
  const fns = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`).join(
    '\n',
  );
  writeFileSync(
    file,
    `${fns}\nconst path = require('node:path');\nmodule.exports = { answer: f2(20), sep: path.sep, file: __filename };\n`,
  );
  return { root, file };
}

/**
 * Loads `file` with requireCached in a new process; reports what it got and whether V8 took the cache. `flags`
 * are set at run time first, as the CLI sets its own.
 */
function loadInProcess(file: string, env: Record<string, string> = {}, flags: string[] = []) {
  const script = `
    for (const f of ${JSON.stringify(flags)}) require('node:v8').setFlagsFromString(f);
    import(${JSON.stringify(path.join(repo, 'src/code/code-cache.ts'))}).then((m) => {
      const exports = m.requireCached(${JSON.stringify(file)});
      m.saveCodeCache(${JSON.stringify(file)});
      const { createRequire } = require('node:module');
      const again = createRequire(${JSON.stringify(file)})(${JSON.stringify(file)});
      console.log(JSON.stringify({ exports, same: again === exports, status: m.codeCacheStatus(${JSON.stringify(file)}) }));
    });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as {
    exports: { answer: number; sep: string; file: string };
    same: boolean;
    status: string;
  };
}

describe('requireCached', () => {
  it('gives what require gives, shares the instance with a later require, and writes the cache', () => {
    const { root, file } = fakePackage();
    const first = loadInProcess(file);
    expect(first.exports).toEqual(createRequire(file)(file));
    expect(first.same).toBe(true);
    expect(first.status).toBe('compiled');
    const cacheDir = path.join(root, 'node_modules', '.cache', 'dbcanon');
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('index.js.') && f.endsWith('.v8'))).toHaveLength(
      1,
    );
    // The next process compiles from the cache and gets the same module.
    const second = loadInProcess(file);
    expect(second.status).toBe('cache');
    expect(second.exports).toEqual(first.exports);
  }, 60_000);

  it('keeps one cache per set of V8 flags, so runs with and without the CLI flags do not replace each other', () => {
    const { root, file } = fakePackage();
    const cacheDir = path.join(root, 'node_modules', '.cache', 'dbcanon');
    const withFlags = ['--interrupt-budget=300000'];
    expect(loadInProcess(file).status).toBe('compiled');
    expect(loadInProcess(file, {}, withFlags).status).toBe('compiled');
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.v8'))).toHaveLength(2);
    // Alternating, each finds its own.
    expect(loadInProcess(file).status).toBe('cache');
    expect(loadInProcess(file, {}, withFlags).status).toBe('cache');
    expect(loadInProcess(file).status).toBe('cache');
  }, 60_000);

  it('loads the plain way with DBCANON_NO_CODE_CACHE=1, writing nothing', () => {
    const { root, file } = fakePackage();
    const plain = loadInProcess(file, { DBCANON_NO_CODE_CACHE: '1' });
    expect(plain.exports.answer).toBe(42);
    expect(plain.status).toBe('plain');
    expect(() => readdirSync(path.join(root, 'node_modules', '.cache'))).toThrow();
  }, 60_000);
});
