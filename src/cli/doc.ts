/**
 * `dbcanon doc fmt|sync|diagram`: commands that read and rewrite the canonical schema document.
 */
import { loadConfigLazily } from '../config/defaults.js';
import type { DocMojibake } from '../doc/doc-model.js';
import { repairEncoding } from '../doc/encoding.js';
import { type DocFile, readDoc, writeDoc } from '../doc/read.js';
import { DbcanonError } from '../errors.js';
import type { SchemaModel } from '../model/schema-model.js';
import { parseCommandArgs } from './args.js';
import type { CliIo } from './io.js';

const HELP = `Usage: dbcanon doc <fmt|sync|diagram> [options] [FILE]

  doc fmt [FILE]                  report mis-decoded text (mojibake) in the document; exit 1 if any
  doc fmt --fix-encoding [FILE]   repair it in place; nothing else in the file changes (CRLF, BOM kept)
      --check                     only report, never write; exit 1 if anything needs fixing (for CI)
      --dry-run                   with --fix-encoding: print the repairs without writing; exit 0

  doc sync [FILE]                 regenerate the Schema blocks from the migrations, keeping every
                                  human-written line; add a stub entry (with the document's "Adding a
                                  new table" checklist) for each undocumented table; add a change-log row
      --check                     write nothing; exit 1 if sync would change the document
  doc diagram [FILE]              Mermaid erDiagram of the documented tables and their foreign keys,
                                  written between <!-- dbcanon:diagram:start/end --> markers (added
                                  after the production tables heading when missing)
      --out FILE                  write the diagram to FILE instead of the document
      --check                     write nothing; exit 1 if the diagram in the document is stale

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
    case 'sync':
      return sync(rest, io);
    case 'diagram':
      return diagram(rest, io);
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
  if (values.check && values['fix-encoding']) {
    throw new DbcanonError('CLI_USAGE', '--check and --fix-encoding exclude each other', {
      hint: 'use --check in CI to fail on mojibake, --fix-encoding to repair it',
    });
  }
  const { doc } = await openDoc('doc fmt', values, positionals, io);
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
  refuseInvalidUtf8(doc);
  if (values['dry-run']) {
    io.stdout.write(`${doc.file}: ${count} would be repaired (dry run, nothing written)\n`);
    return 0;
  }
  await writeDoc(doc, text);
  io.stdout.write(`${doc.file}: repaired ${count}\n`);
  return 0;
}

interface DocCommandContext {
  doc: DocFile;
  root: string;
  config: Awaited<ReturnType<typeof loadConfigLazily>>['config'];
}

async function openDoc(command: string, values: { config?: string }, positionals: string[], io: CliIo) {
  if (positionals.length > 1) {
    throw new DbcanonError('CLI_USAGE', `${command} takes one FILE, not ${positionals.length}`, {
      hint: 'see `dbcanon doc --help`',
    });
  }
  const { config, root } = await loadConfigLazily(io.cwd, values.config);
  const doc =
    positionals[0] !== undefined
      ? await readDoc(io.cwd, config, positionals[0])
      : await readDoc(root, config);
  return { doc, root, config } satisfies DocCommandContext;
}

function refuseInvalidUtf8(doc: DocFile): void {
  if (!doc.validUtf8) {
    throw new DbcanonError(
      'DOC_PARSE',
      `${doc.file} is not valid UTF-8, so rewriting it would change other bytes`,
      {
        location: { file: doc.file },
        hint: 'convert the file to UTF-8 first',
      },
    );
  }
}

/**
 * The migrations as a model, from the project's starting schema (whose objects it holds too), and that starting
 * model. A statement the replay cannot apply is named on stderr, not fatal: the model holds everything else,
 * and what that statement would have changed is said to be missing.
 */
async function migrationsModel(
  root: string,
  config: DocCommandContext['config'],
  io: CliIo,
  command: string,
): Promise<{ model: SchemaModel; starting: SchemaModel }> {
  const { replayMigrations } = await import('../sql/replay.js');
  const replay = await replayMigrations(root, config);
  const errors = replay.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const files = [...new Set(errors.map((p) => p.file))];
    io.stderr.write(
      `${command}: the replay could not apply ${errors.length} statement${errors.length === 1 ? '' : 's'} in ` +
        `${files.length} migration file${files.length === 1 ? '' : 's'}; what they change is missing here ` +
        '(see `dbcanon check`, rule migration-syntax):\n' +
        errors
          .slice(0, 10)
          .map((p) => `  ${p.file}:${p.line}:${p.column}: ${p.message}\n`)
          .join('') +
        (errors.length > 10 ? `  … and ${errors.length - 10} more\n` : ''),
    );
  }
  return { model: replay.model, starting: replay.starting.model };
}

async function sync(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('doc sync', args, {
    check: { type: 'boolean' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const { doc, root, config } = await openDoc('doc sync', values, positionals, io);
  const { model, starting } = await migrationsModel(root, config, io, 'doc sync');
  const { syncDoc } = await import('../doc/sync.js');
  const today = new Date().toISOString().slice(0, 10);
  const result = await syncDoc(doc.text, doc.file, model, { today, config, startingModel: starting });
  const describe: Record<string, string> = {
    'schema-updated': 'schema block regenerated from the migrations',
    'schema-added': 'schema block added',
    'table-added': 'stub entry added (complete its purpose, users and endpoints)',
    'changelog-row': 'change-log row added',
  };
  for (const c of result.changes) {
    io.stdout.write(`${doc.file}:${c.line}: ${c.table ? `${c.table}: ` : ''}${describe[c.kind]}\n`);
  }
  if (result.changes.length === 0) {
    io.stdout.write(`${doc.file}: in sync with the migrations\n`);
    return 0;
  }
  if (values.check) {
    io.stdout.write(`${doc.file}: out of sync with the migrations; run \`dbcanon doc sync\`\n`);
    return 1;
  }
  refuseInvalidUtf8(doc);
  await writeDoc(doc, result.text);
  io.stdout.write(`${doc.file}: updated\n`);
  return 0;
}

