/**
 * `dbcanon check`: holds the document, the migrations, the code (and with --db a live database) to each other and
 * prints the findings in the chosen format. Exit 0 when no finding is an error, 1 when one is, 2 on usage,
 * config or I/O errors. With --db it only reads (inside a read-only transaction).
 */
import { loadConfigLazily } from '../config/defaults.js';
import { DbcanonError } from '../errors.js';
import { isPreset } from '../lint/presets.js';
import { parseCommandArgs } from './args.js';
import type { CliIo } from './io.js';
import { commandUsage, VERSION } from './main.js';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `
Options:
  --db URL                 also check a live database (read-only): drift, RLS, policies, edited migrations
  --format FORMAT          text (default), json, sarif (GitHub code scanning) or github (PR annotations)
  --config FILE            config file (default: dbcanon.config.json in the working directory)
  --preset NAME            recommended (default) or strict (adds naming and type conventions as errors)
  --baseline FILE          ignore the findings recorded in FILE; fail only on new ones
  --update-baseline        write the current findings to the baseline file and exit 0

Suppress one finding with a comment on the line above it:
  -- dbcanon-ignore <rule-id> reason      (SQL)
  // dbcanon-ignore <rule-id> reason      (TypeScript)
  <!-- dbcanon-ignore <rule-id> reason -->  (markdown)

Exit codes: 0 no errors, 1 findings of severity error, 2 usage, config or I/O error.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', args, {
    db: { type: 'string' },
    format: { type: 'string', default: 'text' },
    config: { type: 'string' },
    preset: { type: 'string' },
    baseline: { type: 'string' },
    'update-baseline': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    io.stdout.write(`${commandUsage('check')} [--preset recommended|strict] [--update-baseline]\n${HELP}`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new DbcanonError('CLI_USAGE', `unexpected argument '${positionals[0]}'`, {
      hint: 'see `dbcanon check --help`',
    });
  }
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
  const { runCheck } = await import('../lint/engine.js');
  const result = await runCheck({
    root,
    config,
    ...(values.db !== undefined ? { databaseUrl: values.db } : {}),
    // Updating records every current finding, so the old baseline must not hide any.
    baseline: updateBaseline ? null : (baselineFile ?? null),
    ...(values.preset !== undefined && isPreset(values.preset) ? { preset: values.preset } : {}),
  });

  if (updateBaseline && baselineFile) {
    const { createBaseline, writeBaseline } = await import('../lint/baseline.js');
    await writeBaseline(baselineFile, root, createBaseline(result.findings));
    io.stderr.write(
      `dbcanon check: recorded ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} in ${baselineFile}\n`,
    );
    return 0;
  }

  io.stdout.write(await render(format, result, io));
  return result.summary.errors > 0 ? 1 : 0;
}

async function render(
  format: Format,
  result: Awaited<ReturnType<typeof import('../lint/engine.js').runCheck>>,
  io: CliIo,
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
    default:
      return (await import('../report/text.js')).formatText(result, {
        color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR,
      });
  }
}
