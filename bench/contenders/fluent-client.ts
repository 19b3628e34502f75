// The kubernetes-fluent-client contender: `K8s(kind.Pod).Watch(callback)`, the Watcher Pepr runs on.
//
// It lists (no resourceVersion, no limit: a consistent read in one body), keeps every object in a
// private Map keyed by UID, then watches from the list's version and calls the callback per
// event. It has no reader API (no get, no namespace list, no index), no metadata-only mode and no
// transform, so it takes part in the ingest, sync and full-memory rows only.

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { K8s, kind, WatchEvent } from 'kubernetes-fluent-client';
import { UnsupportedScenarioError, type Session, type SessionOptions } from '../contender.ts';

/** Points KUBECONFIG at a file naming the bench server: the Watcher reads the default config on every request. */
function useBenchKubeConfig(server: string): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubecache-bench-'));
  const file = path.join(dir, 'kubeconfig');
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    // client-node (which it builds on) refuses http:// servers unless TLS verification is off.
    `clusters: [{ name: bench, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]`,
    'users: [{ name: bench, user: {} }]',
    'contexts: [{ name: bench, context: { cluster: bench, user: bench } }]',
    'current-context: bench',
    '',
  ].join('\n');
  writeFileSync(file, yaml);
  process.env.KUBECONFIG = file;
}

/** One Watcher on all pods; the callback counts objects and hands MODIFIED events to the handlers. */
class FluentClientSession implements Session {
  readonly #watcher: ReturnType<ReturnType<typeof K8s<typeof kind.Pod>>['Watch']>;
  #objects = 0;
  #failure: unknown;

  constructor(options: SessionOptions) {
    useBenchKubeConfig(options.server);
    const handlers = options.handlers;
    const onUpdate = options.onUpdate;
    this.#watcher = K8s(kind.Pod).Watch((_pod, phase) => {
      // WatchPhase is not exported by the package; its values are the wire's event types.
      const type: string = phase;
      if (type === 'ADDED') this.#objects++;
      else if (type === 'DELETED') this.#objects--;
      else if (type === 'MODIFIED') for (let h = 0; h < handlers; h++) onUpdate(h);
    });
    // The Watcher reports failures as events and retries by itself; a list failure leaves it empty.
    this.#watcher.events.on(WatchEvent.LIST_ERROR, (err: unknown) => (this.#failure = err));
  }

  async start(): Promise<void> {
    await this.#watcher.start();
    if (this.#failure !== undefined) throw new Error('kubernetes-fluent-client could not list', { cause: this.#failure });
  }

  handlersSynced(): Promise<void> {
    // The list's ADDED callbacks run before start() resolves.
    return Promise.resolve();
  }

  size(): number {
    return this.#objects;
  }

  get(): unknown {
    throw new UnsupportedScenarioError('kubernetes-fluent-client keeps its cache private: no reads');
  }

  listNamespace(): readonly unknown[] {
    throw new UnsupportedScenarioError('kubernetes-fluent-client keeps its cache private: no reads');
  }

  readonly byNode = undefined;

  scanNode(): readonly unknown[] {
    throw new UnsupportedScenarioError('kubernetes-fluent-client keeps its cache private: no reads');
  }

  stop(): Promise<void> {
    this.#watcher.close();
    return Promise.resolve();
  }
}

/** Builds the kubernetes-fluent-client session; it has neither a metadata-only mode nor a transform hook. */
export function createFluentClientSession(options: SessionOptions): Promise<Session> {
  if (options.mode !== 'full') return Promise.reject(new UnsupportedScenarioError(`kubernetes-fluent-client has no ${options.mode} mode`));
  return Promise.resolve(new FluentClientSession(options));
}
