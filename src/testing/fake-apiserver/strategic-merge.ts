// Strategic merge patch (application/strategic-merge-patch+json) on the built-in kinds, as
// apimachinery's strategicpatch applies it on the server: the `x-kubernetes-patch-strategy` and
// `-patch-merge-key` of the kind's published schema (the `patchStrategy`/`patchMergeKey` tags of its
// Go type) decide how lists merge; `$patch`, `$retainKeys`, `$setElementOrder/…` and
// `$deleteFromPrimitiveList/…` directives are honoured; a null deletes.

import { StatusError } from '../../api/errors.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { kindSchemas, resolveSchema, type SchemaSource } from './schema/kind-schemas.ts';
import { markersOf } from './schema/merge-markers.ts';
import { badRequest, internalError } from './status.ts';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/** A struct's schema among its document's definitions; undefined where nothing is declared. */
interface StructSchema {
  readonly schema: JsonObject;
  readonly definitions: ReadonlyMap<string, JsonObject>;
}

/** How one field merges: its strategy (`merge`, `replace` or none), merge key and item/value struct. */
interface PatchMeta {
  readonly strategy: string;
  readonly mergeKey: string;
  readonly struct: StructSchema | undefined;
}

function structOf(schema: JsonObject | undefined, definitions: ReadonlyMap<string, JsonObject>): StructSchema | undefined {
  return schema !== undefined && isJsonObject(schema['properties']) ? { schema, definitions } : undefined;
}

function lookup(struct: StructSchema | undefined, key: string): PatchMeta {
  const properties = struct?.schema['properties'];
  const field = isJsonObject(properties) && isJsonObject(properties[key]) ? properties[key] : undefined;
  if (struct === undefined || field === undefined) return { strategy: '', mergeKey: '', struct: undefined };
  const markers = markersOf(field);
  const strategies = (markers.patchStrategy ?? '').split(',').filter((s) => s !== '' && s !== 'retainKeys');
  const resolved = resolveSchema(field, struct.definitions);
  const items = resolved?.['items'];
  const values = resolved?.['additionalProperties'];
  const inner = isJsonObject(items) ? items : isJsonObject(values) ? values : resolved;
  return { strategy: strategies[0] ?? '', mergeKey: markers.patchMergeKey ?? '', struct: structOf(resolveSchema(inner, struct.definitions), struct.definitions) };
}

/** A patch the server cannot apply: a plain error on the server, so 500 without a reason. */
function patchError(message: string): StatusError {
  return internalError(message);
}

function goType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  return v === null ? 'null' : typeof v;
}

// Maps carrying `$patch` vanish. Other `$` keys are unknown fields that decoding into the kind drops.
function removeDirectives(value: unknown): { value: unknown; keep: boolean } {
  if (Array.isArray(value)) {
    return { value: value.map(removeDirectives).flatMap((r) => (r.keep ? [r.value] : [])), keep: true };
  }
  if (!isJsonObject(value)) return { value, keep: true };
  if (DIRECTIVE in value) return { value: undefined, keep: false };
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) continue;
    const inner = removeDirectives(v);
    if (inner.keep) out[k] = inner.value;
  }
  return { value: out, keep: true };
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

function elementKind(...lists: readonly unknown[][]): string | undefined {
  let kind: string | undefined;
  for (const v of lists.flat()) {
    const t = goType(v);
    if (t === 'array') throw StatusError.of(422, 'Invalid', 'lists of lists are not supported');
    if (kind !== undefined && kind !== t) throw patchError(`list element types are not identical: ${JSON.stringify(lists)}`);
    kind = t;
  }
  return kind;
}

function keyOf(item: unknown, mergeKey: string): unknown {
  return mergeKey === '' ? item : isJsonObject(item) ? item[mergeKey] : undefined;
}

function indexIn(list: readonly unknown[], item: unknown, mergeKey: string): number {
  const key = keyOf(item, mergeKey);
  return list.findIndex((v) => keyOf(v, mergeKey) === key);
}

function sortByOrder(items: unknown[], order: readonly unknown[], mergeKey: string): unknown[] {
  const deletions = mergeKey === '' ? [] : items.filter((v) => isJsonObject(v) && v[DIRECTIVE] === 'delete');
  const rest = items.filter((v) => !deletions.includes(v));
  const rank = (v: unknown): number => {
    const i = indexIn(order, v, mergeKey);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...rest.sort((a, b) => rank(a) - rank(b)), ...deletions];
}

// Patch items in the patch's order, server-only items in the live order, interleaved by the live order.
function normalizeOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function partition(merged: readonly unknown[], by: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch = merged.filter((v) => indexIn(by, v, mergeKey) >= 0);
  return [inPatch, merged.filter((v) => !inPatch.includes(v))];
}

