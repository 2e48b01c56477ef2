/**
 * DATABASE_SCHEMA.md (and documents like it) → DocModel.
 *
 * What counts as a table entry: a heading below the top-level sections whose text names one or more tables
 * (`### vtid_ledger`, `` ### `chat_messages` ``, `### VtidLedger (PascalCase)`, `### VtidLedger Table`,
 * `### New Columns in vtid_ledger`, `### services_catalog / products_catalog`) and whose body carries an entry's
 * marks (`**Purpose:**`, `**Used by:**`, `**Schema:**`, an SQL block with CREATE TABLE, a `| Column | Type |`
 * table, a deprecation `**Status:**`); under the production and deprecated sections a table name alone is
 * enough. Headings under "Adding a new table", "Critical rules" and "Troubleshooting" are never tables: they hold
 * examples and advice.
 *
 * A heading that holds several tables gives one DocTable per table; they share the heading's line, purpose,
 * used-by list and endpoints. When an entry's SQL block creates several tables (named in the heading or not),
 * each table's schema is the part of the block from its CREATE TABLE up to the next one, so each table's SQL
 * still maps line for line onto the document.
 *
 * The document is parsed after encoding repair (so `## ðŸ“Š PRODUCTION TABLES` is recognised); each repair is
 * reported as a `doc-encoding` problem at the position in the file as it is.
 */

import { normalizeType } from '../model/types.js';
import type {
  DocChangelogEntry,
  DocDeprecation,
  DocEndpoint,
  DocEvent,
  DocModel,
  DocProblem,
  DocSchema,
  DocSection,
  DocSectionInfo,
  DocStatusValues,
  DocTable,
  DocUsedBy,
} from './doc-model.js';
import { originalColumn, repairEncoding } from './encoding.js';
import {
  type Fence,
  type Heading,
  label,
  listAfter,
  listItem,
  type PipeTable,
  pipeTables,
  type ScannedDoc,
  scanMarkdown,
} from './markdown-lines.js';
import { analyzeSqlBlock, type SqlBlockInfo, splitValueList } from './sql-block.js';

const SQL_LANGS = new Set(['sql', 'postgres', 'postgresql', 'pgsql', 'plpgsql', 'psql']);

/** True for a fence that holds SQL: an sql-like info string, or no info string and a CREATE TABLE. */
export function isSqlFence(fence: Fence): boolean {
  return (
    SQL_LANGS.has(fence.lang) || (fence.lang === '' && /^\s*create\s+table\b/i.test(fence.content.join('\n')))
  );
}

/** Document position of a character offset inside a fence's content. */
function offsetPosition(fence: Fence, body: string, offset: number): { line: number; column: number } {
  const before = body.slice(0, offset).split('\n');
  return {
    line: fence.contentLine + before.length - 1,
    column: (before.at(-1) as string).length + 1 + (fence.stripped[before.length - 1] ?? 0),
  };
}

/**
 * Parses every SQL block of the document once. A block that does not parse is a `doc-syntax` problem at the
 * document line and column the parser points at; the document is still read.
 */
async function checkSqlBlocks(
  doc: ScannedDoc,
  problems: DocProblem[],
  at: At,
): Promise<Map<Fence, SqlBlockInfo>> {
  const out = new Map<Fence, SqlBlockInfo>();
  for (const fence of doc.fences) {
    if (!isSqlFence(fence)) continue;
    const body = fence.content.join('\n');
    const info = await analyzeSqlBlock(body);
    out.set(fence, info);
    if (!info.error) continue;
    const p = offsetPosition(fence, body, info.error.offset);
    const heading = [...doc.headings].reverse().find((hd) => hd.line < fence.open);
    problems.push({
      rule: 'doc-syntax',
      message:
        `the SQL block${heading ? ` under '${heading.text}'` : ''} does not parse: ${info.error.message}; ` +
        'fix the statement so the block is valid PostgreSQL (the document is checked against the migrations)',
      ...at(p.line, p.column),
    });
  }
  return out;
}
const HTTP_METHODS = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\/\S*|https?:\/\/\S+)/;
const IDENT = /^(?:[A-Za-z_][A-Za-z0-9_$]*|"[^"]+")(?:\.(?:[A-Za-z_][A-Za-z0-9_$]*|"[^"]+"))?$/;

