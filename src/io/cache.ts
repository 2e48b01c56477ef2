/**
 * Results kept between runs in `.dbcanon/cache/` (git-ignored by a `.gitignore` written there), each under a key
 * that hashes everything the result depends on: the inputs the caller names, and the tool itself (every module
 * file of this build, by name, size and mtime), so that a new build or an edited source file never reads a result
 * an older one wrote. A missing, unreadable or stale entry is a miss; a read-only checkout just never hits.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE_DIR = '.dbcanon/cache';

let tool: string | undefined;

/**
 * A hash of the running build: the name, size and mtime of every module under its root (dist/ or src/) and of
 * the built-in starting schemas beside it.
 */
export function toolFingerprint(): string {
  if (tool) return tool;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const starting = fileURLToPath(new URL('../../starting-schemas', import.meta.url));
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|ts|sql)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        const s = statSync(p);
        hash.update(`${path.relative(root, p)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  try {
    walk(starting);
  } catch {
    // Not beside this build (a bundled copy): the modules' hash alone.
  }
  tool = hash.digest('hex');
  return tool;
}

/** The key of a result: the tool's fingerprint and the caller's inputs (strings, hashed in order). */
export function cacheKey(parts: readonly string[]): string {
  const hash = createHash('sha256').update(toolFingerprint());
  for (const p of parts) hash.update('\0').update(p);
  return hash.digest('hex');
}

interface Entry<T> {
  key: string;
  value: T;
}

/** The value stored under `name` if it was stored with this key, else null. */
export async function readCache<T>(root: string, name: string, key: string): Promise<T | null> {
  try {
    const entry = JSON.parse(await readFile(path.join(root, CACHE_DIR, name), 'utf8')) as Entry<T>;
    return entry.key === key ? entry.value : null;
  } catch {
    return null;
  }
}

/** Stores `value` under `name` (atomically: a reader sees the old entry or the new one). Never fails the run. */
export async function writeCache<T>(root: string, name: string, key: string, value: T): Promise<void> {
  const dir = path.join(root, CACHE_DIR);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, '.gitignore'), '*\n');
    const tmp = path.join(dir, `${name}.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify({ key, value } satisfies Entry<T>));
    await rename(tmp, path.join(dir, name));
  } catch {
    // A read-only checkout still checks; it only replays every time.
  }
}
