/**
 * The real sources of a check, loaded lazily so that `dbcanon --help` never pays for the SQL parser or
 * ts-morph. Each producer lives with its subsystem; this file only wires them to the engine.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DbcanonConfig } from '../config/schema.js';
import type { FileTexts } from '../io/file-texts.js';
import type { SchemaModel } from '../model/schema-model.js';
import type { Producers } from './engine.js';
import type { MigrationRecord, MigrationTransactionControl } from './types.js';

/** The replayed history's cache entry (src/io/cache.ts). */
const REPLAY_CACHE = 'replay.json';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

type Found = {
  kind: MigrationTransactionControl['kind'];
  statement: string;
  line: number;
  column: number;
};

/**
 * How a section's transaction statements pair up: `pair` when they are exactly one BEGIN (or START TRANSACTION)
 * followed by one COMMIT (or END), the explicit transaction many hand-run migrations carry; `whole` when that
 * pair is also the section's first and last statement.
 */
function transactionPair(statements: readonly { line: number; column: number }[], found: readonly Found[]) {
  const transaction = found.filter((t) => t.kind === 'transaction-statement');
  const [open, close] = transaction;
  const pair =
    transaction.length === 2 &&
    open !== undefined &&
    close !== undefined &&
    (open.statement === 'BEGIN' || open.statement === 'START TRANSACTION') &&
    close.statement === 'COMMIT';
  const first = statements[0];
  const last = statements[statements.length - 1];
  const whole =
    pair &&
    first?.line === open.line &&
    first.column === open.column &&
    last?.line === close.line &&
    last.column === close.column;
  return { open: pair ? open : undefined, whole };
}

export const defaultProducers: Producers = {
  readDoc: async (root, config) => {
    // A project without the document gets the doc-required-sections finding, not an I/O error.
    if (!(await exists(path.resolve(root, config.doc)))) return null;
    const { loadDoc } = await import('../doc/read.js');
    return loadDoc(root, config);
  },

  docSchema: async (doc, root, config) => {
    const [{ docToSchemaModel }, { replaySql }, { withoutPlatform }, { loadStartingSchema }] =
      await Promise.all([
        import('../doc/doc-schema.js'),
        import('../sql/replay.js'),
        import('../model/starting-schema.js'),
        import('../sql/starting-schema.js'),
      ]);
    // The document's SQL starts where the migrations do, so its `references auth.users` applies too.
    const starting = await loadStartingSchema(root, config);
    const result = await docToSchemaModel(doc, replaySql, starting.model);
    return { ...result, model: withoutPlatform(result.model, starting.model) };
  },

  replayMigrations: async (root, config, texts) => {
    const [{ readMigrationHistory }, { listRepeatableFiles }, cache, { detectStartingSchema }] =
      await Promise.all([
        import('../migrate/history.js'),
        import('../migrate/files.js'),
        import('../io/cache.js'),
        import('../model/starting-schema.js'),
      ]);
    // The replay of an unchanged history is read back: keyed by the tool, the config, the starting schema and
    // every file's name, order and content hash (its runner and order problems come from the listing, always).
    const [history, repeatables] = await Promise.all([
      readMigrationHistory(root, config, texts),
      listRepeatableFiles(root, config, texts),
    ]);
    const starting = detectStartingSchema(root, config).choice;
    const key = cache.cacheKey([
      JSON.stringify(config),
      JSON.stringify(starting),
      starting.kind === 'file'
        ? await readFile(path.resolve(root, starting.file), 'utf8').catch(() => '')
        : '',
      ...history.files.map((f) => `${f.file}\0${f.checksum}`),
      ...history.skipped.map((f) => `skipped\0${f.file}`),
      ...repeatables.map((f) => `${f.file}\0${f.checksum}`),
    ]);
    type Cached = Omit<Awaited<ReturnType<Producers['replayMigrations']>>, 'runner' | 'orderProblems'>;
    const hit = await cache.readCache<Cached>(root, REPLAY_CACHE, key);
    if (hit) return { ...hit, runner: history.runner, orderProblems: history.orderProblems };
    const fresh = await replayWithoutCache(root, config, texts);
    await cache.writeCache(root, REPLAY_CACHE, key, {
      model: fresh.model,
      files: fresh.files,
      filesRead: fresh.filesRead,
      problems: fresh.problems,
      transactionControl: fresh.transactionControl,
      misnamed: fresh.misnamed,
    } satisfies Cached);
    return fresh;
  },

  scanCode: async (root, config, texts) => {
    const { scanCode } = await import('../code/scan.js');
    return scanCode(root, config, texts ? { texts } : {});
  },

  ormSchema: async (root, config, code, texts) => {
    const { ormSchema } = await import('../orm/orm-schema.js');
    return ormSchema(root, config, code, texts);
  },

  readDatabase: async (databaseUrl, root, config, texts) => {
    const [
      { withConnection },
      { introspect },
      { readRecords, historyFormat },
      { listMigrationFiles },
      { migrationRecords },
      { withoutPlatform },
      { loadStartingSchema },
      { chooseRunner },
    ] = await Promise.all([
      import('../db/connect.js'),
      import('../db/introspect.js'),
      import('../migrate/bookkeeping.js'),
      import('../migrate/files.js'),
      import('../migrate/status.js'),
      import('../model/starting-schema.js'),
      import('../sql/starting-schema.js'),
      import('../migrate/runners/index.js'),
    ]);
    const format = historyFormat(chooseRunner(root, config).runner.id);
    // `check --db` must never write: every query runs inside one READ ONLY transaction, so even a bug here
    // cannot change the database, and the schema and the records are read from one snapshot. Sent before the
    // files are listed, so the server works while this process reads.
    const reading = withConnection(
      databaseUrl,
      (sql) =>
        sql.begin('isolation level repeatable read read only', async (tx) => {
          const t = tx as unknown as typeof sql;
          const [model, records] = await Promise.all([introspect(t), readRecords(t, config, format)]);
          return { model, records };
        }) as Promise<{ model: SchemaModel; records: Awaited<ReturnType<typeof readRecords>> }>,
      { max: 1, applicationName: 'dbcanon check' },
    );
    reading.catch(() => undefined);
    const [files, starting] = await Promise.all([
      listMigrationFiles(root, config, texts, []),
      loadStartingSchema(root, config),
    ]);
    const { model, records } = await reading;
    const applied: MigrationRecord[] = migrationRecords(files, records);
    // The platform's own tables and functions in the database (Supabase's auth and storage) are not drift.
    return { model: withoutPlatform(model, starting.model), applied };
  },
};

