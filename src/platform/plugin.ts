/**
 * This repository's platform database as a plugin of the dbcanon CLI (src/cli/plugins.ts): the commands that
 * call its SQL API (VTID numbering, the OASIS event log, the ledger projection). Its SQL lives at the top of the
 * repository (migrations/, schema/, policies/, DATABASE_SCHEMA.md), its code here, its tests in test/ beside the
 * tool's. None of it is in the published package.
 */
import type { CliPlugin } from '../cli/plugins.js';

export const plugin: CliPlugin = {
  name: 'platform',
  commands: {
    vtid: {
      usage: 'vtid next|create|show VTID|list [filters]',
      summary: 'allocate, create and read VTIDs in the database',
      load: () => import('./cli/vtid.js'),
    },
    events: {
      usage: 'events ingest FILE|- | events tail [--vtid V]',
      summary: 'store OASIS events, or follow them as they arrive',
      load: () => import('./cli/events.js'),
    },
    ledger: {
      usage: 'ledger sync|status|replay|watch',
      summary: 'project OASIS events into vtid_ledger',
      load: () => import('./cli/ledger.js'),
    },
  },
};
