/**
 * Where a run's project is, found the way Biome and ESLint find theirs: from the working directory upward to
 * the repository root, the first folder holding `dbcanon.config.json`; without one, the repository root (the
 * folder holding `.git`); outside a repository, the working directory. So `dbcanon check` from `src/` checks
 * the same project as from the top.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CONFIG_FILE = 'dbcanon.config.json';

export interface FoundProject {
  root: string;
  /** The config file found, or null. */
  file: string | null;
}

export function findProject(cwd: string): FoundProject {
  const start = path.resolve(cwd);
  for (let dir = start; ; ) {
    const file = path.join(dir, CONFIG_FILE);
    if (existsSync(file)) return { root: dir, file };
    // The repository root ends the search: a config above it belongs to something else.
    if (existsSync(path.join(dir, '.git'))) return { root: dir, file: null };
    const parent = path.dirname(dir);
    if (parent === dir) return { root: start, file: null };
    dir = parent;
  }
}
