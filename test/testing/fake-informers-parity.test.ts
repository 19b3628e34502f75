// FakeInformers answers every read as the real Cache does: the same calls against both, the same answers.

import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { Cache, ConfigMaps, Nodes, structured, type Reader, type Informers } from '../../src/index.ts';
import { FakeApiServer, FakeInformers } from '../../src/testing/index.ts';
import { startCache, startServer } from '../helpers.ts';
import { startedFakeInformers } from './fake-informers-helpers.ts';

const WIDGET = { group: 'example.com', version: 'v1', kind: 'Widget' };

const SEED = {
  configmaps: [
    { metadata: { namespace: 'default', name: 'a', labels: { app: 'web' } }, data: { x: '1' } },
    { metadata: { namespace: 'default', name: 'b' }, data: { x: '2' } },
  ],
  nodes: [{ metadata: { name: 'n1' } }],
};

/** Each read, summarised as its result's names or its error's class and message. */
const READS: readonly [what: string, read: (c: Reader & Informers) => Promise<unknown>][] = [
  ['get of an object', (c) => c.get(ConfigMaps, { namespace: 'default', name: 'a' })],
  ['get of a missing object', (c) => c.get(ConfigMaps, { namespace: 'default', name: 'missing' })],
  ['get of a cluster-scoped object with a namespace', (c) => c.get(Nodes, { namespace: 'default', name: 'n1' })],
  ['list with a continue token', (c) => c.list(ConfigMaps, { continue: 'abc' })],
  ['list by label', (c) => c.list(ConfigMaps, { labelSelector: 'app=web' })],
  ['list by an unindexed field', (c) => c.list(ConfigMaps, { fieldSelector: 'data.x=1' })],
  ['list by metadata.name', (c) => c.list(ConfigMaps, { fieldSelector: { 'metadata.name': 'b' } })],
  ['list with a malformed selector', (c) => c.list(ConfigMaps, { labelSelector: 'app in (' })],
  ['list of one namespace with a limit', (c) => c.list(ConfigMaps, { namespace: 'default', limit: 1 })],
  ['getInformerForKind of a kind outside the scheme', (c) => c.getInformerForKind(WIDGET)],
  ['get of a structured kind outside the scheme', (c) => c.get(structured(WIDGET), { namespace: 'default', name: 'w' })],
  ['a write to a read object', async (c) => {
    const cm = await c.get(ConfigMaps, { namespace: 'default', name: 'b' });
    (cm.metadata as { name?: string }).name = 'changed';
  }],
];

function summary(outcome: PromiseSettledResult<unknown>): string {
  if (outcome.status === 'rejected') {
    const err = outcome.reason as Error;
    return `${err.constructor.name}: ${err.message}`;
  }
  const value = outcome.value;
  const names = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((o) => (o as { metadata?: { name?: string } }).metadata?.name);
  return `ok [${names.join(',')}]`;
}

async function realCache(t: TestContext): Promise<Cache> {
  const server = await startServer(t);
  for (const cm of SEED.configmaps) server.objects.create('configmaps', cm);
  for (const node of SEED.nodes) server.objects.create('nodes', node);
  return startCache(t, server).cache;
}

async function fakeCache(t: TestContext): Promise<FakeInformers> {
  const informers = startedFakeInformers(t);
  for (const cm of SEED.configmaps) await informers.informerFor(ConfigMaps).add(cm);
  for (const node of SEED.nodes) await informers.informerFor(Nodes).add(node);
  return informers;
}

describe('FakeInformers reads and the real Cache', () => {
  test('give the same answer to every read: results, NotFound, continue, cluster scope, selectors, the Scheme, frozen objects', async (t) => {
    const real = await realCache(t);
    const fake = await fakeCache(t);
    for (const [what, read] of READS) {
      const [expected, actual] = await Promise.allSettled([read(real), read(fake)]);
      assert.equal(summary(actual), summary(expected), what);
    }
  });

  test('reject reads before start with CacheNotStartedError, as the real cache does', async (t) => {
    const server = await FakeApiServer.start();
    t.after(() => server.stop());
    const real = new Cache(server.kubeConfig());
    const fake = new FakeInformers();
    for (const c of [real, fake] as const) {
      await assert.rejects(c.get(ConfigMaps, { namespace: 'default', name: 'a' }), { name: 'CacheNotStartedError' });
      await assert.rejects(c.list(ConfigMaps), { name: 'CacheNotStartedError' });
    }
  });

  test('make a read of an unsynced kind wait for its sync, and time out with a 504 when its signal aborts', async (t) => {
    const fake = startedFakeInformers(t, { synced: false });
    await assert.rejects(fake.list(ConfigMaps, { signal: AbortSignal.timeout(20) }), { code: 504, message: 'Timeout: failed waiting for structured /v1, Kind=ConfigMap Informer to sync' });
    const pending = fake.list(ConfigMaps);
    fake.informerFor(ConfigMaps).setSynced(true);
    assert.deepEqual(await pending, []);
  });

  test('fail every call with the injected error, as controller-runtime’s FakeInformers.Error', async (t) => {
    const fake = await fakeCache(t);
    fake.error = new Error('cache unavailable');
    for (const call of [
      () => fake.get(ConfigMaps, { namespace: 'default', name: 'a' }),
      () => fake.list(ConfigMaps),
      () => fake.getInformer(ConfigMaps),
      () => fake.getInformerForKind(ConfigMaps.gvk),
      () => fake.indexField(ConfigMaps, 'data.x', () => []),
    ]) {
      await assert.rejects(call(), /cache unavailable/);
    }
    fake.error = undefined;
    assert.equal((await fake.get(ConfigMaps, { namespace: 'default', name: 'a' })).metadata?.name, 'a');
  });
});
