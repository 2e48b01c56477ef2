/**
 * `dbcanon check`: holds the document, the migrations, the code (and with --db a live database) to each other and
 * prints the findings in the chosen format. Exit 0 when no finding is an error, 1 when one is, 2 on usage,
 * config or I/O errors. With --db it only reads (inside a read-only transaction).
 */

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfigLazily } from '../config/defaults.js';
import { DbcanonError } from '../errors.js';
import { Timings } from '../io/timings.js';
import { isPreset } from '../lint/presets.js';
import { parseCommandArgs } from './args.js';
import type { CliIo } from './io.js';
import { commandUsage, VERSION } from './main.js';

const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `
Arguments:
  PATH...                  report only findings in these files or folders (the whole project is still read)

Options:
  --db [URL]               also check a live database (read-only): drift, RLS, policies, edited migrations;
                           without URL, the one in DATABASE_URL (which alone never turns this on)
  --database-url URL       the same as --db URL
  --format FORMAT          text (default), json, sarif (GitHub code scanning), github (PR annotations)
                           or gitlab (GitLab Code Quality report)
  --output FILE            write the report to FILE instead of standard output
  --color, --no-color      force colours in text output on or off (default: on a terminal, unless NO_COLOR;
                           FORCE_COLOR turns them on)
  --max-warnings N         exit 1 when there are more than N warnings (errors always fail)
  --config FILE            config file (default: dbcanon.config.json, looked for upward to the repository root)
  --preset NAME            recommended (default) or strict (adds naming and type conventions as errors)
  --baseline FILE          ignore the findings recorded in FILE; fail only on new ones
  --update-baseline        write the current findings to the baseline file and exit 0
  --timings                print where the time went, phase by phase, to standard error

Suppress one finding with a comment on the line above it:
  -- dbcanon-ignore <rule-id> reason      (SQL)
  // dbcanon-ignore <rule-id> reason      (TypeScript)
  <!-- dbcanon-ignore <rule-id> reason -->  (markdown)

Exit codes: 0 no errors, 1 findings of severity error (or more warnings than --max-warnings), 2 usage,
config or I/O error.
`;

const URL_PREFIX = /^postgres(?:ql)?:\/\//;

/**
 * `--db` alone reads DATABASE_URL; `--db URL`, `--db=URL` and `--database-url URL` name one. The variable alone
 * never turns the live check on: a shell that exports it for other tools must not change what check does.
 */
export function normalizeDbArgs(args: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--database-url') {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new DbcanonError('CLI_USAGE', '--database-url needs a connection URL');
      }
      out.push(`--db=${next}`);
      i++;
    } else if (a.startsWith('--database-url=')) {
      out.push(`--db=${a.slice('--database-url='.length)}`);
    } else if (a === '--db') {
      const next = args[i + 1];
      if (next !== undefined && URL_PREFIX.test(next)) {
        out.push(`--db=${next}`);
        i++;
      } else {
        const url = env.DATABASE_URL;
        if (!url) {
          throw new DbcanonError('CLI_USAGE', '--db without a URL reads DATABASE_URL, which is not set', {
            hint: 'pass --db postgres://user@host:5432/db, or set DATABASE_URL',
          });
        }
        out.push(`--db=${url}`);
      }
    } else out.push(a);
  }
  return out;
}

/** Colours: the flag, else NO_COLOR (off), else FORCE_COLOR (on), else on a terminal (and not into a file). */
export function useColor(
  flags: { color: boolean; 'no-color': boolean },
  env: NodeJS.ProcessEnv,
  isTTY: boolean,
  toFile: boolean,
): boolean {
  if (flags['no-color']) return false;
  if (flags.color) return true;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return isTTY && !toFile;
}

/** Root-relative prefixes of the PATH arguments; each must exist. */
function narrowing(paths: readonly string[], cwd: string, root: string): string[] {
  return paths.map((p) => {
    const abs = path.resolve(cwd, p);
    if (!existsSync(abs)) {
      throw new DbcanonError('CLI_USAGE', `no such file or folder: ${p}`, {
        hint: 'see `dbcanon check --help`',
      });
    }
    const rel = path.relative(root, abs).split(path.sep).join('/');
    if (rel.startsWith('..')) {
      throw new DbcanonError('CLI_USAGE', `${p} is outside the project (${root})`, {
        hint: 'run dbcanon from the project, or pass --config to name its config',
      });
    }
    return rel;
  });
}

