import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

describe('dbcanon check (arguments)', () => {
  it('--help lists the options and suppression syntax, exit 0', async () => {
    const io = memoryIo(process.cwd());
    expect(await main(['check', '--help'], io)).toBe(0);
    for (const s of [
      '--db URL',
      '--format',
      '--baseline FILE',
      '--update-baseline',
      '--preset',
      '<!-- dbcanon-ignore',
    ]) {
      expect(io.out()).toContain(s);
    }
  });

  it.each([
    [['--format', 'xml'], '--format takes text, json, sarif, github'],
    [['--preset', 'lenient'], '--preset takes recommended or strict'],
    [['--update-baseline'], '--update-baseline needs a baseline file'],
    [['--colour'], "Unknown option '--colour'"],
    [['extra'], "unexpected argument 'extra'"],
    [['--config', 'missing.json'], 'cannot read config file'],
  ])('%j is a usage/config error (exit 2)', async (args, message) => {
    const io = memoryIo(process.cwd());
    expect(await main(['check', ...args], io)).toBe(2);
    expect(io.err()).toContain(message);
  });
});

describe('dbcanon check (baseline workflow)', () => {
  it("--update-baseline records today's findings; later runs fail only on new drift", async () => {
    const { cp, mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const root = await mkdtemp(path.join(tmpdir(), 'dbcanon-baseline-'));
    try {
      await cp(path.resolve(import.meta.dirname, '../fixtures/check/generations'), root, { recursive: true });
      let io = memoryIo(root);
      expect(await main(['check'], io)).toBe(1);

      io = memoryIo(root);
      expect(await main(['check', '--baseline', 'dbcanon-baseline.json', '--update-baseline'], io)).toBe(0);
      expect(io.err()).toMatch(/recorded \d+ findings in dbcanon-baseline\.json/);

      io = memoryIo(root);
      expect(await main(['check', '--baseline', 'dbcanon-baseline.json', '--format', 'json'], io)).toBe(0);
      expect(JSON.parse(io.out()).findings).toEqual([]);

      await writeFile(
        path.join(root, 'migrations/20251201000000_vtid_ledger_priority.sql'),
        '-- Up Migration\nALTER TABLE vtid_ledger ADD COLUMN priority TEXT;\n-- Down Migration\nALTER TABLE vtid_ledger DROP COLUMN priority;\n',
      );
      io = memoryIo(root);
      expect(await main(['check', '--baseline', 'dbcanon-baseline.json', '--format', 'json'], io)).toBe(1);
      const findings = JSON.parse(io.out()).findings;
      expect(findings.map((f: { rule: string }) => f.rule)).toEqual(['drift-undocumented-column']);
      expect(findings[0].message).toContain('`vtid_ledger.priority`');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
