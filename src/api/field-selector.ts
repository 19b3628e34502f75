// Field selectors (apimachinery's fields.Selector): parse with escapes, match, render, transform.

import { SelectorParseError } from './selector-error.ts';

/**
 * One term of a field selector; `==` is normalised to `=`.
 * @category API Machinery
 */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Rewrites one term (apimachinery's `TransformFunc`); an empty `field` drops the term. */
export type FieldTransform = (field: string, value: string) => { field: string; value: string };

// Checked in this order at each offset, as apimachinery does, so "a!=b" is never "a!" "=" "b".
const TERM_OPERATORS = ['!=', '==', '='] as const;

/**
 * Escapes a value for use in a field selector string: `\`, `,` and `=` get a backslash
 * (apimachinery's `EscapeValue`).
 */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/**
 * Undoes `escapeFieldValue` (apimachinery's `UnescapeValue`). Only `\\`, `\,` and `\=` are
 * escapes; another escape, a trailing lone backslash, or an unescaped `,` or `=` is an error.
 *
 * @returns the value, or an error message.
 */
export function unescapeFieldValue(value: string): { value: string } | { error: string } {
  if (!/[\\,=]/.test(value)) return { value };
  let out = '';
  let escaped = false;
  for (const ch of value) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') return { error: `invalid escape sequence: \\${ch}` };
      out += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',' || ch === '=') {
      return { error: `invalid field selector: unescaped character ${JSON.stringify(ch)}` };
    } else {
      out += ch;
    }
  }
  if (escaped) return { error: 'invalid escape sequence: \\' };
  return { value: out };
}

function requirementToString(req: Readonly<FieldRequirement>): string {
  return `${req.field}${req.operator}${escapeFieldValue(req.value)}`;
}

/**
 * A parsed field selector: the AND of `field=value` / `field!=value` terms.
 *
 * Immutable; requirements are sorted by their rendered text, so `toString()` is canonical.
 * Which fields exist is the server's business (per kind), not the selector's.
 *
 * @example
 * ```ts
 * const sel = parseFieldSelector('status.phase!=Failed,spec.nodeName=n1');
 * sel.requiresExactMatch('spec.nodeName'); // "n1"
 * sel.matches((f) => ({ 'spec.nodeName': 'n1' })[f]); // true: missing status.phase is ""
 * ```
 * @category API Machinery
 */
export class FieldSelector {
  /** The terms, sorted by rendered text; all must hold for a match. */
  readonly requirements: readonly FieldRequirement[];
  #text: string | undefined;

  /** Wraps terms as given (`==` should already be `=`); they are copied, frozen and sorted. */
  constructor(requirements: readonly FieldRequirement[]) {
    const copies = requirements.map((r) => Object.freeze({ field: r.field, operator: r.operator, value: r.value }));
    const keyed = copies.map((r) => ({ r, text: requirementToString(r) }));
    keyed.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    this.requirements = Object.freeze(keyed.map((k) => k.r));
    this.#text = keyed.map((k) => k.text).join(',');
  }

  /** True when there are no terms, so every object matches. */
  get empty(): boolean {
    return this.requirements.length === 0;
  }

  /** True when every term holds; `getField` returning undefined (a missing field) compares as "". */
  matches(getField: (field: string) => string | undefined): boolean {
    for (const req of this.requirements) {
      const actual = getField(req.field) ?? '';
      if ((actual === req.value) !== (req.operator === '=')) return false;
    }
    return true;
  }

  /**
   * The value of the first `field=value` term on `field`, else undefined. The cache uses it
   * to answer a list from a field index instead of a scan.
   */
  requiresExactMatch(field: string): string | undefined {
    for (const req of this.requirements) {
      if (req.field === field && req.operator === '=') return req.value;
    }
    return undefined;
  }

  /**
   * Rewrites every term through `fn` (e.g. to map field labels between versions); terms
   * whose new field is "" are dropped.
   */
  transform(fn: FieldTransform): FieldSelector {
    const out: FieldRequirement[] = [];
    for (const req of this.requirements) {
      const next = fn(req.field, req.value);
      if (next.field !== '') out.push({ field: next.field, operator: req.operator, value: next.value });
    }
    return new FieldSelector(out);
  }

  /** The canonical string: terms sorted, values escaped, joined by ','. */
  toString(): string {
    this.#text ??= this.requirements.map(requirementToString).join(',');
    return this.#text;
  }
}

/**
 * The field selector that matches everything; renders as "".
 * @category API Machinery
 */
export const FIELD_EVERYTHING: FieldSelector = new FieldSelector([]);

/**
 * Returns the field selector that matches everything.
 * @category API Machinery
 */
export function everythingFieldSelector(): FieldSelector {
  return FIELD_EVERYTHING;
}

/** Splits at commas not preceded by an escaping backslash; returns each term with its offset. */
function splitTerms(selector: string): { term: string; pos: number }[] {
  const terms: { term: string; pos: number }[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ',') {
      terms.push({ term: selector.slice(start, i), pos: start });
      start = i + 1;
    }
  }
  terms.push({ term: selector.slice(start), pos: start });
  return terms;
}

/** Finds the first operator, trying `!=`, `==`, `=` at each offset. */
function splitTerm(term: string): { field: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/**
 * Parses a field selector: comma-separated `field=value`, `field==value` or `field!=value`
 * terms (AND); in values `\,`, `\=` and `\\` escape. Whitespace is not trimmed (as upstream)
 * and empty terms are skipped; the empty string selects everything.
 *
 * @throws SelectorParseError for a term without an operator, an empty field name, an
 *   unescaped `,`/`=` or a bad escape in a value.
 * @category API Machinery
 */
export function parseFieldSelector(selector: string): FieldSelector {
  if (selector === '') return FIELD_EVERYTHING;
  const reqs: FieldRequirement[] = [];
  for (const { term, pos } of splitTerms(selector)) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (parts === undefined) {
      throw new SelectorParseError('field', selector, `can't understand '${term}'`, { position: pos });
    }
    if (parts.field === '') {
      throw new SelectorParseError('field', selector, `empty field name in '${term}'`, { position: pos });
    }
    const value = unescapeFieldValue(parts.rhs);
    if ('error' in value) {
      throw new SelectorParseError('field', selector, value.error, { position: pos + parts.field.length + parts.op.length });
    }
    reqs.push({ field: parts.field, operator: parts.op === '!=' ? '!=' : '=', value: value.value });
  }
  return reqs.length === 0 ? FIELD_EVERYTHING : new FieldSelector(reqs);
}

/**
 * Builds `f1=v1,f2=v2,…` from a field set (apimachinery's `fields.SelectorFromSet`);
 * values may hold any character. An empty set selects everything.
 *
 * @throws SelectorParseError when a field name is empty.
 * @category API Machinery
 */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>>): FieldSelector {
  const fields = Object.keys(set);
  if (fields.length === 0) return FIELD_EVERYTHING;
  if (Object.hasOwn(set, '')) {
    const rendered = fields.map((f) => `${f}=${escapeFieldValue(set[f] ?? '')}`).join(',');
    throw new SelectorParseError('field', rendered, 'empty field name');
  }
  return new FieldSelector(fields.map((field) => ({ field, operator: '=', value: set[field] ?? '' })));
}
