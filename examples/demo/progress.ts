// Watches one informer for the demo: list progress, sync, relists, watch restarts, errors and object events.

import {
  isDeletedFinalStateUnknown,
  SharedIndexInformer,
  type Cache,
  type DeepReadonly,
  type KindRef,
  type KubeObject,
} from '../../src/index.ts';
import type { EventCounts, Reporter } from './render.ts';

/** Limits event lines so a busy cluster does not flood the terminal: the rest are counted. */
export class EventLines {
  readonly #reporter: Reporter;
  readonly #perTick: number;
  #shown = 0;
  #elided = 0;

  /** At most `perTick` lines between two {@link EventLines.tick} calls. */
  constructor(reporter: Reporter, perTick: number) {
    this.#reporter = reporter;
    this.#perTick = perTick;
  }

  /** Prints the line if this tick's budget allows, else counts it. */
  offer(print: () => void): void {
    if (this.#shown < this.#perTick) {
      this.#shown++;
      print();
    } else {
      this.#elided++;
    }
  }

  /** Ends a tick: reports what was left out and resets the budget. */
  tick(): void {
    if (this.#elided > 0) this.#reporter.print({ type: 'eventsElided', count: this.#elided });
    this.#shown = 0;
    this.#elided = 0;
  }
}

/** One informer the demo shows; `total` tells the progress bar how many objects exist (fake server only). */
export class WatchedKind {
  /** How the demo names the informer in its output, e.g. "pods(meta)". */
  readonly label: string;
  readonly kind: KindRef;
  /** Events the handler received after the initial list (unchanged relisted objects excluded). */
  readonly events: EventCounts = { add: 0, update: 0, delete: 0 };
  #informer: SharedIndexInformer<KubeObject> | undefined;
  #syncedAt: number | undefined;
  #restartsSeen = 0;
  #lastError = '';
  #lastErrorAt = 0;
  readonly #total: (() => number) | undefined;

  /** `total` counts the kind's objects on the server, for the progress bar; absent against a cluster. */
  constructor(label: string, kind: KindRef, total?: () => number) {
    this.label = label;
    this.kind = kind;
    this.#total = total;
  }

  /**
   * Creates the informer (before the cache starts, so nothing is missed) and subscribes. The
   * lifecycle events live on the SharedIndexInformer, which an all-namespaces cache hands out.
   */
  async attach(cache: Cache, reporter: Reporter, lines: EventLines): Promise<void> {
    const informer = await cache.getInformer(this.kind, { blockUntilSynced: false });
    informer.addEventHandler({
      onAdd: (obj, initial) => {
        if (!initial) this.#event(reporter, lines, 'add', obj, '');
      },
      onUpdate: (oldObj, newObj) => {
        // A relist hands every unchanged object over again as an update; only real changes count.
        if (oldObj.metadata?.resourceVersion === newObj.metadata?.resourceVersion) return;
        this.#event(reporter, lines, 'update', newObj, labelChange(oldObj, newObj));
      },
      onDelete: (obj) => {
        if (isDeletedFinalStateUnknown(obj)) {
          this.events.delete++;
          lines.offer(() => reporter.print({ type: 'event', kind: this.label, event: 'delete', key: obj.key, detail: '(missed; seen by relist)' }));
        } else {
          this.#event(reporter, lines, 'delete', obj, '');
        }
      },
    });
    if (!(informer instanceof SharedIndexInformer)) return;
    const shared = informer as SharedIndexInformer<KubeObject>;
    this.#informer = shared;
    this.#subscribe(shared, reporter);
  }

  #subscribe(informer: SharedIndexInformer<KubeObject>, reporter: Reporter): void {
    const began = reporter.elapsedMs();
    // The first list asks for resourceVersion 0, which the server answers in one piece; a relist
    // after 410 asks, unpaged, for a state not older than the last one seen: one piece as well.
    informer.events.on('listProgress', (listed) => {
      reporter.print({ type: 'progress', kind: this.label, listed, total: this.#total?.() });
    });
    informer.events.on('synced', () => {
      this.#syncedAt = reporter.elapsedMs();
      const objects = informer.getStore().list().length;
      reporter.print({ type: 'synced', kind: this.label, objects, ms: this.#syncedAt - began });
    });
    informer.events.on('relist', () => {
      this.poll(reporter);
      if (this.#syncedAt !== undefined) reporter.print({ type: 'relist', kind: this.label });
    });
    informer.events.on('watchError', (err) => {
      // A 410 is usually met twice in a row (the watch, then the list at the old version): say it once.
      this.poll(reporter);
      const error = describeError(err);
      const now = reporter.elapsedMs();
      if (error === this.#lastError && now - this.#lastErrorAt < 2000) return;
      this.#lastError = error;
      this.#lastErrorAt = now;
      reporter.print({ type: 'watchError', kind: this.label, error });
    });
  }

  /** Reports watch restarts since the last poll (the informer counts them; it has no event for them). */
  poll(reporter: Reporter): void {
    const restarts = this.#informer?.stats().watchRestarts ?? 0;
    for (; this.#restartsSeen < restarts; this.#restartsSeen++) reporter.print({ type: 'watchRestart', kind: this.label });
  }

  /** The informer's counters, or zeros when the cache handed out a fan-out informer. */
  stats(): { objects: number; relists: number; watchRestarts: number; watchErrors: number } {
    const s = this.#informer?.stats();
    // The first list counts as a relist in the informer's stats; the demo reports only the extra ones.
    return { objects: s?.objects ?? 0, relists: Math.max(0, (s?.relists ?? 1) - 1), watchRestarts: s?.watchRestarts ?? 0, watchErrors: s?.watchErrors ?? 0 };
  }

  #event(reporter: Reporter, lines: EventLines, event: keyof EventCounts, obj: DeepReadonly<KubeObject>, detail: string): void {
    this.events[event]++;
    const key = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`.replace(/^\//, '');
    lines.offer(() => reporter.print({ type: 'event', kind: this.label, event, key, detail }));
  }
}

function labelChange(oldObj: DeepReadonly<KubeObject>, newObj: DeepReadonly<KubeObject>): string {
  const before = oldObj.metadata?.labels ?? {};
  const after = newObj.metadata?.labels ?? {};
  const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
  return changed.map((k) => `${k}=${after[k] ?? '(removed)'}`).join(' ');
}

function describeError(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as { name?: unknown; code?: unknown; reason?: unknown; message?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'number' && e.code !== 0 ? ` ${e.code}` : '';
  const reason = typeof e.reason === 'string' && e.reason !== '' && !name.startsWith(e.reason) ? ` ${e.reason}` : '';
  return `${name}${code}${reason}`;
}
