// LeaseLock: the leader-election record kept in a coordination.k8s.io/v1 Lease, read and written over the RestClient.

import type { KubeObject } from '../api/types.ts';
import type { GroupVersionResource } from '../client/gvk.ts';
import { RestClient } from '../client/rest-client.ts';
import type { Transport } from '../client/transport.ts';
import { LeaseNotInitializedError } from './errors.ts';

/**
 * What a Lease says about leadership (client-go's `LeaderElectionRecord`). Times are wall-clock
 * milliseconds since the epoch, undefined where the Lease has none.
 * @category Controller
 */
export interface LeaderElectionRecord {
  /** Who holds the lease; `''` when nobody does (a released lease). */
  readonly holderIdentity: string;
  /** How long the holder's claim lasts after each renewal, in whole seconds. */
  readonly leaseDurationSeconds: number;
  readonly acquireTime: number | undefined;
  readonly renewTime: number | undefined;
  /** How many times the lease changed hands. */
  readonly leaseTransitions: number;
}

/**
 * Where a {@link LeaderElector} keeps its record (client-go's `resourcelock.Interface`). `update`
 * must be optimistic: it writes over the version last read or written, and rejects with a 409
 * Conflict when someone else wrote in between.
 * @category Controller
 */
export interface ResourceLock {
  /** This candidate's identity, written as the holder. */
  readonly identity: string;
  /** The lock for messages, `namespace/name`. */
  describe(): string;
  /** The current record; rejects with a 404 StatusError when the lock does not exist. */
  get(signal?: AbortSignal): Promise<LeaderElectionRecord>;
  /** Creates the lock holding `record`; rejects with 409 AlreadyExists when it exists. */
  create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void>;
  /** Replaces the record over the last version seen; rejects with 409 Conflict when it changed. */
  update(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void>;
}

/**
 * Options of a {@link LeaseLock}.
 * @category Controller
 */
export interface LeaseLockOptions {
  /** Carries the requests (auth, TLS, timeouts). Leader election deserves its own, with short timeouts. */
  readonly transport: Transport;
  readonly namespace: string;
  readonly name: string;
  /** This candidate's identity; must differ between replicas (controller-runtime: `<hostname>_<uuid>`). */
  readonly identity: string;
  /** Labels put on the Lease when this candidate creates it. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

const LEASES: GroupVersionResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

interface LeaseObject extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number | null;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number | null;
    [field: string]: unknown;
  };
}

/**
 * A {@link ResourceLock} on a `coordination.k8s.io/v1` Lease, client-go's `LeaseLock`: `get`
 * remembers the whole object, and `update` PUTs that object with the new spec, so its
 * resourceVersion makes the write optimistic. Every write carries all five fields, an empty
 * holder as `""`, times as MicroTime (UTC, six fractional digits).
 *
 * @example
 * const lock = new LeaseLock({ transport, namespace: 'ops', name: 'my-operator', identity: `${hostname()}_${randomUUID()}` });
 * @category Controller
 */
export class LeaseLock implements ResourceLock {
  readonly identity: string;
  readonly #rest: RestClient;
  readonly #namespace: string;
  readonly #name: string;
  readonly #labels: Readonly<Record<string, string>> | undefined;
  #lease: LeaseObject | undefined;

  constructor(options: LeaseLockOptions) {
    this.identity = options.identity;
    this.#rest = new RestClient(options.transport);
    this.#namespace = options.namespace;
    this.#name = options.name;
    this.#labels = options.labels;
  }

  describe(): string {
    return `${this.#namespace}/${this.#name}`;
  }

  async get(signal?: AbortSignal): Promise<LeaderElectionRecord> {
    this.#lease = await this.#rest.getObject<LeaseObject>(LEASES, this.#name, { namespace: this.#namespace, signal });
    return recordOf(this.#lease);
  }

  async create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    const metadata = { name: this.#name, namespace: this.#namespace, ...(this.#labels === undefined ? {} : { labels: { ...this.#labels } }) };
    const body: LeaseObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec: specOf(record) };
    this.#lease = await this.#rest.createObject(LEASES, body, { namespace: this.#namespace, signal });
  }

  async update(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    if (this.#lease === undefined) throw new LeaseNotInitializedError();
    const body: LeaseObject = { ...this.#lease, spec: { ...this.#lease.spec, ...specOf(record) } };
    this.#lease = await this.#rest.updateObject(LEASES, body, { namespace: this.#namespace, signal });
  }
}

/** A wall-clock time as a MicroTime: `2006-01-02T15:04:05.000000Z`. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function parseTime(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function recordOf(lease: LeaseObject): LeaderElectionRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: parseTime(spec.acquireTime),
    renewTime: parseTime(spec.renewTime),
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

function specOf(record: LeaderElectionRecord): NonNullable<LeaseObject['spec']> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: record.acquireTime === undefined ? null : formatMicroTime(record.acquireTime),
    renewTime: record.renewTime === undefined ? null : formatMicroTime(record.renewTime),
    leaseTransitions: record.leaseTransitions,
  };
}
