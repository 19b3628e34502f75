import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CacheAlreadyStartedError, ConfigMaps, structured, isNotFound, isDeletedFinalStateUnknown, HandlerError } from '../../src/index.ts';
import type { Informer, Reader, Informers } from '../../src/index.ts';
import { FakeInformers, FakeInformer } from '../../src/testing/index.ts';
import { startedFakeInformers } from './fake-informers-helpers.ts';

type Pod = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }; spec?: { nodeName?: string } };

// Tests usually name their own slim type for the kind; the handle carries it to every read.
const Pods = structured<Pod>({ group: '', version: 'v1', kind: 'Pod' });

function pod(ns: string, name: string, labels: Record<string, string> = {}, nodeName = ''): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ns, name, labels }, spec: { nodeName } };
}

// A tiny controller written against the real interfaces: it records what it reconciles.
async function startRecorder(cache: Reader & Informers, seen: string[]): Promise<void> {
  const informer: Informer<Pod> = await cache.getInformer(Pods);
  informer.addEventHandler({
    onAdd: (p) => void seen.push(`add ${p.metadata?.namespace}/${p.metadata?.name}`),
    onUpdate: (_o, n) => void seen.push(`update ${n.metadata?.name}`),
    onDelete: (p) => void seen.push(`delete ${isDeletedFinalStateUnknown(p) ? `tombstone ${p.key}` : p.metadata?.name}`),
  });
}

describe('FakeInformers', () => {
  test('a controller written against Reader & Informers sees the adds, updates and deletes a test drives', async () => {
    const informers = new FakeInformers();
    const seen: string[] = [];
    await startRecorder(informers, seen);
    const fake = informers.informerFor(Pods);
    await fake.add(pod('ns', 'p1'));
    await fake.update({ ...pod('ns', 'p1'), spec: { nodeName: 'n1' } });
    await fake.delete(pod('ns', 'p1'));
    await fake.delete(pod('ns', 'p2'), { finalStateUnknown: true });
    assert.deepEqual(seen, ['add ns/p1', 'update p1', 'delete p1', 'delete tombstone ns/p2']);
  });

  test('reads are served from the fake store, frozen, with selectors and field indexes', async (t) => {
    const informers = startedFakeInformers(t);
    await informers.indexField(Pods, 'spec.nodeName', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    const fake = informers.informerFor(Pods);
    await fake.add(pod('a', 'p1', { app: 'web' }, 'n1'));
    await fake.add(pod('a', 'p2', { app: 'db' }, 'n2'));
    await fake.add(pod('b', 'p3', { app: 'web' }, 'n1'));

    const got = await informers.get(Pods, { namespace: 'a', name: 'p1' });
    assert.equal(got.metadata?.name, 'p1');
    assert.throws(() => {
      (got.metadata as { name?: string }).name = 'changed';
    }, TypeError);
    const names = (list: readonly Pod[]): string[] => list.map((p) => p.metadata?.name ?? '').sort();
    assert.deepEqual(names(await informers.list(Pods, { namespace: 'a' })), ['p1', 'p2']);
    assert.deepEqual(names(await informers.list(Pods, { labelSelector: 'app=web' })), ['p1', 'p3']);
    assert.deepEqual(names(await informers.list(Pods, { fieldSelector: { 'spec.nodeName': 'n1' } })), ['p1', 'p3']);
    assert.deepEqual(names(await informers.list(Pods, { namespace: 'b', fieldSelector: 'spec.nodeName=n1' })), ['p3']);
    const copy = await informers.get(Pods, { namespace: 'a', name: 'p2' }, { deepCopy: true });
    copy.metadata!.name = 'mutable';
    assert.equal((await informers.get(Pods, { namespace: 'a', name: 'p2' })).metadata?.name, 'p2');
  });

  test('a missing object rejects with a NotFound StatusError naming it', async (t) => {
    const informers = startedFakeInformers(t);
    await assert.rejects(informers.get(ConfigMaps, { namespace: 'ns', name: 'nope' }), (err: unknown) => {
      assert.ok(isNotFound(err));
      assert.match((err as Error).message, /configmaps "nope" not found/);
      return true;
    });
  });

  test('a late handler first receives the existing objects as initial adds', async () => {
    const fake = new FakeInformer<Pod>();
    await fake.add(pod('ns', 'p1'));
    const initial: boolean[] = [];
    const reg = fake.addEventHandler({ onAdd: (_p, isInInitialList) => void initial.push(isInInitialList) });
    await reg.onSynced();
    assert.deepEqual(initial, [true]);
    assert.ok(reg.hasSynced());
  });

  test('a throwing handler rejects the driving call with HandlerError and the other handler still runs', async () => {
    const fake = new FakeInformer<Pod>();
    const seen: string[] = [];
    fake.addEventHandler({ onAdd: () => { throw new Error('boom'); } });
    fake.addEventHandler({ onAdd: (p) => void seen.push(p.metadata?.name ?? '') });
    await assert.rejects(fake.add(pod('ns', 'p1')), (err: unknown) => err instanceof HandlerError && /boom/.test(err.message));
    assert.deepEqual(seen, ['p1']);
  });

  test('sync state is under the test\'s control and waitForCacheSync reflects it', async () => {
    const informers = new FakeInformers({ synced: false });
    const fake = informers.informerFor(Pods);
    assert.equal(await informers.waitForCacheSync(), false);
    const synced = fake.onSynced();
    fake.setSynced(true);
    await synced;
    assert.equal(await informers.waitForCacheSync(), true);
  });

  test('removeInformer stops the informer and a later getInformer returns a fresh one', async (t) => {
    const informers = startedFakeInformers(t);
    const first = await informers.getInformer(Pods);
    await first.add(pod('ns', 'p1'));
    await informers.removeInformer(Pods);
    assert.ok(first.isStopped());
    assert.throws(() => first.addEventHandler({}));
    const second = await informers.getInformer(Pods);
    assert.notEqual(second, first);
    assert.deepEqual(await informers.list(Pods), []);
  });

  test('a second start rejects with CacheAlreadyStartedError, as the real cache does', async () => {
    const informers = new FakeInformers();
    const stop = new AbortController();
    const running = informers.start(stop.signal);
    await assert.rejects(informers.start(stop.signal), CacheAlreadyStartedError);
    stop.abort();
    await running;
  });
});
