// Fault injection: dropped watches, compaction, failing requests, throttling, latency, forbidden resources, unavailable APIs.

import type { StatusError } from '../../api/errors.ts';
import { faultStatus } from './status.ts';

/**
 * The request verbs a fault can target.
 * @category Testing
 */
export type FaultVerb = 'list' | 'watch' | 'get' | 'create' | 'update' | 'patch' | 'delete';

/**
 * Options of {@link Faults.failNext}.
 * @category Testing
 */
export interface FailNextOptions {
  /** Only requests of this verb; any verb when absent. */
  readonly verb?: FaultVerb;
  /** Only this resource (plural, e.g. `pods`, or qualified, `deployments.apps`); any when absent. */
  readonly resource?: string;
  /** The HTTP status of the Status answered. */
  readonly status: number;
  /** How many matching requests fail. @default 1 */
  readonly count?: number;
  /**
   * Put `details.retryAfterSeconds` in the Status and send it as a `Retry-After` header, as the
   * real server does for its 429, 503 and 504 Status answers. @default none
   */
  readonly retryAfterSeconds?: number;
}

/**
 * Options of {@link Faults.throttle}.
 * @category Testing
 */
export interface ThrottleOptions {
  /** The `Retry-After` header, in whole seconds (priority-and-fairness sends 1 and up). @default 1 */
  readonly retryAfterSeconds?: number;
  /** Only requests of this verb (`discovery` for discovery paths); any when absent. */
  readonly verb?: FaultVerb | 'discovery';
  /** Only this resource (plural or `plural.group`); any when absent. */
  readonly resource?: string;
  /** How many matching requests are rejected; every one until {@link Faults.clear} when absent. */
  readonly count?: number;
}

/**
 * Options of {@link Faults.dropWatches}.
 * @category Testing
 */
export interface DropWatchesOptions {
  /** Destroy the sockets instead of ending the streams cleanly. @default false */
  readonly abrupt?: boolean;
}

/**
 * Options of {@link Faults.unavailable}.
 * @category Testing
 */
export interface UnavailableOptions {
  /** Never answer (until {@link Faults.clear} or the connection closes) instead of a 503. @default false */
  readonly hang?: boolean;
}

/**
 * How a group version made {@link Faults.unavailable} answers.
 * @category Testing
 */
export type Unavailability = 'fail' | 'hang';

/** What the faults act on inside the server. */
export interface FaultTargets {
  dropWatches(abrupt: boolean): number;
  compact(): void;
}

interface RequestMatch {
  readonly verb: string | undefined;
  readonly resource: string | undefined;
}

interface PendingFailure extends RequestMatch {
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  remaining: number;
}

interface Throttle extends RequestMatch {
  readonly retryAfterSeconds: number;
  remaining: number;
}

function matches(m: RequestMatch, verb: string, resource: string | undefined, group: string): boolean {
  return (
    (m.verb === undefined || m.verb === verb) &&
    (m.resource === undefined || m.resource === resource || (resource !== undefined && m.resource === `${resource}.${group}`))
  );
}

function checkCount(name: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new TypeError(`${name} count must be a positive integer, got ${count}`);
  return count;
}

function checkSeconds(name: string, seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0) throw new TypeError(`${name} must be a non-negative integer, got ${seconds}`);
  return seconds;
}

/**
 * The fault switches of one fake APIServer (`server.faults`). Every switch affects requests
 * that arrive after it is set; `clear()` turns all of them off.
 * @category Testing
 */
export class Faults {
  readonly #targets: FaultTargets;
  #pending: PendingFailure[] = [];
  #throttles: Throttle[] = [];
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
    const count = checkCount('failNext', options.count ?? 1);
    if (!Number.isInteger(options.status) || options.status < 400 || options.status > 599) {
      throw new TypeError(`failNext status must be an HTTP error code (400-599), got ${options.status}`);
    }
    const retryAfterSeconds =
      options.retryAfterSeconds === undefined ? undefined : checkSeconds('failNext retryAfterSeconds', options.retryAfterSeconds);
    this.#pending.push({ verb: options.verb, resource: options.resource, status: options.status, retryAfterSeconds, remaining: count });
  }

  /**
   * Rejects matching requests as API priority and fairness does when a priority level is
   * saturated: 429 with `Retry-After`, a plain-text body and the flow-schema headers, before
   * the request is routed (discovery included). Without `count` it lasts until `clear()`.
   */
  throttle(options: ThrottleOptions = {}): void {
    const remaining = options.count === undefined ? Number.POSITIVE_INFINITY : checkCount('throttle', options.count);
    const retryAfterSeconds = checkSeconds('throttle retryAfterSeconds', options.retryAfterSeconds ?? 1);
    this.#throttles.push({ verb: options.verb, resource: options.resource, retryAfterSeconds, remaining });
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
    this.#throttles = [];
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
    const hit = take(this.#pending, verb, resource, group);
    return hit === undefined ? undefined : faultStatus(hit.status, hit.retryAfterSeconds);
  }

  /** Consumes one throttle matching this request; returns its Retry-After seconds, if any. */
  takeThrottle(verb: string, resource: string | undefined, group: string): number | undefined {
    return take(this.#throttles, verb, resource, group)?.retryAfterSeconds;
  }
}

function take<T extends RequestMatch & { remaining: number }>(list: T[], verb: string, resource: string | undefined, group: string): T | undefined {
  const index = list.findIndex((m) => matches(m, verb, resource, group));
  const hit = list[index];
  if (hit === undefined) return undefined;
  hit.remaining -= 1;
  if (hit.remaining <= 0) list.splice(index, 1);
  return hit;
}

function deferred(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
