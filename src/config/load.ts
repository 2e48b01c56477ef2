import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { DbcanonError } from '../errors.js';
import { withDetectedMigrations } from './defaults.js';
import { CONFIG_FILE, findProject } from './find.js';
import { configSchema, type DbcanonConfig } from './schema.js';

export { CONFIG_FILE };

export interface LoadedConfig {
  config: DbcanonConfig;
  /** Absolute project root: the directory of the config file, or the working directory without one. */
  root: string;
  /** Absolute path of the config file read, or null when the defaults were used. */
  file: string | null;
}

/** Formats every zod issue as `path: message`, so one run shows all problems of a config file at once. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${base ? `${base}.` : ''}${k}: unknown key`).join('\n  ');
    }
    return `${base || '(root)'}: ${issue.message}`;
  });
}

/** Validates an already-parsed config object. */
export function parseConfig(input: unknown, file = CONFIG_FILE): DbcanonConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const details = formatIssues(result.error.issues);
    throw new DbcanonError(
      'CONFIG_INVALID',
      `${details.length} problem${details.length === 1 ? '' : 's'} in the config`,
      {
        location: { file },
        details,
        hint: 'fix or remove the keys named above; every key is optional (see README "Configuration")',
      },
    );
  }
  return result.data;
}

/**
 * Loads the config: the explicit `configPath` (relative to `cwd`), else the `dbcanon.config.json` found from
 * `cwd` upward (src/config/find.ts). Without a file the defaults apply, with the project root found the same
 * way; an explicit path that does not exist is an error.
 */
export async function loadConfig(cwd: string, configPath?: string): Promise<LoadedConfig> {
  const found = configPath === undefined ? findProject(cwd) : null;
  if (found && !found.file) {
    return {
      config: withDetectedMigrations(parseConfig({}), found.root, false),
      root: found.root,
      file: null,
    };
  }
  const file = found?.file ?? path.resolve(cwd, configPath ?? CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new DbcanonError('CONFIG_NOT_FOUND', `cannot read config file: ${(e as Error).message}`, {
      location: { file: path.relative(cwd, file) || file },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DbcanonError('CONFIG_PARSE', `not valid JSON: ${(e as Error).message}`, {
      location: { file: path.relative(cwd, file) || file },
    });
  }
  const config = parseConfig(json, path.relative(cwd, file) || file);
  const named = typeof json === 'object' && json !== null && 'migrations' in json;
  return {
    config: withDetectedMigrations(config, path.dirname(file), named),
    root: path.dirname(file),
    file,
  };
}
