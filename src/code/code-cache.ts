/**
 * Loads a big CommonJS module with V8's code cache, as Node 22's `module.enableCompileCache()` does (Node 20,
 * which dbcanon supports, has no such switch). The code scanner's TypeScript compiler is a 9 MB script, loaded by
 * the main thread and by each scan worker. Measured 2026-12-03 (2 cores; load and parse one small file, 5 fresh
 * processes each): 350–510 ms compiled, 235–345 ms from the cache. `npm run bench -- tricks` shows it on a whole
 * run: 1.19 → 1.10 s on the generated repository with the CLI's V8 flags (alone, without them, 1.48 → 1.45 s);
 * on vitana-platform the gain is inside the runs' spread. Kept for that 0.1 s per thread.
 *
 * The cache lives in `node_modules/.cache/dbcanon/`, beside the module, keyed by the module's path, size and
 * modification time and by V8's cached-data tag, which changes with the V8 version and its flags. V8 refuses
 * data made with other flags, so one file per flag set: the CLI (which sets flags for a short run) and a
 * process without them (tests, a script calling the API) would otherwise replace each other's cache on every
 * run. A cache that cannot be read or written only costs the compile. Set
 * DBCANON_NO_CODE_CACHE=1 to load the plain way (the benchmarks measure the first run on a machine with it).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import vm from 'node:vm';

interface Loaded {
  exports: unknown;
  /** How it was compiled: from the cache, without one (none yet, or refused), or the plain way. */
  status: 'cache' | 'compiled' | 'plain';
  script: vm.Script | null;
  cacheFile: string | null;
  /** True when the cache was missing or refused: save() then writes one. */
  stale: boolean;
}

const loaded = new Map<string, Loaded>();

function cacheFileFor(file: string): string | null {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return null;
  const s = statSync(file);
  const key = createHash('sha1')
    .update(
      `${file}\0${s.size}\0${s.mtimeMs}\0${process.version}\0${process.arch}\0${cachedDataVersionTag()}`,
    )
    .digest('hex')
    .slice(0, 16);
  return path.join(
    file.slice(0, at + marker.length),
    '.cache',
    'dbcanon',
    `${path.basename(file)}.${key}.v8`,
  );
}

/**
 * `require(file)`, compiled from V8's code cache when there is one. The module goes into `require.cache` as
 * usual, so a later plain `require` of the same file (ts-morph's) gets the same instance.
 */
export function requireCached(file: string): unknown {
  const done = loaded.get(file);
  if (done) return done.exports;
  const req = createRequire(file);
  const existing = req.cache[file];
  if (existing || process.env.DBCANON_NO_CODE_CACHE === '1') {
    const exports = existing ? existing.exports : req(file);
    loaded.set(file, { exports, status: 'plain', script: null, cacheFile: null, stale: false });
    return exports;
  }
  let cacheFile: string | null = null;
  let cachedData: Buffer | undefined;
  try {
    cacheFile = cacheFileFor(file);
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: compiled the plain way, and saved later.
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const mod = new Module(file);
  mod.filename = file;
  const dir = path.dirname(file);
  const paths = (Module as unknown as { _nodeModulePaths?: (d: string) => string[] })._nodeModulePaths;
  if (paths) mod.paths = paths(dir);
  (script.runInThisContext() as (...a: unknown[]) => void).call(
    mod.exports,
    mod.exports,
    req,
    mod,
    file,
    dir,
  );
  mod.loaded = true;
  req.cache[file] = mod;
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  loaded.set(file, { exports: mod.exports, status: stale ? 'compiled' : 'cache', script, cacheFile, stale });
  return mod.exports;
}

/** How `file` was loaded by requireCached (null if it was not). */
export function codeCacheStatus(file: string): Loaded['status'] | null {
  return loaded.get(file)?.status ?? null;
}

/**
 * Writes the code cache of `file` if it was missing or refused. Called once the module has done some work, so
 * that the functions compiled on first use are in it too.
 */
export function saveCodeCache(file: string): void {
  const l = loaded.get(file);
  if (!l?.stale || !l.script || !l.cacheFile) return;
  l.stale = false;
  try {
    mkdirSync(path.dirname(l.cacheFile), { recursive: true });
    const tmp = `${l.cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, l.script.createCachedData());
    renameSync(tmp, l.cacheFile);
  } catch {
    // A read-only node_modules: every run compiles, which is only slower.
  }
}
