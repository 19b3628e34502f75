// The kubecache contender: a SharedIndexInformer over the client layer's ListWatch and Transport.

import { Transport } from '../../src/client/transport.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { NAMESPACE_INDEX, namespaceIndexFunc, type Indexers } from '../../src/informer/indexer.ts';
import { SharedIndexInformer } from '../../src/informer/shared-index-informer.ts';
import type { ResourceEventHandlerRegistration } from '../../src/informer/handler.ts';
import type { BenchPod } from '../pods.ts';
import type { Session, SessionOptions } from '../contender.ts';
import { benchKubeConfig } from './client-node.ts';

/** The name of the field index the read-index scenario queries. */
export const NODE_INDEX = 'spec.nodeName';

/** Drops managedFields in place, as controller-runtime's TransformStripManagedFields does (idempotent). */
function stripManagedFields(pod: BenchPod): BenchPod {
  if (pod.metadata !== undefined) delete pod.metadata.managedFields;
  return pod;
}

function indexers(nodeIndex: boolean): Indexers<BenchPod> {
  const out: Indexers<BenchPod> = { [NAMESPACE_INDEX]: namespaceIndexFunc };
  if (nodeIndex) {
    out[NODE_INDEX] = (pod) => {
      const node = pod.spec?.nodeName;
      return node === undefined ? [] : [node];
    };
  }
  return out;
}

/** A SharedIndexInformer on all pods, with the namespace index (and the node index when asked). */
class KubecacheSession implements Session {
  readonly #informer: SharedIndexInformer<BenchPod>;
  readonly #registrations: ResourceEventHandlerRegistration[] = [];
  readonly #abort = new AbortController();
  #running: Promise<void> = Promise.resolve();
  readonly byNode: ((node: string) => readonly unknown[]) | undefined;

  constructor(options: SessionOptions) {
    const transport = Transport.fromKubeConfig(benchKubeConfig(options.server));
    const lw = new ListWatch<BenchPod>({
      transport,
      resource: { group: '', version: 'v1', resource: 'pods' },
      metadataOnly: options.mode === 'metadata',
    });
    this.#informer = new SharedIndexInformer<BenchPod>(lw, {
      indexers: indexers(options.nodeIndex),
      freeze: options.freeze,
      objectDescription: 'pods',
      ...(options.mode === 'transform' ? { transform: stripManagedFields } : {}),
    });
    for (let h = 0; h < options.handlers; h++) {
      this.#registrations.push(this.#informer.addEventHandler({ onUpdate: () => options.onUpdate(h) }));
    }
    const indexer = this.#informer.getIndexer();
    this.byNode = options.nodeIndex ? (node) => indexer.byIndex(NODE_INDEX, node) : undefined;
  }

  async start(): Promise<void> {
    this.#running = this.#informer.run(this.#abort.signal);
    // A run() that ends before syncing rejects onSynced with InformerStoppedError, which we surface.
    await Promise.race([this.#informer.onSynced(), this.#running.then(() => this.#informer.onSynced())]);
  }

  async handlersSynced(): Promise<void> {
    await Promise.all(this.#registrations.map((r) => r.onSynced()));
  }

  size(): number {
    return this.#informer.getIndexer().size;
  }

  get(namespace: string, name: string): unknown {
    return this.#informer.getIndexer().get(`${namespace}/${name}`);
  }

  listNamespace(namespace: string): readonly unknown[] {
    return this.#informer.getIndexer().byIndex(NAMESPACE_INDEX, namespace);
  }

  scanNode(node: string): readonly unknown[] {
    return this.#informer.getIndexer().list().filter((pod) => pod.spec?.nodeName === node);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#running;
  }
}

/** Builds the kubecache session; every mode is supported. */
export function createKubecacheSession(options: SessionOptions): Promise<Session> {
  return Promise.resolve(new KubecacheSession(options));
}
