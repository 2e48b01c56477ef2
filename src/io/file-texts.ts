/**
 * Texts of files, each read once per FileTexts. One `dbcanon check` reads the migrations up to three times: the
 * code scanner (for the functions they define), the static replay, and with --db the comparison of checksums
 * with the applied ones. The engine gives them one FileTexts per check, so they share one read, and one
 * snapshot, of each file. A fresh FileTexts (or none) reads afresh: nothing outlives the run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export class FileTexts {
  private readonly texts = new Map<string, string>();

  /** The text of `file` (decoded as UTF-8), read on first request. Throws what readFileSync throws. */
  read(file: string): string {
    const key = path.resolve(file);
    let text = this.texts.get(key);
    if (text === undefined) {
      text = readFileSync(key, 'utf8');
      this.texts.set(key, text);
    }
    return text;
  }
}

/** `texts.read(file)`, or a plain read without a FileTexts. */
export function readText(file: string, texts?: FileTexts): string {
  return texts ? texts.read(file) : readFileSync(file, 'utf8');
}
