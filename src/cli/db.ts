/**
 * `dbcanon db start|stop|status`: the project's embedded PostgreSQL for local work (see src/db/embedded.ts).
 * `start` also migrates it, so the URL it prints points at the schema the repository describes.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfigLazily } from '../config/defaults.js';
import { EMBEDDED_DIR, embeddedStatus, startEmbedded, stopEmbedded } from '../db/embedded.js';
import { DbcanonError, isDbcanonError } from '../errors.js';
import { parseCommandArgs, positiveInt } from './args.js';
import type { CliIo } from './io.js';
import { commandUsage } from './main.js';

const HELP = `${commandUsage('db')}

  start [--port N]   start the project's PostgreSQL under ${EMBEDDED_DIR}/ (created and migrated on first use);
                     prints its URL and the psql command. It keeps running until \`dbcanon db stop\`.
  stop               stop it (the data stays; \`start\` brings it back)
  status             say whether it runs, with its URL and pid (exit 1 when it does not run)

Options:
  --port N           port to listen on (default: 54329, or the next free one)
  --no-migrate       start without running the migrations
  --config FILE      dbcanon.config.json to read the migration directories from
`;

function hasSql(root: string, dirs: string[]): boolean {
  return dirs.some((d) => {
    try {
      return readdirSync(path.join(root, d)).some((f) => f.endsWith('.sql'));
    } catch {
      return false;
    }
  });
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('db', args, {
    help: { type: 'boolean' },
    port: { type: 'string' },
    'no-migrate': { type: 'boolean' },
    config: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [sub, ...extra] = positionals;
  if (!sub || !['start', 'stop', 'status'].includes(sub) || extra.length) {
    throw new DbcanonError(
      'CLI_USAGE',
      sub ? `unknown db subcommand '${[sub, ...extra].join(' ')}'` : 'db needs a subcommand',
      {
        hint: 'dbcanon db start|stop|status (see `dbcanon db --help`)',
      },
    );
  }
  const { root, config } = await loadConfigLazily(io.cwd, values.config);

  if (sub === 'status') {
    const s = await embeddedStatus(root);
    if (s.pid === null) {
      io.stdout.write(
        s.initialised
          ? `stopped (data in ${path.relative(io.cwd, s.dataDir)}; \`dbcanon db start\` starts it)\n`
          : `not created (\`dbcanon db start\` creates it under ${EMBEDDED_DIR}/)\n`,
      );
      return 1;
    }
    io.stdout.write(`running: pid ${s.pid}, port ${s.port}\nURL:  ${s.url}\npsql: psql ${s.url}\n`);
    return 0;
  }

  if (sub === 'stop') {
    const stopped = await stopEmbedded(root);
    io.stdout.write(stopped ? 'stopped\n' : 'not running\n');
    return 0;
  }

  const port = values.port === undefined ? undefined : positiveInt('--port', values.port, 0);
  const s = await startEmbedded(root, port === undefined ? {} : { port });
  io.stdout.write(
    s.alreadyRunning
      ? `already running: pid ${s.pid}, port ${s.port}\n`
      : `started${s.created ? ' (new cluster)' : ''}: pid ${s.pid}, port ${s.port}, data in ${path.relative(io.cwd, s.dataDir)}\n`,
  );
  let code = 0;
  if (!values['no-migrate'] && hasSql(root, [...config.migrations, ...config.repeatables])) {
    try {
      const { migrateUp } = await import('../migrate/index.js');
      await migrateUp({ databaseUrl: s.url, root, log: (line) => io.stdout.write(`  ${line}\n`) });
      io.stdout.write('migrated\n');
    } catch (e) {
      // The server stays up: the user can look at the half-migrated database or fix the file and re-run.
      io.stderr.write(`${isDbcanonError(e) ? e.format() : `error: ${(e as Error).message}`}\n`);
      io.stderr.write('the server is running, but the migrations did not all apply\n');
      code = 1;
    }
  }
  io.stdout.write(
    `URL:  ${s.url}\npsql: psql ${s.url}\nexport DATABASE_URL=${s.url}\nstop: dbcanon db stop\n`,
  );
  return code;
}
