// How Go's time.Parse reads the two layouts the API's time types decode with, and the error it
// returns: metav1.Time parses RFC3339 (fractional seconds allowed though the layout has none),
// metav1.MicroTime parses RFC3339Micro, which needs exactly six fractional digits — so a JavaScript
// `toISOString()` (three digits) is a 400 on a Lease's renewTime or an Event's eventTime.

import { goQuote } from './go-format.ts';

/** The layouts by the Go type that decodes with them. */
export const TIME_LAYOUTS = {
  Time: '2006-01-02T15:04:05Z07:00',
  MicroTime: '2006-01-02T15:04:05.000000Z07:00',
} as const;

/** A Go time type of the API (`v1.Time`, `v1.MicroTime`). */
export type GoTimeType = keyof typeof TIME_LAYOUTS;

// The layouts as Go's parser walks them: a literal to skip, or a standard element.
type Element = { readonly literal: string } | { readonly std: '2006' | '01' | '02' | '15' | '04' | '05' | '.000000' | 'Z07:00' };

const DATE_AND_CLOCK: readonly Element[] = [
  { std: '2006' }, { literal: '-' }, { std: '01' }, { literal: '-' }, { std: '02' }, { literal: 'T' },
  { std: '15' }, { literal: ':' }, { std: '04' }, { literal: ':' }, { std: '05' },
];
const ELEMENTS: Readonly<Record<GoTimeType, readonly Element[]>> = {
  Time: [...DATE_AND_CLOCK, { std: 'Z07:00' }],
  MicroTime: [...DATE_AND_CLOCK, { std: '.000000' }, { std: 'Z07:00' }],
};

const isDigit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

// Go's getnum: one or two leading digits (exactly two when fixed).
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// One element read from the front of `value`: what is left, a range error, or a parse failure (undefined).
type Step = { readonly rest: string; readonly range?: string } | undefined;

function readStd(std: string, value: string, next: Element | undefined, date: { year: number; month: number; day: number }): Step {
  switch (std) {
    case '2006': {
      if (value.length < 4 || !/^\d{4}/.test(value)) return undefined;
      date.year = Number(value.slice(0, 4));
      return { rest: value.slice(4) };
    }
    case '01': {
      const n = getnum(value, true);
      if (n === undefined) return undefined;
      date.month = n[0];
      return n[0] < 1 || n[0] > 12 ? { rest: n[1], range: 'month' } : { rest: n[1] };
    }
    case '02': {
      const n = getnum(value, true);
      if (n === undefined) return undefined;
      date.day = n[0];
      return { rest: n[1] };
    }
    case '15':
    case '04': {
      const n = getnum(value, std === '04');
      if (n === undefined) return undefined;
      const limit = std === '15' ? 24 : 60;
      return n[0] >= limit ? { rest: n[1], range: std === '15' ? 'hour' : 'minute' } : { rest: n[1] };
    }
    case '05': {
      const n = getnum(value, true);
      if (n === undefined) return undefined;
      if (n[0] >= 60) return { rest: n[1], range: 'second' };
      // Fractional seconds the layout does not name are read anyway, unless the layout names them next.
      let rest = n[1];
      if (/^[.,]\d/.test(rest) && !(next !== undefined && 'std' in next && next.std === '.000000')) {
        let end = 2;
        while (isDigit(rest, end)) end++;
        rest = rest.slice(end);
      }
      return { rest };
    }
    case '.000000': {
      if (value.length < 7 || !/^[.,][+-]?\d+$/.test(value.slice(0, 7))) return undefined;
      return /^[.,]-/.test(value) ? { rest: value.slice(7), range: 'fractional second' } : { rest: value.slice(7) };
    }
    default: {
      // Z07:00: a Z, or a sign and hh:mm.
      if (value.startsWith('Z')) return { rest: value.slice(1) };
      if (value.length < 6 || value[3] !== ':') return undefined;
      const hours = getnum(value.slice(1, 3), true);
      const minutes = getnum(value.slice(4, 6), true);
      if (hours === undefined || minutes === undefined || (value[0] !== '+' && value[0] !== '-')) return undefined;
      if (hours[0] > 24) return { rest: value.slice(6), range: 'time zone offset hour' };
      return minutes[0] > 60 ? { rest: value.slice(6), range: 'time zone offset minute' } : { rest: value.slice(6) };
    }
  }
}

/**
 * The error `time.Parse` returns for `value` in the layout of `type` (`parsing time "…" as "…":
 * cannot parse "…" as "…"`, or `…: month out of range`), or undefined when it parses. Quoting follows
 * strconv.Quote, which differs from Go's time quoting only for control and non-ASCII characters.
 */
export function goTimeParseError(type: GoTimeType, value: string): string | undefined {
  const layout = TIME_LAYOUTS[type];
  const cannotParse = (valueElem: string, layoutElem: string): string =>
    `parsing time ${goQuote(value)} as ${goQuote(layout)}: cannot parse ${goQuote(valueElem)} as ${goQuote(layoutElem)}`;
  const elements = ELEMENTS[type];
  const date = { year: 0, month: 0, day: 0 };
  let rest = value;
  for (const [i, element] of elements.entries()) {
    if ('literal' in element) {
      if (!rest.startsWith(element.literal)) return cannotParse(rest, element.literal);
      rest = rest.slice(element.literal.length);
      continue;
    }
    const step = readStd(element.std, rest, elements[i + 1], date);
    if (step === undefined) return cannotParse(rest, element.std);
    if (step.range !== undefined) return `parsing time ${goQuote(value)}: ${step.range} out of range`;
    rest = step.rest;
  }
  if (rest !== '') return `parsing time ${goQuote(value)}: extra text: ${goQuote(rest)}`;
  if (date.day < 1 || date.day > daysIn(date.month, date.year)) return `parsing time ${goQuote(value)}: day out of range`;
  return undefined;
}
