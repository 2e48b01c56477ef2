/**
 * A Prisma schema file read as data: its blocks (`model`, `view`, `enum`, `datasource`, …), each model's fields
 * with their types and attributes, and the block attributes (`@@map`, `@@schema`, `@@id`, …), with positions.
 * It says what the file declares and nothing more: how that becomes tables is prisma-model.ts's business.
 *
 * Prisma's grammar is line-based: a field or a block attribute ends at the end of its line, unless a bracket
 * is still open. Comments (`//`, `///`) run to the end of the line; strings are double-quoted with escapes.
 */

/** A value an attribute is given: `"x"`, `42`, `true`, `Cascade`, `now()`, `[a, b]`. */
export type PrismaValue =
  | { t: 'string'; s: string }
  | { t: 'number'; s: string }
  | { t: 'ident'; s: string }
  | { t: 'call'; name: string; args: PrismaArg[] }
  | { t: 'list'; items: PrismaValue[] };

/** `map: "x"` (named) or `"x"` (positional). */
export interface PrismaArg {
  name: string | null;
  value: PrismaValue;
}

export interface PrismaAttribute {
  /** Without the `@`/`@@`: `map`, `id`, `default`, `db.VarChar`. */
  name: string;
  args: PrismaArg[];
  line: number;
  column: number;
}

export interface PrismaField {
  name: string;
  /** As written, without `?`/`[]`: `String`, `DateTime`, `User`, `Unsupported`. */
  type: string;
  /** For `Unsupported("tsvector")`: the database type named. */
  unsupported: string | null;
  optional: boolean;
  list: boolean;
  attributes: PrismaAttribute[];
  line: number;
  column: number;
}

export interface PrismaEnumValue {
  name: string;
  /** `@map("x")`: the value as the database stores it. */
  map: string | null;
}

export interface PrismaBlock {
  kind: 'model' | 'view' | 'enum' | 'type' | 'datasource' | 'generator';
  name: string;
  /** Fields of a model, view or composite type. */
  fields: PrismaField[];
  /** Values of an enum. */
  values: PrismaEnumValue[];
  /** `@@…` attributes. */
  attributes: PrismaAttribute[];
  /** `key = value` lines of a datasource or generator (`provider = "postgresql"`). */
  settings: Record<string, PrismaValue>;
  file: string;
  line: number;
  column: number;
}

export interface PrismaSchemaFile {
  file: string;
  blocks: PrismaBlock[];
}

type Token =
  | { k: 'ident'; s: string; line: number; column: number }
  | { k: 'string'; s: string; line: number; column: number }
  | { k: 'number'; s: string; line: number; column: number }
  | { k: 'punct'; s: string; line: number; column: number }
  | { k: 'newline'; line: number; column: number };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const at = (start: number) => ({ line, column: start - lineStart + 1 });
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\n') {
      out.push({ k: 'newline', ...at(i) });
      i++;
      line++;
      lineStart = i;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"') {
      const start = i;
      let s = '';
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') {
        if (text[i] === '\\' && i + 1 < text.length) {
          const e = text[i + 1] as string;
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
        } else s += text[i++];
      }
      if (text[i] === '"') i++;
      out.push({ k: 'string', s, ...at(start) });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(
        text.slice(i, i + 200),
      ) as RegExpExecArray;
      out.push({ k: 'ident', s: m[0], ...at(i) });
      i += m[0].length;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const s = (
        /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/.exec(text.slice(i, i + 64)) as RegExpExecArray
      )[0];
      out.push({ k: 'number', s, ...at(i) });
      i += s.length;
    } else if (c === '@' && text[i + 1] === '@') {
      out.push({ k: 'punct', s: '@@', ...at(i) });
      i += 2;
    } else {
      out.push({ k: 'punct', s: c, ...at(i) });
      i++;
    }
  }
  return out;
}

const BLOCKS = new Set(['model', 'view', 'enum', 'type', 'datasource', 'generator']);

