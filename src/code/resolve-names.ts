/**
 * Resolves the names one file could not resolve alone — a table name in a constant imported from another
 * module, a name declared in several scopes — with ts-morph's symbol resolution. Only the files that have such
 * names are loaded into a Project (and what they import), never the whole tree.
 */
import path from 'node:path';
import type { Node as MorphNode, Project } from 'ts-morph';
import { loadTsMorph, type PendingName } from './extract.js';

export type ResolvedValue =
  | { t: 'str'; s: string }
  | { t: 'table'; name: string; schema: string | null }
  | null;

export interface FileResolution {
  /** One value per pending name, in order; null when the name is dynamic after all. */
  values: ResolvedValue[];
  /** Root-relative files whose content the values depend on (the file itself, declarations, imports). */
  deps: string[];
}

type Morph = typeof import('ts-morph');

function evaluate(m: Morph, node: MorphNode, depth: number, deps: Set<string>): ResolvedValue {
  const { Node } = m;
  if (depth > 10) return null;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) {
    return { t: 'str', s: node.getLiteralText() };
  }
  if (
    Node.isParenthesizedExpression(node) ||
    Node.isAsExpression(node) ||
    Node.isSatisfiesExpression(node) ||
    Node.isNonNullExpression(node) ||
    Node.isTypeAssertion(node)
  ) {
    return evaluate(m, node.getExpression(), depth + 1, deps);
  }
  if (Node.isTemplateExpression(node)) {
    let s = node.getHead().getLiteralText();
    for (const span of node.getTemplateSpans()) {
      const v = evaluate(m, span.getExpression(), depth + 1, deps);
      if (v?.t !== 'str') return null;
      s += v.s + span.getLiteral().getLiteralText();
    }
    return { t: 'str', s };
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getText() === '+') {
    const l = evaluate(m, node.getLeft(), depth + 1, deps);
    const r = evaluate(m, node.getRight(), depth + 1, deps);
    return l?.t === 'str' && r?.t === 'str' ? { t: 'str', s: l.s + r.s } : null;
  }
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    const arg = node.getArguments()[0];
    if (Node.isIdentifier(callee) && callee.getText() === 'pgTable' && arg) {
      const v = evaluate(m, arg, depth + 1, deps);
      return v?.t === 'str' ? { t: 'table', name: v.s, schema: null } : null;
    }
    return null;
  }
  if (
    Node.isIdentifier(node) ||
    Node.isPropertyAccessExpression(node) ||
    Node.isElementAccessExpression(node)
  ) {
    let symbol = node.getSymbol();
    if (!symbol) return null;
    if (symbol.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
    const decls = symbol.getDeclarations();
    if (decls.length !== 1) return null;
    const decl = decls[0] as MorphNode;
    deps.add(decl.getSourceFile().getFilePath());
    if (Node.isVariableDeclaration(decl)) {
      if (decl.getVariableStatement()?.getDeclarationKind() !== 'const') return null;
      const init = decl.getInitializer();
      return init ? evaluate(m, init, depth + 1, deps) : null;
    }
    if (Node.isPropertyAssignment(decl) || Node.isEnumMember(decl)) {
      const init = decl.getInitializer();
      return init ? evaluate(m, init, depth + 1, deps) : null;
    }
  }
  return null;
}

export async function resolvePendingNames(
  root: string,
  files: { file: string; pending: PendingName[]; imports?: string | undefined }[],
): Promise<Map<string, FileResolution>> {
  const out = new Map<string, FileResolution>();
  if (files.length === 0) return out;
  const m = loadTsMorph();
  const { ts } = m;
  const project: Project = new m.Project({
    compilerOptions: {
      allowJs: true,
      noLib: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.Preserve,
      // The checker sees the files added here and no others: left to itself it loads everything they import,
      // node_modules' typings included (1.3 s on a real repository, for 20 names).
      noResolve: true,
    },
    skipAddingFilesFromTsConfig: true,
    skipLoadingLibFiles: true,
  });
  // Names that come from imports need only the file's imports: ts-morph gets a small stand-in at the same path
  // (so relative imports resolve the same) instead of the whole file. Other names need the file's scopes.
  const located: { start: number; end: number }[][] = [];
  const sources = files.map((f, i) => {
    const abs = path.join(root, f.file);
    if (f.imports === undefined || !f.pending.every((p) => p.imported)) {
      located[i] = f.pending.map((p) => ({ start: p.start, end: p.end }));
      return project.addSourceFileAtPath(abs);
    }
    let text = `${f.imports}\n`;
    located[i] = f.pending.map((p, k) => {
      const prefix = `const __dbcanon_${k} = (`;
      const start = text.length + prefix.length;
      text += `${prefix}${p.text});\n`;
      return { start, end: start + p.text.length };
    });
    return project.createSourceFile(abs, text, { overwrite: true });
  });
  // The modules these files import, one level deep: what an imported name's declaration needs. Not every module
  // they reach: on a real repository, 9 files' transitive imports were 335 modules and 1.3 s of parsing, for
  // names that were nearly all local. (A constant re-exported through a second module stays unresolved.)
  const options = project.getCompilerOptions();
  for (const sf of sources) {
    for (const imp of sf.getImportDeclarations()) {
      const resolved = ts.resolveModuleName(imp.getModuleSpecifierValue(), sf.getFilePath(), options, ts.sys)
        .resolvedModule?.resolvedFileName;
      if (resolved && !resolved.includes('/node_modules/') && !resolved.endsWith('.d.ts')) {
        project.addSourceFileAtPathIfExists(resolved);
      }
    }
  }
  const rel = (abs: string) => path.relative(root, abs).split(path.sep).join('/');
  files.forEach((f, i) => {
    const sf = sources[i];
    if (!sf) return;
    const deps = new Set<string>([sf.getFilePath()]);
    // What the file imports can change what its names mean, even where no declaration was found.
    for (const imp of sf.getImportDeclarations()) {
      const target = imp.getModuleSpecifierSourceFile();
      if (target) deps.add(target.getFilePath());
    }
    const values = (located[i] ?? []).map((p) => {
      const node = sf.getDescendantAtStartWithWidth(p.start, p.end - p.start);
      return node ? evaluate(m, node, 0, deps) : null;
    });
    out.set(f.file, { values, deps: [...deps].map(rel).filter((d) => !d.startsWith('..')) });
  });
  return out;
}
