/**
 * The scan worker started ahead of the scan (prewarmCodeScan): the scan that takes it finds what a scan in the
 * calling thread finds, and a process that starts one and never scans still exits.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prewarmCodeScan, scanCode } from '../../src/code/scan.js';
import { parseConfig } from '../../src/config/load.js';

const repo = path.resolve(import.meta.dirname, '../..');
const root = path.join(import.meta.dirname, '../fixtures/code/patterns');
const config = parseConfig({
  code: { include: ['src/**/*.ts'], sqlTags: ['sql', 'db'], prisma: ['prisma/schema.prisma'] },
  repeatables: ['schema'],
  migrations: [],
});

describe('prewarmCodeScan', () => {
  it('hands its worker to the next scan, which finds what the calling thread finds', async () => {
    // First in this file: the compiler is not loaded in this thread yet, so the prewarmed worker is used.
    prewarmCodeScan(root, { cache: false });
    const prewarmed = await scanCode(root, config, { cache: false });
    const inThread = await scanCode(root, config, { cache: false, workers: 0 });
    expect(inThread.references.length).toBeGreaterThan(20);
    expect(prewarmed.references).toEqual(inThread.references);
    expect(prewarmed.unresolved).toEqual(inThread.unresolved);
    expect(prewarmed.definitions).toEqual(inThread.definitions);
  }, 60_000);

  it('does not keep a process alive that never scans', () => {
    const script = `import(${JSON.stringify(path.join(repo, 'src/code/scan.ts'))}).then((m) => { m.prewarmCodeScan(${JSON.stringify(root)}, { cache: false }); console.log('prewarmed'); });`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain('prewarmed');
    expect(r.status).toBe(0);
  }, 60_000);
});
