/**
 * scanCode: every place the project's code (and its repeatable SQL, and its Prisma schemas) names a table or
 * an RPC function.
 *
 * Built for big trees: files are listed by glob, stat'ed and looked up in a per-file cache
 * (`.dbcanon/cache/`, keyed by size+mtime, then by content hash), so a second run re-reads only what changed.
 * What must be scanned is prefiltered on raw bytes (a file with none of the trigger substrings is never
 * parsed) and parsed with the TypeScript parser in two worker threads. ts-morph's symbol resolution runs only
 * for names a file cannot resolve alone.
 */

import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DbcanonConfig } from '../config/schema.js';
import { DbcanonError } from '../errors.js';
import { type FileTexts, readText } from '../io/file-texts.js';
import { splitMigration } from '../migrate/sections.js';
import { readPrismaSchemas } from '../orm/prisma-files.js';
import {
  type ExtractOptions,
  type FileScan,
  type ImportBinding,
  type ModuleExports,
  type PendingName,
  saveCompilerCache,
  triggerSubstrings,
  tsLoaded,
} from './extract.js';
import { findFiles } from './glob.js';
import { Prefilter, type PrefilterSpec } from './prefilter.js';
import { prismaAccessors } from './prisma.js';
import { resolveImportedNames } from './resolve-imports.js';
import { type FileResolution, resolvePendingNames } from './resolve-names.js';
import { contentHash, type FileJob, type FileOutcome, moduleExports, scanOneFile } from './scan-file.js';
import type { WorkerReply, WorkerRequest } from './scan-worker.js';
import { functionNameCandidates, loadSqlParser, type SqlScan, scanSqlText } from './sql-references.js';
import type {
  CodeScanResult,
  DrizzleDefinition,
  NamingSignal,
  SqlDefinition,
  TableReference,
  UnresolvedReference,
} from './table-reference.js';

/** Bumped whenever what the scanner extracts changes, so old caches are not trusted. */
const SCANNER_VERSION = 10;
const CACHE_DIR = '.dbcanon/cache';
const CACHE_FILE = 'code-scan.json';
const SQL_CACHE_FILE = 'sql-scan.json';

export interface ScanOptions {
  /** Read and write `.dbcanon/cache/` (default true). */
  cache?: boolean;
  /** Worker threads for parsing (default 2; 0 parses in the calling thread). */
  workers?: number;
  /** Below this many bytes to parse, the calling thread does it: starting workers would cost more. */
  parallelBytes?: number;
  /** More root-relative files to scan (e.g. the document's Used-by paths that the globs do not cover). */
  extraFiles?: string[];
  /** Shares the reads of SQL files with the other readers of one run (the static replay reads them too). */
  texts?: FileTexts;
}

interface CacheEntry {
  size: number;
  mtimeMs: number;
  hash: string;
  scan: FileScan | null;
  /** For SQL files: what they define. */
  definitions?: SqlDefinition[];
  /** For SQL files: the function names a quick look finds (functionNameCandidates), which key the code scan. */
  candidates?: string[];
  /** Names finished by ts-morph, valid while every dependency keeps its size and mtime. */
  resolution?: { values: FileResolution['values']; deps: { file: string; size: number; mtimeMs: number }[] };
}

interface CacheFile {
  version: number;
  key: string;
  files: Record<string, CacheEntry>;
}

const CODE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

function lineColumnAt(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}

/** The cache file as written by this scanner version (whatever its key), or null. */
async function readCacheFile(file: string): Promise<CacheFile | null> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
    if (data.version === SCANNER_VERSION && typeof data.key === 'string' && data.files) return data;
  } catch {
    // No cache, or an unreadable one: start afresh (the cache only saves time).
  }
  return null;
}

async function loadCache(file: string, key: string): Promise<CacheFile> {
  const data = await readCacheFile(file);
  return data?.key === key ? data : { version: SCANNER_VERSION, key, files: {} };
}

