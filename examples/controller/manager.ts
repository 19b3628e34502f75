// One replica of the example controller: a Cache feeding a work queue, whose workers run only while this replica leads.

import type { KubeConfig } from '@kubernetes/client-node';
import { Cache, ConfigMaps, isDeletedFinalStateUnknown, type ResourceEventHandler } from '../../src/index.ts';
import { LeaderElector } from './leader-election.ts';
import type { ConfigMapView } from './reconciler.ts';
import { ConfigMapMirrorReconciler, sourceKeyFor } from './reconciler.ts';
import type { ReconcileFunc } from './work-queue.ts';
import { WorkQueue } from './work-queue.ts';

/** Options of a {@link MirrorControllerManager}; durations in milliseconds. */
export interface MirrorControllerManagerOptions {
  /** Where the cluster is and how to authenticate. */
  readonly kubeConfig: KubeConfig;
  /** This replica's name in the Lease; must differ between replicas. */
  readonly identity: string;
  /** Namespace of the leader-election Lease. @default 'default' */
  readonly leaseNamespace?: string;
  /** Name of the leader-election Lease. @default 'kubecache-example-controller' */
  readonly leaseName?: string;
  /** See {@link LeaderElectionConfig}. @default 15000 */
  readonly leaseDuration?: number;
  /** See {@link LeaderElectionConfig}. @default 10000 */
  readonly renewDeadline?: number;
  /** See {@link LeaderElectionConfig}. @default 2000 */
  readonly retryPeriod?: number;
  /** Keys reconciled in parallel. @default 2 */
  readonly concurrency?: number;
  /** Receives readable progress lines. @default console.log */
  readonly log?: (line: string) => void;
}

/**
 * Wires the example together the way controller-runtime's manager does: the cache runs on every
 * replica (so a new leader starts warm), event handlers enqueue keys on every replica (cheap,
 * deduplicated), and only the elected leader runs the workers. When leadership ends the workers
 * stop, in-flight reconciles finish, and only then is the Lease released.
 *
 * @example
 * const manager = new MirrorControllerManager({ kubeConfig, identity: hostname() });
 * await manager.run(shutdownSignal); // resolves when stopped or leadership is lost
 */
export class MirrorControllerManager {
  readonly #options: MirrorControllerManagerOptions;
  readonly #log: (line: string) => void;
  readonly #queue = new WorkQueue<string>();
  #elector: LeaderElector | undefined;
  #reconciles = 0;

  constructor(options: MirrorControllerManagerOptions) {
    this.#options = options;
    this.#log = options.log ?? ((line) => console.log(line));
  }

  /** True while this replica holds the Lease. */
  isLeader(): boolean {
    return this.#elector?.isLeader() ?? false;
  }

  /** How many reconciles this replica has run (successful or not). */
  get reconcileCount(): number {
    return this.#reconciles;
  }

  /**
   * Runs until `signal` aborts or leadership is lost (client-go's advice: a replica that lost
   * its lease should exit and start over). Resolves once everything it started has stopped.
   * A manager runs once; create a new one to start again.
   */
  async run(signal: AbortSignal): Promise<void> {
    const stop = new AbortController();
    const forward = (): void => stop.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    if (signal.aborted) forward();
    const cache = new Cache(this.#options.kubeConfig);
    let cacheFailure: { readonly error: unknown } | undefined;
    const cacheRun = cache.start(stop.signal).catch((error: unknown) => {
      cacheFailure = { error };
      stop.abort(error);
    });
    try {
      await this.#runWithCache(cache, stop);
    } catch (error) {
      // A request cut short by our own shutdown is expected; anything else is the caller's to see.
      if (!stop.signal.aborted) throw error;
    } finally {
      signal.removeEventListener('abort', forward);
      stop.abort(new Error('controller manager stopped'));
      this.#queue.shutDown();
      await cacheRun;
    }
    // The cache's own typed error (say InvalidCacheOptions) is more useful to the caller than a wrapper.
    if (cacheFailure !== undefined) throw cacheFailure.error;
  }

  async #runWithCache(cache: Cache, stop: AbortController): Promise<void> {
    const { identity } = this.#options;
    await this.#watchConfigMaps(cache, stop.signal);
    if (!(await cache.waitForCacheSync(stop.signal))) return;
    this.#log(`[${identity}] cache synced, competing for the lease`);
    const reconciler = new ConfigMapMirrorReconciler(configMapReader(cache), this.#options.kubeConfig, {
      log: (line) => this.#log(`[${identity}] ${line}`),
    });
    this.#elector = this.#newElector(reconciler.reconcile, stop);
    await this.#elector.run(stop.signal);
  }

  #newElector(reconcile: ReconcileFunc<string>, stop: AbortController): LeaderElector {
    const { identity } = this.#options;
    const counted: ReconcileFunc<string> = (key, options) => {
      this.#reconciles += 1;
      return reconcile(key, options);
    };
    return new LeaderElector(this.#options.kubeConfig, {
      leaseNamespace: this.#options.leaseNamespace ?? 'default',
      leaseName: this.#options.leaseName ?? 'kubecache-example-controller',
      identity,
      ...durations(this.#options),
      callbacks: {
        onStartedLeading: async (leading) => {
          this.#log(`[${identity}] became leader, starting ${this.#options.concurrency ?? 2} workers`);
          await this.#queue.run(counted, {
            concurrency: this.#options.concurrency ?? 2,
            signal: leading,
            onError: (key, error) => this.#log(`[${identity}] reconcile ${key} failed, will retry: ${String(error)}`),
          });
        },
        onStoppedLeading: () => {
          this.#log(`[${identity}] stopped leading`);
          stop.abort(new Error('leadership lost'));
        },
        onNewLeader: (holder) => {
          // Our own acquisitions and releases are logged elsewhere; '' is a released lease.
          if (holder !== identity && holder !== '') this.#log(`[${identity}] leader is now ${holder}`);
        },
      },
    });
  }

  /** Enqueues the source key of every ConfigMap event that concerns a managed ConfigMap or a mirror. */
  async #watchConfigMaps(cache: Cache, signal: AbortSignal): Promise<void> {
    const enqueue = (cm: ConfigMapView | undefined): void => {
      const key = cm === undefined ? undefined : sourceKeyFor(cm);
      if (key !== undefined) this.#queue.add(key);
    };
    const handler: ResourceEventHandler<ConfigMapView> = {
      onAdd: (cm) => enqueue(cm),
      // Both sides matter: a ConfigMap that just lost its label must still have its mirror removed.
      onUpdate: (oldCm, newCm) => {
        enqueue(oldCm);
        enqueue(newCm);
      },
      onDelete: (cm) => enqueue(isDeletedFinalStateUnknown(cm) ? cm.obj : cm),
    };
    const informer = await cache.getInformer(ConfigMaps, { blockUntilSynced: false, signal });
    informer.addEventHandler(handler);
  }
}

function durations(options: MirrorControllerManagerOptions): {
  leaseDuration?: number;
  renewDeadline?: number;
  retryPeriod?: number;
} {
  return {
    ...(options.leaseDuration === undefined ? {} : { leaseDuration: options.leaseDuration }),
    ...(options.renewDeadline === undefined ? {} : { renewDeadline: options.renewDeadline }),
    ...(options.retryPeriod === undefined ? {} : { retryPeriod: options.retryPeriod }),
  };
}

function configMapReader(cache: Cache): { get(namespace: string, name: string): Promise<ConfigMapView> } {
  return { get: (namespace, name) => cache.get(ConfigMaps, { namespace, name }) };
}
