#!/usr/bin/env node
/**
 * Corpus runner: `dbcanon check --format json` (this checkout's build) on the pinned public repositories in
 * ../shared/corpus, held to their hand labels and to what real PostgreSQL 15 says of each migration file.
 * See docs/corpus.md. A script, not a test: exit 0 when it ran (whatever it found), 2 when it could not run.
 *
 *   npm run corpus -- [--repo NAME] [--as-is] [--verbose] [--keep] [--json FILE] [--compare OLD.json]
 *                     [--corpus DIR]
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'dbcanon.js');
const MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');
const TIME = '/usr/bin/time';
/** The rule whose finding in a migration file means "dbcanon says this file does not apply". */
const SYNTAX_RULE = 'migration-syntax';
const LIST = 10;

/**
 * How each repository is set up (corpus README). `config` rewrites the corpus config; `labelledAs` is a second
 * run with the config the labels were made with, where that differs from the first: vitana-platform's labels
 * come from a run with `supabase/migrations` only (the run with both folders stopped with exit 2 then), so its
 * full config runs first and the labels' set-up second, each scored, so that a change in one is not read as a
 * change in the other. Repositories not listed here, or without a config in configs/, run as they are unpacked.
 */
const SETUPS = {
  'vitana-platform': {
    note: 'configs/vitana-platform.json (both migrations folders); its own DATABASE_SCHEMA.md',
    emptyDoc: false,
    labelledAs: {
      note: 'as labelled: migrations = supabase/migrations only',
      config: (c) => ({ ...c, migrations: ['supabase/migrations'] }),
    },
  },
  'chatbot-ui': { note: 'configs/chatbot-ui.json + empty DATABASE_SCHEMA.md', emptyDoc: true },
  'nextjs-subscription-payments': {
    note: 'configs/nextjs-subscription-payments.json + empty DATABASE_SCHEMA.md',
    emptyDoc: true,
  },
};

/** The name a repository's second run (its labels' set-up) is recorded and compared under. */
const LABELLED_SUFFIX = ' [as labelled]';

class Fatal extends Error {}

function parseArgs(argv) {
  const o = { repos: [], asIs: false, verbose: false, keep: false, json: null, compare: null, corpus: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Fatal(`${a} needs a value`);
      return v;
    };
    if (a === '--repo') o.repos.push(value());
    else if (a === '--as-is') o.asIs = true;
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--json') o.json = path.resolve(value());
    else if (a === '--compare') o.compare = path.resolve(value());
    else if (a === '--corpus') o.corpus = path.resolve(value());
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new Fatal(`unknown option ${a} (see --help)`);
  }
  return o;
}

const HELP = `Usage: npm run corpus -- [options]

Runs this checkout's \`dbcanon check --format json\` on each corpus repository (sequentially) and holds the
result to labels/ and postgres-truth/. See docs/corpus.md.

  --repo NAME       only this repository (repeatable)
  --as-is           no config and no DATABASE_SCHEMA.md added (as a new user would run it)
  --verbose         list every FP back, TP lost, new finding and postgres disagreement
  --keep            keep the unpacked repositories and print where they are
  --json FILE       write the whole result (findings included) as JSON
  --compare OLD     print what changed since a result saved with --json
  --corpus DIR      corpus folder (default: $DBCANON_CORPUS or ../shared/corpus from the checkout)

Exit 0 when it ran (findings or not), 2 when it could not run.`;

// ---------- inputs ----------

function readTsv(file, { header }) {
  if (!existsSync(file)) return null;
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'));
  return header ? rows.slice(1) : rows.filter((r) => r[0] !== 'file');
}

function readLabels(file) {
  const rows = readTsv(file, { header: true });
  if (!rows) return null;
  return rows
    .filter((r) => r[0])
    .map(([rule, loc = '', table = '', label = '', reason = '']) => ({
      rule,
      loc,
      file: loc.replace(/:\d+$/, ''),
      table,
      label,
      reason,
    }));
}

function readTruth(file) {
  const rows = readTsv(file, { header: false });
  if (!rows) return null;
  return rows.map(([file, verdict = '', error = '']) => ({
    file,
    verdict: verdict.trim(),
    error: error.trim(),
  }));
}

