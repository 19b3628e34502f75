// The client-node contender: @kubernetes/client-node's makeInformer, used the way its README shows.

import { CoreV1Api, KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import { UnsupportedScenarioError, type Session, type SessionOptions } from '../contender.ts';

/** A KubeConfig whose only cluster is the bench server (plain HTTP on loopback, no credentials). */
export function benchKubeConfig(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'bench', server, skipTLSVerify: true }],
    users: [{ name: 'bench' }],
    contexts: [{ name: 'bench', cluster: 'bench', user: 'bench' }],
    currentContext: 'bench',
  });
  return kc;
}

/** client-node's informer over all pods; its list function is the typed API's unpaginated list. */
class ClientNodeSession implements Session {
  readonly #informer: ReturnType<typeof makeInformer<V1Pod>>;
  #failure: unknown;
  #stopping = false;

  constructor(options: SessionOptions) {
    const kc = benchKubeConfig(options.server);
    const api = kc.makeApiClient(CoreV1Api);
    this.#informer = makeInformer<V1Pod>(kc, '/api/v1/pods', () => api.listPodForAllNamespaces());
    for (let h = 0; h < options.handlers; h++) this.#informer.on('update', () => options.onUpdate(h));
    // client-node stops for good on any error; remember it so the worker reports it instead of hanging.
    this.#informer.on('error', (err: unknown) => {
      // stop() aborts the watch, which client-node also reports as an error.
      if (this.#stopping) return;
      this.#failure = err;
      process.emitWarning(`client-node informer error: ${String(err)}`);
    });
  }

  async start(): Promise<void> {
    await this.#informer.start();
    if (this.#failure !== undefined) throw new Error('client-node informer failed to start', { cause: this.#failure });
  }

  handlersSynced(): Promise<void> {
    // Its handlers run synchronously inside the list processing, so they are done when start() is.
    return Promise.resolve();
  }

  size(): number {
    return this.#informer.list().length;
  }

  get(namespace: string, name: string): unknown {
    return this.#informer.get(name, namespace);
  }

  listNamespace(namespace: string): readonly unknown[] {
    return this.#informer.list(namespace);
  }

  readonly byNode = undefined;

  scanNode(node: string): readonly unknown[] {
    return this.#informer.list().filter((pod) => pod.spec?.nodeName === node);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#informer.stop();
  }
}

/** Builds the client-node session; it has neither a metadata-only mode nor a transform hook. */
export function createClientNodeSession(options: SessionOptions): Promise<Session> {
  if (options.mode !== 'full') return Promise.reject(new UnsupportedScenarioError(`client-node has no ${options.mode} mode`));
  return Promise.resolve(new ClientNodeSession(options));
}
