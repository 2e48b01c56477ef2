/** `1 file`, `3 files`: a count with its noun, for messages and reports. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
