// One Informer view over the per-namespace informers of a kind.

import type { Indexers } from '../informer/indexer.ts';
import type { ResourceEventHandler, ResourceEventHandlerRegistration } from '../informer/handler.ts';
import type { AddEventHandlerOptions } from '../informer/shared-index-informer.ts';
import { ForeignRegistrationError } from './errors.ts';
import type { Informer } from './informer.ts';

/**
 * Fans every call out to one informer per namespace. A handler added here is added to each; its
 * registration is synced when all of theirs are. Synced and stopped mean "all of them".
 * @category Informers
 */
export class MultiNamespaceInformer<T> implements Informer<T> {
  readonly #informers: ReadonlyMap<string, Informer<T>>;
  readonly #registrations = new WeakMap<ResourceEventHandlerRegistration, ResourceEventHandlerRegistration[]>();

  /** `informers` by namespace. */
  constructor(informers: ReadonlyMap<string, Informer<T>>) {
    this.#informers = informers;
  }

  addEventHandler(handler: ResourceEventHandler<T>, options?: AddEventHandlerOptions): ResourceEventHandlerRegistration {
    const parts = [...this.#informers.values()].map((i) => i.addEventHandler(handler, options));
    const composite: ResourceEventHandlerRegistration = {
      hasSynced: () => parts.every((p) => p.hasSynced()),
      onSynced: async (opts) => {
        await Promise.all(parts.map((p) => p.onSynced(opts)));
      },
      get queueDepth() {
        return parts.reduce((sum, p) => sum + p.queueDepth, 0);
      },
    };
    this.#registrations.set(composite, parts);
    return composite;
  }

  removeEventHandler(registration: ResourceEventHandlerRegistration): Promise<void> {
    const parts = this.#registrations.get(registration);
    if (parts === undefined) throw new ForeignRegistrationError();
    const informers = [...this.#informers.values()];
    const removals = parts.map((part, i) => informers[i]?.removeEventHandler(part) ?? Promise.resolve());
    return Promise.all(removals).then(() => undefined);
  }

  addIndexers(indexers: Indexers<T>): void {
    for (const informer of this.#informers.values()) informer.addIndexers(indexers);
  }

  hasSynced(): boolean {
    return [...this.#informers.values()].every((i) => i.hasSynced());
  }

  async onSynced(options?: { signal?: AbortSignal }): Promise<void> {
    await Promise.all([...this.#informers.values()].map((i) => i.onSynced(options)));
  }

  isStopped(): boolean {
    return [...this.#informers.values()].every((i) => i.isStopped());
  }

  /** The informer of each namespace. */
  namespaces(): ReadonlyMap<string, Informer<T>> {
    return this.#informers;
  }
}
