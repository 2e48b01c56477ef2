/**
 * Interval literals in the one spelling Postgres prints them (IntervalStyle `postgres`), so that a default of
 * `interval '24 hours'` in a migration and the `'24:00:00'::interval` the database reports compare equal. Only
 * the common input forms are read (`N unit` pairs, `[-]H:MM[:SS[.f]]`, `@` and `ago`, with fractions of days and
 * smaller units); anything else gives null and is compared as written.
 */

const USECS_PER_SECOND = 1_000_000;
const USECS_PER_DAY = 86_400 * USECS_PER_SECOND;

type Unit = { months: number } | { days: number } | { usecs: number };

/** Unit words as the interval input routine knows them, by what one of them adds. */
const UNITS: Record<string, Unit> = {};
const unit = (names: string[], value: Unit) => {
  for (const n of names) UNITS[n] = value;
};
unit(['microsecond', 'microseconds', 'usec', 'usecs', 'us'], { usecs: 1 });
unit(['millisecond', 'milliseconds', 'msec', 'msecs', 'ms'], { usecs: 1_000 });
unit(['second', 'seconds', 'sec', 'secs', 's'], { usecs: USECS_PER_SECOND });
unit(['minute', 'minutes', 'min', 'mins', 'm'], { usecs: 60 * USECS_PER_SECOND });
unit(['hour', 'hours', 'hr', 'hrs', 'h'], { usecs: 3_600 * USECS_PER_SECOND });
unit(['day', 'days', 'd'], { days: 1 });
unit(['week', 'weeks', 'w'], { days: 7 });
unit(['month', 'months', 'mon', 'mons'], { months: 1 });
unit(['year', 'years', 'yr', 'yrs', 'y'], { months: 12 });
unit(['decade', 'decades'], { months: 120 });
unit(['century', 'centuries'], { months: 1_200 });
unit(['millennium', 'millennia', 'millenniums'], { months: 12_000 });

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** rint(): to the nearest integer, a tie to the even one, as Postgres rounds interval fractions. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
const TIME = /^([+-]?)(\d+):(\d{1,2}(?:\.\d*)?)(?::(\d{1,2}(?:\.\d*)?))?$/;

interface Interval {
  months: number;
  days: number;
  usecs: number;
}

/**
 * How a type's fields change the reading of a literal of that type: a number without a unit counts the lowest
 * field (`'5'::interval hour` is 5 hours; seconds in a plain interval), and `a:b` is minutes:seconds to a
 * `minute to second` type (hours:minutes otherwise).
 */
interface Reading {
  lowest: string;
  minuteToSecond: boolean;
}

/** Reads the input forms named above; null for anything else. */
function parseInterval(text: string, reading: Reading): Interval | null {
  const words = text
    .trim()
    .toLowerCase()
    .replace(/^@\s*/, '')
    // `1day`, `10min`: a number glued to its unit.
    .replace(/(\d)([a-z])/g, '$1 $2')
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return null;
  let ago = false;
  if (words[words.length - 1] === 'ago') {
    ago = true;
    words.pop();
  }
  const out: Interval = { months: 0, days: 0, usecs: 0 };
  let dayFraction = false;
  let sawTime = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const time = TIME.exec(word);
    if (time) {
      if (sawTime) return null;
      sawTime = true;
      const sign = time[1] === '-' ? -1 : 1;
      // h:m[:s], or m:s to a `minute to second` type.
      const minutesSeconds = time[4] === undefined && reading.minuteToSecond;
      const [h, m, sec] = minutesSeconds ? ['0', time[2], time[3]] : [time[2], time[3], time[4] ?? '0'];
      if (m?.includes('.')) return null;
      const [whole, fraction] = (sec ?? '0').split('.');
      const usecs =
        Number(h) * 3_600 * USECS_PER_SECOND +
        Number(m) * 60 * USECS_PER_SECOND +
        Number(whole) * USECS_PER_SECOND +
        rint(Number(`0.${fraction ?? ''}`) * USECS_PER_SECOND);
      out.usecs += sign * usecs;
      continue;
    }
    if (!NUMBER.test(word)) return null;
    const next = words[i + 1];
    // A number without a unit at the end counts the type's lowest field.
    const u = next === undefined ? UNITS[reading.lowest] : UNITS[next];
    if (!u) return null;
    if (next !== undefined) i++;
    // As DecodeInterval reads a number: its whole part, and its fraction as a double spread over smaller units.
    const negative = word.startsWith('-');
    const [wholeText = '', fractionText] = word.replace(/^[+-]/, '').split('.');
    const val = (negative ? -1 : 1) * Number(wholeText || '0');
    const fval = fractionText ? (negative ? -1 : 1) * Number(`0.${fractionText}`) : 0;
    /** AdjustFractMicroseconds: `frac` of `scale` microseconds, the last fraction of one rounded by rint(). */
    const fractMicroseconds = (frac: number, scale: number) => {
      const x = frac * scale;
      const whole = Math.trunc(x);
      out.usecs += whole + rint(x - whole);
    };
    if ('usecs' in u) {
      out.usecs += val * u.usecs;
      fractMicroseconds(fval, u.usecs);
    } else if ('days' in u) {
      out.days += val * u.days;
      // AdjustFractDays: a fraction of a week goes to whole days first, the rest to microseconds.
      if (fval !== 0) dayFraction = true;
      const extra = fval * u.days;
      out.days += Math.trunc(extra);
      fractMicroseconds(extra - Math.trunc(extra), USECS_PER_DAY);
    } else {
      // A fraction of a month or year is spread over days by rules not worth mirroring here.
      if (fval !== 0) return null;
      out.months += val * u.months;
    }
  }
  // A time field replaces what a fraction of a day or week put into the time: not followed here.
  if (sawTime && dayFraction) return null;
  if (ago) {
    out.months = -out.months;
    out.days = -out.days;
    out.usecs = -out.usecs;
  }
  return out;
}

