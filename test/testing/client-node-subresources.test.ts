// @kubernetes/client-node, unchanged, on the scale and eviction subresources of the fake APIServer.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiException, AppsV1Api, CoreV1Api, type V1Scale } from '@kubernetes/client-node';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';

void describe('client-node on scale and eviction', () => {
  let server: FakeApiServer;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  before(async () => {
    server = await FakeApiServer.start();
    apps = server.kubeConfig().makeApiClient(AppsV1Api);
    core = server.kubeConfig().makeApiClient(CoreV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
        },
      },
    });
  });
  after(() => server.stop());

  void it('reads a Deployment scale with readNamespacedDeploymentScale', async () => {
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' });
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec?.replicas, 2);
    assert.equal(scale.status?.selector, 'app=web');
  });

  void it('scales a Deployment with replaceNamespacedDeploymentScale, and a stale copy gets 409', async () => {
    const current = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' });
    const body: V1Scale = { ...current, spec: { replicas: 4 } };
    const replaced = await apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: 'default', body });
    assert.equal(replaced.spec?.replicas, 4);
    assert.equal((await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).spec?.replicas, 4);
    await assert.rejects(apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: 'default', body }), (err: unknown) => err instanceof ApiException && err.code === 409);
  });

  void it('evicts a pod with createNamespacedPodEviction, and a missing pod is a 404', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'victim' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
    await core.createNamespacedPodEviction({
      name: 'victim',
      namespace: 'default',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'victim', namespace: 'default' } },
    });
    await assert.rejects(core.readNamespacedPod({ name: 'victim', namespace: 'default' }), (err: unknown) => err instanceof ApiException && err.code === 404);
    await assert.rejects(
      core.createNamespacedPodEviction({ name: 'gone', namespace: 'default', body: { metadata: { name: 'gone' } } }),
      (err: unknown) => err instanceof ApiException && err.code === 404,
    );
  });
});
