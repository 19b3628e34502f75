// The JSONPath subset CRD printer columns use (client-go's jsonpath with missing keys allowed).

import { isJsonObject } from '../json.ts';

type Step =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'descend'; readonly name: string }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'slice'; readonly start?: number; readonly end?: number }
  | { readonly kind: 'filter'; readonly path: readonly Step[]; readonly op?: string; readonly value?: unknown };

/** A JSONPath the parser does not understand; the column's cells print as none. */
export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

const FIELD = /^[A-Za-z0-9_$-]+/;
const FILTER = /^\?\(@((?:\.[A-Za-z0-9_$-]+|\['[^']*'\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*\)$/;

function literal(text: string): unknown {
  const t = text.trim();
  if (/^(['"]).*\1$/.test(t)) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  const n = Number(t);
  if (t !== '' && !Number.isNaN(n)) return n;
  throw new JsonPathError(`unrecognized filter value ${t}`);
}

function bracket(inner: string): Step {
  if (inner === '*') return { kind: 'wildcard' };
  const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(inner);
  if (quoted !== null) return { kind: 'field', name: quoted[1] ?? quoted[2] ?? '' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const slice = /^(-?\d*):(-?\d*)$/.exec(inner);
  if (slice !== null) {
    return { kind: 'slice', ...(slice[1] ? { start: Number(slice[1]) } : {}), ...(slice[2] ? { end: Number(slice[2]) } : {}) };
  }
  const filter = FILTER.exec(inner);
  if (filter === null) throw new JsonPathError(`unsupported JSONPath element [${inner}]`);
  const path = parseSteps(filter[1] ?? '');
  return filter[2] === undefined ? { kind: 'filter', path } : { kind: 'filter', path, op: filter[2], value: literal(filter[3] ?? '') };
}

function closing(path: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < path.length; i++) {
    const ch = path[i];
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ']') return i;
  }
  throw new JsonPathError(`unclosed [ in ${path}`);
}

function parseSteps(path: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  while (i < path.length) {
    if (path.startsWith('..', i)) {
      const name = FIELD.exec(path.slice(i + 2))?.[0] ?? (path[i + 2] === '*' ? '*' : undefined);
      if (name === undefined) throw new JsonPathError(`unsupported JSONPath ${path}`);
      steps.push({ kind: 'descend', name });
      i += 2 + name.length;
    } else if (path[i] === '.') {
      if (path[i + 1] === '*') {
        steps.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const name = FIELD.exec(path.slice(i + 1))?.[0] ?? '';
      // A lone "." (the whole object) selects the current value.
      if (name !== '') steps.push({ kind: 'field', name });
      i += 1 + name.length;
    } else if (path[i] === '[') {
      const end = closing(path, i + 1);
      steps.push(bracket(path.slice(i + 1, end).trim()));
      i = end + 1;
    } else {
      throw new JsonPathError(`unsupported JSONPath ${path}`);
    }
  }
  return steps;
}

/** Parses a printer column's `jsonPath` (`.spec.replicas`, `.status.conditions[?(@.type=="Ready")].status`). */
export function parseJsonPath(path: string): readonly Step[] {
  return parseSteps(path.trim().replace(/^\{(.*)\}$/, '$1'));
}

function compare(left: unknown, op: string, right: unknown): boolean {
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    default: {
      if (typeof left !== 'number' || typeof right !== 'number') return false;
      if (op === '<') return left < right;
      if (op === '>') return left > right;
      return op === '<=' ? left <= right : left >= right;
    }
  }
}

function descendants(value: unknown, out: unknown[]): void {
  out.push(value);
  const children = Array.isArray(value) ? value : isJsonObject(value) ? Object.values(value) : [];
  for (const child of children) descendants(child, out);
}

function apply(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      return isJsonObject(value) && value[step.name] !== undefined ? [value[step.name]] : [];
    case 'descend': {
      const all: unknown[] = [];
      descendants(value, all);
      return all.flatMap((v) => (step.name === '*' ? apply({ kind: 'wildcard' }, v) : apply({ kind: 'field', name: step.name }, v)));
    }
    case 'wildcard':
      return Array.isArray(value) ? value : isJsonObject(value) ? Object.keys(value).sort().map((k) => value[k]) : [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const i = step.index < 0 ? value.length + step.index : step.index;
      return i >= 0 && i < value.length ? [value[i]] : [];
    }
    case 'slice':
      return Array.isArray(value) ? value.slice(step.start, step.end) : [];
    case 'filter': {
      const items = Array.isArray(value) ? value : [];
      return items.filter((item) => {
        const found = evaluate(step.path, item);
        if (step.op === undefined) return found.length > 0;
        return found.length > 0 && compare(found[0], step.op, step.value);
      });
    }
  }
}

/** Every value the path selects in `root`, in document order; `[]` when nothing matches. */
export function evaluate(steps: readonly Step[], root: unknown): unknown[] {
  let values: unknown[] = [root];
  for (const step of steps) values = values.flatMap((v) => apply(step, v));
  return values.filter((v) => v !== undefined);
}
