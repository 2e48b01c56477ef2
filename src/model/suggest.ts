/**
 * "Did you mean …?" for a name that is not there: the closest existing name, only when it is close for its
 * length. A suggestion that is wrong costs the reader more than none: `user_intents` is not a misspelling of
 * `user_consents` (3 edits in 12 characters), while `vtid_ledgr` is one of `vtid_ledger`.
 */

/** Edits allowed for a name of this length: 1 up to 8 characters, 2 up to 16, 3 beyond. */
export function allowedEdits(length: number): number {
  return length <= 8 ? 1 : length <= 16 ? 2 : 3;
}

/**
 * Levenshtein distance, giving up (returning `limit + 1`) as soon as every entry of a row exceeds `limit`, so
 * that comparing one name with hundreds of far ones stays cheap.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate within the allowed edits (case ignored); ties go to the first. */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  const limit = allowedEdits(name.length);
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    const lower = c.toLowerCase();
    if (lower === wanted) continue;
    const d = editDistance(wanted, lower, bestD - 1);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
