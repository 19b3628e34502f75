// An in-memory Informer for controller unit tests: the test adds, updates and deletes objects and
// the registered handlers run, with no server and no watch.

import { waitUnlessAborted } from '../api/abortable.ts';
import { deepCopy, deepFreeze } from '../api/deep-freeze.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import type { Informer } from '../cache/informer.ts';
import { DeletedFinalStateUnknown } from '../informer/deleted-final-state-unknown.ts';
import { HandlerError, InformerStoppedError } from '../informer/errors.ts';
import { Indexer, NAMESPACE_INDEX, namespaceIndexFunc, type Indexers, type IndexerReader } from '../informer/indexer.ts';
import type { ResourceEventHandler, ResourceEventHandlerRegistration } from '../informer/handler.ts';
import type { Notification } from '../informer/notification.ts';

/** The registration a {@link FakeInformer} hands out. */
class FakeRegistration<T> implements ResourceEventHandlerRegistration {
  readonly handler: ResourceEventHandler<T>;
  #synced = false;
  #waiters: (() => void)[] = [];
  queueDepth = 0;

  constructor(handler: ResourceEventHandler<T>) {
    this.handler = handler;
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  markSynced(): void {
    if (this.#synced) return;
    this.#synced = true;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  onSynced(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return waitFor(this.#waiters, options.signal);
  }
}

/**
 * controller-runtime's controllertest.FakeInformer: an {@link Informer} whose events the test
 * drives. `add`, `update` and `delete` change the store first and then call every handler in
 * registration order, awaiting each; they resolve once all handlers are done and reject with a
 * {@link HandlerError} if one threw (the other handlers still run). Objects are copied and frozen
 * as the real informer stores them.
 *
 * @example
 * const informer = new FakeInformer<V1Pod>();
 * informer.addEventHandler({ onAdd: (pod) => queue.add(pod.metadata?.name ?? '') });
 * await informer.add({ metadata: { namespace: 'ns', name: 'p1' } });
 * @category Testing
 */
export class FakeInformer<T extends KubeObject = KubeObject> implements Informer<T> {
  readonly #store: Indexer<T>;
  readonly #registrations = new Set<FakeRegistration<T>>();
  #synced: boolean;
  #stopped = false;
  #syncWaiters: (() => void)[] = [];
  /** Handler failures during the initial adds a late handler receives (nothing awaits those). */
  readonly replayErrors: HandlerError[] = [];

  /** @param options.synced whether `hasSynced()` starts true. @default true */
  constructor(options: { synced?: boolean } = {}) {
    this.#synced = options.synced ?? true;
    this.#store = new Indexer<T>({ indexers: { [NAMESPACE_INDEX]: namespaceIndexFunc } });
  }

  /** The store's read-only view (what a cache reader over this informer sees). */
  get store(): IndexerReader<T> {
    return this.#store.readOnly();
  }

  /** Handlers currently registered. */
  get handlerCount(): number {
    return this.#registrations.size;
  }

  /** Stores `obj` and delivers an add (`isInInitialList` false) to every handler. */
  async add(obj: T): Promise<void> {
    const stored = deepFreeze(deepCopy(obj));
    this.#store.add(stored);
    await this.#deliver({ type: 'add', obj: stored, isInInitialList: false });
  }

  /** Stores `newObj` and delivers an update; `oldObj` defaults to the stored object (or `newObj`). */
  async update(newObj: T, oldObj?: T): Promise<void> {
    const stored = deepFreeze(deepCopy(newObj));
    const previous =
      oldObj !== undefined ? deepFreeze(deepCopy(oldObj)) : (this.#store.get(this.#store.keyOf(stored)) ?? stored);
    this.#store.update(stored);
    await this.#deliver({ type: 'update', oldObj: previous, newObj: stored });
  }

  /**
   * Removes `obj` and delivers a delete. With `{ finalStateUnknown: true }` the handlers receive a
   * {@link DeletedFinalStateUnknown}, as after a relist that missed the deletion.
   */
  async delete(obj: T, options: { finalStateUnknown?: boolean } = {}): Promise<void> {
    const stored = deepFreeze(deepCopy(obj));
    const key = this.#store.keyOf(stored);
    this.#store.delete(stored);
    const delivered = options.finalStateUnknown === true ? new DeletedFinalStateUnknown<T>(key, stored) : stored;
    await this.#deliver({ type: 'delete', obj: delivered });
  }

  /** Sets whether the informer reports itself synced; turning it true wakes `onSynced` waiters. */
  setSynced(synced: boolean): void {
    this.#synced = synced;
    if (!synced) return;
    for (const wake of this.#syncWaiters.splice(0)) wake();
    for (const reg of this.#registrations) reg.markSynced();
  }

  /** Marks the informer stopped: adding handlers then throws, as on a real stopped informer. */
  stop(): void {
    this.#stopped = true;
  }

  addEventHandler(handler: ResourceEventHandler<T>): ResourceEventHandlerRegistration {
    if (this.#stopped) throw new InformerStoppedError('handler was not added to the fake informer because it has stopped already');
    const reg = new FakeRegistration(handler);
    this.#registrations.add(reg);
    // Like a real informer, a late handler first sees the current contents as initial adds.
    const existing = this.#store.list();
    void this.#replay(reg, existing);
    return reg;
  }

  removeEventHandler(registration: ResourceEventHandlerRegistration): Promise<void> {
    this.#registrations.delete(registration as FakeRegistration<T>);
    return Promise.resolve();
  }

  addIndexers(indexers: Indexers<T>): void {
    this.#store.addIndexers(indexers);
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  onSynced(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return waitFor(this.#syncWaiters, options.signal);
  }

  isStopped(): boolean {
    return this.#stopped;
  }

  async #replay(reg: FakeRegistration<T>, existing: readonly DeepReadonly<T>[]): Promise<void> {
    for (const obj of existing) {
      try {
        await this.#call(reg, { type: 'add', obj, isInInitialList: true });
      } catch (err) {
        // Nobody awaits a replay: keep the failure where the test can assert on it.
        this.replayErrors.push(err as HandlerError);
      }
    }
    if (this.#synced) reg.markSynced();
  }

  async #deliver(notification: Notification<T>): Promise<void> {
    const failures: HandlerError[] = [];
    for (const reg of [...this.#registrations]) {
      try {
        await this.#call(reg, notification);
      } catch (err) {
        failures.push(err as HandlerError);
      }
    }
    const [first] = failures;
    if (failures.length === 1 && first !== undefined) throw first;
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} event handlers failed`);
  }

  async #call(reg: FakeRegistration<T>, n: Notification<T>): Promise<void> {
    const h = reg.handler;
    reg.queueDepth++;
    try {
      if (n.type === 'add') await h.onAdd?.(n.obj, n.isInInitialList);
      else if (n.type === 'update') await h.onUpdate?.(n.oldObj, n.newObj);
      else await h.onDelete?.(n.obj);
    } catch (cause) {
      throw new HandlerError(reg, n, cause);
    } finally {
      reg.queueDepth--;
    }
  }
}

function waitFor(waiters: (() => void)[], signal: AbortSignal | undefined): Promise<void> {
  return waitUnlessAborted<void>(signal, (resolve) => {
    const wake = (): void => resolve();
    waiters.push(wake);
    return () => {
      const at = waiters.indexOf(wake);
      if (at !== -1) waiters.splice(at, 1);
    };
  });
}
