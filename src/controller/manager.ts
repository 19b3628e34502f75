// Manager: one Cache, controllers and other runnables, leader election, probes and metrics, graceful shutdown.

import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { abortable, untilAborted } from '../api/abortable.ts';
import { errorFields, silentLogger, type Logger } from '../api/logger.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../api/prometheus-text.ts';
import { Cache } from '../cache/cache.ts';
import type { CacheOptions, CacheRESTMapper } from '../cache/options.ts';
import { renderPrometheus } from '../cache/prometheus.ts';
import { Transport } from '../client/transport.ts';
import { KUBECACHE_VERSION } from '../client/version.ts';
import { realClock, type Clock } from '../api/clock.ts';
import { Client } from '../kube-client/client.ts';
import { Controller, type ControllerOptions } from './controller.ts';
import {
  AlreadyStartedError,
  DuplicateControllerNameError,
  GracefulShutdownTimeoutError,
  InvalidOptionsError,
  LeaderElectionLostError,
  StopEngagedError,
} from './errors.ts';
import { HealthChecks, ping, reply, requestUrl, type HealthCheck } from './healthz.ts';
import { HttpEndpoint, parseBindAddress, type BindAddress } from './http-endpoint.ts';
import { LeaderElector } from './leader-elector.ts';
import { LeaseLock } from './lease-lock.ts';
import type { ManagerLeaderElectionOptions, ManagerOptions } from './manager-options.ts';
import { renderControllerPrometheus } from './prometheus.ts';
import type { Reconciler } from './reconcile.ts';
import type { Runnable } from './runnable.ts';

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** What an endpoint serves: `/metrics`, or `/healthz` and `/readyz`. */
type Route = 'metrics' | 'probes';

/** A runnable the manager started, and whether it runs only while leading. */
interface Entry {
  readonly runnable: Runnable;
  readonly needsLeader: boolean;
}

/** The signals of one manager run. */
interface RunSignals {
  /** Stop taking work (graceful stop began). */
  readonly stop: AbortController;
  /** Abort in-flight work (grace period over, or leadership lost). */
  readonly work: AbortController;
  /** Aborts when leadership ends; never aborts without leader election. */
  readonly leadership: AbortSignal;
}

/**
 * controller-runtime's Manager: owns one {@link Cache} and one {@link Client} over it, runs controllers (and other
 * {@link Runnable}s) once their informers synced, only while this replica leads the Lease when
 * leader election is on (or always, per runnable), serves `/healthz`, `/readyz` and `/metrics`
 * when asked, and stops gracefully when its signal aborts: no new work is taken, in-flight
 * reconciles may finish within `gracefulShutdownTimeoutMs`, the cache stops, and the Lease is
 * released (only when the work finished, so two leaders' work never overlaps).
 *
 * A replica that loses its Lease (no renewal within the renew deadline) aborts every reconcile at
 * once and `start` rejects with LeaderElectionLostError: exit and restart, as controller-runtime
 * advises. A manager runs once.
 *
 * @example
 * const manager = new Manager(kubeConfig, { leaderElection: { id: 'widget-operator', namespace: 'ops' }, healthProbeBindAddress: ':8081' });
 * manager.newController('widget', reconcileWidget, { maxConcurrentReconciles: 4 }).for(Widgets).owns(ConfigMaps);
 * process.once('SIGTERM', () => stop.abort());
 * await manager.start(stop.signal);
 * @category Controller
 */
