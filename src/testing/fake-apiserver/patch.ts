// PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch
// (strategic-merge.ts); server-side apply is apply/.

import { StatusError } from '../../api/errors.ts';
import { cloneJson, isJsonObject, jsonEqual, type JsonObject } from './json.ts';
import type { SchemaSource } from './schema/kind-schemas.ts';
import { badRequest, patchRejected, unsupportedMediaType } from './status.ts';
import { strategicMerge } from './strategic-merge.ts';

/** The patch types the fake accepts (`apply` is server-side apply, with JSON bodies only). */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** Maps a PATCH Content-Type to a patch type; 415 for others (and SMP on CustomResources). */
export function patchTypeOf(contentType: string | undefined, custom: boolean): PatchType {
  const base = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const type = TYPES[base];
  const accepted = custom
    ? ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']
    : Object.keys(TYPES);
  if (type === undefined || (custom && type === 'strategic')) throw unsupportedMediaType(base, accepted);
  return type;
}

/** Applies a merge patch: objects merge recursively, `null` deletes, everything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw patchRejected();
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | unknown[];

function parentOf(doc: unknown, path: string[]): { parent: Container; key: string } {
  if (path.length === 0) throw patchRejected();
  let cur: unknown = doc;
  for (const seg of path.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isJsonObject(cur)) cur = cur[seg];
    else throw patchRejected();
  }
  if (!Array.isArray(cur) && !isJsonObject(cur)) throw patchRejected();
  return { parent: cur, key: path[path.length - 1] ?? '' };
}

function read(doc: unknown, path: string[]): unknown {
  if (path.length === 0) return doc;
  const { parent, key } = parentOf(doc, path);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw patchRejected();
  return value;
}

function arrayIndex(arr: unknown[], key: string, inserting: boolean): number {
  if (inserting && key === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(key)) throw patchRejected();
  const i = Number(key);
  if (i > arr.length || (!inserting && i === arr.length)) throw patchRejected();
  return i;
}

function add(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string[]): unknown {
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
  else if (key in parent) delete parent[key];
  else throw patchRejected();
  return doc;
}

function applyOp(doc: unknown, op: JsonObject): unknown {
  const path = decodePointer(typeof op['path'] === 'string' ? op['path'] : '\u0000');
  switch (op['op']) {
    case 'add':
      return add(doc, path, cloneJson(op['value']));
    case 'remove':
      return remove(doc, path);
    case 'replace':
      read(doc, path);
      return add(path.length === 0 ? doc : remove(doc, path), path, cloneJson(op['value']));
    case 'move':
    case 'copy': {
      const from = decodePointer(typeof op['from'] === 'string' ? op['from'] : '\u0000');
      const value = cloneJson(read(doc, from));
      return add(op['op'] === 'move' ? remove(doc, from) : doc, path, value);
    }
    case 'test':
      if (!jsonEqual(read(doc, path), op['value'])) throw patchRejected();
      return doc;
    default:
      throw badRequest(`Unknown JSON patch operation: ${JSON.stringify(op['op'])}`);
  }
}

/** Applies an RFC 6902 JSON patch to a copy of `target`; failures are 422, malformed patches 400. */
function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('the body of the request was not a JSON patch array');
  if (patch.length > 10000) throw StatusError.of(422, 'RequestEntityTooLarge', 'The allowed maximum operations in a JSON patch is 10000');
  let doc = cloneJson(target);
  for (const op of patch) {
    if (!isJsonObject(op)) throw badRequest('a JSON patch operation must be an object');
    doc = applyOp(doc, op);
  }
  return doc;
}

/**
 * Applies a decoded merge, JSON or strategic merge patch to an object of `kind`, returning a new
 * object. Strategic merge patches follow the kind's patch strategies and merge keys (none without a
 * kind). Server-side apply is not a patch here: it goes through the field manager (apply/).
 */
export function applyPatch(type: Exclude<PatchType, 'apply'>, target: unknown, patch: unknown, kind?: SchemaSource): unknown {
  switch (type) {
    case 'json':
      return jsonPatch(target, patch);
    case 'merge':
      return mergePatch(cloneJson(target), patch);
    case 'strategic':
      return strategicMerge(cloneJson(target), patch, kind);
  }
}
