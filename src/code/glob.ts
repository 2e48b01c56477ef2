/**
 * The small glob dialect of `code.include`/`code.exclude`: `**` (any directories), `*` and `?` (within a path
 * segment), `{a,b}` (alternatives). Paths are root-relative with `/` separators.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, close)
          .split(',')
          .map((alt) => globToRegExp(alt).source.slice(1, -1))
          .join('|')})`;
        i = close;
      }
    } else re += /[.+^$()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

/** The directory a glob can only match below (`src` for `src/**\/*.ts`), so the walk starts there. */
function staticBase(glob: string): string {
  const parts = glob.split('/');
  const base: string[] = [];
  for (const p of parts.slice(0, -1)) {
    if (/[*?{]/.test(p)) break;
    base.push(p);
  }
  return base.join('/');
}

/** Files under `root` matching any `include` and no `exclude`, root-relative, sorted. */
export async function findFiles(root: string, include: string[], exclude: string[]): Promise<string[]> {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  const bases = [...new Set(include.map(staticBase))].sort();
  // A base inside another base is walked once, as part of the outer one.
  const roots = bases.filter((b) => !bases.some((o) => o !== b && (o === '' || b.startsWith(`${o}/`))));
  const found = new Set<string>();
  const walk = async (rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
        return;
      throw e;
    }
    await Promise.all(
      entries.map(async (d) => {
        const child = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          if (d.name === '.git' || d.name === '.dbcanon') return;
          if (exc.some((r) => r.test(`${child}/`))) return;
          await walk(child);
        } else if (d.isFile() && inc.some((r) => r.test(child)) && !exc.some((r) => r.test(child))) {
          found.add(child);
        }
      }),
    );
  };
  await Promise.all(roots.map(walk));
  return [...found].sort();
}
