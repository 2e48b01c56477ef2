/**
 * Resolves imported names without ts-morph, where that is certain: `import { LEDGER } from '../lib/tables.js'`
 * with `export const LEDGER = 'vtid_ledger'` in that module. Most names a file cannot resolve alone are such
 * constants, and ts-morph (its load, a Project, a type checker) cost seconds on a big tree for answers that
 * one parse of the imported module gives.
 *
 * A file is resolved here only when every one of its pending names is: an import from a relative module that
 * resolves to one TypeScript or JavaScript file, whose top level exports the name once by a `const` with a
 * computable value (extract.ts's exportValue). Any other file goes to resolve-names.ts unchanged, so the answer
 * is always the one ts-morph would give.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ExportValue, ImportBinding, ModuleExports, PendingName } from './extract.js';
import type { FileResolution, ResolvedValue } from './resolve-names.js';

export interface ImportedNamesJob {
  file: string;
  pending: PendingName[];
  importBindings?: ImportBinding[] | undefined;
}

const isFile = (abs: string): boolean => {
  try {
    return statSync(abs, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
};

/**
 * The file a relative specifier names, in TypeScript's `Bundler` resolution order (a `.js` specifier finds its
 * `.ts` source first). Null for bare specifiers, directories and declaration files: ts-morph decides those.
 */
export function resolveRelativeModule(root: string, fromFile: string, spec: string): string | null {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return null;
  const base = path.join(root, path.dirname(fromFile), spec);
  const ext = path.extname(base);
  const stem = ['.js', '.jsx', '.mjs', '.cjs'].includes(ext) ? base.slice(0, -ext.length) : null;
  const candidates =
    stem !== null
      ? ext === '.mjs'
        ? [`${stem}.mts`, `${stem}.d.mts`, base]
        : ext === '.cjs'
          ? [`${stem}.cts`, `${stem}.d.cts`, base]
          : [`${stem}.ts`, `${stem}.tsx`, `${stem}.d.ts`, base]
      : ['.ts', '.tsx', '.mts', '.cts'].includes(ext)
        ? [base]
        : [`${base}.ts`, `${base}.tsx`, `${base}.d.ts`, `${base}.js`, `${base}.jsx`];
  const found = candidates.find(isFile);
  if (!found || /\.d\.[mc]?ts$/.test(found)) return null;
  const rel = path.relative(root, found).split(path.sep).join('/');
  return rel.startsWith('..') ? null : rel;
}

/**
 * `LEDGER`, `TABLES.a.b` → root identifier and property path; null for other expressions. A bracket access
 * (`TABLES['a']`) is left to ts-morph, which finds no symbol for it and answers nothing.
 */
function accessPath(text: string): string[] | null {
  const m = /^\s*([A-Za-z_$][\w$]*)((?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*$/.exec(text);
  if (!m) return null;
  const rest = [...(m[2] ?? '').matchAll(/\.\s*([A-Za-z_$][\w$]*)/g)].map((x) => x[1] ?? '');
  return [m[1] as string, ...rest];
}

function follow(v: ExportValue | null | undefined, props: string[]): ExportValue | null {
  let cur = v ?? null;
  for (const p of props) {
    if (cur?.t !== 'object' || !Object.hasOwn(cur.props, p)) return null;
    cur = cur.props[p] ?? null;
  }
  return cur;
}

/**
 * Resolves what it can of `jobs`. `exportsOf` parses the modules named (in the scan's workers, or here); a file
 * is in the result only with every pending name resolved, with the file and the modules read as dependencies.
 */
export async function resolveImportedNames(
  root: string,
  jobs: ImportedNamesJob[],
  exportsOf: (modules: string[]) => Promise<Map<string, ModuleExports | null>>,
): Promise<Map<string, FileResolution>> {
  const out = new Map<string, FileResolution>();
  // Per file: each pending name's module, export name and property path; null when not certain.
  const plans = new Map<string, ({ module: string; name: string; props: string[] } | null)[]>();
  const modules = new Set<string>();
  for (const job of jobs) {
    const bindings = new Map((job.importBindings ?? []).map((b) => [b.local, b]));
    const plan = job.pending.map((p) => {
      if (!p.imported) return null;
      const access = accessPath(p.text);
      const binding = access ? bindings.get(access[0] as string) : undefined;
      if (!access || !binding) return null;
      const module = resolveRelativeModule(root, job.file, binding.from);
      if (!module) return null;
      return { module, name: binding.imported, props: access.slice(1) };
    });
    if (plan.length === 0 || plan.some((x) => x === null)) continue;
    plans.set(job.file, plan);
    for (const x of plan) if (x) modules.add(x.module);
  }
  if (modules.size === 0) return out;
  const exports = await exportsOf([...modules].sort());
  for (const [file, plan] of plans) {
    const values: ResolvedValue[] = [];
    for (const x of plan) {
      if (!x) break;
      const mod = exports.get(x.module);
      const v = mod && Object.hasOwn(mod, x.name) ? follow(mod[x.name], x.props) : null;
      if (v?.t === 'str') values.push({ t: 'str', s: v.s });
      else if (v?.t === 'table') values.push({ t: 'table', name: v.name, schema: v.schema });
      else break;
    }
    if (values.length !== plan.length) continue;
    const deps = [...new Set([file, ...plan.map((x) => x?.module as string)])];
    out.set(file, { values, deps });
  }
  return out;
}
