/**
 * `dbcanon doc fmt|sync|diagram`: commands that read and rewrite the canonical schema document.
 */
import { loadConfig } from '../config/load.js';
import type { DocMojibake } from '../doc/doc-model.js';
import { repairEncoding } from '../doc/encoding.js';
import { readDoc, writeDoc } from '../doc/read.js';
import { DbcanonError } from '../errors.js';
import { parseCommandArgs } from './args.js';
import type { CliIo } from './io.js';

const HELP = `Usage: dbcanon doc <fmt|sync|diagram> [options] [FILE]

  doc fmt [FILE]                  report mis-decoded text (mojibake) in the document; exit 1 if any
  doc fmt --fix-encoding [FILE]   repair it in place; nothing else in the file changes (CRLF, BOM kept)
      --check                     only report, never write; exit 1 if anything needs fixing (for CI)
      --dry-run                   with --fix-encoding: print the repairs without writing; exit 0

FILE defaults to the \`doc\` key of dbcanon.config.json (DATABASE_SCHEMA.md).
Each repair is printed as FILE:LINE:COL: 'found' -> 'repaired'. Where bytes were lost (Windows-1252 drops
0x81, 0x8D, 0x8F, 0x90, 0x9D) the most likely character is chosen and the line says "guessed", with the
other characters that fit.

Options for every doc command:
  --config FILE   config file (default dbcanon.config.json in the working directory)
  --help          this text
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(HELP);
    return sub === undefined ? 2 : 0;
  }
  switch (sub) {
    case 'fmt':
      return fmt(rest, io);
    default:
      throw new DbcanonError('CLI_USAGE', `unknown doc command '${sub}'`, {
        hint: 'doc commands: fmt, sync, diagram (see `dbcanon doc --help`)',
      });
  }
}

/** Shows invisible characters (variation selectors, joiners) by code point, so a repair can be checked. */
export function visible(s: string): string {
  const quoted = `'${s}'`;
  if (!/[\p{M}\p{Cf}\p{Cc}\p{Z}]/u.test(s.replace(/ /g, ''))) return quoted;
  const codes = Array.from(s).map(
    (c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
  return `${quoted} (${codes.join(' ')})`;
}

export function formatRepair(file: string, r: DocMojibake): string {
  const encoding = r.encoding === 'macintosh' ? 'Mac Roman' : 'Windows-1252';
  const guess =
    r.guessed && r.alternatives && r.alternatives.length > 0
      ? `, guessed: bytes were lost; also possible: ${r.alternatives.map((a) => visible(a)).join(', ')}`
      : r.guessed
        ? ', guessed: bytes were lost'
        : '';
  return `${file}:${r.line}:${r.column}: ${visible(r.found)} -> ${visible(r.repaired)} (UTF-8 read as ${encoding}${guess})`;
}

async function fmt(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('doc fmt', args, {
    'fix-encoding': { type: 'boolean' },
    check: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 1) {
    throw new DbcanonError('CLI_USAGE', `doc fmt takes one FILE, not ${positionals.length}`, {
      hint: 'see `dbcanon doc --help`',
    });
  }
  if (values.check && values['fix-encoding']) {
    throw new DbcanonError('CLI_USAGE', '--check and --fix-encoding exclude each other', {
      hint: 'use --check in CI to fail on mojibake, --fix-encoding to repair it',
    });
  }
  const { config, root } = await loadConfig(io.cwd, values.config);
  // FILE is taken as the user typed it, relative to the working directory; the default is the config's.
  const doc =
    positionals[0] !== undefined
      ? await readDoc(io.cwd, config, positionals[0])
      : await readDoc(root, config);
  const { text, repairs } = repairEncoding(doc.text);
  for (const r of repairs) io.stdout.write(`${formatRepair(doc.file, r)}\n`);
  const guessed = repairs.filter((r) => r.guessed).length;
  const count = `${repairs.length} mis-decoded run${repairs.length === 1 ? '' : 's'}${guessed ? ` (${guessed} guessed)` : ''}`;

  if (!values['fix-encoding'] || values.check) {
    if (repairs.length === 0) {
      io.stdout.write(`${doc.file}: encoding is clean\n`);
      return 0;
    }
    io.stdout.write(`${doc.file}: ${count}; run \`dbcanon doc fmt --fix-encoding\` to repair\n`);
    return 1;
  }
  if (repairs.length === 0) {
    io.stdout.write(`${doc.file}: encoding is clean, nothing to repair\n`);
    return 0;
  }
  if (!doc.validUtf8) {
    throw new DbcanonError(
      'DOC_PARSE',
      `${doc.file} is not valid UTF-8, so rewriting it would change other bytes`,
      {
        location: { file: doc.file },
        hint: 'convert the file to UTF-8 first (e.g. iconv -f WINDOWS-1252 -t UTF-8), then run --fix-encoding',
      },
    );
  }
  if (values['dry-run']) {
    io.stdout.write(`${doc.file}: ${count} would be repaired (dry run, nothing written)\n`);
    return 0;
  }
  await writeDoc(doc, text);
  io.stdout.write(`${doc.file}: repaired ${count}\n`);
  return 0;
}
