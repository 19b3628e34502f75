// Label selectors (apimachinery's labels.Selector): parse, build from sets, match, render.

import {
  compileLabelRequirement,
  labelRequirementToString,
  newLabelRequirement,
  type LabelMatcher,
  type LabelOperator,
  type LabelRequirement,
} from './label-requirement.ts';
import { parseLabelRequirements } from './label-selector-parser.ts';
import { SelectorParseError } from './selector-error.ts';

export type { LabelOperator, LabelRequirement } from './label-requirement.ts';
export { newLabelRequirement } from './label-requirement.ts';

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * A parsed, validated label selector: the AND of its requirements.
 *
 * Immutable. Requirements are kept sorted by key (stable for equal keys), as apimachinery
 * sorts them, so `toString()` is canonical: two selectors that mean the same set of
 * requirements print the same (`=` and `==` keep their spelling, as upstream).
 *
 * @example
 * ```ts
 * const sel = parseLabelSelector('app=web, tier in (frontend,edge), !canary');
 * sel.matches({ app: 'web', tier: 'edge' }); // true
 * sel.toString(); // "!canary,app=web,tier in (edge,frontend)"
 * ```
 * @category API Machinery
 */
export class LabelSelector {
  /** The requirements, sorted by key; all must hold for a match. */
  readonly requirements: readonly LabelRequirement[];
  readonly #matchers: readonly LabelMatcher[];
  #text: string | undefined;

  /**
   * Wraps requirements as given; they are not validated here (build them with
   * `newLabelRequirement` or parse a string to get validation).
   */
  constructor(requirements: readonly LabelRequirement[]) {
    const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.requirements = Object.freeze(sorted);
    this.#matchers = sorted.map(compileLabelRequirement);
  }

  /** True when the selector has no requirements and so matches every object. */
  get empty(): boolean {
    return this.requirements.length === 0;
  }

  /** True when every requirement holds for `labels`; missing labels count as an empty set. */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    const set = labels ?? NO_LABELS;
    for (const m of this.#matchers) if (!m(set)) return false;
    return true;
  }

  /**
   * The value `key` must equal for a match, when a requirement on `key` pins it to exactly
   * one value (`=`, `==`, or `in` with one member); else undefined. Like apimachinery, only
   * the first requirement on `key` is consulted.
   */
  requiresExactMatch(key: string): string | undefined {
    const req = this.requirements.find((r) => r.key === key);
    if (req === undefined) return undefined;
    const pins = req.operator === '=' || req.operator === '==' || req.operator === 'in';
    return pins && req.values.length === 1 ? req.values[0] : undefined;
  }

  /** A new selector with the extra requirements ANDed in. */
  add(...requirements: LabelRequirement[]): LabelSelector {
    return new LabelSelector([...this.requirements, ...requirements]);
  }

  /** The canonical selector string: requirements sorted by key, values sorted, joined by ','. */
  toString(): string {
    this.#text ??= this.requirements.map(labelRequirementToString).join(',');
    return this.#text;
  }
}

/**
 * The selector that matches everything (no requirements); renders as "".
 * @category API Machinery
 */
export const LABEL_EVERYTHING: LabelSelector = new LabelSelector([]);

/**
 * Returns the selector that matches everything.
 * @category API Machinery
 */
export function everythingLabelSelector(): LabelSelector {
  return LABEL_EVERYTHING;
}

/**
 * Parses a label selector with apimachinery's full grammar: `k=v`, `k==v`, `k!=v`,
 * `k in (a,b)`, `k notin (a)`, `k` (exists), `!k` (does not exist), `k>1`, `k<1`, joined
 * by commas (AND), whitespace ignored. The empty string selects everything.
 *
 * @throws SelectorParseError (code 400) naming the selector and the position of the fault.
 * @category API Machinery
 */
export function parseLabelSelector(selector: string): LabelSelector {
  const reqs = parseLabelRequirements(selector);
  return reqs.length === 0 ? LABEL_EVERYTHING : new LabelSelector(reqs);
}

/**
 * Builds the selector `k1=v1,k2=v2,…` from a label set (apimachinery's
 * `ValidatedSelectorFromSet`). An empty set selects everything.
 *
 * @throws SelectorParseError when a key or value is not a valid label key or value.
 * @category API Machinery
 */
export function labelSelectorFromSet(set: Readonly<Record<string, string>>): LabelSelector {
  const keys = Object.keys(set);
  if (keys.length === 0) return LABEL_EVERYTHING;
  const reqs = keys.map((key) => rethrowFor(renderSet(set), () => newLabelRequirement(key, '=', [set[key] ?? ''])));
  return new LabelSelector(reqs);
}

/**
 * metav1.LabelSelectorRequirement.
 * @category API Machinery
 */
export interface LabelSelectorRequirementV1 {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/**
 * metav1.LabelSelector, as found in Deployment.spec.selector and controller-runtime options.
 * @category API Machinery
 */
export interface LabelSelectorV1 {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementV1[];
}

const V1_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Converts a metav1.LabelSelector (apimachinery's `LabelSelectorAsSelector`): matchLabels
 * become `=` requirements, matchExpressions their operators. With neither, it selects
 * everything.
 *
 * @throws SelectorParseError for an unknown operator or an invalid key, value or value count.
 * @category API Machinery
 */
export function labelSelectorFromMetav1(sel: Readonly<LabelSelectorV1>): LabelSelector {
  const labels = sel.matchLabels ?? {};
  const exprs = sel.matchExpressions ?? [];
  if (Object.keys(labels).length === 0 && exprs.length === 0) return LABEL_EVERYTHING;
  const rendered = JSON.stringify(sel);
  const reqs: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(labels)) {
    reqs.push(rethrowFor(rendered, () => newLabelRequirement(key, '=', [value])));
  }
  for (const expr of exprs) {
    const op = Object.hasOwn(V1_OPERATORS, expr.operator) ? V1_OPERATORS[expr.operator] : undefined;
    if (op === undefined) {
      throw new SelectorParseError('label', rendered, `${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    }
    reqs.push(rethrowFor(rendered, () => newLabelRequirement(expr.key, op, expr.values ?? [])));
  }
  return new LabelSelector(reqs);
}

function renderSet(set: Readonly<Record<string, string>>): string {
  return Object.keys(set)
    .sort()
    .map((k) => `${k}=${set[k] ?? ''}`)
    .join(',');
}

/** Runs `build`, re-labelling a requirement's validation error with the whole selector's text. */
function rethrowFor<T>(selector: string, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof SelectorParseError) throw new SelectorParseError('label', selector, err.detail, { cause: err });
    throw err;
  }
}