export class Manager {
  /** The cache every controller reads from and watches through. */
  readonly cache: Cache;
  /** Reads from {@link Manager.cache}, writes to the APIServer, over the cache's connections and discovery. */
  readonly client: Client;
  readonly #mapper: CacheRESTMapper;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #graceMs: number;
  readonly #elector: LeaderElector | undefined;
  readonly #electorTransport: Transport | undefined;
  readonly #metricsAddress: BindAddress | undefined;
  readonly #probeAddress: BindAddress | undefined;
  readonly #scheme: CacheOptions['scheme'];
  readonly #healthz = new HealthChecks();
  readonly #readyz = new HealthChecks();
  readonly #entries: Entry[] = [];
  readonly #controllers = new Map<string, Controller>();
  readonly #endpoints: { readonly endpoint: HttpEndpoint; readonly routes: ReadonlySet<Route> }[] = [];
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  #run: RunSignals | undefined;
  #running: Promise<void>[] = [];
  #leading = false;
  #cacheSynced = false;
  #fatal: Error | undefined;
  // Aborted by the first fatal error: the run stops as if its signal had aborted.
  readonly #fatalStop = new AbortController();
  #markElected: () => void = () => undefined;
  readonly #elected = new Promise<void>((resolve) => {
    this.#markElected = resolve;
  });

  /** Builds the cache and, with leader election, the elector; nothing runs or is requested until {@link Manager.start}. */
  constructor(kubeConfig: KubeConfig, options: ManagerOptions = {}) {
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? realClock;
    this.#graceMs = options.gracefulShutdownTimeoutMs ?? 30_000;
    this.#metricsAddress = parseBindAddress('metricsBindAddress', options.metricsBindAddress ?? '0');
    this.#probeAddress = parseBindAddress('healthProbeBindAddress', options.healthProbeBindAddress ?? '0');
    this.#scheme = options.cache?.scheme;
    this.cache = new Cache(kubeConfig, { logger: this.#logger, ...options.cache });
    // One connection pool and one discovery for the cache, the client and the owner handlers.
    this.#mapper = this.cache.connection().mapper;
    this.client = new Client(kubeConfig, { logger: this.#logger, ...options.client, cache: this.cache });
    const le = options.leaderElection;
    if (le !== undefined) {
      const renewDeadlineMs = le.renewDeadlineMs ?? 10_000;
      // As controller-runtime: a separate client for the Lease, its timeout half the renew deadline.
      this.#electorTransport = le.lock === undefined
        ? Transport.fromKubeConfig(kubeConfig, { requestTimeoutMs: Math.max(renewDeadlineMs / 2, 1000), userAgent: `kubecache/${KUBECACHE_VERSION}/leader-election` })
        : undefined;
      this.#elector = this.#newElector(le, renewDeadlineMs);
    }
    this.#healthz.add('ping', ping);
    this.#readyz.add('ping', ping);
    this.#readyz.add('cache-sync', () => this.#checkCacheSync());
  }

  /**
   * A {@link Controller} reading from the manager's cache, with the manager's logger and clock,
   * added to the manager. Names must be unique within a manager (they label the metrics).
   */
  newController(name: string, reconciler: Reconciler, options: ControllerOptions = {}): Controller {
    const controller = new Controller(name, this.cache, reconciler, {
      logger: this.#logger,
      clock: this.#clock,
      mapper: this.#mapper,
      ...(this.#scheme === undefined ? {} : { scheme: this.#scheme }),
      ...options,
    });
    this.add(controller);
    return controller;
  }

  /**
   * Adds a runnable. Before start it starts with the others; after, at once (a leader-election
   * runnable once this replica leads). Rejects duplicate controller names and adds during stop.
   */
  add(runnable: Runnable): void {
    if (this.#state === 'stopping' || this.#state === 'stopped') throw new StopEngagedError();
    if (runnable instanceof Controller) {
      if (this.#controllers.has(runnable.name)) throw new DuplicateControllerNameError(runnable.name);
      this.#controllers.set(runnable.name, runnable);
    }
    const entry = { runnable, needsLeader: runnable.needLeaderElection?.() ?? true };
    this.#entries.push(entry);
    if (this.#run !== undefined && (!entry.needsLeader || this.#leading)) this.#startEntry(entry, this.#run);
  }

  /** Adds a liveness check served at `/healthz` and `/healthz/<name>` (`ping` is there already). */
  addHealthzCheck(name: string, check: HealthCheck): void {
    this.#healthz.add(name, check);
  }

  /** Adds a readiness check served at `/readyz` and `/readyz/<name>` (`ping` and `cache-sync` are there already). */
  addReadyzCheck(name: string, check: HealthCheck): void {
    this.#readyz.add(name, check);
  }

  /** Resolves once this replica leads (at start, without leader election). */
  elected(): Promise<void> {
    return this.#elected;
  }

  /** True while this replica runs its leader-election runnables. */
  isLeader(): boolean {
    return this.#leading;
  }

  /** `http://host:port` of the metrics endpoint once listening, else undefined. */
  get metricsUrl(): string | undefined {
    return this.#endpoints.find((e) => e.routes.has('metrics'))?.endpoint.url;
  }

  /** `http://host:port` of the probe endpoint once listening, else undefined. */
  get healthProbeUrl(): string | undefined {
    return this.#endpoints.find((e) => e.routes.has('probes'))?.endpoint.url;
  }

  /** What `/metrics` serves: the cache's `kubecache_*` metrics, then controller-runtime's. */
  metricsText(): string {
    const controllers = [...this.#controllers.values()].map((c) => c.metrics());
    return renderPrometheus(this.cache.stats()) + renderControllerPrometheus({ controllers, leaderElection: this.#elector?.metrics() });
  }

  /**
   * Runs until `signal` aborts, then stops gracefully and resolves. Order: HTTP endpoints, the
   * cache (and its sync), runnables that run on every replica, leader election, and once leading,
   * the rest. Rejects with the first runnable's failure, LeaderElectionLostError, or
   * GracefulShutdownTimeoutError — always after stopping everything it started.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.#state !== 'new') throw new AlreadyStartedError('manager');
    this.#state = 'running';
    const leadership = new AbortController();
    const run: RunSignals = { stop: new AbortController(), work: new AbortController(), leadership: leadership.signal };
    const cacheStop = new AbortController();
    let cacheRun: Promise<void> = Promise.resolve();
    const electorStop = new AbortController();
    let electorRun: Promise<void> = Promise.resolve();
    try {
      await this.#openEndpoints();
      cacheRun = this.cache.start(cacheStop.signal).catch((err: unknown) => this.#fail(err));
      this.#cacheSynced = await this.cache.waitForCacheSync(AbortSignal.any([signal, cacheStop.signal]));
      if (signal.aborted || this.#fatal !== undefined) return;
      this.#run = run;
      for (const entry of this.#entries) if (!entry.needsLeader) this.#startEntry(entry, run);
      if (this.#elector === undefined) this.#becomeLeader(run);
      else electorRun = this.#runElector(this.#elector, run, leadership, electorStop.signal);
      await untilAborted(AbortSignal.any([signal, this.#fatalStop.signal]));
    } catch (err) {
      this.#fail(err);
    } finally {
      this.#state = 'stopping';
      await this.#stopRunnables(run);
      cacheStop.abort();
      await cacheRun;
      await Promise.all(this.#endpoints.map((e) => e.endpoint.close()));
      electorStop.abort();
      await electorRun;
      this.#electorTransport?.close();
      this.client.close();
      this.#state = 'stopped';
    }
    if (this.#fatal !== undefined) throw this.#fatal;
  }

  #runElector(elector: LeaderElector, run: RunSignals, leadership: AbortController, stop: AbortSignal): Promise<void> {
    elector.events.on('startedLeading', (leading) => {
      leading.addEventListener('abort', () => leadership.abort(leading.reason), { once: true });
      this.#becomeLeader(run);
    });
    elector.events.on('stoppedLeading', ({ lost, cause }) => {
      // Another replica may lead by now: no write may follow, so work stopped without grace (the
      // leadership signal, part of every leader runnable's work signal, has aborted already).
      if (lost) this.#fail(new LeaderElectionLostError({ cause }));
    });
    return elector.run(stop);
  }

  #becomeLeader(run: RunSignals): void {
    // Elected just as the stop began: the runnables would only be stopped again.
    if (this.#state !== 'running') return;
    this.#leading = true;
    run.leadership.addEventListener('abort', () => (this.#leading = false), { once: true });
    for (const entry of this.#entries) if (entry.needsLeader) this.#startEntry(entry, run);
    this.#markElected();
  }

  #startEntry(entry: Entry, run: RunSignals): void {
    const signal = entry.needsLeader ? AbortSignal.any([run.stop.signal, run.leadership]) : run.stop.signal;
    const workSignal = entry.needsLeader ? AbortSignal.any([run.work.signal, run.leadership]) : run.work.signal;
    const started = Promise.resolve()
      .then(() => entry.runnable.start(signal, { workSignal }))
      .catch((err: unknown) => this.#fail(err));
    this.#running.push(started);
  }

  /** Stops taking work, waits for runnables up to the grace period, then aborts their work. */
  async #stopRunnables(run: RunSignals): Promise<void> {
    run.stop.abort(new Error('manager stopping'));
    const all = Promise.all(this.#running);
    if (this.#graceMs < 0) {
      await all;
      return;
    }
    if (this.#graceMs === 0) {
      // No grace: work is told to stop and not waited for, so the Lease is kept to expire.
      run.work.abort(new Error('manager stopping without a grace period'));
      this.#elector?.keepLeaseOnStop();
      return;
    }
    const graceOver = new AbortController();
    const handle = this.#clock.setTimeout(() => graceOver.abort(), this.#graceMs);
    // `all` never rejects (each runnable's failure is caught into #fail): a rejection is the grace period ending.
    const finished = await abortable(all, graceOver.signal).then(
      () => true,
      () => false,
    );
    this.#clock.clearTimeout(handle);
    if (finished) return;
    // Work is still running: tell it to stop, and keep the Lease so a standby waits for expiry.
    const timeout = new GracefulShutdownTimeoutError(this.#graceMs);
    run.work.abort(timeout);
    this.#elector?.keepLeaseOnStop();
    this.#logger.error('runnables did not finish within the grace period', errorFields(timeout));
    this.#fatal ??= timeout;
  }

  /** Records the first fatal error and begins the stop; later ones are logged. */
  #fail(err: unknown): void {
    if (this.#fatal === undefined && this.#state === 'running') {
      this.#fatal = err instanceof Error ? err : new Error(String(err));
      this.#logger.error('manager stopping on error', errorFields(err));
      this.#fatalStop.abort(this.#fatal);
      return;
    }
    this.#logger.error('error received after stop sequence was engaged', errorFields(err));
  }

  #checkCacheSync(): void {
    if (!this.#cacheSynced) throw new Error('the cache has not synced');
    const unsynced = this.cache.stats().informers.filter((i) => !i.synced);
    if (unsynced.length > 0) throw new Error(`${unsynced.length} informers have not synced`);
  }

  /** Opens the metrics and probe endpoints asked for: one server when both name the same address. */
  async #openEndpoints(): Promise<void> {
    const wanted: { address: BindAddress; routes: Set<Route> }[] = [];
    for (const [route, address] of [['metrics', this.#metricsAddress], ['probes', this.#probeAddress]] as const) {
      if (address === undefined) continue;
      const shared = wanted.find((w) => w.address.port !== 0 && w.address.port === address.port && w.address.host === address.host);
      if (shared !== undefined) shared.routes.add(route);
      else wanted.push({ address, routes: new Set([route]) });
    }
    for (const { address, routes } of wanted) {
      const endpoint = await HttpEndpoint.listen(address, (req, res) => this.#serve(requestUrl(req), res, routes));
      this.#endpoints.push({ endpoint, routes });
    }
  }

  async #serve(url: URL, res: ServerResponse, routes: ReadonlySet<Route>): Promise<void> {
    if (routes.has('metrics') && url.pathname === '/metrics') {
      reply(res, 200, this.metricsText(), PROMETHEUS_CONTENT_TYPE);
      return;
    }
    if (routes.has('probes') && ((await this.#healthz.serve('/healthz', url, res)) || (await this.#readyz.serve('/readyz', url, res)))) return;
    reply(res, 404, '404 page not found\n');
  }

  #newElector(le: ManagerLeaderElectionOptions, renewDeadlineMs: number): LeaderElector {
    if (le.id === '') throw new InvalidOptionsError('LeaderElectionID must be configured');
    const identity = le.identity ?? `${hostname()}_${randomUUID()}`;
    const lock = le.lock ?? new LeaseLock({
      transport: this.#electorTransport as Transport,
      namespace: le.namespace ?? podNamespace(),
      name: le.id,
      identity,
      ...(le.labels === undefined ? {} : { labels: le.labels }),
    });
    return new LeaderElector({
      lock,
      renewDeadlineMs,
      ...(le.leaseDurationMs === undefined ? {} : { leaseDurationMs: le.leaseDurationMs }),
      ...(le.retryPeriodMs === undefined ? {} : { retryPeriodMs: le.retryPeriodMs }),
      releaseOnCancel: le.releaseOnCancel ?? true,
      clock: this.#clock,
      logger: this.#logger,
    });
  }
}

/** The namespace this pod runs in, from its service-account mount. */
function podNamespace(): string {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim();
  } catch (err) {
    throw new InvalidOptionsError(
      `unable to find leader election namespace: not running in-cluster, please specify leaderElection.namespace (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}
