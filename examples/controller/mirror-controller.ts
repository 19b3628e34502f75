// The example's controller: every ConfigMap labelled managed-by=kubecache-example gets an owned copy named <name>-mirror.

import { isDeepStrictEqual } from 'node:util';
import { ConfigMaps, isNotFound, mutable, type Client, type DeepReadonly, type WireObject } from '../../src/index.ts'; // 'kubecache'
import type { Manager, Predicate, Reconciler } from '../../src/controller/index.ts'; // 'kubecache/controller'
import type { V1ConfigMap } from '@kubernetes/client-node';

type ConfigMap = WireObject<V1ConfigMap>;

/** The label that opts a ConfigMap in. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kubecache-example' } as const;

const isManaged = (cm: DeepReadonly<ConfigMap> | undefined): boolean =>
  cm?.metadata?.labels?.['app.kubernetes.io/managed-by'] === MANAGED_BY['app.kubernetes.io/managed-by'];

/** Managed ConfigMaps, and updates that just removed the label (their mirror must go). */
const managedOrWas: Predicate<ConfigMap> = (e) => isManaged(e.object) || (e.type === 'update' && isManaged(e.oldObject));

/**
 * Reconciles one source ConfigMap: a managed source gets a mirror with its data, controlled by it;
 * a source that is gone or no longer managed loses its mirror; a ConfigMap of that name that is
 * not ours is left alone. Reads come from the cache; writes go to the API (create, or update of an
 * edited copy of the cached mirror). A cluster's garbage collector would delete an owned mirror
 * with its source; the fake APIServer has none, so the reconciler does it.
 */
export function mirrorReconciler(client: Client): Reconciler {
  return async ({ namespace, name }, signal) => {
    const source = await getOrUndefined(client, namespace, name);
    const mirror = await getOrUndefined(client, namespace, `${name}-mirror`);
    const ours = mirror?.metadata?.ownerReferences?.some((r) => r.controller === true && r.kind === 'ConfigMap' && r.name === name) ?? false;
    if (source === undefined || !isManaged(source)) {
      if (ours) await client.delete(ConfigMaps, { namespace, name: `${name}-mirror` }, { signal });
      return;
    }
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name, uid: source.metadata?.uid ?? '', controller: true };
    if (mirror === undefined) {
      const created = { metadata: { namespace, name: `${name}-mirror`, ownerReferences: [owner] }, data: { ...source.data } };
      await client.create(ConfigMaps, created, { signal });
      return;
    }
    if (!ours) return;
    if (mirror.metadata?.ownerReferences?.[0]?.uid === owner.uid && isDeepStrictEqual(mirror.data ?? {}, source.data ?? {})) return;
    // Edit a copy of the cached (frozen) mirror; a stale copy gets a 409, and the retry reads again.
    const updated = mutable(mirror);
    updated.data = { ...source.data };
    if (updated.metadata !== undefined) updated.metadata.ownerReferences = [owner];
    await client.update(ConfigMaps, updated, { signal });
  };
}

/** Adds the mirror controller to `manager`: it watches managed ConfigMaps and the mirrors they own. */
export function addMirrorController(manager: Manager): void {
  manager.newController('configmap-mirror', mirrorReconciler(manager.client), { maxConcurrentReconciles: 2 }).for(ConfigMaps, managedOrWas).owns(ConfigMaps);
}

async function getOrUndefined(client: Client, namespace: string, name: string): Promise<DeepReadonly<ConfigMap> | undefined> {
  try {
    return await client.get(ConfigMaps, { namespace, name });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