/** Reads one file. Never throws: what it cannot read is skipped, as Prisma's own errors are Prisma's to report. */
export function parsePrismaSchema(text: string, file = 'schema.prisma'): PrismaSchemaFile {
  const toks = tokenize(text);
  let p = 0;
  const peek = (o = 0): Token | undefined => toks[p + o];
  const isPunct = (t: Token | undefined, s: string) => t?.k === 'punct' && t.s === s;
  const skipNewlines = () => {
    while (peek()?.k === 'newline') p++;
  };
  /** Skips to the end of the current line (brackets balanced). */
  const skipLine = () => {
    let depth = 0;
    while (p < toks.length) {
      const t = toks[p] as Token;
      if (t.k === 'newline' && depth <= 0) return;
      if (t.k === 'punct' && (t.s === '(' || t.s === '[' || t.s === '{')) depth++;
      if (t.k === 'punct' && (t.s === ')' || t.s === ']' || t.s === '}')) {
        if (depth === 0) return;
        depth--;
      }
      p++;
    }
  };

  const value = (): PrismaValue | null => {
    // Newlines inside brackets do not end anything.
    skipNewlines();
    const t = peek();
    if (!t) return null;
    if (t.k === 'string') {
      p++;
      return { t: 'string', s: t.s };
    }
    if (t.k === 'number') {
      p++;
      return { t: 'number', s: t.s };
    }
    if (isPunct(t, '[')) {
      p++;
      const items: PrismaValue[] = [];
      for (;;) {
        skipNewlines();
        if (!peek() || isPunct(peek(), ']')) break;
        const v = value();
        if (!v) break;
        items.push(v);
        skipNewlines();
        if (isPunct(peek(), ',')) p++;
        else if (!isPunct(peek(), ']')) break;
      }
      if (isPunct(peek(), ']')) p++;
      return { t: 'list', items };
    }
    if (t.k === 'ident') {
      p++;
      if (isPunct(peek(), '(')) {
        p++;
        return { t: 'call', name: t.s, args: args() };
      }
      return { t: 'ident', s: t.s };
    }
    return null;
  };

  /** Arguments after an opening `(`, through the closing `)`. */
  const args = (): PrismaArg[] => {
    const out: PrismaArg[] = [];
    for (;;) {
      skipNewlines();
      const t = peek();
      if (!t) return out;
      if (isPunct(t, ')')) {
        p++;
        return out;
      }
      let name: string | null = null;
      if (t.k === 'ident' && isPunct(peek(1), ':')) {
        name = t.s;
        p += 2;
      }
      const v = value();
      if (v) out.push({ name, value: v });
      else {
        // Something this reader does not know (an operator): skip to the next argument.
        while (peek() && !isPunct(peek(), ',') && !isPunct(peek(), ')')) p++;
      }
      skipNewlines();
      // A `(sort: Desc)` after a field in a list, `lastEventAt(sort: Desc)`, was read as a call above.
      if (isPunct(peek(), ',')) p++;
    }
  };

  const attribute = (): PrismaAttribute | null => {
    const t = peek();
    if (t?.k !== 'ident') return null;
    p++;
    let a: PrismaArg[] = [];
    if (isPunct(peek(), '(')) {
      p++;
      a = args();
    }
    return { name: t.s, args: a, line: t.line, column: t.column };
  };

  const blocks: PrismaBlock[] = [];
  while (p < toks.length) {
    skipNewlines();
    const t = peek();
    if (!t) break;
    const nameTok = peek(1);
    if (t.k !== 'ident' || !BLOCKS.has(t.s) || nameTok?.k !== 'ident' || !isPunct(peek(2), '{')) {
      skipLine();
      if (isPunct(peek(), '}')) p++;
      continue;
    }
    p += 3;
    const block: PrismaBlock = {
      kind: t.s as PrismaBlock['kind'],
      name: nameTok.s,
      fields: [],
      values: [],
      attributes: [],
      settings: {},
      file,
      line: nameTok.line,
      column: nameTok.column,
    };
    for (;;) {
      skipNewlines();
      const first = peek();
      if (!first) break;
      if (isPunct(first, '}')) {
        p++;
        break;
      }
      if (isPunct(first, '@@')) {
        p++;
        const a = attribute();
        if (a) block.attributes.push(a);
        skipLine();
        continue;
      }
      if (first.k !== 'ident') {
        skipLine();
        continue;
      }
      p++;
      if (block.kind === 'datasource' || block.kind === 'generator') {
        if (isPunct(peek(), '=')) {
          p++;
          const v = value();
          if (v) block.settings[first.s] = v;
        }
        skipLine();
        continue;
      }
      if (block.kind === 'enum') {
        const v: PrismaEnumValue = { name: first.s, map: null };
        while (isPunct(peek(), '@')) {
          p++;
          const a = attribute();
          const arg = a?.args[0]?.value;
          if (a?.name === 'map' && arg?.t === 'string') v.map = arg.s;
        }
        block.values.push(v);
        skipLine();
        continue;
      }
      const typeTok = peek();
      if (typeTok?.k !== 'ident') {
        skipLine();
        continue;
      }
      p++;
      let unsupported: string | null = null;
      if (isPunct(peek(), '(')) {
        p++;
        const a = args();
        const v = a[0]?.value;
        if (typeTok.s === 'Unsupported' && v?.t === 'string') unsupported = v.s;
      }
      let list = false;
      let optional = false;
      if (isPunct(peek(), '[') && isPunct(peek(1), ']')) {
        list = true;
        p += 2;
      }
      if (isPunct(peek(), '?')) {
        optional = true;
        p++;
      }
      const field: PrismaField = {
        name: first.s,
        type: typeTok.s,
        unsupported,
        optional,
        list,
        attributes: [],
        line: first.line,
        column: first.column,
      };
      while (isPunct(peek(), '@')) {
        p++;
        const a = attribute();
        if (a) field.attributes.push(a);
      }
      block.fields.push(field);
      skipLine();
    }
    blocks.push(block);
  }
  return { file, blocks };
}

/** The first argument (or the one named `name`) of an attribute, when it is a string. */
export function stringArg(a: PrismaAttribute | undefined, name?: string): string | null {
  const arg =
    (name ? a?.args.find((x) => x.name === name) : undefined) ?? a?.args.find((x) => x.name === null);
  return arg?.value.t === 'string' ? arg.value.s : null;
}

/** The value of an attribute's argument named `name`. */
export function namedArg(a: PrismaAttribute | undefined, name: string): PrismaValue | null {
  return a?.args.find((x) => x.name === name)?.value ?? null;
}

export function attr(attributes: PrismaAttribute[], name: string): PrismaAttribute | undefined {
  return attributes.find((a) => a.name === name);
}