async function diagram(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('doc diagram', args, {
    out: { type: 'string' },
    check: { type: 'boolean' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const { doc, root, config } = await openDoc('doc diagram', values, positionals, io);
  const [{ parseDoc }, { documentedTables, mermaidDiagram, writeDiagram }] = await Promise.all([
    import('../doc/parse.js'),
    import('../doc/diagram.js'),
  ]);
  const parsed = await parseDoc(doc.text, doc.file);
  const { model } = await migrationsModel(root, config, io, 'doc diagram');
  const tables = documentedTables(parsed, model);
  const text = mermaidDiagram(tables);
  if (values.out !== undefined) {
    const { readFile, writeFile } = await import('node:fs/promises');
    const path = await import('node:path');
    const out = path.resolve(io.cwd, values.out);
    const content = `${text}\n`;
    const current = await readFile(out, 'utf8').catch(() => null);
    if (values.check) {
      const stale = current !== content;
      io.stdout.write(
        `${values.out}: ${stale ? 'stale; run `dbcanon doc diagram --out ' + values.out + '`' : 'up to date'}\n`,
      );
      return stale ? 1 : 0;
    }
    try {
      await writeFile(out, content, 'utf8');
    } catch (e) {
      throw new DbcanonError('IO_WRITE', `cannot write ${values.out}: ${(e as Error).message}`, {
        location: { file: values.out },
      });
    }
    io.stdout.write(`${values.out}: diagram of ${tables.length} table${tables.length === 1 ? '' : 's'}\n`);
    return 0;
  }
  const result = writeDiagram(doc.text, parsed, text);
  if (!result.changed) {
    io.stdout.write(`${doc.file}: diagram up to date (${tables.length} tables)\n`);
    return 0;
  }
  if (values.check) {
    io.stdout.write(`${doc.file}: diagram is stale; run \`dbcanon doc diagram\`\n`);
    return 1;
  }
  refuseInvalidUtf8(doc);
  await writeDoc(doc, result.text);
  io.stdout.write(
    `${doc.file}: diagram of ${tables.length} table${tables.length === 1 ? '' : 's'} written${result.insertedMarkers ? ' (markers added)' : ''}\n`,
  );
  return 0;
}
