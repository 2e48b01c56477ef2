import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

describe('dbcanon check (arguments)', () => {
  it('--help lists the options and suppression syntax, exit 0', async () => {
    const io = memoryIo(process.cwd());
    expect(await main(['check', '--help'], io)).toBe(0);
    for (const s of [
      '--db [URL]',
      '--database-url URL',
      '--max-warnings N',
      '--output FILE',
      '--no-color',
      'PATH...',
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
    [['--format', 'xml'], '--format takes text, json, sarif, github, gitlab'],
    [['--preset', 'lenient'], '--preset takes recommended or strict'],
    [['--update-baseline'], '--update-baseline needs a baseline file'],
    [['--colour'], "Unknown option '--colour'"],
    [['extra'], 'no such file or folder: extra'],
    [['--max-warnings', 'many'], '--max-warnings takes a whole number'],
    [['--db'], '--db without a URL reads DATABASE_URL, which is not set'],
    [['--database-url'], '--database-url needs a connection URL'],
    [['--config', 'missing.json'], 'cannot read config file'],
  ])('%j is a usage/config error (exit 2)', async (args, message) => {
    const io = memoryIo(process.cwd());
    expect(await main(['check', ...args], io)).toBe(2);
    expect(io.err()).toContain(message);
  });
});

describe('dbcanon check (conventions of other linters)', () => {
  it("`dbcanon help check` prints the command's help", async () => {
    const io = memoryIo(process.cwd());
    expect(await main(['help', 'check'], io)).toBe(0);
    expect(io.out()).toContain('--max-warnings N');
  });

  it('--db alone reads DATABASE_URL; the variable alone does not turn the live check on', async () => {
    const { normalizeDbArgs } = await import('../../src/cli/check.js');
    const env = { DATABASE_URL: 'postgres://u@h:5432/d' };
    expect(normalizeDbArgs(['--db'], env)).toEqual(['--db=postgres://u@h:5432/d']);
    expect(normalizeDbArgs(['--db', 'migrations/'], env)).toEqual([
      '--db=postgres://u@h:5432/d',
      'migrations/',
    ]);
    expect(normalizeDbArgs(['--db', 'postgresql://x@y/z'], env)).toEqual(['--db=postgresql://x@y/z']);
    expect(normalizeDbArgs(['--database-url', 'postgres://a@b/c'], {})).toEqual(['--db=postgres://a@b/c']);
    expect(normalizeDbArgs(['--format', 'json'], env)).toEqual(['--format', 'json']);
  });

  it('colours: the flags win, then NO_COLOR, then FORCE_COLOR, then a terminal (never into a file)', async () => {
    const { useColor } = await import('../../src/cli/check.js');
    const off = { color: false, 'no-color': false };
    expect(useColor({ ...off, color: true }, { NO_COLOR: '1' }, false, true)).toBe(true);
    expect(useColor({ ...off, 'no-color': true }, { FORCE_COLOR: '1' }, true, false)).toBe(false);
    expect(useColor(off, { NO_COLOR: '1', FORCE_COLOR: '1' }, true, false)).toBe(false);
    expect(useColor(off, { FORCE_COLOR: '1' }, false, false)).toBe(true);
    expect(useColor(off, { FORCE_COLOR: '0' }, true, false)).toBe(true);
    expect(useColor(off, {}, true, true)).toBe(false);
    expect(useColor(off, {}, false, false)).toBe(false);
  });

  it('paths narrow the report, --output writes it to a file, --max-warnings fails on too many warnings', async () => {
    const { mkdtemp, mkdir, readFile, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const root = await mkdtemp(path.join(tmpdir(), 'dbcanon-narrow-'));
    await mkdir(path.join(root, 'migrations'));
    await writeFile(
      path.join(root, 'migrations/20250101000000_a.sql'),
      'create table a (id int primary key);\n',
    );
    // A warning (a table made elsewhere) in one file, an error (a statement that does not parse) in another.
    await writeFile(
      path.join(root, 'migrations/20250102000000_b.sql'),
      'alter table elsewhere add column x int;\n',
    );
    await writeFile(path.join(root, 'migrations/20250103000000_c.sql'), 'create tabel c (id int);\n');
    const json = async (args: string[]) => {
      const io = memoryIo(root);
      const code = await main(['check', '--format', 'json', ...args], io);
      return { code, doc: JSON.parse(io.out() || '{"findings":[]}'), err: io.err() };
    };
    const rules = (r: { doc: { findings: { rule: string; file: string }[] } }) =>
      r.doc.findings.map((f) => `${f.file} ${f.rule}`);

    const all = await json([]);
    expect(all.code).toBe(1);
    expect(rules(all)).toContain('migrations/20250102000000_b.sql migration-external-table');
    expect(rules(all)).toContain('migrations/20250103000000_c.sql migration-syntax');

    const warningsOnly = await json(['migrations/20250102000000_b.sql']);
    expect(rules(warningsOnly)).toEqual(['migrations/20250102000000_b.sql migration-external-table']);
    expect(warningsOnly.doc.summary).toMatchObject({ errors: 0, warnings: 1 });
    expect(warningsOnly.code).toBe(0);
    const over = await json(['migrations/20250102000000_b.sql', '--max-warnings', '0']);
    expect(over.code).toBe(1);
    expect(over.err).toContain('1 warning, more than --max-warnings 0');
    expect((await json(['migrations/20250102000000_b.sql', '--max-warnings', '1'])).code).toBe(0);

    const folder = await json(['migrations']);
    expect(rules(folder).every((r) => r.startsWith('migrations/'))).toBe(true);
    expect(rules(folder)).toHaveLength(2);

    const io = memoryIo(root);
    expect(await main(['check', '--format', 'json', '--output', 'report.json'], io)).toBe(1);
    expect(io.out()).toBe('');
    expect(JSON.parse(await readFile(path.join(root, 'report.json'), 'utf8')).findings).toEqual(
      all.doc.findings,
    );
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

describe('dbcanon check (config)', () => {
  it('an unknown rule id in the config is a config error that lists the ids', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const root = await mkdtemp(path.join(tmpdir(), 'dbcanon-rules-'));
    await writeFile(path.join(root, 'dbcanon.config.json'), '{"rules": {"code-unknown-tabel": "off"}}');
    const io = memoryIo(root);
    expect(await main(['check'], io)).toBe(2);
    expect(io.err()).toContain('unknown rule id in "rules": code-unknown-tabel');
    expect(io.err()).toContain('code-unknown-table');
  });
});
