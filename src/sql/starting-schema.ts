/**
 * The starting model for a config: which starting schema a project has (config "startingSchema", else detected
 * from its folders) and what it creates, replayed once per run. Every replay of the project's SQL (migrations,
 * the document's blocks, `doc sync`, `doc diagram`) begins from it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DbcanonConfig } from '../config/schema.js';
import { DbcanonError } from '../errors.js';
import { emptySchemaModel } from '../model/schema-model.js';
import {
  detectStartingSchema,
  type StartingSchema,
  type StartingSchemaChoice,
} from '../model/starting-schema.js';
import { type ReplayProblem, replaySql } from './replay.js';

/** The built-in starting schemas ship in the package's starting-schemas/ (beside dist/ and src/). */
const BUILT_IN_DIR = fileURLToPath(new URL('../../starting-schemas/', import.meta.url));

/** The file name problems and locations of the built-in Supabase schema carry. */
export const SUPABASE_STARTING_FILE = 'starting-schemas/supabase.sql (dbcanon)';

export { detectStartingSchema };

export interface LoadedStartingSchema extends StartingSchema {
  /** What the replay refused in a project's own starting file (the built-in one has none: a test holds it). */
  problems: ReplayProblem[];
}

const cache = new Map<string, Promise<LoadedStartingSchema>>();

/** The SQL of the choice and the file name its locations carry; null for `postgres`. */
function startingSql(root: string, choice: StartingSchemaChoice): { file: string; sql: string } | null {
  if (choice.kind === 'postgres') return null;
  if (choice.kind === 'supabase') {
    return {
      file: SUPABASE_STARTING_FILE,
      sql: readFileSync(path.join(BUILT_IN_DIR, 'supabase.sql'), 'utf8'),
    };
  }
  const abs = path.resolve(root, choice.file);
  try {
    return { file: path.relative(root, abs).split(path.sep).join('/'), sql: readFileSync(abs, 'utf8') };
  } catch (e) {
    throw new DbcanonError(
      'CONFIG_INVALID',
      `startingSchema: cannot read ${choice.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        location: { file: 'dbcanon.config.json' },
        hint: 'give "supabase", "postgres", or the path of a .sql file relative to the config file',
      },
    );
  }
}

/**
 * The starting model for this config, replayed once per root and choice (and file text) in a run: the check's
 * producers and the doc commands all ask for it.
 */
export async function loadStartingSchema(
  root: string,
  config: Pick<DbcanonConfig, 'startingSchema'>,
): Promise<LoadedStartingSchema> {
  const { choice, detected } = detectStartingSchema(root, config);
  const source = startingSql(root, choice);
  if (!source) return { choice, detected, model: emptySchemaModel(), problems: [] };
  const key = `${choice.kind}\0${source.file}\0${source.sql}`;
  let loading = cache.get(key);
  if (!loading) {
    loading = replaySql([{ file: source.file, sql: source.sql }]).then((r) => ({
      choice,
      detected,
      model: r.model,
      problems: r.problems.filter((p) => p.severity !== 'note'),
    }));
    cache.set(key, loading);
  }
  // The replayed model is shared between callers (no one changes it: the replay clones its base); whether the
  // choice was detected is each caller's own.
  return { ...(await loading), detected };
}
