// Test kit for the informer layer: a ListerWatcher driven step by step by the test.

import type { TestContext } from 'node:test';
import { FakeClock } from '../../src/api/clock.ts';
import type { ListerWatcher, ListOptions, ListPage, WatchEvent, WatchOptions } from '../../src/api/lister-watcher.ts';
import type { DeepReadonly, KubeObject } from '../../src/api/types.ts';
import { isDeletedFinalStateUnknown, type DeletedFinalStateUnknown } from '../../src/informer/deleted-final-state-unknown.ts';
import type { ResourceEventHandler } from '../../src/informer/handler.ts';
import type { SharedIndexInformerOptions } from '../../src/informer/informer-types.ts';
import { SharedIndexInformer } from '../../src/informer/shared-index-informer.ts';
import { Backoff } from '../../src/informer/backoff.ts';
import { Reflector } from '../../src/informer/reflector.ts';
import type { ReflectorOptions, ReflectorStore } from '../../src/informer/reflector-types.ts';
import { runUntilTestEnds } from '../cleanup.ts';

type Item<T> = { readonly event: WatchEvent<T> } | { readonly error: unknown } | { readonly end: true };

/**
 * One watch stream; the test pushes events, ends it or makes it fail. Events pushed together are
 * handed over without a promise turn each (`takeBuffered`), as the HTTP watch does with one chunk.
 */
export class ScriptedWatch<T> implements AsyncIterator<WatchEvent<T>> {
  readonly options: WatchOptions;
  /** True once the consumer stopped reading (return() or abort). */
  stopped = false;
  #items: Item<T>[] = [];
  #waiter: (() => void) | undefined;

  constructor(options: WatchOptions) {
    this.options = options;
    options.signal?.addEventListener('abort', () => this.end(), { once: true });
  }

  push(...events: WatchEvent<T>[]): void {
    for (const event of events) this.#items.push({ event });
    this.#wake();
  }

  end(): void {
    this.#items.push({ end: true });
    this.#wake();
  }

  fail(error: unknown): void {
    this.#items.push({ error });
    this.#wake();
  }

  async next(): Promise<IteratorResult<WatchEvent<T>>> {
    for (;;) {
      if (this.stopped) return { done: true, value: undefined };
      const item = this.#items.shift();
      if (item !== undefined) {
        if ('event' in item) return { done: false, value: item.event };
        this.stopped = true;
        if ('error' in item) throw item.error;
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
  }

  takeBuffered(): WatchEvent<T> | undefined {
    const item = this.#items[0];
    if (this.stopped || item === undefined || !('event' in item)) return undefined;
    this.#items.shift();
    return item.event;
  }

  return(): Promise<IteratorResult<WatchEvent<T>>> {
    this.stopped = true;
    this.#wake();
    return Promise.resolve({ done: true, value: undefined });
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }
}

/** A ListerWatcher whose lists are answered by `onList` and whose watches the test drives. */
export class ScriptedListerWatcher<T extends KubeObject> implements ListerWatcher<T> {
  readonly listCalls: ListOptions[] = [];
  readonly watches: ScriptedWatch<T>[] = [];
  onList: (options: ListOptions) => ListPage<T> | Promise<ListPage<T>>;
  /** Called for each new watch (e.g. to push events or fail it at once). */
  onWatch: ((watch: ScriptedWatch<T>) => void) | undefined;
  #watchWaiters: (() => void)[] = [];

  constructor(onList: (options: ListOptions) => ListPage<T> | Promise<ListPage<T>> = () => ({ items: [], resourceVersion: '1' })) {
    this.onList = onList;
  }

  async list(options: ListOptions): Promise<ListPage<T>> {
    this.listCalls.push(options);
    await Promise.resolve();
    return this.onList(options);
  }

  watch(options: WatchOptions): AsyncIterable<WatchEvent<T>> {
    const w = new ScriptedWatch<T>(options);
    this.watches.push(w);
    this.onWatch?.(w);
    const waiters = this.#watchWaiters;
    this.#watchWaiters = [];
    for (const wake of waiters) wake();
    return { [Symbol.asyncIterator]: () => w };
  }

  /** Resolves with watch number `index` (0-based) once it has been opened. */
  async watchAt(index: number): Promise<ScriptedWatch<T>> {
    while (this.watches.length <= index) await new Promise<void>((resolve) => this.#watchWaiters.push(resolve));
    return this.watches[index] as ScriptedWatch<T>;
  }
}

/** A minimal namespaced object. */
export interface TestPod extends KubeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  spec?: { node?: string };
}

/** Builds a pod "ns/name" at version `rv`. */
export function pod(name: string, rv: string, extra: { ns?: string; node?: string; labels?: Record<string, string> } = {}): TestPod {
  const p: TestPod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: extra.ns ?? 'default', resourceVersion: rv } };
  if (extra.labels !== undefined) p.metadata.labels = extra.labels;
  if (extra.node !== undefined) p.spec = { node: extra.node };
  return p;
}