/** Normalized key of a top-level section heading. */
export function sectionKey(heading: string): string {
  const t = heading
    .toLowerCase()
    .replace(/[^a-z0-9 /&-]+/g, ' ')
    .replace(/^\s*\d+(\.\d+)*\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/\bcritical rules?\b|^rules$/.test(t)) return 'critical-rules';
  if (/\bdeprecated\b|\bdo not use\b/.test(t)) return 'deprecated';
  if (/\bproduction tables?\b|^tables$/.test(t)) return 'production-tables';
  if (/\badding (a )?new tables?\b|\bhow to add (a )?(new )?tables?\b/.test(t)) return 'adding-a-new-table';
  if (/\btroubleshooting\b/.test(t)) return 'troubleshooting';
  if (/\bchange ?log\b|\bchangelog\b|\bhistory of changes\b/.test(t)) return 'change-log';
  if (/\bapi endpoints?\b|^endpoints$/.test(t)) return 'api-endpoints';
  return 'other';
}

const NOT_TABLE_SECTIONS = new Set(['critical-rules', 'adding-a-new-table', 'troubleshooting']);

/**
 * The table names a heading gives, or null when it does not read as table names. Strips code spans, a
 * parenthesised suffix (`(PascalCase)`), a dashed one (`t — session bound`), a trailing "Table", a leading
 * "New columns in"; splits on `/`, `,`,
 * `&`, `and`.
 */
