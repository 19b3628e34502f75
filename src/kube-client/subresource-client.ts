// The status writer and the subresource clients of Client (controller-runtime's Status() and SubResource(name)).

import type { V1Eviction, V1Scale } from '@kubernetes/client-node';
import type { DeepReadonly, KubeObject, Status } from '../api/types.ts';
import type { ObjectKeyInput } from '../cache/cache-reader.ts';
import type { KindRef, WireObject } from '../cache/kinds.ts';
import { keyOf, type KindRequests, type ObjectTarget } from './kind-requests.ts';
import type { ApplyConfiguration, ApplyOptions, CallOptions, ClientPatchOptions, CreateOptions, UpdateOptions } from './options.ts';
import type { Patch } from './patch.ts';

/**
 * autoscaling/v1 Scale, the body of the `scale` subresource (spec.replicas; status.replicas and selector).
 * @category Client
 */
export type Scale = WireObject<V1Scale>;

/**
 * policy/v1 Eviction, the body a pod's `eviction` subresource is created with.
 * @category Client
 */
export type Eviction = WireObject<V1Eviction>;

/**
 * The subresources whose body types `Client.subResource(name)` knows; others are plain KubeObjects.
 * @category Client
 */
export interface KnownSubResources {
  /** Deployments, ReplicaSets, StatefulSets, and custom resources declaring `subresources.scale`. */
  scale: Scale;
  /** Pods: creating one evicts the pod, honouring PodDisruptionBudgets. */
  eviction: Eviction;
}

/**
 * Writes to the `status` subresource (controller-runtime's `StatusWriter`): only `.status` of the
 * body is stored, everything else stays as it is, and generation does not move. Answers are the
 * whole object. Kinds without a status subresource answer 404.
 * @category Client
 */
export class StatusWriter {
  readonly #requests: KindRequests;

  /** @internal Created by `Client.status()`. */
  constructor(requests: KindRequests) {
    this.#requests = requests;
  }

  /** PUT the object's status; `obj` must carry the resourceVersion it was read at (stale: 409 Conflict). */
  update<T extends KubeObject>(kind: KindRef<T>, obj: NoInfer<DeepReadonly<T>>, options: UpdateOptions = {}): Promise<T> {
    return this.#requests.update<T>(kind, obj, options, 'status');
  }

  /** PATCH the object's status with a Patch or a bare body of `options.type` (see `Client.patch`). */
  patch<T extends KubeObject>(
    kind: KindRef<T>,
    target: ObjectKeyInput | NoInfer<DeepReadonly<T>>,
    patch: Patch | object,
    options: ClientPatchOptions = {},
  ): Promise<T> {
    return this.#requests.patch<T>(kind, target, patch, options, 'status');
  }

  /** Server-side apply to the status: the manager owns the status fields `config` sets (see `Client.apply`). */
  apply<T extends KubeObject>(kind: KindRef<T>, config: NoInfer<ApplyConfiguration<T>>, options: ApplyOptions = {}): Promise<T> {
    return this.#requests.apply<T>(kind, config, options, 'status');
  }
}

/**
 * One subresource of a kind's objects (controller-runtime's `SubResourceClient`), S being its
 * body: `scale` (get, update, patch: a Scale naming the object), `eviction` (create, for pods),
 * and any other the server serves. `status` through here reads and writes the whole object, as
 * {@link StatusWriter} does.
 *
 * @example
 * const scales = client.subResource('scale');
 * const scale = await scales.get(Deployments, { namespace: 'default', name: 'web' });
 * await scales.update(Deployments, { ...scale, spec: { replicas: 5 } });
 * await client.subResource('eviction').create(Pods, pod, { apiVersion: 'policy/v1', kind: 'Eviction' });
 * @category Client
 */
export class SubResourceClient<S extends KubeObject> {
  /** The subresource's path segment, e.g. `scale`. */
  readonly name: string;
  readonly #requests: KindRequests;

  /** @internal Created by `Client.subResource(name)`. */
  constructor(requests: KindRequests, name: string) {
    this.#requests = requests;
    this.name = name;
  }

  /** GET the subresource of the object `target` names. */
  get(kind: KindRef, target: ObjectKeyInput | DeepReadonly<KubeObject>, options: CallOptions = {}): Promise<S> {
    return this.#requests.get<S>(kind, target, options.signal, this.name);
  }

  /**
   * POST `body` to the subresource of the object `target` names (an eviction of a pod, say);
   * `body.metadata` gets the object's name and namespace when it has none. Resolves with the
   * server's answer: for an eviction, a Success Status (the pod is being deleted); a
   * PodDisruptionBudget that forbids it rejects with 429.
   */
  create(kind: KindRef, target: ObjectKeyInput | DeepReadonly<KubeObject>, body: DeepReadonly<S>, options: CreateOptions = {}): Promise<S | Status> {
    return this.#requests.createSubresource<S | Status>(kind, target, this.name, withKeyOf(body, target as ObjectTarget), options);
  }

  /** PUT `body`, whose metadata names the object (as a Scale read from `get` does); a stale resourceVersion rejects with 409. */
  update(kind: KindRef, body: DeepReadonly<S>, options: UpdateOptions = {}): Promise<S> {
    return this.#requests.update<S>(kind, body, options, this.name);
  }

  /** PATCH the subresource of the object `target` names (e.g. `{ spec: { replicas: 3 } }` on a scale). */
  patch(kind: KindRef, target: ObjectKeyInput | DeepReadonly<KubeObject>, patch: Patch | object, options: ClientPatchOptions = {}): Promise<S> {
    return this.#requests.patch<S>(kind, target, patch, options, this.name);
  }
}

// The body with the target's name and namespace filled in where its own metadata has none.
function withKeyOf<B extends DeepReadonly<KubeObject>>(body: B, target: ObjectTarget): B {
  const key = keyOf(target);
  const metadata = body.metadata ?? {};
  return {
    ...body,
    metadata: {
      ...metadata,
      ...(metadata.name === undefined ? { name: key.name } : {}),
      ...(metadata.namespace === undefined && key.namespace !== undefined ? { namespace: key.namespace } : {}),
    },
  };
}
