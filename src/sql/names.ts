/**
 * The names Postgres generates for unnamed constraints, indexes and serial sequences (makeObjectName and
 * ChooseRelationName in src/backend/commands/indexcmds.c), so that a replayed model names them exactly as the
 * catalog will: `<table>_pkey`, `<table>_<cols>_key`, `<table>_<cols>_fkey`, `<table>_<col>_check`,
 * `<table>_<cols>_idx`, `<table>_<col>_seq`, truncated to fit 63 bytes and numbered on collision.
 */

const NAMEDATALEN = 64;

/** `name1_name2_label`, shortening the longer of name1/name2 first until it fits in NAMEDATALEN - 1 bytes. */
export function makeObjectName(name1: string, name2: string | null, label: string | null): string {
  let overhead = 0;
  let name1chars = name1.length;
  let name2chars = 0;
  if (name2 !== null) {
    name2chars = name2.length;
    overhead++;
  }
  if (label !== null) overhead += label.length + 1;
  const avail = NAMEDATALEN - 1 - overhead;
  while (name1chars + name2chars > avail) {
    if (name1chars > name2chars) name1chars--;
    else name2chars--;
  }
  let name = name1.slice(0, name1chars);
  if (name2 !== null) name += `_${name2.slice(0, name2chars)}`;
  if (label !== null) name += `_${label}`;
  return name;
}

/** Column names joined by `_`, stopping once the text is as long as a name can be (ChooseIndexNameAddition). */
export function nameAddition(columns: string[]): string {
  let buf = '';
  for (const c of columns) {
    if (buf.length > 0) buf += '_';
    buf += c.slice(0, NAMEDATALEN - 1);
    if (buf.length >= NAMEDATALEN) break;
  }
  return buf;
}

/** The first of `label`, `label1`, `label2`, … whose name is not taken. */
export function chooseName(
  name1: string,
  name2: string | null,
  label: string,
  taken: (name: string) => boolean,
): string {
  for (let pass = 0; ; pass++) {
    const name = makeObjectName(name1, name2, pass === 0 ? label : `${label}${pass}`);
    if (!taken(name)) return name;
  }
}