const within = (file: string, prefixes: readonly string[]) =>
  prefixes.some((p) => p === '' || file === p || file.startsWith(`${p}/`));

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', normalizeDbArgs(args, io.env), {
    db: { type: 'string' },
    format: { type: 'string', default: 'text' },
    output: { type: 'string' },
    color: { type: 'boolean', default: false },
    'no-color': { type: 'boolean', default: false },
    'max-warnings': { type: 'string' },
    config: { type: 'string' },
    preset: { type: 'string' },
    baseline: { type: 'string' },
    'update-baseline': { type: 'boolean', default: false },
    timings: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  const timings = values.timings ? new Timings() : undefined;
  if (values.help) {
    io.stdout.write(`${commandUsage('check')} [--preset recommended|strict] [--update-baseline]\n${HELP}`);
    return 0;
  }
  const maxWarnings = values['max-warnings'] === undefined ? undefined : Number(values['max-warnings']);
  if (maxWarnings !== undefined && (!Number.isInteger(maxWarnings) || maxWarnings < 0)) {
    throw new DbcanonError(
      'CLI_USAGE',
      `--max-warnings takes a whole number, not '${values['max-warnings']}'`,
    );
  }
  if (values.output === '') throw new DbcanonError('CLI_USAGE', '--output needs a file name');
  const format = values.format as Format;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new DbcanonError('CLI_USAGE', `--format takes ${FORMATS.join(', ')}, not '${values.format}'`);
  }
  if (values.preset !== undefined && !isPreset(values.preset)) {
    throw new DbcanonError('CLI_USAGE', `--preset takes recommended or strict, not '${values.preset}'`);
  }
  if (values.db === '') throw new DbcanonError('CLI_USAGE', '--db needs a connection URL');
  if (values.db !== undefined) (await import('../db/connect.js')).checkDatabaseUrl(values.db, '--db');

  const { config, root } = await loadConfigLazily(io.cwd, values.config);
  const only = narrowing(positionals, io.cwd, root);
  const baselineFile = values.baseline ?? config.baseline ?? undefined;
  const updateBaseline = values['update-baseline'];
  if (updateBaseline && !baselineFile) {
    throw new DbcanonError('CLI_USAGE', '--update-baseline needs a baseline file', {
      hint: 'pass --baseline FILE, or set "baseline" in dbcanon.config.json',
    });
  }

  // The code scan's worker loads the TypeScript compiler while the migrations are read and replayed.
  (await import('../code/scan.js')).prewarmCodeScan(root);
  // The SQL parser's WebAssembly compiles on a background thread meanwhile. A failure here is not lost: the
  // first parse awaits the same load and reports it.
  import('../sql/parser.js').then((m) => m.loadSqlParser()).catch(() => undefined);
  // With --db the database modules are loaded first, so the catalog queries leave before the files are read.
  if (values.db !== undefined) {
    await Promise.all([
      import('../db/connect.js'),
      import('../db/introspect.js'),
      import('../migrate/bookkeeping.js'),
    ]);
  }
  const { runCheck, summarize } = await import('../lint/engine.js');
  const full = await runCheck({
    root,
    config,
    ...(values.db !== undefined ? { databaseUrl: values.db } : {}),
    // Updating records every current finding, so the old baseline must not hide any.
    baseline: updateBaseline ? null : (baselineFile ?? null),
    ...(values.preset !== undefined && isPreset(values.preset) ? { preset: values.preset } : {}),
    ...(timings ? { timings } : {}),
  });
  // Paths narrow what is reported, not what is read: a migration's finding may need the whole history.
  const result =
    only.length === 0
      ? full
      : (() => {
          const findings = full.findings.filter((f) => within(f.file, only));
          return { ...full, findings, summary: summarize(findings, full.summary.tables, full.summary.files) };
        })();

  if (updateBaseline && baselineFile) {
    const { createBaseline, writeBaseline } = await import('../lint/baseline.js');
    await writeBaseline(baselineFile, root, createBaseline(result.findings));
    io.stderr.write(
      `dbcanon check: recorded ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} in ${baselineFile}\n`,
    );
    return 0;
  }

  const color = useColor(
    { color: values.color, 'no-color': values['no-color'] },
    io.env,
    Boolean(io.stdout.isTTY),
    values.output !== undefined,
  );
  const report = await (timings
    ? timings.time('report', render(format, result, color))
    : render(format, result, color));
  if (timings) {
    io.stderr.write(timings.format());
    io.stderr.write(
      `  process: ${(process.uptime() * 1000).toFixed(0)} ms since it started (Node and module loading included), ` +
        `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
    );
  }
  if (values.output !== undefined) {
    const file = path.resolve(io.cwd, values.output);
    try {
      await writeFile(file, report);
    } catch (e) {
      throw new DbcanonError('IO_WRITE', `cannot write the report: ${(e as Error).message}`, {
        location: { file: values.output },
      });
    }
  } else io.stdout.write(report);
  if (result.summary.errors > 0) return 1;
  if (maxWarnings !== undefined && result.summary.warnings > maxWarnings) {
    io.stderr.write(
      `dbcanon check: ${result.summary.warnings} warning${result.summary.warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings}\n`,
    );
    return 1;
  }
  return 0;
}

async function render(
  format: Format,
  result: Awaited<ReturnType<typeof import('../lint/engine.js').runCheck>>,
  color: boolean,
): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('../report/json.js')).formatJson(result);
    case 'sarif': {
      const { rules } = await import('../lint/registry.js');
      return (await import('../report/sarif.js')).formatSarif(result, { rules, version: VERSION });
    }
    case 'github':
      return (await import('../report/github.js')).formatGithub(result);
    case 'gitlab':
      return (await import('../report/gitlab.js')).formatGitlab(result);
    default:
      return (await import('../report/text.js')).formatText(result, { color });
  }
}
