// Subresources through the Client over HTTP: scale get/update/patch of a Deployment, eviction of a pod.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isConflict, isNotFound } from '../../src/api/errors.ts';
import { Deployments, Pods } from '../../src/cache/kinds.ts';
import { cachedClient, deployment, discoveryLists, liveClient, startServer, timeout } from './helpers.ts';

void describe('Client subresources', () => {
  void it('gets and updates the scale of a Deployment: the parent spec.replicas follows, a stale Scale is a 409', async (t) => {
    const server = await startServer(t);
    if (!(await discoveryLists(server, '/apis/apps/v1', 'deployments/scale'))) {
      t.skip('the fake APIServer does not serve deployments/scale yet (issue 11, the scale subresource)');
      return;
    }
    server.objects.create('deployments', deployment);
    const { client } = cachedClient(t, server);
    const web = await client.get(Deployments, { namespace: 'ns1', name: 'web' }, { signal: timeout() });
    const scales = client.subResource('scale');

    const scale = await scales.get(Deployments, web);
    assert.deepEqual([scale.apiVersion, scale.kind, scale.metadata?.name, scale.spec?.replicas], ['autoscaling/v1', 'Scale', 'web', 2]);
    assert.equal(scale.status?.selector, 'app=web');

    const updated = await scales.update(Deployments, { ...scale, spec: { replicas: 5 } });
    assert.equal(updated.spec?.replicas, 5);
    const stored = server.objects.get('deployments.apps', 'web', { namespace: 'ns1' });
    assert.equal((stored['spec'] as { replicas: number }).replicas, 5);

    const stale = await scales.update(Deployments, { ...scale, spec: { replicas: 7 } }).catch((e: unknown) => e);
    assert.ok(isConflict(stale), `the first Scale's resourceVersion is stale now: ${String(stale)}`);
    const patched = await scales.patch(Deployments, { namespace: 'ns1', name: 'web' }, { spec: { replicas: 1 } });
    assert.equal(patched.spec?.replicas, 1);
  });

  void it('evicts a pod: the server answers 201 with a Success Status and the pod is gone; a missing pod is a 404', async (t) => {
    const server = await startServer(t);
    if (!(await discoveryLists(server, '/api/v1', 'pods/eviction'))) {
      t.skip('the fake APIServer does not serve pods/eviction yet (issue 11, the eviction subresource)');
      return;
    }
    server.objects.create('pods', { metadata: { name: 'p', namespace: 'ns1' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
    const client = liveClient(t, server);
    const pod = await client.get(Pods, { namespace: 'ns1', name: 'p' });

    const answer = await client.subResource('eviction').create(Pods, pod, { apiVersion: 'policy/v1', kind: 'Eviction', deleteOptions: { gracePeriodSeconds: 0 } });
    assert.equal(answer.kind, 'Status');
    assert.equal((answer as { status?: string }).status, 'Success');
    const eviction = server.requests.filter({ verb: 'create' }).at(-1);
    assert.equal(eviction?.path, '/api/v1/namespaces/ns1/pods/p/eviction');
    assert.throws(() => server.objects.get('pods', 'p', { namespace: 'ns1' }), (e: unknown) => isNotFound(e));

    const missing = await client.subResource('eviction').create(Pods, { namespace: 'ns1', name: 'p' }, { apiVersion: 'policy/v1', kind: 'Eviction' }).catch((e: unknown) => e);
    assert.ok(isNotFound(missing), String(missing));
  });
});