// ---------- running ----------

function unpack(archive, into) {
  const r = spawnSync('tar', ['-xzf', archive, '-C', into], { encoding: 'utf8' });
  if (r.error) throw new Fatal(`tar could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Fatal(`tar -xzf ${archive} failed: ${r.stderr.trim()}`);
}

/** Writes the repository's config (and document) for a run; `variant` is a setup's `labelledAs`. */
function setUp(name, dir, corpus, asIs, variant = null) {
  if (asIs) return 'as-is (no config, no document added)';
  const setup = SETUPS[name];
  const configFile = path.join(corpus, 'configs', `${name}.json`);
  if (!existsSync(configFile)) return 'as-is (the corpus has no config for it)';
  const target = path.join(dir, 'dbcanon.config.json');
  const rewrite = variant?.config ?? setup?.config;
  if (rewrite) {
    const config = rewrite(JSON.parse(readFileSync(configFile, 'utf8')));
    writeFileSync(target, `${JSON.stringify(config, null, 2)}\n`);
  } else copyFileSync(configFile, target);
  if (setup?.emptyDoc) writeFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), '');
  return variant?.note ?? setup?.note ?? `configs/${name}.json`;
}

/** Peak RSS: /usr/bin/time -v where present, else a preload that reports process.resourceUsage().maxRSS. */
function rssMethod() {
  return existsSync(TIME) ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS (preload)';
}

function runCheck(cwd, scratch) {
  const args = [BIN, 'check', '--format', 'json'];
  const opts = { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 };
  let r;
  let rssKb = null;
  const start = performance.now();
  if (existsSync(TIME)) {
    r = spawnSync(TIME, ['-v', process.execPath, ...args], opts);
    const wallS = (performance.now() - start) / 1000;
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
    if (m) rssKb = Number(m[1]);
    const stderr = (r.stderr ?? '')
      .replace(/(Command exited with non-zero status \d+\n)?\tCommand being timed[\s\S]*$/, '')
      .trim();
    return { status: r.status, signal: r.signal, wallS, rssKb, stdout: r.stdout ?? '', stderr };
  }
  const preload = path.join(scratch, 'rss-preload.mjs');
  const rssFile = path.join(scratch, 'rss.txt');
  writeFileSync(
    preload,
    `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  rmSync(rssFile, { force: true });
  r = spawnSync(process.execPath, ['--import', preload, ...args], opts);
  const wallS = (performance.now() - start) / 1000;
  if (existsSync(rssFile)) rssKb = Number(readFileSync(rssFile, 'utf8'));
  return {
    status: r.status,
    signal: r.signal,
    wallS,
    rssKb,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '').trim(),
  };
}

// ---------- scoring ----------

const countBy = (items, key) => {
  const m = new Map();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1);
  return m;
};
const sortedObject = (m) =>
  Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
const at = (f) => `${f.rule}\t${f.file}:${f.line}`;

