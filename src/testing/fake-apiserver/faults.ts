// Fault injection: dropped watches, compaction, failing requests, latency, forbidden resources, unavailable APIs.

import type { StatusError } from '../../api/errors.ts';
import { faultStatus } from './status.ts';

/** The request verbs a fault can target. */
export type FaultVerb = 'list' | 'watch' | 'get' | 'create' | 'update' | 'patch' | 'delete';

/** Options of {@link Faults.failNext}. */
export interface FailNextOptions {
  /** Only requests of this verb; any verb when absent. */
  readonly verb?: FaultVerb;
  /** Only this resource (plural, e.g. `pods`, or qualified, `deployments.apps`); any when absent. */
  readonly resource?: string;
  /** The HTTP status of the Status answered. */
  readonly status: number;
  /** How many matching requests fail. @default 1 */
  readonly count?: number;
}

/** Options of {@link Faults.dropWatches}. */
export interface DropWatchesOptions {
  /** Destroy the sockets instead of ending the streams cleanly. @default false */
  readonly abrupt?: boolean;
}

/** Options of {@link Faults.unavailable}. */
export interface UnavailableOptions {
  /** Never answer (until {@link Faults.clear} or the connection closes) instead of a 503. @default false */
  readonly hang?: boolean;
}

/** How a group version made {@link Faults.unavailable} answers. */
export type Unavailability = 'fail' | 'hang';

/** What the faults act on inside the server. */
export interface FaultTargets {
  dropWatches(abrupt: boolean): number;
  compact(): void;
}

interface PendingFailure {
  readonly verb: FaultVerb | undefined;
  readonly resource: string | undefined;
  readonly status: number;
  remaining: number;
}

/**
 * The fault switches of one fake APIServer (`server.faults`). Every switch affects requests
 * that arrive after it is set; `clear()` turns all of them off.
 */
export class Faults {
  readonly #targets: FaultTargets;
  #pending: PendingFailure[] = [];
  #latencyMs = 0;
  readonly #forbidden = new Set<string>();
  readonly #unavailable = new Map<string, Unavailability>();
  #cleared = deferred();

  constructor(targets: FaultTargets) {
    this.#targets = targets;
  }

  /** Ends every open watch, as a real server does to watchers that fall behind. Returns how many. */
  dropWatches(options?: DropWatchesOptions): number {
    return this.#targets.dropWatches(options?.abrupt ?? false);
  }

  /** Empties the event history: any older resourceVersion gets 410 Expired from now on. */
  compact(): void {
    this.#targets.compact();
  }

  /** The next `count` matching requests are answered with a Status of code `status`. */
  failNext(options: FailNextOptions): void {
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new TypeError(`failNext count must be a positive integer, got ${count}`);
    if (!Number.isInteger(options.status) || options.status < 400 || options.status > 599) {
      throw new TypeError(`failNext status must be an HTTP error code (400-599), got ${options.status}`);
    }
    this.#pending.push({ verb: options.verb, resource: options.resource, status: options.status, remaining: count });
  }

  /** Delays every request by `ms` before it is handled (0 turns it off). */
  latency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`latency must be a non-negative number of ms, got ${ms}`);
    this.#latencyMs = ms;
  }

  /** Answers every request on `resource` (plural or `plural.group`) with 403 Forbidden. */
  forbid(resource: string): void {
    this.#forbidden.add(resource);
  }

  /**
   * Makes `groupVersion` (`metrics.k8s.io/v1beta1`; `v1` for core) act as an aggregated API whose
   * backend is down, as kube-aggregator serves it: its discovery document and every request on
   * its resources are answered `503 service unavailable` (plain text) — or, with `hang`, never
   * answered — and aggregated discovery lists the version as `Stale`, with no resources.
   */
  unavailable(groupVersion: string, options: UnavailableOptions = {}): void {
    if (groupVersion === '' || groupVersion.split('/').length > 2) {
      throw new TypeError(`unavailable needs a group version such as "metrics.k8s.io/v1beta1", got ${JSON.stringify(groupVersion)}`);
    }
    this.#unavailable.set(groupVersion, options.hang === true ? 'hang' : 'fail');
  }

  /** How requests of `group`/`version` are answered when made {@link Faults.unavailable}. */
  unavailability(group: string, version: string): Unavailability | undefined {
    return this.#unavailable.get(group === '' ? version : `${group}/${version}`);
  }

  /** Resolves at the next {@link Faults.clear}: when hanging requests may go on. */
  untilCleared(): Promise<void> {
    return this.#cleared.promise;
  }

  /** Turns every fault off; requests held by `unavailable({ hang: true })` are then answered. */
  clear(): void {
    this.#pending = [];
    this.#latencyMs = 0;
    this.#forbidden.clear();
    this.#unavailable.clear();
    this.#cleared.resolve();
    this.#cleared = deferred();
  }

  /** The current injected latency in ms. */
  get latencyMs(): number {
    return this.#latencyMs;
  }

  /** True when `resource` (in either spelling) is forbidden. */
  isForbidden(resource: string, group: string): boolean {
    return this.#forbidden.has(resource) || this.#forbidden.has(group === '' ? resource : `${resource}.${group}`);
  }

  /** Consumes one pending failure matching this request, if any. */
  takeFailure(verb: string, resource: string | undefined, group: string): StatusError | undefined {
    const index = this.#pending.findIndex(
      (p) =>
        (p.verb === undefined || p.verb === verb) &&
        (p.resource === undefined || p.resource === resource || (resource !== undefined && p.resource === `${resource}.${group}`)),
    );
    const hit = this.#pending[index];
    if (hit === undefined) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.#pending.splice(index, 1);
    return faultStatus(hit.status);
  }
}

function deferred(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
