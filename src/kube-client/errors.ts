// Typed errors the Client raises itself before sending anything, and controller-runtime's Ignore* helpers.

import { isAlreadyExists, isNotFound } from '../api/errors.ts';
import { ReasonedError } from '../api/reasoned-error.ts';

/**
 * Reasons carried by {@link ClientError}s: one per thing a caller can act on.
 * @category Errors
 */
export type ClientErrorReason = 'MissingNamespace' | 'MetadataOnlyWrite' | 'InvalidPatch';

/**
 * Base class of the Client's own errors, raised before a request is sent: `reason` says what
 * was wrong with the call; `code` is 0 (not an HTTP answer). None is retryable as is: the call
 * must change. Errors the server answers with are StatusErrors.
 * @category Errors
 */
export class ClientError extends ReasonedError<ClientErrorReason> {
  override readonly name: string = 'ClientError';
}

/**
 * A request on one object of a namespaced kind named no namespace (neither in the object's
 * metadata nor in the key), or `deleteAllOf` of a namespaced kind had none. The Client does not
 * default to the kubeconfig's namespace, as controller-runtime does not.
 * @category Errors
 */
export class MissingNamespaceError extends ClientError {
  override readonly name = 'MissingNamespaceError';
  constructor(operation: string, kind: string, name: string) {
    const what = name === '' ? `${kind} objects` : `${kind} ${JSON.stringify(name)}`;
    super('MissingNamespace', `${operation}: ${what}: the kind is namespaced, but no namespace was given`);
  }
}

/**
 * A create or update (main resource or status) of a metadata-only kind. The body would carry
 * metadata only, and the server would store the object without its spec; controller-runtime's
 * metadata client refuses these too. Use the kind's structured or unstructured handle, or patch,
 * apply or delete, which metadata-only kinds support.
 * @category Errors
 */
export class MetadataOnlyWriteError extends ClientError {
  override readonly name = 'MetadataOnlyWriteError';
  constructor(operation: string, kind: string) {
    super('MetadataOnlyWrite', `${operation}: ${kind} is a metadata-only kind handle: the object would lose everything but its metadata; use a structured or unstructured handle, or patch or apply`);
  }
}

/**
 * A patch that cannot be built or sent: an optimistic lock on an object without a
 * resourceVersion, a JSON patch that is not an array of operations, or a Patch whose type
 * disagrees with the call's `type` option.
 * @category Errors
 */
export class InvalidPatchError extends ClientError {
  override readonly name = 'InvalidPatchError';
  constructor(message: string) {
    super('InvalidPatch', message);
  }
}

/**
 * Returns undefined for a NotFound and rethrows everything else (controller-runtime's
 * `client.IgnoreNotFound`), for deletes and reads where absence is fine.
 *
 * @example
 * await client.delete(ConfigMaps, { namespace: 'default', name: 'old' }).catch(ignoreNotFound);
 * @category Errors
 */
export function ignoreNotFound(err: unknown): undefined {
  if (isNotFound(err)) return undefined;
  throw err;
}

/**
 * Returns undefined for an AlreadyExists and rethrows everything else (controller-runtime's `client.IgnoreAlreadyExists`).
 * @category Errors
 */
export function ignoreAlreadyExists(err: unknown): undefined {
  if (isAlreadyExists(err)) return undefined;
  throw err;
}