/** EncodeInterval's `postgres` style. */
function formatInterval({ months, days, usecs }: Interval): string {
  const parts: string[] = [];
  let isBefore = false;
  const add = (value: number, name: string) => {
    if (value === 0) return;
    parts.push(`${isBefore && value > 0 ? '+' : ''}${value} ${name}${value !== 1 ? 's' : ''}`);
    isBefore = value < 0;
  };
  add(Math.trunc(months / 12), 'year');
  add(months % 12, 'mon');
  add(days, 'day');
  if (parts.length === 0 || usecs !== 0) {
    const abs = Math.abs(usecs);
    const hours = Math.trunc(abs / (3_600 * USECS_PER_SECOND));
    const minutes = Math.trunc(abs / (60 * USECS_PER_SECOND)) % 60;
    const seconds = Math.trunc(abs / USECS_PER_SECOND) % 60;
    const fraction = abs % USECS_PER_SECOND;
    const pad = (n: number) => String(n).padStart(2, '0');
    const frac = fraction === 0 ? '' : `.${String(fraction).padStart(6, '0').replace(/0+$/, '')}`;
    const sign = usecs < 0 ? '-' : isBefore ? '+' : '';
    parts.push(`${sign}${pad(hours)}:${pad(minutes)}:${pad(seconds)}${frac}`);
  }
  return parts.join(' ');
}

const USECS_PER_HOUR = 3_600 * USECS_PER_SECOND;
const USECS_PER_MINUTE = 60 * USECS_PER_SECOND;

/**
 * What an interval type's modifiers do to a value (AdjustIntervalForTypmod): fields drop what lies below the
 * lowest one named (`interval day` keeps no time, `hour to minute` no seconds; `year` keeps whole years), and a
 * precision rounds the seconds' fraction.
 */
function adjustForType(value: Interval, { lowest, precision }: IntervalType): Interval {
  let { months, days, usecs } = value;
  const truncate = (unit: number) => Math.trunc(usecs / unit) * unit;
  if (lowest === 'year') {
    months = Math.trunc(months / 12) * 12;
    days = 0;
    usecs = 0;
  } else if (lowest === 'month') {
    days = 0;
    usecs = 0;
  } else if (lowest === 'day') usecs = 0;
  else if (lowest === 'hour') usecs = truncate(USECS_PER_HOUR);
  else if (lowest === 'minute') usecs = truncate(USECS_PER_MINUTE);
  if (precision !== null) {
    // Half away from zero, as AdjustIntervalForTypmod adds half a unit before it divides.
    const unit = 10 ** (6 - Math.min(6, precision));
    usecs = Math.sign(usecs) * Math.floor((Math.abs(usecs) + unit / 2) / unit) * unit;
  }
  return { months, days, usecs };
}

/**
 * `text` as Postgres prints the interval it means, or null when it is not in a form read here. With `type` (an
 * interval type in format_type() spelling, `interval hour to minute`, `interval(0)`), as a value of that type.
 */
export function canonicalInterval(text: string, type = 'interval'): string | null {
  const parts = intervalType(type);
  if (!parts) return null;
  const parsed = parseInterval(text, {
    lowest: parts.lowest ?? 'second',
    minuteToSecond: parts.highest === 'minute' && parts.lowest === 'second',
  });
  return parsed ? formatInterval(adjustForType(parsed, parts)) : null;
}

/** An interval type's fields (`day to second`: highest day, lowest second) and precision; null if not one. */
interface IntervalType {
  highest: string | null;
  lowest: string | null;
  precision: number | null;
}

function intervalType(type: string): IntervalType | null {
  const m =
    /^interval(?: (year|month|day|hour|minute|second)(?: to (month|hour|minute|second))?)?(?:\((\d+)\))?$/.exec(
      type,
    );
  if (!m) return null;
  return {
    highest: m[1] ?? null,
    lowest: m[2] ?? m[1] ?? null,
    precision: m[3] === undefined ? null : Number(m[3]),
  };
}