/** The history replayed from its starting schema, with the transaction control of every section. */
async function replayWithoutCache(
  root: string,
  config: DbcanonConfig,
  texts: FileTexts | undefined,
): ReturnType<Producers['replayMigrations']> {
  const [
    { replayMigrations },
    { readMigrationHistory },
    { classifyStatement },
    { parseSql },
    { withoutPlatform },
  ] = await Promise.all([
    import('../sql/replay.js'),
    import('../migrate/history.js'),
    import('../migrate/transaction-control.js'),
    import('../sql/parser.js'),
    import('../model/starting-schema.js'),
  ]);
  // One listing for both: within a run (one `texts`) the history is read once.
  const [result, history] = await Promise.all([
    replayMigrations(root, config, texts),
    readMigrationHistory(root, config, texts),
  ]);
  // Both parts of every migration, pending or applied: `migrate up` runs the one, `down` the other. The texts
  // are the run's (read once); the Up parts' trees come from the parser's memo the replay filled. The rule
  // decides what the runner makes of each statement; these are the facts.
  const transactionControl: MigrationTransactionControl[] = [];
  for (const m of history.files) {
    const { up, down, upNoTransaction, downNoTransaction } = m.parts;
    for (const [section, part, optedOut] of [
      ['up', up, upNoTransaction],
      ['down', down, downNoTransaction],
    ] as const) {
      if (!part) continue;
      const statements = parseSql(part.sql, m.file, part.line).statements;
      const found: Found[] = [];
      for (const s of statements) {
        const c = classifyStatement(s);
        if (c) found.push({ ...c, line: s.line, column: s.column });
      }
      if (found.length === 0) continue;
      const { open, whole } = transactionPair(statements, found);
      for (const t of found) {
        transactionControl.push({
          file: m.file,
          section,
          ...t,
          ...(t === open ? { pairedWithCommit: true } : {}),
          ...(whole ? { wrapsSection: true } : {}),
          ...(optedOut ? { optedOut: true } : {}),
          ...(statements.length === 1 ? { alone: true } : {}),
        });
      }
    }
  }
  return {
    transactionControl,
    misnamed: result.misnamed,
    runner: history.runner,
    orderProblems: history.orderProblems,
    // The starting schema's objects are the platform's: no rule judges them as the project's.
    model: withoutPlatform(result.model, result.starting.model),
    files: result.versioned,
    filesRead: result.files.length,
    // Notes (a skipped psql meta-command) are not failures.
    problems: result.problems
      .filter((p) => p.severity !== 'note')
      .map(({ file, line, column, message }) => ({ file, line, column, message })),
  };
}
