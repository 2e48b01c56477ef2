/**
 * Cuts a TypeScript or JavaScript file into runs of whole top-level statements, with a lexer that knows only
 * what moves the depth: brackets, strings, template literals (with `${}` nesting), comments and regular
 * expressions. The scanner uses the cuts to parse only the statements that can hold a reference (see
 * extract.ts), since parsing is most of its time and most of a big file is code that names no table.
 *
 * A cut is placed only where a statement certainly starts: at bracket depth 0, before a declaration keyword
 * (`export`, `import`, `const`, `function`, `class`, …) that begins its line, right after a `;` or a `}` that
 * closed back to depth 0. Anything the lexer is not sure of (an unterminated string, comment or template,
 * brackets that do not balance) gives null, and the whole file is parsed.
 */

export interface Chunk {
  start: number;
  end: number;
}

const STATEMENT_STARTS = new Set([
  'export',
  'import',
  'const',
  'let',
  'var',
  'function',
  'class',
  'interface',
  'type',
  'enum',
  'async',
  'declare',
  'abstract',
  'namespace',
  'module',
]);

/** After these words a `/` starts a regular expression; after other words it divides. */
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

const isIdentStart = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 128;
/** Whether a UTF-16 code unit continues an identifier (NaN, past either end of a text, does not). */
export const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);

/** Top-level chunks covering all of `text`, in order; null when the text does not lex with confidence. */
export function topLevelChunks(text: string): Chunk[] | null {
  const n = text.length;
  const cuts: number[] = [0];
  // Open brackets; '$' marks a template substitution `${`, whose `}` resumes the template.
  const stack: number[] = [];
  // What the last significant token was: a value (a `/` after it divides) or not (a `/` starts a regex).
  let afterValue = false;
  // Whether the last significant token at depth 0 ended a statement (`;`, or `}` back to depth 0).
  let statementEnded = true;
  let lineStart = true;
  // The last token, when it was a word: [wordStart, wordEnd).
  let wordStart = 0;
  let wordEnd = -1;
  // Whether the last token was `.` (the next word is a property name).
  let afterDot = false;
  let i = 0;

  /** Skips a template literal's text from `i` (just past a backtick or a `}`); false if unterminated. */
  const templateText = (): boolean => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === 96) {
        i++;
        afterValue = true;
        return true;
      } else if (c === 36 && text.charCodeAt(i + 1) === 123) {
        stack.push(36);
        i += 2;
        afterValue = false;
        return true;
      } else i++;
    }
    return false;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 47) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? n : nl;
        continue;
      }
      if (next === 42) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0) return null;
        i = close + 2;
        continue;
      }
    }
    const atLineStart = lineStart;
    lineStart = false;
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      if (
        stack.length === 0 &&
        atLineStart &&
        statementEnded &&
        i > 0 &&
        STATEMENT_STARTS.has(text.slice(i, j))
      ) {
        cuts.push(i);
      }
      statementEnded = false;
      // Whether a `/` after the word divides is decided when one comes (rarely): no string per word here. A
      // word after `.` is a property (`o.new / 2`), never a keyword.
      afterValue = true;
      wordStart = i;
      wordEnd = afterDot ? -1 : j;
      afterDot = false;
      i = j;
      continue;
    }
    // The keyword just before this token, if the last token was one that a regular expression may follow.
    const lastWord = wordEnd >= 0 && REGEX_AFTER_WORD.has(text.slice(wordStart, wordEnd)) ? wordEnd : -1;
    wordEnd = -1;
    afterDot = c === 46;
    if (c === 64 && stack.length === 0 && atLineStart && statementEnded && i > 0) {
      // A decorator on its own line starts the declaration it decorates.
      cuts.push(i);
    }
    statementEnded = false;
    if (c >= 48 && c <= 57) {
      i++;
      while (i < n && (isIdentPart(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
      afterValue = true;
      continue;
    }
    switch (c) {
      case 39:
      case 34: {
        let j = i + 1;
        for (;;) {
          if (j >= n) return null;
          const d = text.charCodeAt(j);
          if (d === 92) j += 2;
          else if (d === c) break;
          else if (d === 10) return null;
          else j++;
        }
        i = j + 1;
        afterValue = true;
        continue;
      }
      case 96:
        i++;
        if (!templateText()) return null;
        continue;
      case 40:
      case 91:
      case 123:
        stack.push(c);
        i++;
        afterValue = false;
        continue;
      case 41:
      case 93: {
        if (stack.pop() !== (c === 41 ? 40 : 91)) return null;
        i++;
        afterValue = true;
        continue;
      }
      case 125: {
        const open = stack.pop();
        i++;
        if (open === 36) {
          if (!templateText()) return null;
          continue;
        }
        if (open !== 123) return null;
        afterValue = true;
        statementEnded = stack.length === 0;
        continue;
      }
      case 59:
        i++;
        afterValue = false;
        statementEnded = stack.length === 0;
        continue;
      case 47: {
        if (afterValue && lastWord < 0) {
          i++;
          afterValue = false;
          continue;
        }
        // A regular expression: to its closing `/` (not inside a class `[...]`), then its flags.
        let j = i + 1;
        let inClass = false;
        for (;;) {
          if (j >= n) return null;
          const d = text.charCodeAt(j);
          if (d === 10) return null;
          if (d === 92) j += 2;
          else {
            if (d === 91) inClass = true;
            else if (d === 93) inClass = false;
            else if (d === 47 && !inClass) break;
            j++;
          }
        }
        j++;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        i = j;
        afterValue = true;
        continue;
      }
      default:
        i++;
        // `x++ / 2` and `a! / b` divide; other operators (and `!` after `return`) leave an operand to come.
        afterValue =
          (c === 43 || c === 45) && text.charCodeAt(i - 2) === c
            ? true
            : c === 33
              ? afterValue && lastWord < 0
              : false;
    }
  }
  if (stack.length !== 0) return null;
  const chunks: Chunk[] = [];
  for (let k = 0; k < cuts.length; k++) chunks.push({ start: cuts[k] as number, end: cuts[k + 1] ?? n });
  return chunks;
}
