// cacheFullObjects 'whenRead': what a new version of a read object costs, and reads never going back in time.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metadataOnly, Secrets } from '../../../src/cache/kinds.ts';
import { eventually, startServer, timeout } from '../../helpers.ts';
import { base64, createSecrets, secretRequests, secretSet, startWorkingSetCache } from './helpers.ts';

const SECRET_GVK = { group: '', version: 'v1', kind: 'Secret' };
const key = (name: string) => ({ namespace: 'ns1', name });

void describe("cacheFullObjects 'whenRead': freshness", () => {
  void it("with onUpdate 'invalidate' (the default) an update drops the full object and costs no request until it is read", async (t) => {
    const server = await startServer(t);
    createSecrets(server, 2);
    const cache = startWorkingSetCache(t, server);
    await cache.get(Secrets, key('s0'), { signal: timeout() });
    for (let i = 0; i < 3; i++) server.objects.update('secrets', { metadata: { name: 's0', namespace: 'ns1' }, data: { n: base64(`v${i}`) } });
    await eventually(() => secretSet(cache).objects === 0, 'the update to drop the full object');
    assert.equal(secretSet(cache).invalidations, 1);
    assert.equal(secretRequests(server, 'get'), 1, 'three updates, no request');
    await eventually(async () => (await cache.get(metadataOnly(SECRET_GVK), key('s0'))).metadata.resourceVersion === server.objects.get('secrets', 's0', { namespace: 'ns1' }).metadata.resourceVersion, 'the last update');
    assert.deepEqual((await cache.get(Secrets, key('s0'))).data, { n: base64('v2') });
    assert.equal(secretRequests(server, 'get'), 2, 'one GET when read');
  });

  void it("with onUpdate 'refresh' an update of a held object is fetched at once, so the next get is a hit", async (t) => {
    const server = await startServer(t);
    createSecrets(server, 2);
    const cache = startWorkingSetCache(t, server, { onUpdate: 'refresh' });
    await cache.get(Secrets, key('s0'), { signal: timeout() });
    await cache.get(Secrets, key('s1'));
    const updated = server.objects.update('secrets', { metadata: { name: 's0', namespace: 'ns1' }, data: { n: base64('fresh') } });
    await eventually(() => secretSet(cache).getRequests === 3 && secretSet(cache).objects === 2, 'the refresh');
    const hits = secretSet(cache).hits;
    const secret = await cache.get(Secrets, key('s0'));
    assert.equal(secret.metadata?.resourceVersion, updated.metadata.resourceVersion);
    assert.deepEqual(secret.data, { n: base64('fresh') });
    assert.equal(secretSet(cache).hits, hits + 1);
    assert.equal(secretRequests(server, 'get'), 3, 'one GET per update of a held object, none per read');
  });

  void it("with onUpdate 'refresh' an object that is not held is not fetched on update", async (t) => {
    const server = await startServer(t);
    createSecrets(server, 2);
    const cache = startWorkingSetCache(t, server, { onUpdate: 'refresh' });
    await cache.get(Secrets, key('s0'), { signal: timeout() });
    server.objects.update('secrets', { metadata: { name: 's1', namespace: 'ns1' }, data: { n: base64('x') } });
    server.objects.update('secrets', { metadata: { name: 's0', namespace: 'ns1' }, data: { n: base64('y') } });
    // s0's refresh follows s1's update on the same watch: once it is done, s1's event was seen too.
    await eventually(() => secretSet(cache).getRequests === 2 && secretSet(cache).objects === 1, 'the refresh of s0');
    assert.equal(server.requests.filter({ verb: 'get', resource: 'secrets' }).filter((r) => r.name === 's1').length, 0);
  });

  void it('reads never return an object older than what the metadata cache has seen while updates race them', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 3);
    for (const onUpdate of ['invalidate', 'refresh'] as const) {
      const cache = startWorkingSetCache(t, server, { onUpdate });
      const written = new Map<string, string>();
      await cache.get(Secrets, key('s0'), { signal: timeout() });
      let writing = true;
      const writer = (async () => {
        for (let i = 0; i < 150; i++) {
          const name = `s${i % 3}`;
          const obj = server.objects.update('secrets', { metadata: { name, namespace: 'ns1' }, data: { n: base64(`w${i}`) } });
          written.set(obj.metadata.resourceVersion ?? '', `w${i}`);
          await new Promise((resolve) => setImmediate(resolve));
        }
        writing = false;
      })();
      let reads = 0;
      while (writing) {
        const name = `s${reads % 3}`;
        const seen = (await cache.get(metadataOnly(SECRET_GVK), key(name))).metadata.resourceVersion ?? '';
        const read = await cache.get(Secrets, key(name));
        const version = read.metadata?.resourceVersion ?? '';
        assert.ok(BigInt(version) >= BigInt(seen), `${onUpdate}: read ${name}@${version} after the metadata cache had ${seen}`);
        const n = read.data?.['n'];
        if (written.has(version)) assert.equal(n, base64(written.get(version) ?? ''), `${name}@${version} carries what was written at that version`);
        reads++;
      }
      await writer;
      assert.ok(reads > 20, `${onUpdate}: only ${reads} reads raced the writes`);
    }
  });
});
