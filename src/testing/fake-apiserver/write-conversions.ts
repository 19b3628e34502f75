// What a write goes through between the request body and storage on a real server: the built-in
// kinds' Go types drop empty optional lists and maps and nulls, Secrets get their default type and
// fold `stringData` into `data`, custom resources lose nulls (and keep their own `{}` and `[]`).

import type { UnstructuredObject } from '../../api/types.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import type { ResourceType } from './registry.ts';
import { attributesOf, modelOfKind, typeText } from './schema/models.ts';
import { keepsZero } from './schema/zero-values.ts';

function isModel(type: string): boolean {
  return attributesOf(type) !== undefined;
}

function omitValue(value: unknown, type: string): unknown {
  const text = typeText(type);
  if (Array.isArray(value)) {
    return text.collection === 'list' && isModel(text.element) ? value.map((v: unknown) => (isJsonObject(v) ? omitModel(v, text.element) : v)) : value;
  }
  if (!isJsonObject(value)) return value;
  if (text.collection === 'map') {
    // Go decodes a null map value as the element's zero value: a label set to null is "".
    if (text.element === 'string') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v ?? '']));
    if (!isModel(text.element)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isJsonObject(v) ? omitModel(v, text.element) : v]));
  }
  return isModel(type) ? omitModel(value, type) : value;
}

/** A model's JSON as its Go type re-encodes it: nulls and empty `omitempty` lists and maps removed. */
function omitModel(value: JsonObject, model: string): JsonObject {
  const out: JsonObject = { ...value };
  for (const { baseName, type } of attributesOf(model) ?? []) {
    const v = out[baseName];
    if (v === undefined || keepsZero(model, baseName)) {
      if (v !== undefined && v !== null) out[baseName] = omitValue(v, type);
      continue;
    }
    const empty = (Array.isArray(v) && v.length === 0) || (isJsonObject(v) && Object.keys(v).length === 0);
    if (v === null || (empty && typeText(type).collection !== undefined)) delete out[baseName];
    else out[baseName] = omitValue(v, type);
  }
  return out;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

function isSecret(rt: ResourceType): boolean {
  return !rt.custom && rt.group === '' && rt.kind === 'Secret';
}

/**
 * The object as the server decodes a write: for built-in kinds re-encoded as their Go types would
 * (nulls and empty optional lists and maps gone, so removing the last label leaves no `labels`), a
 * Secret's empty `type` defaulted to `Opaque`; for custom resources `metadata` the same way (it is
 * ObjectMeta) and nulls removed elsewhere. Fields the fake has no model for are left as they are.
 */
export function decodeForWrite(rt: ResourceType, obj: UnstructuredObject): UnstructuredObject {
  const model = rt.custom ? undefined : modelOfKind(rt.group, rt.version, rt.kind);
  let out: UnstructuredObject;
  if (model !== undefined) out = omitModel(obj, model);
  else {
    out = (rt.custom ? withoutNulls(obj) : { ...obj }) as UnstructuredObject;
    if (isJsonObject(obj.metadata)) out.metadata = omitModel(obj.metadata, 'V1ObjectMeta');
  }
  if (isSecret(rt) && (out['type'] === undefined || out['type'] === '')) out['type'] = 'Opaque';
  return out;
}

/**
 * A Secret's `stringData` folded into `data` (each entry base64-encoded, overwriting the same key);
 * `stringData` is never stored or returned. Other objects are returned as they are.
 */
export function foldStringData(rt: ResourceType, obj: UnstructuredObject): UnstructuredObject {
  if (!isSecret(rt) || obj['stringData'] === undefined) return obj;
  const out: UnstructuredObject = { ...obj };
  const stringData = out['stringData'];
  delete out['stringData'];
  if (!isJsonObject(stringData)) return out;
  const data: JsonObject = isJsonObject(out['data']) ? { ...out['data'] } : {};
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  if (Object.keys(data).length > 0) out['data'] = data;
  return out;
}
