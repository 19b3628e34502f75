// LIST over HTTP: shapes, selectors, resourceVersion semantics, pagination and continue expiry.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { configMap, request, startServer } from './fake-apiserver-helpers.ts';

function decodeToken(token: string): unknown {
  return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
}

void describe('fake apiserver LIST', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer({ historyWindow: 50 });
    server.objects.create('namespaces', { metadata: { name: 'ns2' } });
    for (const name of ['c', 'a', 'b', 'e', 'd']) {
      server.objects.create('configmaps', configMap(name, { labels: { app: name < 'c' ? 'x' : 'y', tier: 'web' } }));
    }
    server.objects.create('configmaps', configMap('z', { namespace: 'ns2' }));
  });
  after(() => server.stop());

  void it('returns a kind List with the current resourceVersion and items sorted without apiVersion/kind', async () => {
    const res = await request(server, 'GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, 'ConfigMapList');
    assert.equal(res.body.apiVersion, 'v1');
    assert.equal(res.body.metadata.resourceVersion, String(server.store.resourceVersion));
    assert.deepEqual(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(res.body.items[0].kind, undefined);
    assert.equal(res.body.items[0].apiVersion, undefined);
  });

  void it('lists all namespaces in namespace/name order, and an empty list as items: []', async () => {
    const all = await request(server, 'GET', '/api/v1/configmaps');
    assert.deepEqual(
      all.body.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`),
      ['default/a', 'default/b', 'default/c', 'default/d', 'default/e', 'ns2/z'],
    );
    const empty = await request(server, 'GET', '/api/v1/namespaces/kube-public/configmaps');
    assert.deepEqual(empty.body.items, []);
  });

  void it('filters by label selector and by metadata field selectors', async () => {
    const byLabel = await request(server, 'GET', '/api/v1/configmaps?labelSelector=app%3Dx');
    assert.deepEqual(byLabel.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'b']);
    const setBased = await request(server, 'GET', `/api/v1/configmaps?labelSelector=${encodeURIComponent('app in (y),tier')}`);
    assert.deepEqual(setBased.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c', 'd', 'e']);
    const byField = await request(server, 'GET', '/api/v1/configmaps?fieldSelector=metadata.namespace%3Dns2');
    assert.deepEqual(byField.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['z']);
    const notName = await request(server, 'GET', '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name!%3Da');
    assert.equal(notName.body.items.length, 4);
  });

  void it('supports per-kind field labels and rejects unknown ones with the real message', async () => {
    server.objects.create('pods', { metadata: { name: 'p1' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } });
    server.objects.create('pods', { metadata: { name: 'p2' }, spec: { nodeName: 'n2' }, status: { phase: 'Pending' } });
    const res = await request(server, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1,status.phase%3DRunning');
    assert.deepEqual(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['p1']);
    server.objects.create('secrets', { metadata: { name: 's1' }, type: 'Opaque' });
    const secrets = await request(server, 'GET', '/api/v1/secrets?fieldSelector=type%3DOpaque');
    assert.equal(secrets.body.items.length, 1);
    const bad = await request(server, 'GET', '/api/v1/pods?fieldSelector=spec.bogus%3Dx');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'field label not supported: spec.bogus');
    const badCm = await request(server, 'GET', '/api/v1/configmaps?fieldSelector=data.k%3Dv');
    assert.equal(badCm.status, 400);
    assert.equal(badCm.body.message, '"data.k" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  void it('answers 400 for a malformed label selector', async () => {
    const res = await request(server, 'GET', `/api/v1/configmaps?labelSelector=${encodeURIComponent('a in (')}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.reason, 'BadRequest');
  });

  void it('paginates with limit and an opaque continue token in the real format', async () => {
    const first = await request(server, 'GET', '/api/v1/namespaces/default/configmaps?limit=2');
    assert.deepEqual(first.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'b']);
    assert.equal(first.body.metadata.remainingItemCount, 3);
    const token = first.body.metadata.continue as string;
    assert.deepEqual(decodeToken(token), { v: 'meta.k8s.io/v1', rv: Number(first.body.metadata.resourceVersion), start: 'b\u0000' });
    const second = await request(server, 'GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${token}`);
    assert.deepEqual(second.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c', 'd']);
    assert.equal(second.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
    const third = await request(server, 'GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${second.body.metadata.continue as string}`);
    assert.deepEqual(third.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['e']);
    assert.equal(third.body.metadata.continue, undefined);
    assert.equal(third.body.metadata.remainingItemCount, undefined);
  });

  void it('serves later pages from the first page snapshot, unaffected by newer writes', async () => {
    const first = await request(server, 'GET', '/api/v1/namespaces/default/configmaps?limit=3');
    server.objects.create('configmaps', configMap('da'));
    server.objects.delete('configmaps', 'e', { namespace: 'default' });
    const second = await request(server, 'GET', `/api/v1/namespaces/default/configmaps?limit=3&continue=${first.body.metadata.continue as string}`);
    assert.deepEqual(second.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['d', 'e']);
    server.objects.create('configmaps', configMap('e', { labels: { app: 'y', tier: 'web' } }));
    server.objects.delete('configmaps', 'da', { namespace: 'default' });
  });

  void it('omits remainingItemCount when a selector filters the pages', async () => {
    const res = await request(server, 'GET', '/api/v1/configmaps?limit=1&labelSelector=tier%3Dweb');
    assert.equal(res.body.items.length, 1);
    assert.ok(res.body.metadata.continue);
    assert.equal(res.body.metadata.remainingItemCount, undefined);
  });

  void it('ignores limit for resourceVersion=0 and returns everything', async () => {
    const res = await request(server, 'GET', '/api/v1/namespaces/default/configmaps?limit=1&resourceVersion=0');
    assert.equal(res.body.items.length, 5);
    assert.equal(res.body.metadata.continue, undefined);
  });

  void it('serves an exact resourceVersion from history', async () => {
    const rv = server.store.resourceVersion;
    server.objects.create('configmaps', configMap('later'));
    const exact = await request(server, 'GET', `/api/v1/namespaces/default/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    assert.equal(exact.status, 200);
    assert.equal(exact.body.metadata.resourceVersion, String(rv));
    assert.ok(!exact.body.items.some((i: { metadata: { name: string } }) => i.metadata.name === 'later'));
    const notOlder = await request(server, 'GET', `/api/v1/namespaces/default/configmaps?resourceVersion=${rv}`);
    assert.ok(notOlder.body.items.some((i: { metadata: { name: string } }) => i.metadata.name === 'later'));
    server.objects.delete('configmaps', 'later', { namespace: 'default' });
  });

  void it('answers 504 with Retry-After for a resourceVersion from the future', async () => {
    const res = await request(server, 'GET', `/api/v1/configmaps?resourceVersion=${server.store.resourceVersion + 100}`);
    assert.equal(res.status, 504);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.equal(res.body.details.causes[0].reason, 'ResourceVersionTooLarge');
  });

  void it('answers 422 for invalid resourceVersionMatch combinations and 400 for a bad continue', async () => {
    const noRv = await request(server, 'GET', '/api/v1/configmaps?resourceVersionMatch=Exact');
    assert.equal(noRv.status, 422);
    assert.equal(noRv.body.details.kind, 'ListOptions');
    const exact0 = await request(server, 'GET', '/api/v1/configmaps?resourceVersion=0&resourceVersionMatch=Exact');
    assert.equal(exact0.status, 422);
    const badToken = await request(server, 'GET', '/api/v1/configmaps?limit=1&continue=garbage');
    assert.equal(badToken.status, 400);
    assert.match(badToken.body.message, /^invalid continue token: continue key is not valid/);
    const rvWithContinue = await request(server, 'GET', '/api/v1/configmaps?limit=1&continue=x&resourceVersion=5');
    assert.equal(rvWithContinue.status, 400);
    assert.equal(rvWithContinue.body.message, 'specifying resource version is not allowed when using continue');
  });

  void it('answers 410 Expired with a fresh token when the continue version was compacted', async () => {
    const first = await request(server, 'GET', '/api/v1/namespaces/default/configmaps?limit=2');
    server.objects.create('configmaps', configMap('after-compact'));
    server.faults.compact();
    const res = await request(server, 'GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${first.body.metadata.continue as string}`);
    assert.equal(res.status, 410);
    assert.equal(res.body.reason, 'Expired');
    assert.match(res.body.message, /^The provided continue parameter is too old/);
    const fresh = decodeToken(res.body.metadata.continue as string) as { rv: number; start: string };
    assert.equal(fresh.rv, -1);
    const exact = await request(server, 'GET', `/api/v1/configmaps?resourceVersion=${Number(first.body.metadata.resourceVersion)}&resourceVersionMatch=Exact`);
    assert.equal(exact.status, 410);
    assert.equal(exact.body.message, 'The resourceVersion for the provided list is too old.');
    server.objects.delete('configmaps', 'after-compact', { namespace: 'default' });
  });
});
