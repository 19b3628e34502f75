// The controller under test: keeps a ConfigMap "pod-summary" per namespace counting that namespace's pods by phase.

import {
  ConnectionError,
  isDeletedFinalStateUnknown,
  isNotFound,
  Pods,
  type DeepReadonly,
  type Informers,
  type KubeObject,
  type Reader,
  type RestClient,
} from '../../src/index.ts';

/** Where the controller writes its result; a real one uses the API, a unit test records the calls. */
export interface SummaryWriter {
  /** Makes `namespace`'s summary hold exactly `data`. */
  write(namespace: string, data: Readonly<Record<string, string>>): Promise<void>;
}

/** Name of the ConfigMap the controller maintains in each namespace. */
export const SUMMARY_NAME = 'pod-summary';

/**
 * Reconciles a namespace whenever one of its pods is added, changes or goes away: counts the
 * namespace's pods by `status.phase` from the cache (never from the API) and writes the counts.
 * Depends only on `Reader & Informers`, so tests can pass a real Cache or FakeInformers.
 */
export class PodSummaryController {
  readonly #cache: Reader & Informers;
  readonly #writer: SummaryWriter;

  /** `cache` is a started Cache in production, FakeInformers in unit tests. */
  constructor(cache: Reader & Informers, writer: SummaryWriter) {
    this.#cache = cache;
    this.#writer = writer;
  }

  /** Registers the pod handler. Each handler's notifications arrive one at a time, so reconciles never overlap. */
  async start(): Promise<void> {
    const informer = await this.#cache.getInformer(Pods);
    informer.addEventHandler({
      onAdd: (pod) => this.reconcile(namespaceOf(pod)),
      onUpdate: (_old, pod) => this.reconcile(namespaceOf(pod)),
      // After a missed deletion the informer hands over a tombstone; its key still names the namespace.
      onDelete: (pod) => this.reconcile(isDeletedFinalStateUnknown(pod) ? (pod.key.split('/')[0] ?? '') : namespaceOf(pod)),
    });
  }

  /** Writes the phase counts of `namespace`'s pods. */
  async reconcile(namespace: string): Promise<void> {
    const pods = await this.#cache.list(Pods, { namespace });
    const counts: Record<string, string> = { total: String(pods.length) };
    for (const pod of pods) {
      const phase = (pod.status?.phase ?? 'Unknown').toLowerCase();
      counts[phase] = String(Number(counts[phase] ?? '0') + 1);
    }
    await this.#writer.write(namespace, counts);
  }
}

function namespaceOf(obj: DeepReadonly<KubeObject>): string {
  return obj.metadata?.namespace ?? '';
}

/**
 * A {@link SummaryWriter} over the API: replaces the ConfigMap's data, creating the ConfigMap when
 * missing. A dropped connection is retried twice; a real controller would requeue the key with a
 * rate limiter instead (see examples/controller).
 */
export function apiSummaryWriter(rest: RestClient): SummaryWriter {
  return {
    async write(namespace, data) {
      for (let attempt = 1; ; attempt++) {
        try {
          await writeSummary(rest, namespace, data);
          return;
        } catch (err) {
          if (!(err instanceof ConnectionError) || attempt === 3) throw err;
        }
      }
    },
  };
}

async function writeSummary(rest: RestClient, namespace: string, data: Readonly<Record<string, string>>): Promise<void> {
  const configMaps = { group: '', version: 'v1', resource: 'configmaps' };
  try {
    // A JSON merge patch keeps keys it does not name, so phases no longer present are sent as null.
    const current = await rest.getObject<{ data?: Record<string, string> }>(configMaps, SUMMARY_NAME, { namespace });
    const cleared = Object.fromEntries(Object.keys(current.data ?? {}).map((k) => [k, null]));
    await rest.patchObject(configMaps, SUMMARY_NAME, { data: { ...cleared, ...data } }, { namespace });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await rest.createObject(configMaps, { metadata: { name: SUMMARY_NAME }, data: { ...data } }, { namespace });
  }
}
