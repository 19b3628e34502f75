// Patches for Client.patch: raw merge / JSON / strategic bodies, and merge patches computed from a before/after pair.

import { isJsonObject, jsonEqual, type JsonObject } from '../api/json.ts';
import { InvalidPatchError } from './errors.ts';

/**
 * The patch formats `Client.patch` sends; server-side apply has its own method, `apply`.
 * @category Client
 */
export type ClientPatchType = 'merge' | 'json' | 'strategic';

/**
 * One RFC 6902 JSON patch operation; `path` and `from` are JSON pointers (`/metadata/labels/app`).
 * @category Client
 */
export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

/**
 * A patch body and its format (controller-runtime's `client.Patch`). Build one with
 * {@link mergeFrom} (a diff of two objects), or {@link Patch.merge}, {@link Patch.json} and
 * {@link Patch.strategic} around a body you wrote. `Client.patch` also takes a bare body with a
 * `type` option; a Patch carries its type, so a Secret's `{ type, data }` body is never mistaken
 * for one.
 * @category Client
 */
export class Patch {
  /** The format, which picks the request's Content-Type. */
  readonly type: ClientPatchType;
  /** The body, sent as JSON. */
  readonly data: unknown;

  private constructor(type: ClientPatchType, data: unknown) {
    this.type = type;
    this.data = data;
  }

  /** A JSON merge patch (RFC 7386): objects merge, `null` deletes a field, anything else (lists too) replaces. */
  static merge(data: object): Patch {
    return new Patch('merge', data);
  }

  /** A JSON patch (RFC 6902): a list of operations, applied in order, all or nothing. */
  static json(operations: readonly JsonPatchOperation[]): Patch {
    if (!Array.isArray(operations)) throw new InvalidPatchError('a JSON patch must be an array of operations');
    return new Patch('json', operations);
  }

  /**
   * A strategic merge patch: a merge patch whose lists merge by the kind's merge keys (containers by
   * name…). Built-in kinds only: custom resources answer 415.
   */
  static strategic(data: object): Patch {
    return new Patch('strategic', data);
  }
}

/**
 * Options of {@link mergeFrom}.
 * @category Client
 */
export interface MergeFromOptions {
  /**
   * Put the original's `metadata.resourceVersion` in the patch, so the server applies it only to
   * that version and answers 409 Conflict otherwise (controller-runtime's
   * `MergeFromWithOptimisticLock`): an update's safety without sending the whole object.
   * @default false
   */
  readonly optimisticLock?: boolean;
}

/**
 * The merge patch that turns `original` into `modified` (controller-runtime's `client.MergeFrom`):
 * changed and added fields with their new values, removed fields as `null`, lists whole when they
 * differ. Both are compared as JSON, so a frozen cached object and an edited `mutable` copy of it
 * are the usual pair. A patch leaves alone the fields it does not mention, so writes by others to
 * them survive, unlike an update; with `optimisticLock` it applies only to the original's version.
 *
 * @throws InvalidPatchError with `optimisticLock` when the original has no resourceVersion.
 * @example
 * const cached = await client.get(Deployments, key);
 * const edited = mutable(cached);
 * edited.spec!.replicas = 3;
 * await client.patch(Deployments, edited, mergeFrom(cached, edited));
 * @category Client
 */
export function mergeFrom(original: object, modified: object, options: MergeFromOptions = {}): Patch {
  const before = toJson(original);
  const after = toJson(modified);
  if (options.optimisticLock === true) {
    const version = resourceVersionOf(before);
    if (version === '') {
      throw new InvalidPatchError('mergeFrom: optimisticLock needs the original object\'s metadata.resourceVersion, and it has none');
    }
    // The version always differs from the original's (removed), so the diff carries it.
    delete metadataOf(before)['resourceVersion'];
    metadataOf(after)['resourceVersion'] = version;
  }
  return Patch.merge(createMergePatch(before, after));
}

/**
 * The RFC 7386 merge patch from one JSON object to another (evanphx/json-patch's
 * `CreateMergePatch`): `{}` when they are equal.
 * @category Client
 */
export function createMergePatch(original: JsonObject, modified: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(modified)) {
    const before = original[key];
    const after = modified[key];
    if (!Object.hasOwn(original, key)) {
      setOwn(patch, key, after);
    } else if (isJsonObject(before) && isJsonObject(after)) {
      const nested = createMergePatch(before, after);
      if (Object.keys(nested).length > 0) setOwn(patch, key, nested);
    } else if (!jsonEqual(before, after)) {
      setOwn(patch, key, after);
    }
  }
  for (const key of Object.keys(original)) {
    if (!Object.hasOwn(modified, key)) setOwn(patch, key, null);
  }
  return patch;
}

// A JSON copy, as the server would see the object: undefined members dropped, Dates as strings.
function toJson(value: object): JsonObject {
  const json: unknown = JSON.parse(JSON.stringify(value));
  if (!isJsonObject(json)) throw new InvalidPatchError('mergeFrom compares objects, not arrays or scalars');
  return json;
}

function metadataOf(obj: JsonObject): JsonObject {
  const metadata = obj['metadata'];
  if (isJsonObject(metadata)) return metadata;
  const created: JsonObject = {};
  obj['metadata'] = created;
  return created;
}

function resourceVersionOf(obj: JsonObject): string {
  const metadata = obj['metadata'];
  const version = isJsonObject(metadata) ? metadata['resourceVersion'] : undefined;
  return typeof version === 'string' ? version : '';
}

// Plain assignment of "__proto__" would set the patch's prototype instead of adding the key.
function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
