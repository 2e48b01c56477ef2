/**
 * The real sources of a check, loaded lazily so that `dbcanon --help` never pays for the SQL parser or
 * ts-morph. Each producer lives with its subsystem; this file only wires them to the engine.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { DbcanonError } from '../errors.js';
import type { Producers } from './engine.js';

const notYet = (what: string) => async (): Promise<never> => {
  throw new DbcanonError('INPUT_INVALID', `${what} is not part of this build yet`);
};

export const defaultProducers: Producers = {
  readDoc: async (root, config) => {
    // A project without the document gets the doc-required-sections finding, not an I/O error.
    const exists = await access(path.resolve(root, config.doc)).then(
      () => true,
      () => false,
    );
    if (!exists) return null;
    const { loadDoc } = await import('../doc/read.js');
    return loadDoc(root, config);
  },
  docSchema: notYet('turning the document into a schema'),
  replayMigrations: notYet('replaying the migrations'),
  scanCode: async () => null,
  introspect: notYet('introspecting the database'),
  readAppliedMigrations: notYet('reading applied migrations'),
};
