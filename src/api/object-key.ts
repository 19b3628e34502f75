// Store keys for objects: "namespace/name", or "name" when cluster-scoped (client-go's MetaNamespaceKeyFunc).

import { ReasonedError } from './reasoned-error.ts';

/**
 * Names one object: a namespace (absent or "" when cluster-scoped) and a name.
 * @category API Machinery
 */
export interface ObjectKey {
  namespace?: string;
  name: string;
}

/**
 * What `objectKeyOf` reads: any KubeObject, mutable or DeepReadonly, qualifies.
 */
export interface KeyedObject {
  readonly metadata?: { readonly name?: string | undefined; readonly namespace?: string | undefined } | undefined;
}

/**
 * Thrown when an object has no `metadata.name`, so it cannot be keyed. Not retryable.
 * @category Errors
 */
export class MissingMetadataError extends ReasonedError<'MissingMetadata'> {
  override readonly name = 'MissingMetadataError';
  constructor(message: string) {
    super('MissingMetadata', message, { code: 400 });
  }
}

/**
 * Thrown by `splitObjectKey` for a key with more than one `/`. Not retryable.
 * @category Errors
 */
export class InvalidObjectKeyError extends ReasonedError<'InvalidObjectKey'> {
  override readonly name = 'InvalidObjectKeyError';
  /** The key that failed to split. */
  readonly key: string;

  constructor(key: string) {
    super('InvalidObjectKey', `unexpected key format: ${JSON.stringify(key)}`, { code: 400 });
    this.key = key;
  }
}

/**
 * The store key of an object: `"ns/name"`, or `"name"` when it has no namespace.
 *
 * @throws MissingMetadataError when `metadata.name` is missing or empty.
 * @category API Machinery
 */
export function objectKeyOf(obj: KeyedObject): string {
  const meta = obj.metadata;
  const name = meta?.name;
  if (name === undefined || name === '') {
    const what = obj.metadata === undefined ? 'object has no metadata' : 'object has no metadata.name';
    throw new MissingMetadataError(`${what}: cannot compute its key`);
  }
  const ns = meta?.namespace;
  return ns === undefined || ns === '' ? name : `${ns}/${name}`;
}

/**
 * Formats a key the way `objectKeyOf` does: `"ns/name"` or `"name"`.
 * @category API Machinery
 */
export function formatObjectKey(key: Readonly<ObjectKey>): string {
  return key.namespace === undefined || key.namespace === '' ? key.name : `${key.namespace}/${key.name}`;
}

/**
 * Splits a store key back into namespace and name (client-go's SplitMetaNamespaceKey);
 * a key without `/` is cluster-scoped and has no namespace.
 *
 * @throws InvalidObjectKeyError when the key holds more than one `/`.
 * @category API Machinery
 */
export function splitObjectKey(key: string): ObjectKey {
  const slash = key.indexOf('/');
  if (slash === -1) return { name: key };
  if (key.indexOf('/', slash + 1) !== -1) throw new InvalidObjectKeyError(key);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