/** A handler that records what it sees as short strings ("add a@10 initial", "delete tombstone:default/b"). */
export function recorder(log: string[] = []): ResourceEventHandler<TestPod> & { log: string[] } {
  const name = (o: DeepReadonly<TestPod> | DeletedFinalStateUnknown<TestPod>): string =>
    isDeletedFinalStateUnknown<TestPod>(o) ? `tombstone:${o.key}` : `${o.metadata.name}@${o.metadata.resourceVersion}`;
  return {
    log,
    onAdd: (o, initial) => void log.push(`add ${name(o)}${initial ? ' initial' : ''}`),
    onUpdate: (a, b) => void log.push(`update ${name(a)}->${name(b)}`),
    onDelete: (o) => void log.push(`delete ${name(o)}`),
  };
}

/** A SharedIndexInformer over a scripted ListerWatcher on a fake clock; `run()` starts it, the test's end stops it. */
export function setupInformer(
  t: TestContext,
  onList: (o: ListOptions) => ListPage<TestPod> = () => ({ items: [pod('a', '10'), pod('b', '10')], resourceVersion: '10' }),
  options: SharedIndexInformerOptions<TestPod> = {},
) {
  const lw = new ScriptedListerWatcher<TestPod>(onList);
  const clock = new FakeClock();
  const informer = new SharedIndexInformer<TestPod>(lw, { clock, ...options });
  const controller = new AbortController();
  let done: Promise<void> | undefined;
  const run = (): Promise<void> => (done = informer.run(controller.signal));
  t.after(async () => {
    controller.abort();
    await done;
  });
  return { lw, clock, informer, controller, run };
}

/** Records every store call as a compact string. */
export class RecordingStore implements ReflectorStore<TestPod> {
  readonly calls: string[] = [];
  add(obj: DeepReadonly<TestPod>): void {
    if (obj.metadata.name === undefined) throw new Error('object has no name');
    this.calls.push(`add ${obj.metadata.name}@${obj.metadata.resourceVersion}`);
  }
  update(obj: DeepReadonly<TestPod>): void {
    this.calls.push(`update ${obj.metadata.name}@${obj.metadata.resourceVersion}`);
  }
  delete(obj: DeepReadonly<TestPod> | DeletedFinalStateUnknown<TestPod>): void {
    this.calls.push(`delete ${'key' in obj ? obj.key : obj.metadata.name}`);
  }
  replace(list: readonly DeepReadonly<TestPod>[], rv: string): void {
    this.calls.push(`replace [${list.map((p) => p.metadata.name).join(',')}]@${rv}`);
  }
  resync(): void {
    this.calls.push('resync');
  }
}

/** A Reflector over a scripted ListerWatcher into a {@link RecordingStore}, on a fake clock with no jitter; stopped with the test. */
export function startReflector(
  t: TestContext,
  onList: (o: ListOptions) => ListPage<TestPod> | Promise<ListPage<TestPod>>,
  options: ReflectorOptions = {},
  onWatch?: (w: ScriptedWatch<TestPod>) => void,
) {
  const lw = new ScriptedListerWatcher<TestPod>(onList);
  lw.onWatch = onWatch;
  const store = new RecordingStore();
  const clock = options.clock instanceof FakeClock ? options.clock : new FakeClock();
  const errors: unknown[] = [];
  const reflector = new Reflector<TestPod>(lw, store, {
    clock,
    random: () => 0,
    backoff: new Backoff({ clock, random: () => 0 }),
    watchErrorHandler: (e) => errors.push(e),
    ...options,
  });
  const { stop: controller, done } = runUntilTestEnds(t, (signal) => reflector.run(signal));
  return { lw, store, clock, errors, reflector, controller, done };
}
