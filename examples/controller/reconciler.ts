// The example's business logic: keep a `<name>-mirror` ConfigMap in step with every managed ConfigMap.

import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import { isAlreadyExists, isConflict, isNotFound } from '../../src/index.ts';
import type { ReconcileResult } from './work-queue.ts';

/** The label that opts a ConfigMap in. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** The value of {@link MANAGED_BY_LABEL} this controller answers to. */
export const MANAGED_BY_VALUE = 'kubecache-example';
/** Set on every mirror, naming its source; it is how a mirror is told apart from a stranger's ConfigMap. */
export const MIRROR_OF_LABEL = 'kubecache-example/mirror-of';

/** The fields of a ConfigMap the reconciler reads, as the cache hands them out (read-only). */
export interface ConfigMapView {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly { readonly uid?: string }[];
  };
  readonly data?: Readonly<Record<string, string>>;
  readonly binaryData?: Readonly<Record<string, string>>;
}

/**
 * Where the reconciler reads ConfigMaps from: the cache, never the API. `get` rejects with a
 * NotFound error (anything `isNotFound` recognises) when the object is not there.
 */
export interface ConfigMapReader {
  get(namespace: string, name: string): Promise<ConfigMapView>;
}

/** Options of a {@link ConfigMapMirrorReconciler}. */
export interface MirrorReconcilerOptions {
  /** Receives one line per write made. @default no output */
  readonly log?: (line: string) => void;
}

/** The mirror's name for a source ConfigMap. */
export function mirrorName(sourceName: string): string {
  return `${sourceName}-mirror`;
}

/** True when `cm` carries the opt-in label. */
export function isManaged(cm: ConfigMapView): boolean {
  return cm.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/**
 * The work-queue key (`namespace/name` of a source) an event on `cm` should enqueue: the
 * ConfigMap itself when managed, its source when it is a mirror, else none. Mapping mirrors back
 * to their source (controller-runtime's `Owns`) makes an edited or deleted mirror be repaired.
 */
export function sourceKeyFor(cm: ConfigMapView): string | undefined {
  const namespace = cm.metadata?.namespace ?? '';
  const mirrorOf = cm.metadata?.labels?.[MIRROR_OF_LABEL];
  if (mirrorOf !== undefined) return `${namespace}/${mirrorOf}`;
  if (isManaged(cm) && cm.metadata?.name !== undefined) return `${namespace}/${cm.metadata.name}`;
  return undefined;
}

/**
 * Reconciles one source key: a managed source gets a mirror with the same `data` and
 * `binaryData`, owned by it (created, or replaced when it differs); a source that is gone or no longer
 * managed loses its mirror. Reads come only from the cache; writes go to the API. The fake
 * APIServer, like a cluster without the garbage collector, does not follow ownerReferences,
 * so deleting the mirror is done here.
 *
 * A cache that lags behind our own writes shows up as AlreadyExists on create or Conflict on
 * update; both just requeue the key, to retry once the cache has caught up.
 */
export class ConfigMapMirrorReconciler {
  readonly #reader: ConfigMapReader;
  readonly #api: CoreV1Api;
  readonly #log: (line: string) => void;

  constructor(reader: ConfigMapReader, kubeConfig: KubeConfig, options: MirrorReconcilerOptions = {}) {
    this.#reader = reader;
    this.#api = kubeConfig.makeApiClient(CoreV1Api);
    this.#log = options.log ?? (() => undefined);
  }

  /** The work-queue reconcile function, bound so it can be passed as is. */
  readonly reconcile = async (key: string, options: { readonly signal: AbortSignal }): Promise<ReconcileResult> => {
    const { namespace, name } = splitKey(key);
    const source = await this.#read(namespace, name);
    const mirror = await this.#read(namespace, mirrorName(name));
    // Leadership may have ended while we read; a former leader must not write.
    options.signal.throwIfAborted();
    if (mirror !== undefined && mirror.metadata?.labels?.[MIRROR_OF_LABEL] !== name) {
      this.#log(`skip ${namespace}/${mirrorName(name)}: exists and is not a mirror of ${name}`);
      return {};
    }
    if (source === undefined || !isManaged(source)) {
      return mirror === undefined ? {} : this.#delete(namespace, name);
    }
    const desired = desiredMirror(source, namespace, name);
    if (mirror === undefined) return this.#create(desired);
    if (sameContent(mirror, desired)) return {};
    return this.#update(desired, mirror.metadata?.resourceVersion);
  };

  async #read(namespace: string, name: string): Promise<ConfigMapView | undefined> {
    try {
      return await this.#reader.get(namespace, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async #create(desired: V1ConfigMap): Promise<ReconcileResult> {
    const namespace = desired.metadata?.namespace ?? '';
    try {
      await this.#api.createNamespacedConfigMap({ namespace, body: desired });
    } catch (error) {
      if (isAlreadyExists(error)) return { requeue: true };
      throw error;
    }
    this.#log(`created ${namespace}/${desired.metadata?.name ?? ''}`);
    return {};
  }

  async #update(desired: V1ConfigMap, resourceVersion: string | undefined): Promise<ReconcileResult> {
    const namespace = desired.metadata?.namespace ?? '';
    const name = desired.metadata?.name ?? '';
    const body: V1ConfigMap = { ...desired, metadata: { ...desired.metadata } };
    if (resourceVersion !== undefined && body.metadata !== undefined) body.metadata.resourceVersion = resourceVersion;
    try {
      await this.#api.replaceNamespacedConfigMap({ name, namespace, body });
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return { requeue: true };
      throw error;
    }
    this.#log(`updated ${namespace}/${name}`);
    return {};
  }

  async #delete(namespace: string, sourceName: string): Promise<ReconcileResult> {
    const name = mirrorName(sourceName);
    try {
      await this.#api.deleteNamespacedConfigMap({ name, namespace });
    } catch (error) {
      // Already gone is the state we wanted.
      if (isNotFound(error)) return {};
      throw error;
    }
    this.#log(`deleted ${namespace}/${name}`);
    return {};
  }
}

function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) throw new TypeError(`key "${key}" is not namespace/name: ConfigMaps are namespaced`);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

function desiredMirror(source: ConfigMapView, namespace: string, name: string): V1ConfigMap {
  const mirror: V1ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: mirrorName(name), namespace, labels: { [MIRROR_OF_LABEL]: name } },
    data: { ...source.data },
  };
  if (source.binaryData !== undefined) mirror.binaryData = { ...source.binaryData };
  const uid = source.metadata?.uid;
  if (uid !== undefined && mirror.metadata !== undefined) {
    mirror.metadata.ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name, uid, controller: true, blockOwnerDeletion: true },
    ];
  }
  return mirror;
}

/** Same data, and owned by the current source (a source deleted and re-created has a new uid). */
function sameContent(mirror: ConfigMapView, desired: V1ConfigMap): boolean {
  const owner = (refs: readonly { readonly uid?: string }[] | undefined): string | undefined => refs?.[0]?.uid;
  return (
    sameMap(mirror.data, desired.data) &&
    sameMap(mirror.binaryData, desired.binaryData) &&
    owner(mirror.metadata?.ownerReferences) === owner(desired.metadata?.ownerReferences)
  );
}

function sameMap(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const aKeys = Object.keys(a ?? {});
  if (aKeys.length !== Object.keys(b ?? {}).length) return false;
  return aKeys.every((k) => a?.[k] === b?.[k]);
}
