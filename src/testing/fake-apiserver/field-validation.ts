// Unknown fields in the bodies of built-in kinds, as the server's strict decoder finds them: the
// `fieldValidation` directive makes them a 400/422 (Strict), a Warning header (Warn, the default) or
// nothing (Ignore); outside Strict they are dropped, as decoding into the Go type drops them.

import type { ServerResponse } from 'node:http';
import { StatusError } from '../../api/errors.ts';
import type { UnstructuredObject } from '../../api/types.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import type { ResourceType } from './registry.ts';
import { builtinSchema } from './schema/builtin-schema.ts';
import { resolveNode, type TypeNode } from './schema/type-node.ts';

/** The `fieldValidation` directive of a write. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

function dropUnknown(value: unknown, type: TypeNode, path: string, unknown: string[]): unknown {
  const node = resolveNode(type, value);
  if (node.kind === 'list' && Array.isArray(value)) {
    return value.map((item: unknown, i) => dropUnknown(item, node.element, `${path}[${i}]`, unknown));
  }
  if (node.kind !== 'map' || !isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    const childType = node.field(key) ?? node.element;
    if (childType === undefined) unknown.push(childPath);
    else out[key] = dropUnknown(child, childType, childPath, unknown);
  }
  return out;
}

/** A decoded body: without unknown fields, and the paths of those dropped (`spec.foo`, `spec.containers[0].bar`). */
export interface Decoded {
  readonly object: UnstructuredObject;
  readonly unknown: readonly string[];
}

/** The body of a built-in kind without the fields its type does not declare; custom resources pass unchanged. */
export function decodeKnownFields(rt: ResourceType, body: UnstructuredObject): Decoded {
  const type = rt.custom ? undefined : builtinSchema(rt.group, rt.version, rt.kind);
  if (type === undefined) return { object: body, unknown: [] };
  const unknown: string[] = [];
  const object = dropUnknown(body, type, '', unknown) as UnstructuredObject;
  return { object, unknown };
}

function strictText(unknown: readonly string[]): string {
  return `strict decoding error: ${unknown.map((p) => `unknown field ${JSON.stringify(p)}`).join(', ')}`;
}

/**
 * Applies the directive to a decoded POST/PUT body: Strict with unknown fields is the server's 400
 * (`Kind in version "v1" cannot be handled as a Kind: strict decoding error: …`), Warn adds one
 * `Warning: 299` header per field. Returns the body to write.
 */
export function checkBody(rt: ResourceType, decoded: Decoded, directive: FieldValidation, res: ServerResponse): UnstructuredObject {
  if (decoded.unknown.length === 0) return decoded.object;
  if (directive === 'Strict') {
    throw StatusError.of(400, 'BadRequest', `${rt.kind} in version ${JSON.stringify(rt.version)} cannot be handled as a ${rt.kind}: ${strictText(decoded.unknown)}`);
  }
  if (directive === 'Warn') warn(res, decoded.unknown);
  return decoded.object;
}

/**
 * Applies the directive to a PATCH result: Strict with unknown fields is the server's 422 on the
 * field `patch` (its value the patched JSON), Warn adds the Warning headers. Returns the object to write.
 */
export function checkPatched(patched: unknown, decoded: Decoded, directive: FieldValidation, res: ServerResponse): UnstructuredObject {
  if (decoded.unknown.length === 0) return decoded.object;
  if (directive === 'Strict') {
    const message = `Invalid value: ${JSON.stringify(JSON.stringify(patched))}: ${strictText(decoded.unknown)}`;
    throw StatusError.of(422, 'Invalid', ` "" is invalid: patch: ${message}`, { causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }] });
  }
  if (directive === 'Warn') warn(res, decoded.unknown);
  return decoded.object;
}

function warn(res: ServerResponse, unknown: readonly string[]): void {
  res.setHeader('Warning', unknown.map((p) => `299 - ${JSON.stringify(`unknown field ${JSON.stringify(p)}`)}`));
}