async function saveCache(root: string, name: string, cache: CacheFile): Promise<void> {
  const dir = path.join(root, CACHE_DIR);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, '.gitignore'), '*\n');
    const tmp = path.join(dir, `${name}.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(cache));
    await rename(tmp, path.join(dir, name));
  } catch {
    // A read-only checkout still scans; it only scans everything every time.
  }
}

/** A worker running scan-worker: the compiled .js, or (running from source, in tests) the .ts through tsx. */
function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./scan-worker.js', self));
  const tsx = createRequire(self)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const entry = new URL('./scan-worker.ts', self).href;
  const boot = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

/**
 * Scan workers, started before the files to parse are known: each loads the TypeScript compiler on its own
 * core while this thread reads the SQL files, which is most of a cold `dbcanon check`'s start-up overlapped.
 */
class ScanPool {
  private readonly workers: Worker[] = [];
  private held = true;

  constructor(count: number) {
    this.grow(count);
  }

  /** Starts workers until there are `count`. */
  grow(count: number): void {
    while (this.workers.length < count) {
      const w = startWorker();
      if (!this.held) w.unref();
      this.workers.push(w);
    }
  }

  /**
   * Whether the workers keep the process alive. A prewarmed pool does not until a scan takes it: if the scan
   * never comes (the command failed first), the process still exits.
   */
  hold(held: boolean): void {
    this.held = held;
    for (const w of this.workers) {
      if (held) w.ref();
      else w.unref();
    }
  }

  /**
   * Scans `jobs` in the first `count` workers, handing out small batches so no core idles at the end. Each worker
   * is given several batches ahead (one worker: all of them): this thread is often busy with the SQL when a
   * worker answers, and a worker that waited for its next batch until then would idle on its core.
   */
  async run(
    jobs: FileJob[],
    count: number,
    options: ExtractOptions,
    triggers: PrefilterSpec,
  ): Promise<(FileOutcome | null)[]> {
    const results: (FileOutcome | null)[] = [];
    const batchSize = Math.max(8, Math.min(64, Math.ceil(jobs.length / (count * 8))));
    const ahead = count === 1 ? Number.POSITIVE_INFINITY : 4;
    let next = 0;
    const drive = (worker: Worker) =>
      new Promise<void>((resolve, reject) => {
        let first = true;
        let sent = 0;
        const feed = () => {
          while (sent < ahead && next < jobs.length) {
            const batch: WorkerRequest = {
              jobs: jobs.slice(next, next + batchSize),
              ...(first ? { init: { options, triggers } } : {}),
            };
            first = false;
            next += batch.jobs.length;
            sent++;
            worker.postMessage(batch);
          }
          if (sent === 0) {
            worker.off('message', onMessage);
            worker.off('error', onError);
            worker.off('exit', onExit);
            resolve();
          }
        };
        const onMessage = (msg: WorkerReply) => {
          if (!msg.ok) {
            reject(revive(msg.error));
            return;
          }
          sent--;
          if ('results' in msg) results.push(...msg.results);
          feed();
        };
        const onError = (e: Error) =>
          reject(new DbcanonError('CODE_SCAN', `a scan worker failed: ${e.message}`, { cause: e }));
        const onExit = (code: number) => reject(workerExited(code));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        feed();
      });
    const used = this.workers.slice(0, Math.max(1, Math.min(count, Math.ceil(jobs.length / batchSize))));
    await Promise.all(used.map(drive));
    return results;
  }

  /** The exported constants of `modules` (root-relative), parsed by the first worker. */
  exportsOf(root: string, modules: string[]): Promise<Map<string, ModuleExports | null>> {
    const worker = this.workers[0];
    if (!worker) return Promise.resolve(new Map());
    return new Promise((resolve, reject) => {
      const onError = (e: Error) =>
        reject(new DbcanonError('CODE_SCAN', `a scan worker failed: ${e.message}`, { cause: e }));
      const onExit = (code: number) => reject(workerExited(code));
      worker.once('message', (msg: WorkerReply) => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (!msg.ok) reject(revive(msg.error));
        else resolve(new Map('exports' in msg ? msg.exports.map((e) => [e.rel, e.values]) : []));
      });
      worker.on('error', onError);
      worker.on('exit', onExit);
      const request: WorkerRequest = { exports: modules.map((rel) => ({ rel, abs: path.join(root, rel) })) };
      worker.postMessage(request);
    });
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}

/** A worker that stopped without an answer or an error (killed, out of memory): the scan must not wait on. */
function workerExited(code: number): DbcanonError {
  return new DbcanonError('CODE_SCAN', `a scan worker stopped (exit code ${code}) before it answered`, {
    hint: 'run the command again; a worker stops like this when the machine runs short of memory',
  });
}

interface DbcanonErrorLike {
  message: string;
  code?: string;
  location?: { file: string };
  hint?: string;
}

function revive(e: DbcanonErrorLike | undefined): DbcanonError {
  const code = e?.code === 'IO_READ' ? 'IO_READ' : 'CODE_SCAN';
  return new DbcanonError(code, e?.message ?? 'a scan worker failed', {
    ...(e?.location ? { location: e.location } : {}),
    ...(e?.hint ? { hint: e.hint } : {}),
  });
}

/** SQL file → references (via `sql-file`) and definitions. Files that do not parse give neither. */
function sqlFileScan(
  rel: string,
  text: string,
  scan: SqlScan | null,
): { scan: FileScan; definitions: SqlDefinition[] } {
  const references: TableReference[] = [];
  const definitions: SqlDefinition[] = [];
  for (const r of scan?.relations ?? []) {
    references.push({
      name: r.name,
      schema: r.schema,
      target: 'table',
      kind: r.kind,
      via: 'sql-file',
      file: rel,
      ...lineColumnAt(text, r.index),
    });
  }
  for (const d of scan?.definitions ?? []) {
    definitions.push({
      kind: d.kind,
      name: d.name,
      schema: d.schema,
      file: rel,
      ...lineColumnAt(text, d.index),
      ...(d.uses ? { uses: d.uses } : {}),
      ...(d.calls ? { calls: d.calls } : {}),
    });
  }
  return { scan: { references, unresolved: [], pending: [] }, definitions };
}

function statSyncOf(abs: string): { size: number; mtimeMs: number } | null {
  try {
    const s = statSync(abs, { throwIfNoEntry: false });
    return s?.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : null;
  } catch {
    return null;
  }
}

let prewarmed: ScanPool | null = null;

/**
 * Starts a scan worker at once when the next scanCode will likely parse code (no cache from an earlier run), so
 * that it loads the TypeScript compiler on the other core while this thread does everything before the scan:
 * loading modules, reading the document and the migrations. The next scanCode in this thread takes it.
 */
export function prewarmCodeScan(root: string, opts: Pick<ScanOptions, 'cache' | 'workers'> = {}): void {
  if (prewarmed || tsLoaded() || (opts.workers ?? 2) === 0) return;
  if ((opts.cache ?? true) && existsSync(path.join(root, CACHE_DIR, CACHE_FILE))) return;
  prewarmed = new ScanPool(1);
  prewarmed.hold(false);
}

export async function scanCode(
  root: string,
  config: DbcanonConfig,
  opts: ScanOptions = {},
): Promise<CodeScanResult> {
  const workers: { pool: ScanPool | null } = { pool: prewarmed };
  prewarmed = null;
  try {
    return await scanWith(root, config, opts, workers);
  } finally {
    workers.pool?.close();
  }
}

async function scanWith(
  root: string,
  config: DbcanonConfig,
  opts: ScanOptions,
  workers: { pool: ScanPool | null },
): Promise<CodeScanResult> {
  const useCache = opts.cache ?? true;
  const workerCount = opts.workers ?? 2;
  const parallelBytes = opts.parallelBytes ?? 2_000_000;
  const abs = (rel: string) => path.join(root, rel);

  // Prisma schemas first: their models decide what `prisma.<accessor>` means in the code.
  const prismaFiles = await readPrismaSchemas(root, config.code.prisma, opts.texts);

  const [codeFiles, repeatableFiles, migrationFiles] = await Promise.all([
    findFiles(root, config.code.include, config.code.exclude),
    findFiles(
      root,
      config.repeatables.map((d) => `${d}/**/*.sql`),
      [],
    ),
    findFiles(
      root,
      config.migrations.map((d) => `${d}/**/*.sql`),
      [],
    ),
  ]);
  const codeSet = new Set(codeFiles);
  const sqlSet = new Set(repeatableFiles);
  for (const extra of opts.extraFiles ?? []) {
    const rel = extra.replace(/^\.\//, '');
    if (CODE_EXT.test(rel)) codeSet.add(rel);
    else if (rel.endsWith('.sql')) sqlSet.add(rel);
  }

  // Stat everything; what kept its size and mtime is taken from the cache without reading it.
  const allCode = [...codeSet].sort();
  const fileStats = new Map<string, { size: number; mtimeMs: number }>();
  // Synchronously: one stat each is several times faster than as many awaited ones, and nothing waits meanwhile.
  for (const rel of [...allCode, ...sqlSet, ...migrationFiles]) {
    const s = statSyncOf(abs(rel));
    if (s) fileStats.set(rel, s);
  }
  const stats = { fromCache: 0, read: 0, parsed: 0, resolvedFiles: 0, resolvedByTsMorph: 0 };
  const emptyCache = (key: string): CacheFile => ({ version: SCANNER_VERSION, key, files: {} });

  // Code files the cache cannot answer for. If there are any and this thread has no compiler loaded yet, workers
  // start now and load it on the other core while this thread reads the SQL files below.
  const cachePath = path.join(root, CACHE_DIR, CACHE_FILE);
  const previous = useCache ? await readCacheFile(cachePath) : null;
  let staleBytes = 0;
  for (const rel of allCode) {
    const s = fileStats.get(rel);
    const hit = previous?.files[rel];
    if (s && !(hit && hit.size === s.size && hit.mtimeMs === s.mtimeMs)) staleBytes += s.size;
  }
  if (workerCount > 0 && staleBytes > 0 && !tsLoaded()) {
    workers.pool ??= new ScanPool(1);
    workers.pool.hold(true);
    workers.pool.grow(staleBytes >= parallelBytes ? workerCount : 1);
  } else if (workers.pool) {
    workers.pool.close();
    workers.pool = null;
  }

  // SQL before code: the functions it defines are what a code reference to a function can mean.
  // Repeatables are users of tables; migrations only tell what exists (views, functions).
  const sqlCachePath = path.join(root, CACHE_DIR, SQL_CACHE_FILE);
  const sqlCache = useCache ? await loadCache(sqlCachePath, 'sql') : emptyCache('sql');
  const nextSqlCache = emptyCache('sql');
  let sqlChanged = false;
  const sqlJobs: { rel: string; users: boolean }[] = [
    ...[...sqlSet].map((rel) => ({ rel, users: true })),
    ...migrationFiles.filter((f) => !sqlSet.has(f)).map((rel) => ({ rel, users: false })),
  ];
  // First what each SQL file is (unchanged, or to parse) and, cheaply, which functions it may define: the code
  // files go to the workers with those names, and the SQL is parsed while they work.
  const candidates = new Set<string>();
  // Unchanged files give the candidates recorded when they were parsed: the same names as a fresh look, so the
  // code cache (keyed by them) holds from one run to the next.
  const addDefined = (entry: CacheEntry) => {
    for (const name of entry.candidates ?? []) candidates.add(name);
  };
  const toParse: {
    rel: string;
    users: boolean;
    s: { size: number; mtimeMs: number };
    hash: string;
    text: string;
    found: string[];
  }[] = [];
  for (const { rel, users } of sqlJobs) {
    const s = fileStats.get(rel);
    if (!s) continue;
    const hit = sqlCache.files[rel];
    if (hit && hit.size === s.size && hit.mtimeMs === s.mtimeMs) {
      nextSqlCache.files[rel] = hit;
      addDefined(hit);
      continue;
    }
    sqlChanged = true;
    // Read synchronously (this loop is CPU-bound) and as text: a Buffer per file is memory outside the heap, and
    // 5 MB of it made V8 collect twice during a cold check.
    const text = readText(abs(rel), opts.texts);
    const hash = contentHash(text);
    if (hit && hit.hash === hash) {
      nextSqlCache.files[rel] = { ...hit, ...s };
      addDefined(hit);
      continue;
    }
    const found = functionNameCandidates(text);
    for (const name of found) candidates.add(name);
    toParse.push({ rel, users, s, hash, text, found });
  }

  const prismaAccessorMap = prismaAccessors(prismaFiles.map((p) => p.schema));
  /** Scans the code files that changed, extracting with `knownFunctions`; the cache is keyed by them. */
  const codePass = async (knownFunctions: string[]) => {
    const options: ExtractOptions = {
      sqlTags: config.code.sqlTags,
      prismaAccessors: prismaAccessorMap,
      knownFunctions,
    };
    const triggers = triggerSubstrings(options);
    // What the extraction depends on besides a file's bytes: a change here invalidates every cached code scan.
    const cacheKey = contentHash(Buffer.from(JSON.stringify({ SCANNER_VERSION, options })));
    const cache = previous?.key === cacheKey ? previous : emptyCache(cacheKey);
    const nextCache = emptyCache(cacheKey);
    const pass = { fromCache: 0, read: 0, parsed: 0, changed: false };
    const jobs: FileJob[] = [];
    let jobBytes = 0;
    for (const rel of allCode) {
      const s = fileStats.get(rel);
      if (!s) continue;
      const hit = cache.files[rel];
      if (hit && hit.size === s.size && hit.mtimeMs === s.mtimeMs) {
        nextCache.files[rel] = hit;
        pass.fromCache++;
      } else {
        jobs.push({ rel, abs: abs(rel), cachedHash: hit?.hash ?? null });
        jobBytes += s.size;
      }
    }
    if (jobs.length > 0) {
      pass.changed = true;
      let outcomes: (FileOutcome | null)[];
      const count = jobBytes >= parallelBytes ? workerCount : 1;
      if (workerCount > 0 && (workers.pool || jobBytes >= parallelBytes)) {
        workers.pool ??= new ScanPool(count);
        workers.pool.grow(count);
        outcomes = await workers.pool.run(jobs, count, options, triggers);
      } else {
        const prefilter = new Prefilter(triggers);
        outcomes = [];
        for (const job of jobs) outcomes.push(await scanOneFile(job, prefilter, options));
        if (outcomes.some((o) => o?.scan)) saveCompilerCache();
      }
      for (const o of outcomes) {
        if (!o) continue;
        pass.read++;
        if (o.scan) pass.parsed++;
        const s = fileStats.get(o.rel);
        if (!s) continue;
        const old = cache.files[o.rel];
        nextCache.files[o.rel] = o.same && old ? { ...old, ...s } : { ...s, hash: o.hash, scan: o.scan };
      }
    }
    return { cache, nextCache, pass };
  };
  const firstPass = codePass([...candidates].sort());
  // Settled below; until then a failure must not count as unhandled.
  firstPass.catch(() => undefined);

  for (const { rel, users, s, hash, text, found } of toParse) {
    await loadSqlParser();
    // A migration defines what its Up section creates: the text the static replay parses too, so within one
    // `dbcanon check` the parser's memo answers the second parse. Only its definitions are looked for: the tables
    // a migration alters are not uses of them (repeatables, which are, are scanned whole).
    const up = users ? null : splitMigration(text).up;
    const { scan, definitions } = sqlFileScan(
      rel,
      text,
      up ? scanSqlText(up.sql, up.offset, 'definitions') : scanSqlText(text),
    );
    nextSqlCache.files[rel] = { ...s, hash, scan, definitions, candidates: found };
  }
  const known = new Set(
    Object.values(nextSqlCache.files).flatMap((e) =>
      (e.definitions ?? []).filter((d) => d.kind === 'function').map((d) => d.name),
    ),
  );
  let code = await firstPass;
  // The candidates hold every function the SQL defines, unless one was written in a way the quick look missed
  // (a comment between FUNCTION and its name): then the code is scanned again with the exact names.
  if ([...known].some((n) => !candidates.has(n))) code = await codePass([...known].sort());
  const { cache, nextCache } = code;
  stats.fromCache = code.pass.fromCache;
  stats.read = code.pass.read;
  stats.parsed = code.pass.parsed;
  let changed = code.pass.changed;

  // Names only symbol resolution can tell; the cached answer holds while its files are unchanged.
  const toResolve: {
    file: string;
    pending: PendingName[];
    imports?: string | undefined;
    importBindings?: ImportBinding[] | undefined;
  }[] = [];
  for (const rel of allCode) {
    const entry = nextCache.files[rel];
    const pending = entry?.scan?.pending ?? [];
    if (!entry || pending.length === 0) continue;
    const r = entry.resolution;
    const fresh =
      r !== undefined &&
      r.values.length === pending.length &&
      r.deps.every((d) => {
        const s = fileStats.get(d.file) ?? statSyncOf(abs(d.file));
        return s !== null && s.size === d.size && s.mtimeMs === d.mtimeMs;
      });
    if (!fresh) {
      toResolve.push({
        file: rel,
        pending,
        imports: entry.scan?.imports,
        importBindings: entry.scan?.importBindings,
      });
    }
  }
  if (toResolve.length > 0) {
    changed = true;
    // Constants imported from the project's own modules first, with one parse of each module (in a worker when
    // there are any); ts-morph only for what that cannot settle.
    const pool = workers.pool;
    const resolved = await resolveImportedNames(root, toResolve, async (modules) =>
      pool
        ? pool.exportsOf(root, modules)
        : new Map(
            await Promise.all(
              modules.map(async (m) => [m, await moduleExports(m, abs(m))] as [string, ModuleExports | null]),
            ),
          ),
    );
    const rest = toResolve.filter((f) => !resolved.has(f.file));
    if (rest.length > 0) for (const [file, r] of await resolvePendingNames(root, rest)) resolved.set(file, r);
    stats.resolvedFiles = toResolve.length;
    stats.resolvedByTsMorph = rest.length;
    for (const { file } of toResolve) {
      const r = resolved.get(file);
      const entry = nextCache.files[file];
      if (!r || !entry) continue;
      const deps = r.deps.map((d) => ({
        file: d,
        ...(fileStats.get(d) ?? statSyncOf(abs(d)) ?? { size: -1, mtimeMs: -1 }),
      }));
      nextCache.files[file] = { ...entry, resolution: { values: r.values, deps } };
    }
  }

  const references: TableReference[] = [];
  const unresolved: UnresolvedReference[] = [];
  const definitions: SqlDefinition[] = [];
  const drizzle: DrizzleDefinition[] = [];
  const naming: NamingSignal[] = [];
  let filesScanned = 0;
  let needSql = false;
  const pendingSql: { p: PendingName; file: string; sql: string }[] = [];
  for (const rel of allCode) {
    const entry = nextCache.files[rel];
    if (!entry?.scan) continue;
    filesScanned++;
    // Names of functions the code was scanned for but the SQL does not define (a dropped one, say) are no
    // references; `.rpc()` and REST calls name functions whatever the SQL holds, and stay.
    for (const r of entry.scan.references) {
      if (
        r.target === 'function' &&
        r.via !== 'supabase-rpc' &&
        r.via !== 'postgrest-url' &&
        !known.has(r.name)
      )
        continue;
      references.push(r);
    }
    unresolved.push(...entry.scan.unresolved);
    drizzle.push(...(entry.scan.drizzle ?? []));
    naming.push(...(entry.scan.naming ?? []));
    entry.scan.pending.forEach((p, i) => {
      const v = entry.resolution?.values[i] ?? null;
      const at = { file: rel, line: p.line, column: p.column };
      if (p.role === 'sql') {
        if (v?.t === 'str') {
          pendingSql.push({ p, file: rel, sql: v.s });
          needSql = true;
        } else unresolved.push({ ...at, via: p.via });
      } else if (v?.t === 'str' || v?.t === 'table') {
        const name = v.t === 'str' ? v.s : v.name;
        const schema = v.t === 'table' ? v.schema : null;
        references.push({
          name,
          schema: schema ?? p.schema,
          target: p.role,
          kind: p.kind,
          via: v.t === 'table' ? 'drizzle' : p.via,
          ...at,
        });
      } else unresolved.push({ ...at, via: p.via });
    });
  }
  if (needSql) {
    await loadSqlParser();
    for (const { p, file, sql } of pendingSql) {
      const scan = scanSqlText(sql);
      if (!scan) continue;
      for (const r of scan.relations) {
        references.push({
          name: r.name,
          schema: r.schema,
          target: 'table',
          kind: r.kind,
          via: p.via,
          file,
          line: p.line,
          column: p.column,
        });
      }
    }
  }
  for (const { rel, users } of sqlJobs) {
    const entry = nextSqlCache.files[rel];
    if (!entry) continue;
    definitions.push(...(entry.definitions ?? []));
    if (users && entry.scan) {
      filesScanned++;
      references.push(...entry.scan.references);
    }
  }

  // Saved last: written earlier, the SQL cache would hold back the hand-over of the code files to the workers.
  if (
    useCache &&
    (sqlChanged || Object.keys(sqlCache.files).length !== Object.keys(nextSqlCache.files).length)
  ) {
    await saveCache(root, SQL_CACHE_FILE, nextSqlCache);
  }
  if (useCache && (changed || Object.keys(cache.files).length !== Object.keys(nextCache.files).length)) {
    await saveCache(root, CACHE_FILE, nextCache);
  }

  const byPlace = (a: { file: string; line: number; column: number }, b: typeof a) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
  references.sort(byPlace);
  unresolved.sort(byPlace);
  const files = [
    ...allCode.filter((f) => fileStats.has(f)),
    ...[...sqlSet].filter((f) => fileStats.has(f)),
    ...prismaFiles.map((p) => p.file),
  ].sort();
  return {
    references,
    unresolved,
    filesScanned: filesScanned + prismaFiles.length,
    filesMatched: files.length,
    files,
    definitions,
    drizzle,
    naming,
    stats,
  };
}
