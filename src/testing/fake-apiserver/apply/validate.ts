// Checks a value against a typed schema as structured-merge-diff does before it merges: undeclared
// fields, values of the wrong shape, list items without keys and duplicate keys.

import { goUnstructuredType } from '../go-format.ts';
import { isJsonObject } from '../json.ts';
import { resolveNode, type ListNode, type MapNode, type ScalarNode, type TypeNode } from '../schema/type-node.ts';
import { asList, itemElement } from './list-items.ts';
import { elementString, fieldElement, indexElement } from './path-element.ts';

/** One problem: where (a printed path, `.spec.foo`) and what. */
export interface ValidationError {
  readonly path: string;
  readonly message: string;
}

/** How strict a check is. */
export interface ValidateOptions {
  /** Duplicate list-map keys are accepted (stored objects); an apply configuration may not have them. */
  readonly allowDuplicates: boolean;
  /** Undeclared fields are accepted as deduced content (objects the fake stored without pruning). */
  readonly allowUndeclared: boolean;
}

/** Errors as structured-merge-diff prints them: one as `path: message`, several as an indented list. */
export function formatErrors(errors: readonly ValidationError[]): string {
  const one = (e: ValidationError): string => (e.path === '' ? e.message : `${e.path}: ${e.message}`);
  if (errors.length === 1 && errors[0] !== undefined) return one(errors[0]);
  return ['errors:', ...errors.map((e) => `  ${one(e)}`)].join('\n');
}

// Go's %v of a JSON value held in structured-merge-diff's value wrapper, as its errors print it.
function goPlain(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPlain).join(' ')}]`;
  if (isJsonObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goPlain(v[k])}`).join(' ')}]`;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function scalarError(node: ScalarNode, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const isScalar = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  switch (node.scalar) {
    case 'numeric':
      return typeof v === 'number' ? undefined : `expected numeric (int or float), got ${goUnstructuredType(v)}`;
    case 'string':
      return typeof v === 'string' ? undefined : `expected string, got &{${goPlain(v)}}`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `expected boolean, got &{${goPlain(v)}}`;
    case 'untyped':
      return isScalar ? undefined : `expected any scalar, got &{${goPlain(v)}}`;
  }
}

class Validator {
  readonly errors: ValidationError[] = [];
  readonly #options: ValidateOptions;

  constructor(options: ValidateOptions) {
    this.#options = options;
  }

  value(v: unknown, type: TypeNode, path: string): void {
    const node = resolveNode(type, v);
    switch (node.kind) {
      case 'scalar': {
        const message = scalarError(node, v);
        if (message !== undefined) this.errors.push({ path, message });
        return;
      }
      case 'list':
        return this.#list(v, node, path);
      case 'map':
        return this.#map(v, node, path);
    }
  }

  #list(v: unknown, node: ListNode, path: string): void {
    if (v === null) return;
    const list = asList(v);
    if (list === undefined) {
      this.errors.push({ path, message: `expected list, got &{${goPlain(v)}}` });
      return;
    }
    const seen = new Set<string>();
    for (const [i, item] of list.entries()) {
      let pe = indexElement(i);
      if (node.relationship === 'associative') {
        const found = itemElement(node, item);
        if ('error' in found) {
          this.errors.push({ path, message: `element ${i}: ${found.error}` });
          return;
        }
        pe = found.pe;
        if (seen.has(pe.id) && !this.#options.allowDuplicates) {
          this.errors.push({ path, message: `duplicate entries for key ${elementString(pe)}` });
        }
        seen.add(pe.id);
      }
      this.value(item, node.element, `${path}${elementString(pe)}`);
    }
  }

  #map(v: unknown, node: MapNode, path: string): void {
    if (v === null) return;
    if (!isJsonObject(v)) {
      this.errors.push({ path, message: `expected map, got &{${goPlain(v)}}` });
      return;
    }
    for (const [key, child] of Object.entries(v)) {
      const childPath = `${path}${elementString(fieldElement(key))}`;
      const type = node.field(key) ?? node.element;
      if (type === undefined && !this.#options.allowUndeclared) {
        // structured-merge-diff stops at the first undeclared field of a map.
        this.errors.push({ path: childPath, message: 'field not declared in schema' });
        return;
      }
      if (type !== undefined) this.value(child, type, childPath);
    }
  }
}

/** The problems of a value under a schema; empty when it is valid. */
export function validate(value: unknown, type: TypeNode, options: ValidateOptions): ValidationError[] {
  const validator = new Validator(options);
  validator.value(value, type, '');
  return validator.errors;
}
