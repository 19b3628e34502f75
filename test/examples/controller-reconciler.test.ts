import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { isNotFound } from '../../src/api/errors.ts';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import {
  ConfigMapMirrorReconciler,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MIRROR_OF_LABEL,
  sourceKeyFor,
} from '../../examples/controller/reconciler.ts';
import type { ConfigMapReader, ConfigMapView } from '../../examples/controller/reconciler.ts';

// The reconciler's logic alone: its reader is a map the test fills from the API, standing in for
// the cache, so each case controls exactly what the reconciler sees. controller.test.ts runs it on
// the real Cache.
void describe('ConfigMapMirrorReconciler', () => {
  let server: FakeApiServer;
  let core: CoreV1Api;
  let reconciler: ConfigMapMirrorReconciler;
  const seen = new Map<string, ConfigMapView>();
  const writes: string[] = [];
  const signal = new AbortController().signal;
  const reader: ConfigMapReader = {
    get: (namespace, name) => {
      const cm = seen.get(`${namespace}/${name}`);
      if (cm !== undefined) return Promise.resolve(cm);
      return Promise.reject(Object.assign(new Error(`configmaps "${name}" not found`), { code: 404 }));
    },
  };

  /** Makes the stand-in cache show what the server has now. */
  async function sync(namespace: string, ...names: string[]): Promise<void> {
    for (const name of names) {
      try {
        seen.set(`${namespace}/${name}`, await core.readNamespacedConfigMap({ name, namespace }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        seen.delete(`${namespace}/${name}`);
      }
    }
  }

  function source(name: string, data: Record<string, string>, managed = true): V1ConfigMap {
    return {
      metadata: { name, namespace: 'default', labels: managed ? { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } : {} },
      data,
    };
  }

  before(async () => {
    server = await FakeApiServer.start();
    const kubeConfig = server.kubeConfig();
    core = kubeConfig.makeApiClient(CoreV1Api);
    reconciler = new ConfigMapMirrorReconciler(reader, kubeConfig, { log: (line) => writes.push(line) });
  });

  after(async () => {
    await server.stop();
  });

  void it('creates a mirror with the same data, a back-pointing label and an owner reference', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: source('app', { a: '1' }) });
    await sync('default', 'app', 'app-mirror');
    assert.deepEqual(await reconciler.reconcile('default/app', { signal }), {});
    const mirror = await core.readNamespacedConfigMap({ name: 'app-mirror', namespace: 'default' });
    assert.deepEqual(mirror.data, { a: '1' });
    assert.equal(mirror.metadata?.labels?.[MIRROR_OF_LABEL], 'app');
    assert.equal(mirror.metadata?.ownerReferences?.[0]?.uid, created.metadata?.uid);
    assert.deepEqual(writes.splice(0), ['created default/app-mirror']);
  });

  void it('updates a mirror whose data differs and leaves an equal one alone', async () => {
    const app = await core.readNamespacedConfigMap({ name: 'app', namespace: 'default' });
    await core.replaceNamespacedConfigMap({ name: 'app', namespace: 'default', body: { ...app, data: { a: '2', b: '3' } } });
    await sync('default', 'app', 'app-mirror');
    await reconciler.reconcile('default/app', { signal });
    const mirror = await core.readNamespacedConfigMap({ name: 'app-mirror', namespace: 'default' });
    assert.deepEqual(mirror.data, { a: '2', b: '3' });
    await sync('default', 'app-mirror');
    await reconciler.reconcile('default/app', { signal });
    assert.deepEqual(writes.splice(0), ['updated default/app-mirror'], 'the second reconcile writes nothing');
  });

  void it('requeues instead of failing when the cache is behind a write it made', async () => {
    // The reader still shows the mirror's old resourceVersion: the replace gets a 409.
    const stale = seen.get('default/app-mirror');
    const app = await core.readNamespacedConfigMap({ name: 'app', namespace: 'default' });
    await core.replaceNamespacedConfigMap({ name: 'app', namespace: 'default', body: { ...app, data: { a: '9' } } });
    const mirror = await core.readNamespacedConfigMap({ name: 'app-mirror', namespace: 'default' });
    await core.replaceNamespacedConfigMap({ name: 'app-mirror', namespace: 'default', body: { ...mirror, data: { x: 'y' } } });
    await sync('default', 'app');
    assert.ok(stale !== undefined);
    assert.deepEqual(await reconciler.reconcile('default/app', { signal }), { requeue: true });
    await sync('default', 'app-mirror');
    assert.deepEqual(await reconciler.reconcile('default/app', { signal }), {});
    assert.deepEqual((await core.readNamespacedConfigMap({ name: 'app-mirror', namespace: 'default' })).data, { a: '9' });
    writes.splice(0);
  });

  void it('deletes the mirror when the source is deleted, and is done when both are gone', async () => {
    await core.deleteNamespacedConfigMap({ name: 'app', namespace: 'default' });
    await sync('default', 'app', 'app-mirror');
    await reconciler.reconcile('default/app', { signal });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'app-mirror', namespace: 'default' }), (e) => isNotFound(e));
    await sync('default', 'app-mirror');
    await reconciler.reconcile('default/app', { signal });
    assert.deepEqual(writes.splice(0), ['deleted default/app-mirror']);
  });

  void it('deletes the mirror of a source that lost its label', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: source('was', { w: '1' }) });
    await sync('default', 'was', 'was-mirror');
    await reconciler.reconcile('default/was', { signal });
    const was = await core.readNamespacedConfigMap({ name: 'was', namespace: 'default' });
    await core.replaceNamespacedConfigMap({ name: 'was', namespace: 'default', body: { ...was, metadata: { ...was.metadata, labels: {} } } });
    await sync('default', 'was', 'was-mirror');
    await reconciler.reconcile('default/was', { signal });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'was-mirror', namespace: 'default' }), (e) => isNotFound(e));
    assert.deepEqual(writes.splice(0), ['created default/was-mirror', 'deleted default/was-mirror']);
  });

  void it('re-points the mirror at a source that was deleted and re-created with the same data', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: source('reborn', { r: '1' }) });
    await sync('default', 'reborn', 'reborn-mirror');
    await reconciler.reconcile('default/reborn', { signal });
    await core.deleteNamespacedConfigMap({ name: 'reborn', namespace: 'default' });
    const again = await core.createNamespacedConfigMap({ namespace: 'default', body: source('reborn', { r: '1' }) });
    await sync('default', 'reborn', 'reborn-mirror');
    await reconciler.reconcile('default/reborn', { signal });
    const mirror = await core.readNamespacedConfigMap({ name: 'reborn-mirror', namespace: 'default' });
    assert.equal(mirror.metadata?.ownerReferences?.[0]?.uid, again.metadata?.uid);
    assert.deepEqual(writes.splice(0), ['created default/reborn-mirror', 'updated default/reborn-mirror']);
  });

  void it('never touches a ConfigMap that has a mirror\'s name but is not a mirror', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: source('plain', { p: '1' }) });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'plain-mirror', namespace: 'default' }, data: { mine: 'yes' } } });
    await sync('default', 'plain', 'plain-mirror');
    await reconciler.reconcile('default/plain', { signal });
    assert.deepEqual((await core.readNamespacedConfigMap({ name: 'plain-mirror', namespace: 'default' })).data, { mine: 'yes' });
    assert.deepEqual(writes.splice(0), ['skip default/plain-mirror: exists and is not a mirror of plain']);
  });

  void it('writes nothing once its signal has aborted', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: source('late', { l: '1' }) });
    await sync('default', 'late', 'late-mirror');
    await assert.rejects(reconciler.reconcile('default/late', { signal: AbortSignal.abort() }));
    await assert.rejects(core.readNamespacedConfigMap({ name: 'late-mirror', namespace: 'default' }), (e) => isNotFound(e));
  });

  void it('maps managed ConfigMaps to themselves, mirrors to their source, and others to nothing', () => {
    assert.equal(sourceKeyFor({ metadata: { name: 'a', namespace: 'ns', labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } } }), 'ns/a');
    assert.equal(sourceKeyFor({ metadata: { name: 'a-mirror', namespace: 'ns', labels: { [MIRROR_OF_LABEL]: 'a' } } }), 'ns/a');
    assert.equal(sourceKeyFor({ metadata: { name: 'b', namespace: 'ns', labels: {} } }), undefined);
  });
});
