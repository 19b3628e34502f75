// The README's way to hand a cached object to client-node's own APIs: mutable(), typed as the model once.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { Pods } from '../../src/cache/kinds.ts';
import { mutable } from '../../src/kube-client/mutable.ts';
import { pod, startCache, startServer, timeout } from '../helpers.ts';

void describe('handing a cached object to client-node', () => {
  void it('writes a mutable() copy of a cached pod back through client-node, string timestamps included', async (t) => {
    const server = await startServer(t);
    server.objects.create('pods', pod('ns1', 'web-0'));
    const { cache } = startCache(t, server);
    const cached = await cache.get(Pods, { namespace: 'ns1', name: 'web-0' }, { signal: timeout() });
    assert.equal(typeof cached.metadata?.creationTimestamp, 'string');

    const body = mutable(cached) as unknown as V1Pod;
    body.metadata = { ...body.metadata, labels: { ...body.metadata?.labels, checked: 'yes' } };
    const written = await server.kubeConfig().makeApiClient(CoreV1Api).replaceNamespacedPod({ namespace: 'ns1', name: 'web-0', body });

    assert.equal(written.metadata?.labels?.['checked'], 'yes');
    assert.ok(written.metadata?.creationTimestamp instanceof Date, 'client-node hands back its own model');
    assert.equal(written.metadata?.creationTimestamp.toISOString().slice(0, 19), cached.metadata?.creationTimestamp?.slice(0, 19));
    assert.equal(server.objects.get('pods', 'web-0', { namespace: 'ns1' }).metadata.labels?.['checked'], 'yes');
  });
});