function mergeList(original: unknown[], patch: unknown[], meta: PatchMeta, deleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  let merged: unknown[];
  let live = original;
  let patched = patch;
  if (kind !== 'object') {
    if (deleteList) return original.filter((v) => !patch.includes(v));
    merged = [...new Set([...original, ...patch])];
  } else {
    if (meta.mergeKey === '') throw patchError('cannot merge lists without merge key');
    const plain: JsonObject[] = [];
    let replace = false;
    for (const item of patch as JsonObject[]) {
      const directive = item[DIRECTIVE];
      if (directive === undefined) plain.push(item);
      else if (directive === 'delete') {
        if (!(meta.mergeKey in item)) throw patchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${meta.mergeKey}`);
        live = live.filter((v) => keyOf(v, meta.mergeKey) !== item[meta.mergeKey]);
      } else if (directive === 'replace') replace = true;
      else throw patchError(`unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(item)}`);
    }
    if (replace) {
      live = plain;
      patched = [];
    } else patched = plain;
    merged = [...live];
    for (const item of patched as JsonObject[]) {
      if (!(meta.mergeKey in item)) throw patchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${meta.mergeKey}`);
      const at = indexIn(merged, item, meta.mergeKey);
      if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, item, meta.struct);
      else merged.push(removeDirectives(item).value);
    }
  }
  const key = kind === 'object' ? meta.mergeKey : '';
  const [patchItems, serverOnly] = partition(merged, patched, key);
  return normalizeOrder(patchItems, serverOnly, patched, live, key);
}

function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw badRequest('invalid patch format of retainKeys');
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retain.includes(k)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!retain.includes(k)) delete original[k];
}

function applySetElementOrder(original: JsonObject, patch: JsonObject, struct: StructSchema | undefined): void {
  for (const [directive, order] of Object.entries(patch)) {
    if (!directive.startsWith(SET_ELEMENT_ORDER)) continue;
    delete patch[directive];
    if (!Array.isArray(order)) throw badRequest('invalid patch format of setElementOrder list');
    const key = directive.slice(SET_ELEMENT_ORDER.length);
    const meta = lookup(struct, key);
    const live = original[key];
    const sent = patch[key];
    if ((live !== undefined && !Array.isArray(live)) || (sent !== undefined && !Array.isArray(sent))) {
      throw badRequest('invalid patch format of setElementOrder list');
    }
    if (live === undefined && sent === undefined) continue;
    let merged: unknown[];
    if (sent === undefined) merged = live ?? [];
    else if (live === undefined) merged = removeDirectives(sent).value as unknown[];
    else merged = meta.strategy === 'merge' ? mergeList(live, sent, meta, false) : sent;
    const mergeKey = elementKind(live ?? [], sent ?? []) === 'object' ? meta.mergeKey : '';
    const [patchItems, serverOnly] = partition(merged, order, mergeKey);
    original[key] = normalizeOrder(patchItems, serverOnly, order, live ?? [], mergeKey);
    delete patch[key];
  }
}

/** Merges a strategic patch map into `original` (a copy is changed and returned). */
function mergeMap(original: JsonObject | undefined, patchIn: JsonObject, struct: StructSchema | undefined): JsonObject {
  const patch: JsonObject = { ...patchIn };
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  if (directive !== undefined) throw patchError(`unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`);
  const out: JsonObject = { ...(original ?? {}) };
  applyRetainKeys(out, patch);
  applySetElementOrder(out, patch, struct);
  for (const [rawKey, value] of Object.entries(patch)) {
    const deleteList = rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    const key = deleteList ? rawKey.slice(DELETE_FROM_PRIMITIVE_LIST.length) : rawKey;
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = out[key];
    if (current === undefined || goType(current) !== goType(value)) {
      if (deleteList) continue;
      const kept = removeDirectives(withoutNulls(value));
      if (kept.keep) out[key] = kept.value;
      else delete out[key];
      continue;
    }
    const meta = lookup(struct, key);
    if (isJsonObject(current) && isJsonObject(value)) out[key] = meta.strategy === 'replace' ? value : mergeMap(current, value, meta.struct);
    else if (Array.isArray(current) && Array.isArray(value)) {
      out[key] = meta.strategy === 'merge' || deleteList ? mergeList(current, value, meta, deleteList) : value;
    } else {
      const kept = removeDirectives(value);
      if (kept.keep) out[key] = kept.value;
      else delete out[key];
    }
  }
  return out;
}

/**
 * Applies a strategic merge patch to an object of `kind` (fields its schema does not declare merge as
 * maps and replace lists). Throws the server's StatusErrors.
 */
export function strategicMerge(target: unknown, patch: unknown, kind: SchemaSource | undefined): unknown {
  if (!isJsonObject(patch)) throw badRequest('the body of the request was not a JSON object');
  const schemas = kind === undefined ? undefined : kindSchemas(kind);
  const struct = schemas === undefined ? undefined : structOf(schemas.definitions.get(schemas.root), schemas.definitions);
  return mergeMap(isJsonObject(target) ? target : undefined, patch, struct);
}
