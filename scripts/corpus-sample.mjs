#!/usr/bin/env node
/**
 * A seeded random sample of a corpus run's findings, for classification by hand: for every rule with at least
 * --min findings over all repositories, up to --per-rule findings drawn with a fixed seed (the same run and seed
 * give the same sample), each printed with the lines around it so that a reader can judge it without opening
 * the repository. See docs/corpus.md.
 *
 *   npm run corpus -- --keep --json RUN.json
 *   node scripts/corpus-sample.mjs --json RUN.json --dir /tmp/dbcanon-corpus-XXXX [--per-rule 30] [--min 10]
 *                                  [--seed 1] [--rule ID]...
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function usage(message) {
  if (message) console.error(`corpus-sample: ${message}`);
  console.error(
    'usage: node scripts/corpus-sample.mjs --json RUN.json --dir KEPT_DIR [--per-rule N] [--min N] [--seed N] [--rule ID]...',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const o = { json: null, dir: null, perRule: 30, min: 10, seed: 1, rules: [], context: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) usage(`${a} needs a whole number`);
      return n;
    };
    if (a === '--json') o.json = argv[++i];
    else if (a === '--dir') o.dir = argv[++i];
    else if (a === '--per-rule') o.perRule = num();
    else if (a === '--min') o.min = num();
    else if (a === '--seed') o.seed = num();
    else if (a === '--context') o.context = num();
    else if (a === '--rule') o.rules.push(argv[++i]);
    else usage(`unknown option ${a}`);
  }
  if (!o.json || !o.dir) usage('--json and --dir are required');
  return o;
}

/** mulberry32: a small seeded generator, so a sample can be drawn again. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(list, n, next) {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

function context(dir, file, line, around) {
  const abs = path.join(dir, file);
  if (!existsSync(abs)) return '    (file not found)';
  const lines = readFileSync(abs, 'utf8').split('\n');
  const from = Math.max(1, line - around);
  const to = Math.min(lines.length, line + around);
  const out = [];
  for (let i = from; i <= to; i++)
    out.push(`    ${i === line ? '>' : ' '}${String(i).padStart(5)}  ${lines[i - 1].slice(0, 160)}`);
  return out.join('\n');
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const run = JSON.parse(readFileSync(o.json, 'utf8'));
  const byRule = new Map();
  // One run per repository: a second set-up of the same repository (`name [as labelled]`) would count its
  // findings twice.
  for (const repo of run.repos.filter((r) => !r.name.includes(' ['))) {
    for (const f of repo.findings ?? []) {
      if (o.rules.length && !o.rules.includes(f.rule)) continue;
      byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), { ...f, repo: repo.name }]);
    }
  }
  const next = random(o.seed);
  console.log(
    `# sample of ${o.json} (commit ${run.commit}), seed ${o.seed}, up to ${o.perRule} per rule with ≥ ${o.min} findings`,
  );
  console.log(
    '# label each: TP (a maintainer would act on it), FP (wrong), debatable; then: rule  repo  file:line  label  reason',
  );
  for (const [rule, all] of [...byRule].sort((a, b) => b[1].length - a[1].length)) {
    if (all.length < o.min) continue;
    const picked = sample(all, o.perRule, next);
    console.log(`\n## ${rule}: ${picked.length} of ${all.length}`);
    picked.forEach((f, i) => {
      console.log(
        `\n[${rule} #${i + 1}] ${f.repo}  ${f.file}:${f.line}${f.table ? `  table ${f.table}` : ''}`,
      );
      console.log(`  ${f.message}`);
      if (f.related?.length) console.log(`  (related: ${f.related.length} other places)`);
      console.log(context(path.join(o.dir, f.repo), f.file, f.line, o.context));
    });
  }
}

main();
