// cacheFullObjects 'whenRead': the working set is bounded; eviction drops only the full object.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metadataOnly, Secrets } from '../../../src/cache/kinds.ts';
import { startServer, timeout } from '../../helpers.ts';
import { base64, createSecrets, secretRequests, secretSet, startWorkingSetCache } from './helpers.ts';

const SECRET_GVK = { group: '', version: 'v1', kind: 'Secret' };
const key = (name: string) => ({ namespace: 'ns1', name });

void describe("cacheFullObjects 'whenRead': bounds", () => {
  void it('keeps at most maxObjects full objects, evicting the least recently read first', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 4);
    const cache = startWorkingSetCache(t, server, { maxObjects: 2 });
    await cache.get(Secrets, key('s0'), { signal: timeout() });
    await cache.get(Secrets, key('s1'));
    await cache.get(Secrets, key('s0'));
    await cache.get(Secrets, key('s2'));
    assert.deepEqual(secretSet(cache), { ...secretSet(cache), objects: 2, evictions: 1, getRequests: 3 });
    await cache.get(Secrets, key('s0'));
    assert.equal(secretRequests(server, 'get'), 3, 's0 was read recently: still held');
    await cache.get(Secrets, key('s1'));
    assert.equal(secretRequests(server, 'get'), 4, 's1 was the least recently read: evicted, fetched again');
  });

  void it('eviction drops only the full object: the metadata cache still lists and serves it', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 3);
    const cache = startWorkingSetCache(t, server, { maxObjects: 1 });
    await cache.get(Secrets, key('s0'), { signal: timeout() });
    await cache.get(Secrets, key('s1'));
    assert.equal(secretSet(cache).evictions, 1);
    const names = (await cache.list(metadataOnly(SECRET_GVK), { namespace: 'ns1' })).map((o) => o.metadata.name).sort();
    assert.deepEqual(names, ['s0', 's1', 's2']);
    assert.deepEqual((await cache.get(Secrets, key('s0'))).data, { n: base64('0') });
  });

  void it('keeps at most maxBytes of full objects, and returns an object larger than that without keeping it', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 2);
    server.objects.create('secrets', { metadata: { name: 'big', namespace: 'ns1' }, data: { blob: base64('x'.repeat(4000)) } });
    const cache = startWorkingSetCache(t, server, { maxBytes: 1000 });
    const small = await cache.get(Secrets, key('s0'), { signal: timeout() });
    const size = JSON.stringify(small).length;
    assert.equal(secretSet(cache).bytes, size);
    const big = await cache.get(Secrets, key('big'));
    assert.equal(big.data?.['blob'], base64('x'.repeat(4000)));
    assert.deepEqual(secretSet(cache), { ...secretSet(cache), objects: 1, bytes: size, evictions: 0 });
    await cache.get(Secrets, key('big'));
    assert.equal(secretRequests(server, 'get'), 3, 'the oversized object is fetched on every read');
  });
});
