// Unknown-field handling on writes: the fieldValidation directive (Strict, Warn, Ignore) against the kind's schema.

import { isJsonObject, type JsonObject } from './json.ts';
import type { ResourceType } from './registry.ts';
import { kindSchemas, resolveSchema } from './schema/kind-schemas.ts';
import * as status from './status.ts';

/** The `fieldValidation` query parameter; absent means `Warn`. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** The outcome of checking a body: the body without unknown fields, and what was removed. */
export interface FieldCheck {
  readonly body: JsonObject;
  /** `unknown field "spec.foo"` for each field the schema does not declare, in document order. */
  readonly warnings: readonly string[];
}

/**
 * Reads `fieldValidation`; a value other than Ignore, Warn or Strict is 422, as
 * ValidateFieldValidation answers it for the request's options kind.
 */
export function fieldValidationOf(query: URLSearchParams, optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions'): FieldValidation {
  const value = query.get('fieldValidation') ?? '';
  if (value === '') return 'Warn';
  if (value === 'Ignore' || value === 'Warn' || value === 'Strict') return value;
  const message = `Unsupported value: ${JSON.stringify(value)}: supported values: "", "Ignore", "Strict", "Warn"`;
  throw status.invalidOptions(optionsKind, 'fieldValidation', 'FieldValueNotSupported', message);
}

interface Walk {
  readonly schemas: ReadonlyMap<string, JsonObject>;
  readonly unknown: string[];
}

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

// Returns the value with undeclared fields removed; a node that preserves unknown fields, or an
// object schema without properties (free-form maps such as RawExtension), is kept as it is.
function prune(value: unknown, schema: JsonObject | undefined, path: string, walk: Walk): unknown {
  const s = resolveSchema(schema, walk.schemas);
  if (s === undefined || s['x-kubernetes-preserve-unknown-fields'] === true) return value;
  if (Array.isArray(value)) {
    const items = isJsonObject(s['items']) ? s['items'] : undefined;
    return items === undefined ? value : value.map((item, i) => prune(item, items, `${path}[${i}]`, walk));
  }
  if (!isJsonObject(value)) return value;
  const properties = isJsonObject(s['properties']) ? s['properties'] : undefined;
  const additional = isJsonObject(s['additionalProperties']) ? s['additionalProperties'] : undefined;
  if (properties === undefined && additional === undefined) return value;
  // An embedded resource (x-kubernetes-embedded-resource) always has room for its type and metadata.
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const declared = properties?.[key];
    if (isJsonObject(declared)) out[key] = prune(child, declared, childPath(path, key), walk);
    else if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) out[key] = child;
    else if (additional !== undefined) out[key] = prune(child, additional, childPath(path, key), walk);
    else walk.unknown.push(childPath(path, key));
  }
  return out;
}

/**
 * Checks a write body against its kind's schema. Fields the schema does not declare are
 * dropped, as decoding into the Go type (built-ins) or pruning (CustomResources) drops them;
 * under `Strict` they fail the write with the decoder's 400
 * (`Deployment in version "v1" cannot be handled as a Deployment: strict decoding error:
 * unknown field "spec.foo"`), under `Warn` each becomes a warning the caller sends as a
 * `Warning: 299` header. Duplicate JSON keys are not detected (the JSON parser keeps the last).
 */
export function checkFields(rt: ResourceType, body: JsonObject, directive: FieldValidation): FieldCheck {
  if (directive === 'Ignore' && rt.custom && rt.openApiV3Schema === undefined) return { body, warnings: [] };
  const { root, definitions } = kindSchemas(rt);
  const walk: Walk = { schemas: definitions, unknown: [] };
  const pruned = prune(body, definitions.get(root), '', walk);
  const problems = walk.unknown.map((path) => `unknown field ${JSON.stringify(path)}`);
  if (directive === 'Strict' && problems.length > 0) {
    throw status.badRequest(`${rt.kind} in version ${JSON.stringify(rt.version)} cannot be handled as a ${rt.kind}: strict decoding error: ${problems.join(', ')}`);
  }
  return { body: isJsonObject(pruned) ? pruned : body, warnings: directive === 'Warn' ? problems : [] };
}
