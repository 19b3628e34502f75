// One term of a label selector: its operators, validation, matching and canonical text.

import { SelectorParseError } from './selector-error.ts';
import { isQualifiedName, isValidLabelValue } from './validation.ts';

/**
 * A label selector operator, spelled as in the selector string (apimachinery's
 * `selection.Operator`): `=` and `==` behave alike, `!` is "does not exist", `gt`/`lt`
 * compare integers.
 * @category API Machinery
 */
export type LabelOperator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

/**
 * One requirement of a label selector (apimachinery's `labels.Requirement`).
 * `values` is sorted and free of duplicates; it is empty for `exists` and `!`, and holds
 * exactly one value for `=`, `==`, `!=`, `gt` and `lt`.
 * @category API Machinery
 */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_RE = /^[+-]?[0-9]+$/;

/** Parses a base-10 signed 64-bit integer as Go's strconv.ParseInt does; undefined if it is not one. */
function parseInt64(text: string): bigint | undefined {
  if (!DECIMAL_RE.test(text)) return undefined;
  const n = BigInt(text);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** Returns what is wrong with a requirement, in apimachinery's words; empty when it is valid. */
function validateLabelRequirement(key: string, operator: LabelOperator, values: readonly string[]): string[] {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(`key: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push('values: Invalid value: exact-match compatibility requires one single value');
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push('values: Invalid value: values set must be empty for exists and does not exist');
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push("values: Invalid value: for 'Gt', 'Lt' operators, exactly one value is required");
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
        }
      });
      break;
    default:
      errs.push(`operator: Unsupported value: ${JSON.stringify(operator satisfies never)}`);
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0) errs.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: ${valueErrs.join('; ')}`);
  });
  return errs;
}

/** Sorts (by UTF-16 code unit, which is byte order for valid label values) and de-duplicates. */
function normaliseValues(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * Builds a validated, frozen requirement (apimachinery's `NewRequirement`).
 *
 * @throws SelectorParseError when the key, operator or values are invalid.
 */
export function newLabelRequirement(key: string, operator: LabelOperator, values: readonly string[]): LabelRequirement {
  const sorted = normaliseValues(values);
  const errs = validateLabelRequirement(key, operator, sorted);
  const req: LabelRequirement = { key, operator, values: sorted };
  if (errs.length > 0) throw new SelectorParseError('label', labelRequirementToString(req), errs.join(', '));
  Object.freeze(sorted);
  return Object.freeze(req);
}

/**
 * Renders a requirement in the selector syntax, values sorted: `!k`, `k`, `k=v`, `k==v`,
 * `k!=v`, `k in (a,b)`, `k notin (a)`, `k>5`, `k<5`.
 */
export function labelRequirementToString(req: Readonly<LabelRequirement>): string {
  const values = req.values.length > 1 ? [...req.values].sort().join(',') : (req.values[0] ?? '');
  switch (req.operator) {
    case 'exists':
      return req.key;
    case '!':
      return `!${req.key}`;
    case '=':
    case '==':
    case '!=':
      return `${req.key}${req.operator}${values}`;
    case 'gt':
      return `${req.key}>${values}`;
    case 'lt':
      return `${req.key}<${values}`;
    case 'in':
    case 'notin':
      return `${req.key} ${req.operator} (${values})`;
    default:
      return req.operator satisfies never;
  }
}

/** A compiled requirement: a predicate over a label set. */
export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

/**
 * Compiles a requirement to a predicate with apimachinery's `Requirement.Matches` semantics:
 * `!=` and `notin` also match when the key is absent; `gt`/`lt` never match a missing or
 * non-integer label.
 */
export function compileLabelRequirement(req: Readonly<LabelRequirement>): LabelMatcher {
  const { key, values } = req;
  const has = (labels: Readonly<Record<string, string>>): boolean => Object.hasOwn(labels, key);
  const inSet = values.length === 1 ? (v: string | undefined) => v === values[0] : (v: string | undefined) => v !== undefined && values.includes(v);
  switch (req.operator) {
    case 'in':
    case '=':
    case '==':
      return (labels) => has(labels) && inSet(labels[key]);
    case 'notin':
    case '!=':
      return (labels) => !has(labels) || !inSet(labels[key]);
    case 'exists':
      return has;
    case '!':
      return (labels) => !has(labels);
    case 'gt':
    case 'lt':
      return compileIntegerComparison(req.operator, key, values);
    default:
      return req.operator satisfies never;
  }
}

function compileIntegerComparison(operator: 'gt' | 'lt', key: string, values: readonly string[]): LabelMatcher {
  const bound = values.length === 1 && values[0] !== undefined ? parseInt64(values[0]) : undefined;
  if (bound === undefined) return () => false;
  return (labels) => {
    const raw = Object.hasOwn(labels, key) ? labels[key] : undefined;
    const n = raw === undefined ? undefined : parseInt64(raw);
    if (n === undefined) return false;
    return operator === 'gt' ? n > bound : n < bound;
  };
}
