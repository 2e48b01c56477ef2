import { defineConfig } from 'vitest/config';

/** Shared SQL trees are frozen under test, so code that modifies one fails loudly (src/sql/parser.ts). */
const FREEZE = { DBCANON_FREEZE_TREES: '1' };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          env: FREEZE,
          // A few unit tests parse every seed with the WASM SQL parser; on a loaded 2-core machine that has
          // taken longer than the 5 s default.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          env: FREEZE,
          globalSetup: ['test/support/global-setup.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
