// An in-memory Cache stand-in (controller-runtime's informertest.FakeInformers): fake informers per
// kind, and get/list served from their stores with the real Cache's read rules, for controller tests without a server.

import { untilAborted } from '../api/abortable.ts';
import { gvkKey, type GroupVersionKind } from '../api/gvk.ts';
import type { KubeObject } from '../api/types.ts';
import { CacheReader, type ObjectKeyInput } from '../cache/cache-reader.ts';
import { CacheAlreadyStartedError, CacheNotStartedError } from '../cache/errors.ts';
import { fieldIndexName, indexByField, type FieldExtractor } from '../cache/field-index.ts';
import type { CacheListOptions, GetInformerOptions, GetOptions, Informers, ReadResult, Reader } from '../cache/interfaces.ts';
import { structured, type KindRef } from '../cache/kinds.ts';
import type { CacheRESTMapper } from '../cache/options.ts';
import { readerListOptions, requireRegistered, schemeScope, waitForInformerSync } from '../cache/read-rules.ts';
import { defaultScheme, type Scheme } from '../cache/scheme.ts';
import { NoKindMatchError } from '../client/errors.ts';
import { FakeInformer } from './fake-informer.ts';

/**
 * Options of {@link FakeInformers}.
 * @category Testing
 */
export interface FakeInformersOptions {
  /** Whether new fake informers report themselves synced (reads of an unsynced kind wait, as on a real cache). @default true */
  readonly synced?: boolean;
  /** Structured kinds must be registered here, and it tells which kinds are cluster-scoped. @default defaultScheme */
  readonly scheme?: Scheme;
  /** Asked for the scope and plural of kinds the scheme does not describe (CRDs read unstructured). @default none */
  readonly mapper?: CacheRESTMapper;
}

/**
 * Fake informers keyed by kind and representation, plus a Reader over them. A controller written
 * against `Reader & Informers` runs unchanged on it: the test seeds objects with
 * `informerFor(kind).add(obj)` and asserts what the handlers did.
 *
 * Reads follow the real Cache's rules through the same code: they reject with
 * CacheNotStartedError before {@link FakeInformers.start}, wait for an unsynced informer (a 504
 * Timeout when their signal aborts first), return frozen objects unless `deepCopy`, reject a
 * missing object with a 404 StatusError, a `continue` token with ContinueNotSupportedError, and a
 * structured kind outside the Scheme with KindNotRegisteredError; a get of a cluster-scoped kind
 * ignores the namespace. Set {@link FakeInformers.error} to make the calls fail, as
 * controller-runtime's `FakeInformers.Error` does.
 *
 * @example
 * const informers = new FakeInformers();
 * void informers.start(signal);
 * await startController(informers);
 * await informers.informerFor(Pods).add(pod);
 * assert.deepEqual(reconciled, ['ns/p1']);
 * @category Testing
 */
export class FakeInformers implements Reader, Informers {
  /**
   * When set, every `getInformer`, `getInformerForKind`, `get`, `list` and `indexField` rejects
   * with it (controller-runtime's `FakeInformers.Error`): how a test makes the cache fail.
   */
  error: Error | undefined;
  readonly #informers = new Map<string, FakeInformer>();
  readonly #synced: boolean;
  readonly #scheme: Scheme;
  readonly #mapper: CacheRESTMapper | undefined;
  #started = false;

  constructor(options: FakeInformersOptions = {}) {
    this.#synced = options.synced ?? true;
    this.#scheme = options.scheme ?? defaultScheme;
    this.#mapper = options.mapper;
  }

  /** The fake informer of `kind`, created on first use (the test's handle for driving events). */
  informerFor<T extends KubeObject>(kind: KindRef<T>): FakeInformer<T> {
    requireRegistered(this.#scheme, kind);
    const key = keyOf(kind);
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
    return this.#informers.has(keyOf(kind));
  }

  async getInformer<T extends KubeObject>(kind: KindRef<T>, options: GetInformerOptions = {}): Promise<FakeInformer<T>> {
    this.#failIfAsked();
    const informer = this.informerFor(kind);
    if (this.#started && (options.blockUntilSynced ?? true)) await waitForInformerSync(informer, kind, options.signal);
    return informer;
  }

  async getInformerForKind<T extends KubeObject = KubeObject>(gvk: GroupVersionKind, options?: GetInformerOptions): Promise<FakeInformer<T>> {
    this.#failIfAsked();
    this.#scheme.require(gvk);
    return this.getInformer(structured<T>(gvk), options);
  }

  removeInformer(kind: KindRef): Promise<void> {
    const key = keyOf(kind);
    this.#informers.get(key)?.stop();
    this.#informers.delete(key);
    return Promise.resolve();
  }

  async indexField<T extends KubeObject>(kind: KindRef<T>, field: string, extract: FieldExtractor<T>): Promise<void> {
    this.#failIfAsked();
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

  async get<T extends KubeObject, O extends GetOptions = GetOptions>(kind: KindRef<T>, key: ObjectKeyInput, options?: O): Promise<ReadResult<T, O>> {
    const reader = await this.#reader(kind, options?.signal);
    return reader.get(key, options?.deepCopy) as ReadResult<T, O>;
  }

  async list<T extends KubeObject, O extends CacheListOptions = CacheListOptions>(kind: KindRef<T>, options?: O): Promise<ReadResult<T, O>[]> {
    const parsed = readerListOptions(options ?? {});
    const reader = await this.#reader(kind, parsed.signal);
    return reader.list(parsed) as ReadResult<T, O>[];
  }

  /** The reader a real cache would use for `kind` once its informer synced. */
  async #reader<T extends KubeObject>(kind: KindRef<T>, signal: AbortSignal | undefined): Promise<CacheReader<T>> {
    this.#failIfAsked();
    const informer = this.informerFor(kind);
    if (!this.#started) throw new CacheNotStartedError();
    const { scope, resource } = await this.#mapping(kind.gvk);
    if (!informer.hasSynced()) await waitForInformerSync(informer, kind, signal);
    return new CacheReader<T>({ indexer: informer.store, gvk: kind.gvk, resource, scope, deepCopy: false });
  }

  /** Scope and plural: the Scheme's scope and a guessed plural, else the mapper's answer. */
  async #mapping(gvk: Readonly<GroupVersionKind>): Promise<{ scope: 'Namespace' | 'Root'; resource: string }> {
    const scope = schemeScope(this.#scheme, gvk);
    if (scope !== undefined && this.#mapper === undefined) return { scope, resource: naivePlural(gvk.kind) };
    if (this.#mapper === undefined) {
      throw new NoKindMatchError({ ...gvk }, { cause: new Error('FakeInformers has no mapper: register the kind in its scheme with `namespaced`, or pass `mapper`') });
    }
    const mapping = await this.#mapper.restMapping(gvk);
    return { scope: scope ?? mapping.scope, resource: mapping.resource.resource };
  }

  #failIfAsked(): void {
    if (this.error !== undefined) throw this.error;
  }
}

function keyOf(kind: KindRef): string {
  return `${kind.representation}|${gvkKey(kind.gvk)}`;
}

// Only for NotFound messages when there is no mapper to ask for the real plural.
function naivePlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