/** score.mjs's matching: an FP is back at the same rule+file+line; a TP is kept by the same rule+file. */
function scoreLabels(findings, labels) {
  // A finding's related places (one cause, one finding) count as its own: a labelled FP among them is back, a
  // labelled TP there is kept (merged into the finding of its cause).
  const places = (f) =>
    [{ file: f.file, line: f.line }, ...(f.related ?? [])].map((p) => ({ rule: f.rule, ...p }));
  const all = findings.flatMap(places);
  const atSet = new Set(all.map((p) => `${p.rule}\t${p.file}:${p.line}`));
  const inFile = new Set(findings.map((f) => `${f.rule}\t${f.file}`));
  const inRelated = new Set(all.map((p) => `${p.rule}\t${p.file}`));
  const fps = labels.filter((l) => l.label === 'FP');
  const tps = labels.filter((l) => l.label === 'TP');
  const fpBack = fps.filter((l) => atSet.has(`${l.rule}\t${l.loc}`));
  const tpLost = tps.filter((l) => !inRelated.has(`${l.rule}\t${l.file}`));
  const tpMerged = tps.filter(
    (l) => !inFile.has(`${l.rule}\t${l.file}`) && inRelated.has(`${l.rule}\t${l.file}`),
  );
  // New: findings beyond the labelled ones at the same rule+file+line (a multiset: labels repeat a line).
  const left = countBy(labels, (l) => `${l.rule}\t${l.loc}`);
  const fresh = [];
  for (const f of findings) {
    const k = at(f);
    if ((left.get(k) ?? 0) > 0) left.set(k, left.get(k) - 1);
    else fresh.push(f);
  }
  return {
    labelled: labels.length,
    fp: fps.length,
    tp: tps.length,
    debatable: labels.filter((l) => l.label === 'debatable').length,
    fpBack: fpBack.map((l) => ({ rule: l.rule, loc: l.loc, reason: l.reason })),
    tpKept: tps.length - tpLost.length,
    tpMerged: tpMerged.length,
    tpLost: tpLost.map((l) => ({ rule: l.rule, loc: l.loc, reason: l.reason })),
    fresh: fresh.map((f) => ({ rule: f.rule, loc: `${f.file}:${f.line}`, message: f.message })),
  };
}

