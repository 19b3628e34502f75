// The status subresource through the Client: update, patch and apply write status only; the main resource leaves status alone.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isConflict, isNotFound } from '../../src/api/errors.ts';
import { ConfigMaps, Deployments, Pods } from '../../src/cache/kinds.ts';
import { mutable } from '../../src/kube-client/mutable.ts';
import { cachedClient, deployment, liveClient, startServer, timeout } from './helpers.ts';

void describe('Client status subresource', () => {
  void it('updates status and leaves spec untouched, even when the body carries a changed spec; generation does not move', async (t) => {
    const server = await startServer(t);
    server.objects.create('deployments', deployment);
    const { client } = cachedClient(t, server);
    const cached = await client.get(Deployments, { namespace: 'ns1', name: 'web' }, { signal: timeout() });
    const edited = mutable(cached);
    edited.spec = { ...edited.spec!, replicas: 9 };
    edited.status = { replicas: 2, readyReplicas: 1, observedGeneration: cached.metadata?.generation ?? 0 };

    const answered = await client.status().update(Deployments, edited);

    assert.deepEqual(answered.status, { replicas: 2, readyReplicas: 1, observedGeneration: 1 });
    assert.equal(answered.spec?.replicas, 2, 'spec from the stored object');
    const stored = server.objects.get('deployments.apps', 'web', { namespace: 'ns1' });
    assert.equal((stored['spec'] as { replicas: number }).replicas, 2);
    assert.equal(stored.metadata.generation, 1);
    const stale = await client.status().update(Deployments, edited).catch((e: unknown) => e);
    assert.ok(isConflict(stale), `a status update at a stale resourceVersion is a 409: ${String(stale)}`);
  });

  void it('ignores status in a main-resource update of a kind with a status subresource', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    const created = await client.create(Deployments, deployment);
    const updated = await client.update(Deployments, { ...created, spec: { ...created.spec!, replicas: 3 }, status: { replicas: 3 } });
    assert.equal(updated.spec?.replicas, 3);
    assert.equal(updated.status?.replicas, undefined);
    assert.equal(updated.metadata?.generation, 2);
  });

  void it('patches and applies status only: a merge patch of a pod phase, an apply of a condition by a field manager', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    await client.create(Pods, { metadata: { name: 'p', namespace: 'ns1', labels: { a: '1' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });

    const patched = await client.status().patch(Pods, { namespace: 'ns1', name: 'p' }, { status: { phase: 'Running' }, metadata: { labels: { a: '2' } } });
    assert.equal(patched.status?.phase, 'Running');
    assert.deepEqual(patched.metadata?.labels, { a: '1' }, 'metadata is not written through /status');

    const applied = await client.status().apply(
      Pods,
      { metadata: { name: 'p', namespace: 'ns1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      { fieldManager: 'readiness-controller' },
    );
    assert.deepEqual(applied.status?.conditions?.map((c) => `${c.type}=${c.status}`), ['Ready=True']);
    assert.deepEqual(applied.spec?.containers.map((c) => c.image), ['nginx']);
    const sent = server.requests.filter({ verb: 'patch' }).map((r) => [r.path, r.query.get('fieldManager')]);
    assert.deepEqual(sent.at(-1), ['/api/v1/namespaces/ns1/pods/p/status', 'readiness-controller']);
  });

  void it('answers 404 for the status of a kind that has no status subresource', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    const cm = await client.create(ConfigMaps, { metadata: { name: 'a', namespace: 'ns1' } });
    const err = await client.status().update(ConfigMaps, cm).catch((e: unknown) => e);
    assert.ok(isNotFound(err), String(err));
  });
});
