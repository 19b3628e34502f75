// The rules every Reader applies around its store, shared by the Cache and FakeInformers so both answer alike.

import { abortable } from '../api/abortable.ts';
import { gvkToString, type GroupVersionKind } from '../api/gvk.ts';
import type { ReaderListOptions } from './cache-reader.ts';
import { ContinueNotSupportedError, informerSyncTimeout } from './errors.ts';
import type { Informer } from './informer.ts';
import type { CacheListOptions } from './interfaces.ts';
import type { KindRef } from './kinds.ts';
import { toFieldSelector, toLabelSelector } from './options.ts';
import type { Scheme } from './scheme.ts';

/**
 * A list call's options as a reader applies them: selectors parsed (a bad one throws
 * SelectorParseError), and a `continue` token rejected with ContinueNotSupportedError, since a
 * cache answers in one piece.
 */
export function readerListOptions(options: CacheListOptions): ReaderListOptions & { readonly signal?: AbortSignal } {
  if (options.continue !== undefined && options.continue !== '') throw new ContinueNotSupportedError();
  return {
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    ...(options.labelSelector === undefined ? {} : { labelSelector: toLabelSelector(options.labelSelector) }),
    ...(options.fieldSelector === undefined ? {} : { fieldSelector: toFieldSelector(options.fieldSelector) }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.deepCopy === undefined ? {} : { deepCopy: options.deepCopy }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}

/** Throws KindNotRegisteredError when a structured kind is not in `scheme` (other representations need no registration). */
export function requireRegistered(scheme: Scheme, kind: KindRef): void {
  if (kind.representation === 'structured') scheme.require(kind.gvk);
}

/**
 * Waits for `informer`'s first sync; when `signal` aborts first, rejects with the 504 Timeout
 * StatusError controller-runtime gives (`failed waiting for … Informer to sync`).
 */
export async function waitForInformerSync(informer: Informer<unknown>, kind: KindRef, signal: AbortSignal | undefined): Promise<void> {
  await waitAsReader(informer.onSynced(signal === undefined ? {} : { signal }), kind, signal);
}

/**
 * `promise`, or — once `signal` aborts — the Timeout StatusError controller-runtime returns when a
 * read stops waiting for `kind`'s informer (whether still in discovery or in its first sync). The
 * awaited work may be shared with other readers: only this reader stops waiting.
 */
export async function waitAsReader<R>(promise: Promise<R>, kind: KindRef, signal: AbortSignal | undefined): Promise<R> {
  try {
    return await abortable(promise, signal);
  } catch (err) {
    if (signal?.aborted === true) throw informerSyncTimeout(`${kind.representation} ${gvkToString(kind.gvk)}`, err);
    throw err;
  }
}

/** The scope a reader needs: the Scheme's word when it has one, else undefined (ask the RESTMapper). */
export function schemeScope(scheme: Scheme, gvk: Readonly<GroupVersionKind>): 'Namespace' | 'Root' | undefined {
  const namespaced = scheme.lookup(gvk)?.namespaced;
  return namespaced === undefined ? undefined : namespaced ? 'Namespace' : 'Root';
}