function sqlFilesByBasename(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sql')) {
        const rel = path.relative(dir, p).split(path.sep).join('/');
        out.set(e.name, [...(out.get(e.name) ?? []), rel]);
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * A truth line names a file as it was applied (chatbot-ui's were patched into `chatbot-patched/`): use the path
 * when the repository has it, else the one .sql file of that name (preferring supabase/migrations/).
 */
function resolveTruthFile(file, dir, byName) {
  if (existsSync(path.join(dir, file))) return file;
  const candidates = byName.get(path.basename(file)) ?? [];
  if (candidates.length === 1) return candidates[0];
  return candidates.find((c) => c.startsWith('supabase/migrations/')) ?? null;
}

function comparePostgres(findings, truth, dir) {
  const byName = sqlFilesByBasename(dir);
  const syntax = new Map();
  for (const f of findings) {
    if (f.rule !== SYNTAX_RULE) continue;
    if (!syntax.has(f.file)) syntax.set(f.file, f);
  }
  const counts = { bothOk: 0, bothFail: 0, dbcanonOnlyFail: 0, postgresOnlyFail: 0, unresolved: 0 };
  const disagreements = [];
  const unresolvedFiles = [];
  const seen = new Set();
  for (const t of truth) {
    const file = resolveTruthFile(t.file, dir, byName);
    if (!file) {
      counts.unresolved++;
      unresolvedFiles.push(t.file);
      continue;
    }
    seen.add(file);
    const pgFail = t.verdict === 'FAIL';
    const f = syntax.get(file);
    if (pgFail && f) counts.bothFail++;
    else if (!pgFail && !f) counts.bothOk++;
    else if (f) {
      counts.dbcanonOnlyFail++;
      disagreements.push({ file, kind: 'dbcanon-only FAIL', line: f.line, dbcanon: f.message, postgres: '' });
    } else {
      counts.postgresOnlyFail++;
      disagreements.push({ file, kind: 'postgres-only FAIL', dbcanon: '', postgres: t.error });
    }
  }
  const outside = [...syntax.keys()].filter((f) => !seen.has(f));
  return { files: truth.length, ...counts, disagreements, unresolvedFiles, syntaxOutsideTruth: outside };
}

// ---------- printing ----------

const oneLine = (s, n = 140) => {
  const t = String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};
const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;
const mb = (kb) => (kb == null ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
const limit = (list, verbose) => (verbose ? list : list.slice(0, LIST));
const more = (list, verbose) =>
  !verbose && list.length > LIST ? `    … ${list.length - LIST} more (--verbose)` : null;

function printRepo(r, verbose) {
  const out = [];
  const p = (s) => out.push(s);
  p(`== ${r.name}  [${r.setup}]`);
  if (r.error) {
    p(`  could not run: ${r.error}`);
    return out.join('\n');
  }
  const s = r.summary;
  const head = `  exit ${r.exitCode}${r.signal ? ` (${r.signal})` : ''} · ${r.wallS.toFixed(1)} s · peak RSS ${mb(r.peakRssKb)}`;
  p(
    r.findings
      ? `${head} · ${plural(r.findings.length, 'finding')}${s ? ` (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}; ${plural(s.tables, 'table')}, ${plural(s.files, 'file')})` : ''}`
      : `${head} · no JSON on stdout`,
  );
  if (r.stderr) {
    const lines = r.stderr.split('\n');
    p(`  stderr: ${lines.slice(0, verbose ? lines.length : 3).join('\n          ')}`);
    if (!verbose && lines.length > 3) p(`          … ${lines.length - 3} more lines (--verbose)`);
  }
  if (!r.findings) return out.join('\n');
  const rules = Object.entries(r.byRule);
  p(`  by rule: ${rules.length ? rules.map(([k, v]) => `${k} ${v}`).join(', ') : '(none)'}`);

  const l = r.labels;
  if (!l) p('  labels: none in the corpus');
  else {
    const pct = l.tp ? ` (${((100 * l.tpKept) / l.tp).toFixed(0)} %)` : '';
    p(
      `  labels (${l.labelled}: ${l.tp} TP, ${l.fp} FP, ${l.debatable} debatable): FP back ${l.fpBack.length}/${l.fp}, TP kept ${l.tpKept}/${l.tp}${pct}` +
        (l.tpMerged ? ` (${l.tpMerged} merged into the finding of their cause, as related places)` : ''),
    );
    if (l.fpBack.length) {
      p('  FP back:');
      for (const x of limit(l.fpBack, verbose)) p(`    ${x.rule} ${x.loc} — ${oneLine(x.reason, 90)}`);
      const m = more(l.fpBack, verbose);
      if (m) p(m);
    }
    if (l.tpLost.length) {
      p('  TP lost:');
      for (const x of limit(l.tpLost, verbose)) p(`    ${x.rule} ${x.loc} — ${oneLine(x.reason, 90)}`);
      const m = more(l.tpLost, verbose);
      if (m) p(m);
    }
    const groups = new Map();
    for (const f of l.fresh) groups.set(f.rule, [...(groups.get(f.rule) ?? []), f]);
    const sample =
      r.name.startsWith('vitana-platform') && !r.asIs
        ? ' (labels are a sample there: most are unlabelled)'
        : '';
    p(`  not in labels: ${l.fresh.length}${sample}`);
    for (const [rule, fs] of [...groups].sort(
      (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
    )) {
      const n = verbose ? fs.length : 3;
      p(
        `    ${rule} ${fs.length}: ${fs
          .slice(0, n)
          .map((f) => f.loc)
          .join(', ')}${fs.length > n ? ', …' : ''}`,
      );
      if (verbose) for (const f of fs) p(`      ${f.loc}: ${oneLine(f.message)}`);
    }
  }

  const g = r.postgres;
  if (!g) p('  postgres-truth: none in the corpus');
  else {
    p(
      `  postgres-truth (${g.files} files): both OK ${g.bothOk}, both FAIL ${g.bothFail}, dbcanon-only FAIL ${g.dbcanonOnlyFail}, postgres-only FAIL ${g.postgresOnlyFail}${g.unresolved ? `, not found in the repository ${g.unresolved}` : ''}`,
    );
    if (g.syntaxOutsideTruth.length)
      p(`    ${SYNTAX_RULE} also in ${g.syntaxOutsideTruth.length} file(s) postgres-truth does not list`);
    if (verbose) {
      for (const d of g.disagreements)
        p(
          `    ${d.kind}: ${d.file}${d.line ? `:${d.line}` : ''} — ${oneLine(d.kind.startsWith('dbcanon') ? d.dbcanon : `postgres: ${d.postgres}`, 120)}`,
        );
      for (const u of g.unresolvedFiles) p(`    not found: ${u}`);
    } else if (g.disagreements.length)
      p(`    ${plural(g.disagreements.length, 'disagreement')} (--verbose lists them)`);
  }
  return out.join('\n');
}

// ---------- compare ----------

function printCompare(old, cur) {
  const out = [`== compared with ${old.path} (${old.createdAt ?? '?'}, ${old.commit ?? '?'}, ${old.mode})`];
  if (old.mode !== cur.mode) out.push(`  note: modes differ (${old.mode} then, ${cur.mode} now)`);
  const oldBy = new Map((old.repos ?? []).map((r) => [r.name, r]));
  for (const r of cur.repos) {
    const o = oldBy.get(r.name);
    if (!o) {
      out.push(`  ${r.name}: not in the old run`);
      continue;
    }
    if (!r.findings || !o.findings) {
      out.push(`  ${r.name}: exit ${o.exitCode} → ${r.exitCode}; findings missing on one side`);
      continue;
    }
    const parts = [];
    if (o.setup !== r.setup) out.push(`  ${r.name}: set up differently (${o.setup} then, ${r.setup} now)`);
    if (o.exitCode !== r.exitCode) parts.push(`exit ${o.exitCode} → ${r.exitCode}`);
    parts.push(`findings ${o.findings.length} → ${r.findings.length}`);
    parts.push(`${o.wallS.toFixed(1)} → ${r.wallS.toFixed(1)} s`);
    parts.push(`RSS ${mb(o.peakRssKb)} → ${mb(r.peakRssKb)}`);
    if (o.labels && r.labels) {
      parts.push(`FP back ${o.labels.fpBack.length} → ${r.labels.fpBack.length}`);
      parts.push(`TP kept ${o.labels.tpKept} → ${r.labels.tpKept}`);
    }
    out.push(`  ${r.name}: ${parts.join(', ')}`);
    if (o.postgres && r.postgres) {
      const keys = ['bothOk', 'bothFail', 'dbcanonOnlyFail', 'postgresOnlyFail'];
      if (keys.some((k) => o.postgres[k] !== r.postgres[k]))
        out.push(
          `    postgres-truth: ${keys.map((k) => `${k} ${o.postgres[k]} → ${r.postgres[k]}`).join(', ')}`,
        );
    }
    // Per rule: count, and which rule+file:line appeared or went (multiset).
    const oldAt = countBy(o.findings, at);
    const newAt = countBy(r.findings, at);
    const rules = new Set([...o.findings, ...r.findings].map((f) => f.rule));
    for (const rule of [...rules].sort()) {
      const added = [];
      const gone = [];
      for (const [k, n] of newAt)
        if (k.startsWith(`${rule}\t`))
          for (let i = oldAt.get(k) ?? 0; i < n; i++) added.push(k.split('\t')[1]);
      for (const [k, n] of oldAt)
        if (k.startsWith(`${rule}\t`))
          for (let i = newAt.get(k) ?? 0; i < n; i++) gone.push(k.split('\t')[1]);
      if (!added.length && !gone.length) continue;
      const before = o.byRule[rule] ?? 0;
      const after = r.byRule[rule] ?? 0;
      const eg = (xs) => xs.slice(0, 2).join(', ') + (xs.length > 2 ? ', …' : '');
      out.push(
        `    ${rule}: ${before} → ${after} (+${added.length} -${gone.length})${added.length ? `  new e.g. ${eg(added)}` : ''}${gone.length ? `  gone e.g. ${eg(gone)}` : ''}`,
      );
    }
  }
  for (const o of old.repos ?? [])
    if (!cur.repos.some((r) => r.name === o.name)) out.push(`  ${o.name}: not run now`);
  return out.join('\n');
}

// ---------- main ----------

function gitHead() {
  const r = spawnSync('git', ['-C', ROOT, 'describe', '--always', '--dirty'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(HELP);
    return;
  }
  if (!existsSync(MAIN))
    throw new Fatal('dbcanon is not built (dist/cli/main.js is missing): run `npm run build`.');
  if (existsSync(path.join(ROOT, 'src')) && newestMtime(path.join(ROOT, 'src')) > statSync(MAIN).mtimeMs)
    console.error(
      'warning: src/ is newer than dist/: this runs the last build (`npm run build` to refresh).',
    );
  const corpus =
    opts.corpus ??
    (process.env.DBCANON_CORPUS ? path.resolve(process.env.DBCANON_CORPUS) : null) ??
    path.resolve(ROOT, '..', 'shared', 'corpus');
  if (!existsSync(corpus)) throw new Fatal(`no corpus at ${corpus} (--corpus DIR or DBCANON_CORPUS)`);
  const available = readdirSync(corpus)
    .filter((f) => f.endsWith('.tar.gz'))
    .map((f) => f.slice(0, -'.tar.gz'.length))
    .sort();
  const names = opts.repos.length ? opts.repos : available;
  for (const n of names)
    if (!available.includes(n))
      throw new Fatal(`no archive ${n}.tar.gz in ${corpus} (there: ${available.join(', ') || 'none'})`);
  if (!names.length) throw new Fatal(`no *.tar.gz in ${corpus}`);
  let old = null;
  if (opts.compare) {
    try {
      old = { ...JSON.parse(readFileSync(opts.compare, 'utf8')), path: opts.compare };
    } catch (e) {
      throw new Fatal(`cannot read ${opts.compare}: ${e.message}`);
    }
  }

  const mode = opts.asIs ? 'as-is' : 'labelled';
  const result = {
    version: 1,
    createdAt: new Date().toISOString(),
    commit: gitHead(),
    node: process.version,
    mode,
    rssMethod: rssMethod(),
    corpus,
    repos: [],
  };
  console.log(
    `dbcanon corpus run · ${result.commit ?? 'no git'} · ${mode} set-up · peak RSS by ${result.rssMethod}`,
  );
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-corpus-'));
  try {
    for (const name of names) {
      const dir = path.join(scratch, name);
      const variant = opts.asIs ? null : (SETUPS[name]?.labelledAs ?? null);
      for (const as of variant ? [null, variant] : [null]) {
        const rec = { name: as ? `${name}${LABELLED_SUFFIX}` : name, asIs: opts.asIs };
        try {
          mkdirSync(path.join(scratch, '.runner'), { recursive: true });
          if (!as) unpack(path.join(corpus, `${name}.tar.gz`), scratch);
          if (!existsSync(dir)) throw new Fatal(`${name}.tar.gz has no top folder ${name}/`);
          rec.setup = setUp(name, dir, corpus, opts.asIs, as);
          const run = runCheck(dir, path.join(scratch, '.runner'));
          Object.assign(rec, {
            exitCode: run.status,
            signal: run.signal ?? null,
            wallS: run.wallS,
            peakRssKb: run.rssKb,
            stderr: run.stderr,
          });
          let report = null;
          try {
            report = JSON.parse(run.stdout);
          } catch {
            rec.stdoutHead = run.stdout.slice(0, 2000);
          }
          rec.findings = report?.findings ?? null;
          rec.summary = report?.summary ?? null;
          if (rec.findings) {
            rec.byRule = sortedObject(countBy(rec.findings, (f) => f.rule));
            const labels = readLabels(path.join(corpus, 'labels', `${name}.tsv`));
            rec.labels = labels ? scoreLabels(rec.findings, labels) : null;
            const truth = readTruth(path.join(corpus, 'postgres-truth', `${name}.tsv`));
            rec.postgres = truth ? comparePostgres(rec.findings, truth, dir) : null;
          }
        } catch (e) {
          if (!(e instanceof Fatal)) throw e;
          rec.setup ??= '-';
          rec.error = e.message;
        }
        result.repos.push(rec);
        console.log(printRepo(rec, opts.verbose));
      }
    }
  } finally {
    if (opts.keep) console.log(`kept the unpacked repositories in ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }
  if (opts.json) {
    writeFileSync(opts.json, `${JSON.stringify(result, null, 1)}\n`);
    console.log(`wrote ${opts.json}`);
  }
  if (old) console.log(printCompare(old, result));
  if (result.repos.some((r) => r.error)) process.exitCode = 2;
}

try {
  main();
} catch (e) {
  if (!(e instanceof Fatal)) throw e;
  console.error(`corpus: ${e.message}`);
  process.exitCode = 2;
}