export function headingTableNames(heading: string): string[] | null {
  let t = heading.replace(/`/g, '').trim();
  t = t
    .replace(/^[^\p{L}\p{N}_"]+/u, '')
    .replace(/\s+[—–]\s+.*$/u, '')
    .replace(/\s*\([^)]*\)\s*$/, '');
  t = t.replace(/^(?:new\s+|added\s+)?columns?\s+(?:in|of|for|on)\s+/i, '');
  t = t.replace(/^tables?\s*:\s*/i, '');
  t = t.replace(/\s+(?:tables?|schema)$/i, '').trim();
  if (t === '' || NOT_TABLE_HEADINGS.test(t) || HTTP_METHODS.test(t)) return null;
  const names = t.split(/\s*(?:\/|,|&|\+|\band\b)\s*/).filter((n) => n !== '');
  if (names.length === 0 || !names.every((n) => IDENT.test(n))) return null;
  return names.map((n) => n.replace(/"/g, ''));
}

/** Headings that name a part of an entry or of the document, never a table. */
const NOT_TABLE_HEADINGS =
  /^(schema|columns?|indexes|indices|constraints|purpose|used by|endpoints|api|examples?|notes?|overview|events|status|triggers|policies|functions|views|summary|testing|deployment|monitoring|components|architecture)$/i;

const DEPRECATED_WORDS = /deprecat|do not use|don't use|obsolete|\bremoved\b|\blegacy\b/i;
const REPLACEMENT = [
  /\buse\s+`([^`]+)`\s+instead\b/i,
  /\buse\s+([A-Za-z_][\w.]*)\s+instead\b/i,
  /\b(?:replaced by|superseded by|renamed to|moved to)\s+`?([A-Za-z_][\w.]*)`?/i,
];

function replacementIn(text: string): string | null {
  for (const re of REPLACEMENT) {
    const m = re.exec(text);
    if (m) return (m[1] as string).trim();
  }
  return null;
}

/** A path names one file: no spaces or backticks (`Defined in \`org/repo\` migration \`x.sql\`` is prose). */
function isFilePath(p: string): boolean {
  if (/[\s`]/.test(p)) return false;
  return /\//.test(p) || /\.[A-Za-z0-9]{1,5}$/.test(p);
}

/** `` `services/x.ts` (CRUD operations) `` → path + note. Also `OASIS Operator (via proxy)` and `a.ts - note`. */
function usedByEntry(text: string, line: number): DocUsedBy | null {
  const t = text.trim();
  if (t === '') return null;
  let path: string;
  let rest: string;
  const code = /^`([^`]+)`\s*(.*)$/.exec(t);
  if (code) {
    path = (code[1] as string).trim();
    rest = (code[2] as string).trim();
  } else {
    const m = /^(.*?)\s*(\(.*\)|\s[-–—:]\s.*)?$/.exec(t) as RegExpExecArray;
    path = (m[1] as string).trim();
    rest = (m[2] ?? '').trim();
  }
  let note: string | null = rest.replace(/^[-–—:]\s*/, '').trim();
  if (note.startsWith('(') && note.endsWith(')')) note = note.slice(1, -1).trim();
  if (note === '') note = null;
  return { path, isFile: isFilePath(path), note, line };
}

function endpointEntry(text: string, line: number): DocEndpoint | null {
  const t = text.replace(/`/g, '').trim();
  const m = HTTP_METHODS.exec(t);
  if (m) {
    const description = t
      .slice(m[0].length)
      .replace(/^\s*[-–—:]\s*/, '')
      .trim();
    return { method: m[1] as string, path: m[2] as string, description: description || null, line };
  }
  const fn = /^([A-Za-z_][\w.]*)\s*\(([^)]*)\)\s*(?:[-–—:]\s*(.*))?$/.exec(t);
  if (fn) {
    return { method: 'SQL', path: `${fn[1]}(${fn[2]})`, description: fn[3]?.trim() || null, line };
  }
  return null;
}

function eventEntry(text: string, line: number): DocEvent | null {
  const m =
    /^`([^`]+)`\s*(?:[-–—:]\s*(.*))?$/.exec(text.trim()) ?? /^([\w.:-]+)\s*(?:[-–—:]\s*(.*))?$/.exec(text);
  if (!m) return null;
  return { name: (m[1] as string).trim(), description: m[2]?.trim() || null, line };
}

/** Values of a "Status Values" list item: the backticked words before the ` - ` description. */
function statusListValues(text: string): string[] {
  const head = text.split(/\s[-–—:]\s/)[0] as string;
  const spans = [...head.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
  return spans.length > 0 ? spans : splitValueList(head);
}

const COLUMN_HEADERS = /^(column|column name|name|field)$/i;
const TYPE_HEADERS = /^(type|data type|sql type)$/i;

function columnTableIndexes(t: PipeTable): { name: number; type: number; description: number } | null {
  const header = t.header.map((h) => h.replace(/[*`]/g, '').trim());
  const name = header.findIndex((h) => COLUMN_HEADERS.test(h));
  const type = header.findIndex((h) => TYPE_HEADERS.test(h));
  if (name < 0 || type < 0) return null;
  return { name, type, description: header.findIndex((h) => /^(description|notes?|purpose)$/i.test(h)) };
}

const STATUS_IN_DESCRIPTION =
  /\b(?:current\s+)?(?:status(?:es)?|states?|one of|values?|allowed)\s*:\s*(.+)$/i;

export interface ParseDocOptions {
  /** Skip SQL validation (no libpg-query): for callers that only need the structure. */
  skipSql?: boolean;
}

/** Parses a canonical schema document. Never throws on bad content: problems are in `model.problems`. */
export async function parseDoc(text: string, file: string, options: ParseDocOptions = {}): Promise<DocModel> {
  const eol: DocModel['eol'] = text.includes('\r\n') ? '\r\n' : '\n';
  const { text: repaired, repairs } = repairEncoding(text);
  const doc = scanMarkdown(repaired);
  const problems: DocProblem[] = repairs.map((r) => ({
    rule: 'doc-encoding',
    message:
      `mis-decoded text '${r.found}' (UTF-8 that was read as ${r.encoding === 'macintosh' ? 'Mac Roman' : 'Windows-1252'}) ` +
      `should be '${r.repaired}'${r.guessed ? ' (bytes were lost; this is the most likely character)' : ''}; ` +
      'run `dbcanon doc fmt --fix-encoding` to repair the file',
    line: r.line,
    column: r.column,
  }));
  const at = (line: number, column: number) => ({ line, column: originalColumn(repairs, line, column) });

  const title = doc.headings.find((h) => h.level === 1) ?? null;
  const others = doc.headings.filter((h) => h !== title);
  const sectionLevel = others.length > 0 ? Math.min(...others.map((h) => h.level)) : 2;
  const sectionHeadings = others.filter((h) => h.level === sectionLevel);
  const sections: DocSectionInfo[] = sectionHeadings.map((h) => ({
    key: sectionKey(h.text),
    heading: h.text,
    line: h.line,
  }));
  const sectionOf = (line: number): DocSectionInfo | null => {
    let found: DocSectionInfo | null = null;
    for (const s of sections) {
      if (s.line > line) break;
      found = s;
    }
    return found;
  };
  const indexOf = new Map(doc.headings.map((h, i) => [h, i]));
  const endOf = (h: Heading): number => {
    for (let i = (indexOf.get(h) ?? 0) + 1; i < doc.headings.length; i++) {
      const o = doc.headings[i] as Heading;
      if (o.level <= h.level) return o.line;
    }
    return doc.lines.length + 1;
  };
  const bodyEnd = (h: Heading): number =>
    doc.headings[(indexOf.get(h) ?? 0) + 1]?.line ?? doc.lines.length + 1;

  for (const f of doc.fences.filter((x) => x.close === null)) {
    problems.push({
      rule: 'doc-syntax',
      message:
        'this code block is never closed, so everything after it reads as code and its tables are not seen; ' +
        'close it with a line of ```',
      ...at(f.open, f.indent + 1),
    });
  }
  const sqlInfo = options.skipSql ? new Map<Fence, SqlBlockInfo>() : await checkSqlBlocks(doc, problems, at);

  const tables: DocTable[] = [];
  /** A group heading's own "Used by", read once for all the entries under it. */
  const groupUsers = new Map<Heading, DocUsedBy[]>();
  let coveredUntil = 0;
  for (const h of others) {
    if (h.line < coveredUntil) continue;
    const section = sectionOf(h.line);
    const key = section?.key ?? 'other';
    if (NOT_TABLE_SECTIONS.has(key)) continue;
    const names = headingTableNames(h.text);
    if (!names) continue;
    const end = h.level > sectionLevel ? endOf(h) : bodyEnd(h);
    const entry = readEntry(doc, h, end, sqlInfo);
    const listed = key === 'production-tables' || key === 'deprecated';
    if (!entry.marked && !(listed && h.level > sectionLevel)) continue;
    const made = entry.tables(names, key);
    // A group heading's "Used by" (`## Video Shop` … **Used by:** …, then `### shop_videos`) is its entries'.
    const group = [...doc.headings].reverse().find((g) => g.line < h.line && g.level < h.level);
    if (group && made.some((t) => t.usedBy.length === 0)) {
      let groupUsedBy = groupUsers.get(group);
      if (!groupUsedBy) {
        groupUsedBy = readEntry(doc, group, bodyEnd(group), sqlInfo).usedBy;
        groupUsers.set(group, groupUsedBy);
      }
      for (const t of made) if (t.usedBy.length === 0) t.usedBy = groupUsedBy.map((u) => ({ ...u }));
    }
    tables.push(...made);
    coveredUntil = end;
  }

  for (const t of tables) {
    if (t.section === 'deprecated' && !t.deprecation) {
      t.section = 'production';
      problems.push({
        rule: 'doc-misplaced-table',
        message:
          `table '${t.name}' sits under the deprecated heading but is not marked deprecated (no deprecation ` +
          'status, reason or replacement), so readers may think a production table is deprecated; move its ' +
          'entry to the production tables section, or mark it deprecated with a **Status:** and **Reason:** line',
        ...at(t.line, 1),
        table: t.name,
      });
    }
  }
  const seen = new Map<string, DocTable>();
  for (const t of tables) {
    const first = seen.get(t.name);
    if (first && first.line !== t.line) {
      problems.push({
        rule: 'doc-duplicate-table',
        message:
          `table '${t.name}' is documented twice (first at line ${first.line}), so the two entries can ` +
          'disagree; merge them into one entry',
        ...at(t.line, 1),
        table: t.name,
      });
    } else if (!first) {
      seen.set(t.name, t);
    }
  }

  const changelog = readChangelog(doc, sections);
  const endpoints = documentEndpoints(doc, sections, sectionLevel);
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    file,
    title: title?.text ?? null,
    sections,
    tables,
    changelog,
    endpoints,
    mojibake: repairs,
    problems,
    eol,
  };
}

type At = (line: number, column: number) => { line: number; column: number };

interface Entry {
  /** True when the body carries an entry's marks. */
  marked: boolean;
  /** Its "Used by" list (also what a group heading gives the entries under it). */
  usedBy: DocUsedBy[];
  tables(names: string[], sectionKey: string): DocTable[];
}

interface SqlBlockPart {
  table: string | null;
  sql: string;
  line: number;
}

function readEntry(doc: ScannedDoc, h: Heading, end: number, sqlInfo: Map<Fence, SqlBlockInfo>): Entry {
  let marked = false;
  let purpose: string | null = null;
  const usedBy: DocUsedBy[] = [];
  const endpoints: DocEndpoint[] = [];
  const events: DocEvent[] = [];
  const statusValues: DocStatusValues[] = [];
  /** The table whose CREATE TABLE holds each `-- Values:` comment. */
  const valuesTable = new Map<DocStatusValues, string | null>();
  let statusLine: { text: string; line: number } | null = null;
  let reasonLine: { text: string; line: number } | null = null;

  for (let n = h.line + 1; n < end; n++) {
    if (doc.fenceAt[n - 1]) continue;
    const line = doc.lines[n - 1] as string;
    const l = label(line);
    if (!l) continue;
    switch (l.label) {
      case 'purpose':
      case 'description':
        marked = true;
        purpose = l.rest || nextParagraphLine(doc, n, end);
        break;
      case 'used by':
      case 'used in':
      case 'consumers': {
        marked = true;
        const inline = l.rest === '' ? [] : splitInlineUsers(l.rest);
        for (const u of inline) {
          const e = usedByEntry(u, n);
          if (e) usedBy.push(e);
        }
        for (const item of listAfter(doc, n, end)) {
          const e = usedByEntry(item.text, item.line);
          if (e) usedBy.push(e);
        }
        break;
      }
      case 'schema':
        marked = true;
        break;
      case 'api endpoints':
      case 'endpoints':
      case 'api':
        for (const item of listAfter(doc, n, end)) {
          const e = endpointEntry(item.text, item.line);
          if (e) endpoints.push(e);
        }
        break;
      case 'oasis events':
      case 'events':
      case 'emits':
        for (const item of listAfter(doc, n, end)) {
          const e = eventEntry(item.text, item.line);
          if (e) events.push(e);
        }
        break;
      case 'status':
        statusLine = { text: l.rest, line: n };
        if (DEPRECATED_WORDS.test(l.rest)) marked = true;
        break;
      case 'reason':
      case 'deprecated':
      case 'deprecation':
        reasonLine = { text: l.rest, line: n };
        marked = true;
        break;
      default: {
        const values = /^(?:`?([A-Za-z_]\w*)`?\s+)?(?:status\s+)?values?$/i.exec(l.label);
        if (values) {
          marked = true;
          const column = values[1] ? values[1].toLowerCase() : 'status';
          const list = listAfter(doc, n, end);
          const found = l.rest ? splitValueList(l.rest) : list.flatMap((i) => statusListValues(i.text));
          if (found.length > 0) {
            statusValues.push({ column, values: found, origin: 'status-list', line: n });
          }
        }
      }
    }
  }

  // Column tables (`| Column | Type | Description |`).

  let columnTable: DocSchema | null = null;
  for (const t of pipeTables(doc, h.line + 1, end)) {
    const idx = columnTableIndexes(t);
    if (!idx || columnTable) continue;
    marked = true;
    const rows = t.rows
      .map((r) => ({
        name: (r.cells[idx.name] ?? '').replace(/[`*]/g, '').trim(),
        type: (r.cells[idx.type] ?? '').replace(/[`*]/g, '').trim(),
        description: idx.description >= 0 ? (r.cells[idx.description] ?? '').trim() : '',
        line: r.line,
      }))
      .filter((r) => r.name !== '');
    columnTable = {
      kind: 'column-table',
      line: t.headerLine,
      rows: rows.map(({ name, type, description, line }) => ({
        name,
        type,
        description: description || null,
        line,
      })),
      columns: rows.map((r) => ({
        name: r.name,
        type: normalizeType(r.type),
        nullable: !/\bprimary key\b|\bnot null\b|\brequired\b/i.test(r.description),
        default: null,
        identity: null,
        generated: null,
        comment: null,
      })),
    };
    for (const r of rows) {
      const m = STATUS_IN_DESCRIPTION.exec(r.description);
      if (!m) continue;
      const values = splitValueList(m[1] as string);
      if (values.length > 1) {
        statusValues.push({ column: r.name, values, origin: 'column-table', line: r.line });
      }
    }
  }

  // SQL blocks.
  const parts: SqlBlockPart[] = [];
  for (const fence of doc.fences) {
    if (fence.open <= h.line || fence.open >= end) continue;
    if (!isSqlFence(fence)) continue;
    const body = fence.content.join('\n');
    if (/\bcreate\s+table\b/i.test(body)) marked = true;
    const info = sqlInfo.get(fence);
    if (!info || info.error) {
      parts.push({ table: null, sql: body, line: fence.contentLine });
      continue;
    }
    const posOf = (offset: number) => offsetPosition(fence, body, offset);
    for (const v of info.values) {
      if (v.column === null || v.values.length === 0) continue;
      const entry: DocStatusValues = {
        column: v.column,
        values: v.values,
        origin: 'sql-comment',
        line: posOf(v.offset).line,
      };
      statusValues.push(entry);
      valuesTable.set(entry, v.table);
    }
    if (info.tables.length <= 1) {
      parts.push({ table: info.tables[0]?.name ?? null, sql: body, line: fence.contentLine });
      continue;
    }
    info.tables.forEach((t, i) => {
      const from = i === 0 ? 0 : t.offset;
      const to = info.tables[i + 1]?.offset ?? body.length;
      const sql = body.slice(from, to).replace(/\s+$/, '');
      const lead = sql.length - sql.trimStart().length;
      parts.push({ table: t.name, sql: sql.trimStart(), line: posOf(from + lead).line });
    });
  }

  statusValues.sort((a, b) => a.line - b.line);
  // The replacement ("Use `vtid_ledger` instead") is looked for only in entries that are deprecated.
  const replacementOf = (): string | null => {
    for (let n = h.line + 1; n < end; n++) {
      if (doc.fenceAt[n - 1]) continue;
      const r = replacementIn(doc.lines[n - 1] as string);
      if (r) return r;
    }
    return null;
  };
  const deprecationFor = (): DocDeprecation | null => {
    const statusSaysDeprecated = statusLine !== null && DEPRECATED_WORDS.test(statusLine.text);
    if (!statusSaysDeprecated && reasonLine === null) return null;
    return {
      reason: reasonLine?.text || (statusLine?.text ?? null),
      replacement: replacementOf(),
      line: (statusSaysDeprecated ? statusLine?.line : reasonLine?.line) ?? h.line,
    };
  };

  return {
    marked,
    usedBy,
    tables(names, key) {
      const sqlNames = parts.map((p) => p.table).filter((t): t is string => t !== null);
      const all = [...names];
      // A heading may qualify the name its CREATE TABLE leaves to the search path (`### basejump.accounts`).
      const bare = (n: string) => n.slice(n.lastIndexOf('.') + 1).toLowerCase();
      for (const s of sqlNames) {
        if (!all.some((n) => n.toLowerCase() === s.toLowerCase() || bare(n) === bare(s))) all.push(s);
      }
      const deprecation = deprecationFor();
      // Outside the deprecated section only an explicit deprecation status counts; a stray "Reason:" does not.
      const deprecated =
        key === 'deprecated'
          ? deprecation
          : deprecation && statusLine && DEPRECATED_WORDS.test(statusLine.text)
            ? deprecation
            : null;
      const section: DocSection =
        key === 'deprecated' ? 'deprecated' : key === 'production-tables' ? 'production' : 'other';
      return all.map((name) => {
        const own =
          parts.find((p) => p.table === name) ??
          parts.find((p) => p.table?.toLowerCase() === name.toLowerCase()) ??
          parts.find((p) => p.table !== null && bare(p.table) === bare(name)) ??
          (all.length === 1 ? (parts.find((p) => p.table !== null) ?? parts[0]) : undefined) ??
          (parts.length === 1 && parts[0]?.table === null ? parts[0] : undefined);
        const schema: DocSchema | null = own
          ? { kind: 'sql', sql: own.sql, line: own.line }
          : all.length === 1 || name === names[0]
            ? columnTable
            : null;
        const ownValues =
          all.length === 1
            ? statusValues
            : statusValues.filter((v) => v.origin !== 'sql-comment' || valuesTable.get(v) === name);
        return {
          name,
          heading: h.text,
          line: h.line,
          section,
          purpose,
          usedBy: usedBy.map((u) => ({ ...u })),
          schema,
          endpoints: endpoints.map((e) => ({ ...e })),
          statusValues: ownValues.map((v) => ({ ...v, values: [...v.values] })),
          events: events.map((e) => ({ ...e })),
          deprecation: deprecated ? { ...deprecated } : null,
        };
      });
    },
  };
}

function nextParagraphLine(doc: ScannedDoc, after: number, end: number): string | null {
  for (let n = after + 1; n < end; n++) {
    const t = (doc.lines[n - 1] as string).trim();
    if (t === '') continue;
    if (doc.fenceAt[n - 1] || label(t) || listItem(t, n)) return null;
    return t;
  }
  return null;
}

/** `` `a.ts` (x), `b.ts` `` → two entries; a single free-text user stays one. */
function splitInlineUsers(rest: string): string[] {
  const spans = [...rest.matchAll(/`[^`]+`(?:\s*\([^)]*\))?/g)].map((m) => m[0]);
  if (
    spans.length > 1 &&
    rest.replace(/`[^`]+`(?:\s*\([^)]*\))?/g, '').replace(/[,;\s]|\band\b/g, '') === ''
  ) {
    return spans;
  }
  return [rest];
}

function readChangelog(doc: ScannedDoc, sections: DocSectionInfo[]) {
  const entries: DocChangelogEntry[] = [];
  for (const s of sections.filter((x) => x.key === 'change-log')) {
    const next = sections.find((x) => x.line > s.line)?.line ?? doc.lines.length + 1;
    for (const t of pipeTables(doc, s.line + 1, next)) {
      const header = t.header.map((c) => c.replace(/[*`]/g, '').trim().toLowerCase());
      const date = header.indexOf('date');
      const change = header.findIndex((c) => /^(change|changes|description|summary)$/.test(c));
      if (date < 0 || change < 0) continue;
      const author = header.findIndex((c) => /^(author|by|who)$/.test(c));
      const vtid = header.findIndex((c) => /^(vtid|ticket|issue|ref)$/.test(c));
      for (const r of t.rows) {
        const e: DocChangelogEntry = {
          date: r.cells[date] ?? '',
          change: r.cells[change] ?? '',
          author: author >= 0 ? r.cells[author] || null : null,
          vtid: vtid >= 0 ? r.cells[vtid] || null : null,
          line: r.line,
        };
        // Dates, order and empty rows are the doc-changelog rule's to judge, once, over the whole log.
        entries.push(e);
      }
    }
  }
  return entries;
}

/**
 * Endpoints documented in a section of their own (`## API Endpoints` with `### POST /vtid/create` headings, or
 * headings whose body shows the request in an `http` block), rather than inside a table entry.
 */
function documentEndpoints(doc: ScannedDoc, sections: DocSectionInfo[], sectionLevel: number): DocEndpoint[] {
  const out: DocEndpoint[] = [];
  for (const s of sections.filter((x) => x.key === 'api-endpoints')) {
    const next = sections.find((x) => x.line > s.line)?.line ?? doc.lines.length + 1;
    for (const h of doc.headings.filter((x) => x.line > s.line && x.line < next && x.level > sectionLevel)) {
      const end = doc.headings.find((o) => o.line > h.line)?.line ?? next;
      const direct = HTTP_METHODS.exec(h.text.replace(/`/g, ''));
      if (direct) {
        const description = nextParagraphLine(doc, h.line, end);
        out.push({
          method: direct[1] as string,
          path: direct[2] as string,
          description: description ? description.replace(/^\*\*(.*)\*\*$/, '$1') : null,
          line: h.line,
        });
        continue;
      }
      const fence = doc.fences.find((f) => f.open > h.line && f.open < end && f.lang === 'http');
      const first = fence?.content.find((l) => l.trim() !== '');
      const m = first ? HTTP_METHODS.exec(first.trim()) : null;
      if (fence && m) {
        out.push({ method: m[1] as string, path: m[2] as string, description: h.text, line: h.line });
      }
    }
  }
  return out;
}
