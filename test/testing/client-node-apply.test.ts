// @kubernetes/client-node's server-side apply (KubernetesObjectApi.patch with the apply content type),
// unchanged, against the fake APIServer: create, a conflicting second manager, force, dry run.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiException, KubernetesObjectApi, PatchStrategy, type V1Deployment } from '@kubernetes/client-node';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';

function deployment(replicas: number, image: string): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

void describe('client-node server-side apply against the fake APIServer', () => {
  let server: FakeApiServer;
  let objects: KubernetesObjectApi;
  const apply = (body: V1Deployment, manager: string, force = false, dryRun?: string): Promise<V1Deployment> =>
    objects.patch(body, undefined, dryRun, manager, force, PatchStrategy.ServerSideApply);

  before(async () => {
    server = await FakeApiServer.start();
    objects = KubernetesObjectApi.makeApiClient(server.kubeConfig());
  });
  after(async () => {
    await server.stop();
  });

  void it('creates through apply and reads back the Apply managedFields entry', async () => {
    const created = await apply(deployment(2, 'web:1'), 'controller-a');
    assert.equal(created.spec?.replicas, 2);
    const entry = created.metadata?.managedFields?.find((e) => e.manager === 'controller-a');
    assert.equal(entry?.operation, 'Apply');
    assert.equal(entry?.fieldsType, 'FieldsV1');
  });

  void it('rejects a second manager changing owned fields with a 409 ApiException carrying the causes', async () => {
    let error: unknown;
    try {
      await apply(deployment(3, 'web:1'), 'controller-b');
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof ApiException, `expected an ApiException, got ${String(error)}`);
    assert.equal(error.code, 409);
    const status = (typeof error.body === 'string' ? JSON.parse(error.body) : error.body) as { reason?: string; details?: { causes?: { field?: string; message?: string }[] } };
    assert.equal(status.reason, 'Conflict');
    assert.deepEqual(status.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "controller-a"', field: '.spec.replicas' }]);
  });

  void it('lets the second manager force the change, and a dry run changes nothing', async () => {
    const forced = await apply(deployment(3, 'web:1'), 'controller-b', true);
    assert.equal(forced.spec?.replicas, 3);
    const dry = await apply(deployment(7, 'web:1'), 'controller-b', false, 'All');
    assert.equal(dry.spec?.replicas, 7);
    const stored = server.objects.get('deployments', 'web', { namespace: 'default' }) as V1Deployment;
    assert.equal(stored.spec?.replicas, 3);
  });
});
