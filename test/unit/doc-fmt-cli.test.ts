import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const fixture = (dir: string, name: string) =>
  readFileSync(new URL(`../fixtures/doc/${dir}/${name}.md`, import.meta.url));

function project(content: Buffer | string): { dir: string; doc: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'dbcanon-doc-'));
  const doc = path.join(dir, 'DATABASE_SCHEMA.md');
  writeFileSync(doc, content);
  return { dir, doc };
}

describe('dbcanon doc fmt', () => {
  it('without --fix-encoding reports each repair, exits 1 and writes nothing', async () => {
    const seed = fixture('seeds', '001_442cef1edb5577ed');
    const { dir, doc } = project(seed);
    const io = memoryIo(dir);
    expect(await main(['doc', 'fmt'], io)).toBe(1);
    expect(readFileSync(doc).equals(seed)).toBe(true);
    const out = io.out();
    expect(out).toContain("DATABASE_SCHEMA.md:6:4: 'ðŸ”’' -> '🔒' (UTF-8 read as Windows-1252)");
    expect(out).toMatch(
      /DATABASE_SCHEMA\.md:379:4: 'ðŸ”' -> '🔍' \(UTF-8 read as Windows-1252, guessed: .*'🔐'/,
    );
    expect(out).toMatch(/:119:4: .* -> '⚠️' \(U\+26A0 U\+FE0F\) .*guessed/);
    expect(out).toContain('14 mis-decoded runs (4 guessed)');
    expect(await main(['doc', 'fmt', '--check'], memoryIo(dir))).toBe(1);
  });

  it('--fix-encoding rewrites only the mis-decoded text; a second run finds nothing', async () => {
    const { dir, doc } = project(fixture('seeds', '000_e5d971c37e16717a'));
    const io = memoryIo(dir);
    expect(await main(['doc', 'fmt', '--fix-encoding'], io)).toBe(0);
    expect(readFileSync(doc).equals(fixture('repaired', '000_e5d971c37e16717a'))).toBe(true);
    expect(io.out()).toContain('repaired 14 mis-decoded runs');
    const again = memoryIo(dir);
    expect(await main(['doc', 'fmt'], again)).toBe(0);
    expect(again.out()).toContain('encoding is clean');
  });

  it('keeps CRLF line endings and a byte-order mark byte for byte', async () => {
    const crlf = (b: Buffer) => Buffer.from(b.toString('utf8').replace(/\n/g, '\r\n'), 'utf8');
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const { dir, doc } = project(Buffer.concat([bom, crlf(fixture('seeds', '001_442cef1edb5577ed'))]));
    expect(await main(['doc', 'fmt', '--fix-encoding', 'DATABASE_SCHEMA.md'], memoryIo(dir))).toBe(0);
    expect(
      readFileSync(doc).equals(Buffer.concat([bom, crlf(fixture('repaired', '001_442cef1edb5577ed'))])),
    ).toBe(true);
  });

  it('--dry-run prints the repairs and writes nothing', async () => {
    const seed = fixture('seeds', '004_57f4dc40026df973');
    const { dir, doc } = project(seed);
    const io = memoryIo(dir);
    expect(await main(['doc', 'fmt', '--fix-encoding', '--dry-run'], io)).toBe(0);
    expect(io.out()).toContain('would be repaired (dry run, nothing written)');
    expect(readFileSync(doc).equals(seed)).toBe(true);
  });

  it('leaves a correct document alone and exits 0', async () => {
    const seed = fixture('seeds', '002_af756df21a29a961');
    const { dir, doc } = project(seed);
    expect(await main(['doc', 'fmt', '--fix-encoding'], memoryIo(dir))).toBe(0);
    expect(await main(['doc', 'fmt'], memoryIo(dir))).toBe(0);
    expect(readFileSync(doc).equals(seed)).toBe(true);
  });

  it('uses the `doc` key of the config, and names a missing document (exit 2)', async () => {
    const { dir } = project('# x\n');
    writeFileSync(path.join(dir, 'dbcanon.config.json'), JSON.stringify({ doc: 'docs/SCHEMA.md' }));
    const io = memoryIo(dir);
    expect(await main(['doc', 'fmt'], io)).toBe(2);
    expect(io.err()).toContain(
      'docs/SCHEMA.md: error IO_READ: the schema document docs/SCHEMA.md does not exist',
    );
  });

  it('refuses to rewrite a file that is not UTF-8', async () => {
    const { dir, doc } = project(
      Buffer.concat([Buffer.from('## ðŸ”’ x\n', 'utf8'), Buffer.from([0xff, 0x0a])]),
    );
    const before = readFileSync(doc);
    const io = memoryIo(dir);
    expect(await main(['doc', 'fmt', '--fix-encoding'], io)).toBe(1);
    expect(io.err()).toContain('not valid UTF-8');
    expect(readFileSync(doc).equals(before)).toBe(true);
  });

  it('rejects unknown flags and subcommands as usage errors', async () => {
    const { dir } = project('# x\n');
    expect(await main(['doc', 'fmt', '--fix'], memoryIo(dir))).toBe(2);
    expect(await main(['doc', 'frobnicate'], memoryIo(dir))).toBe(2);
    const help = memoryIo(dir);
    expect(await main(['doc', '--help'], help)).toBe(0);
    expect(help.out()).toContain('--fix-encoding');
  });
});
