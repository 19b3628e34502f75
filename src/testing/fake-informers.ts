// An in-memory Cache stand-in (controller-runtime's informertest.FakeInformers): fake informers per
// kind, and get/list served from their stores, for controller tests without a server.

import { untilAborted } from '../api/abortable.ts';
import { gvkKey, type GroupVersionKind } from '../api/gvk.ts';
import type { KubeObject } from '../api/types.ts';
import { CacheReader, type ObjectKeyInput } from '../cache/cache-reader.ts';
import { CacheAlreadyStartedError } from '../cache/errors.ts';
import { fieldIndexName, indexByField, type FieldExtractor } from '../cache/field-index.ts';
import type { CacheListOptions, GetInformerOptions, GetOptions, Informers, ReadResult, Reader } from '../cache/interfaces.ts';
import { structured, type KindRef } from '../cache/kinds.ts';
import { toFieldSelector, toLabelSelector } from '../cache/options.ts';
import { FakeInformer } from './fake-informer.ts';

/**
 * Fake informers keyed by kind and representation, plus a Reader over them. A controller written
 * against `Reader & Informers` runs unchanged on it: the test seeds objects with
 * `informerFor(kind).add(obj)` and asserts what the handlers did.
 *
 * Reads behave like the real cache's: frozen results unless `deepCopy`, 404 StatusErrors, label
 * selectors, field selectors over indexes registered with `indexField`. Unlike the real cache,
 * reads work before `start()` and never wait.
 *
 * @example
 * const informers = new FakeInformers();
 * await startController(informers);
 * await informers.informerFor(Pods).add(pod);
 * assert.deepEqual(reconciled, ['ns/p1']);
 */
export class FakeInformers implements Reader, Informers {
  readonly #informers = new Map<string, FakeInformer>();
  readonly #synced: boolean;
  #started = false;

  /** @param options.synced whether new fake informers report themselves synced. @default true */
  constructor(options: { synced?: boolean } = {}) {
    this.#synced = options.synced ?? true;
  }

  /** The fake informer of `kind`, created on first use. */
  informerFor<T extends KubeObject>(kind: KindRef<T>): FakeInformer<T> {
    const key = `${kind.representation}|${gvkKey(kind.gvk)}`;
    let informer = this.#informers.get(key);
    if (informer === undefined) {
      informer = new FakeInformer({ synced: this.#synced });
      this.#informers.set(key, informer);
    }
    // One map holds every kind; the key (representation and GVK) is what ties this entry to T.
    return informer as unknown as FakeInformer<T>;
  }

  /** True when an informer for `kind` exists (getInformer, indexField or a read created it). */
  has(kind: KindRef): boolean {
    return this.#informers.has(`${kind.representation}|${gvkKey(kind.gvk)}`);
  }

  getInformer<T extends KubeObject>(kind: KindRef<T>, _options?: GetInformerOptions): Promise<FakeInformer<T>> {
    return Promise.resolve(this.informerFor(kind));
  }

  getInformerForKind<T extends KubeObject = KubeObject>(gvk: GroupVersionKind, _options?: GetInformerOptions): Promise<FakeInformer<T>> {
    return this.getInformer(structured<T>(gvk));
  }

  removeInformer(kind: KindRef): Promise<void> {
    const key = `${kind.representation}|${gvkKey(kind.gvk)}`;
    this.#informers.get(key)?.stop();
    this.#informers.delete(key);
    return Promise.resolve();
  }

  indexField<T extends KubeObject>(kind: KindRef<T>, field: string, extract: FieldExtractor<T>): Promise<void> {
    this.informerFor(kind).addIndexers({ [fieldIndexName(field)]: indexByField(extract) });
    return Promise.resolve();
  }

  /** Resolves when `signal` aborts; rejects with CacheAlreadyStartedError on a second call, as the real cache does. */
  start(signal: AbortSignal): Promise<void> {
    if (this.#started) return Promise.reject(new CacheAlreadyStartedError());
    this.#started = true;
    return untilAborted(signal);
  }

  /** True when every fake informer reports itself synced. */
  waitForCacheSync(_signal?: AbortSignal): Promise<boolean> {
    return Promise.resolve([...this.#informers.values()].every((i) => i.hasSynced()));
  }

  // async so that a reader's throw (NotFound, bad selector) becomes a rejection, as on the real cache.
  async get<T extends KubeObject, O extends GetOptions = GetOptions>(
    kind: KindRef<T>,
    key: ObjectKeyInput,
    options?: O,
  ): Promise<ReadResult<T, O>> {
    await Promise.resolve();
    return this.#reader(kind).get(key, options?.deepCopy) as ReadResult<T, O>;
  }

  async list<T extends KubeObject, O extends CacheListOptions = CacheListOptions>(
    kind: KindRef<T>,
    options?: O,
  ): Promise<ReadResult<T, O>[]> {
    await Promise.resolve();
    const o: CacheListOptions = options ?? {};
    const items = this.#reader(kind).list({
      ...(o.namespace === undefined ? {} : { namespace: o.namespace }),
      ...(o.labelSelector === undefined ? {} : { labelSelector: toLabelSelector(o.labelSelector) }),
      ...(o.fieldSelector === undefined ? {} : { fieldSelector: toFieldSelector(o.fieldSelector) }),
      ...(o.limit === undefined ? {} : { limit: o.limit }),
      ...(o.deepCopy === undefined ? {} : { deepCopy: o.deepCopy }),
    });
    return items as ReadResult<T, O>[];
  }

  #reader<T extends KubeObject>(kind: KindRef<T>): CacheReader<T> {
    return new CacheReader<T>({
      indexer: this.informerFor(kind).store,
      gvk: kind.gvk,
      resource: naivePlural(kind.gvk.kind),
      // A key without a namespace finds cluster-scoped objects either way.
      scope: 'Namespace',
      deepCopy: false,
    });
  }
}

// Only for NotFound messages; the fake has no discovery to ask for the real plural.
function naivePlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
