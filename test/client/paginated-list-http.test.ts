// The pager (informer/pager.ts) over client's ListWatch and the fake APIServer: page following,
// progress, and the expired-token fallback.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '../../src/api/errors.ts';
import type { ListOptions, ListPage, ListerWatcher, WatchEvent, WatchOptions } from '../../src/api/lister-watcher.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { RestClient } from '../../src/client/rest-client.ts';
import { Transport } from '../../src/client/transport.ts';
import { paginatedList } from '../../src/informer/pager.ts';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

/** Wraps a ListerWatcher to run `between` after each page it serves. */
class Spying<T> implements ListerWatcher<T> {
  readonly calls: ListOptions[] = [];
  readonly #inner: ListerWatcher<T>;
  readonly #between: (call: number) => Promise<void>;

  constructor(inner: ListerWatcher<T>, between: (call: number) => Promise<void> = () => Promise.resolve()) {
    this.#inner = inner;
    this.#between = between;
  }

  async list(options: ListOptions): Promise<ListPage<T>> {
    this.calls.push(options);
    const page = await this.#inner.list(options);
    await this.#between(this.calls.length);
    return page;
  }

  watch(options: WatchOptions): AsyncIterable<WatchEvent<T>> {
    return this.#inner.watch(options);
  }
}

function nameList(items: readonly KubeObject[]): string[] {
  return items.map((i) => i.metadata?.name ?? '').sort();
}

void describe('paginatedList over ListWatch and the fake APIServer', () => {
  let server: FakeApiServer;
  let transport: Transport;
  let rest: RestClient;
  let lw: ListWatch<KubeObject>;
  const expected: string[] = [];

  void before(async () => {
    server = await FakeApiServer.start();
    transport = Transport.fromKubeConfig(server.kubeConfig());
    rest = new RestClient(transport);
    await rest.createObject({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: 'pager' } });
    for (let i = 0; i < 7; i++) {
      const name = `cm-${i}`;
      expected.push(name);
      await rest.createObject(configmaps, { metadata: { name, namespace: 'pager' }, data: {} });
    }
    lw = new ListWatch<KubeObject>({ transport, resource: configmaps, namespace: 'pager' });
  });
  void after(async () => {
    transport.close();
    await server.stop();
  });

  void it('follows continue tokens, reports each page, and returns the first page resourceVersion', async () => {
    const spy = new Spying(lw);
    const pages: [number, number][] = [];
    const result = await paginatedList(spy, { resourceVersion: '' }, { pageSize: 2, onPage: (items, total) => pages.push([items.length, total]) });
    assert.deepEqual(nameList(result.items), expected);
    assert.equal(result.paginated, true);
    assert.deepEqual(pages, [
      [2, 2],
      [2, 4],
      [2, 6],
      [1, 7],
    ]);
    const first = await lw.list({ limit: 1 });
    assert.ok(Number(result.resourceVersion) <= Number(first.resourceVersion));
    assert.equal(spy.calls[0]?.continue, undefined);
    assert.equal(spy.calls[0]?.resourceVersion, '');
    for (const call of spy.calls.slice(1)) {
      assert.equal(call.limit, 2);
      assert.ok(call.continue !== undefined);
      assert.equal(call.resourceVersion, undefined, 'continue pages drop the resourceVersion');
    }
  });

  void it('uses 500 as the default page size and returns a single page as is', async () => {
    const spy = new Spying(lw);
    const result = await paginatedList(spy, {});
    assert.equal(spy.calls.length, 1);
    assert.equal(result.paginated, false);
    assert.equal(spy.calls[0]?.limit, 500);
    assert.equal(result.items.length, 7);
  });

  void it('falls back to one full list without limit when the continue token expired between pages', async () => {
    const spy = new Spying(lw, async (call) => {
      if (call !== 1) return;
      await rest.createObject(configmaps, { metadata: { name: 'cm-late', namespace: 'pager' }, data: {} });
      server.faults.compact();
    });
    const totals: number[] = [];
    const result = await paginatedList(spy, {}, { pageSize: 3, onPage: (_items, total) => totals.push(total) });
    assert.deepEqual(nameList(result.items), [...expected, 'cm-late'].sort());
    assert.equal(spy.calls.length, 3);
    const fallback = spy.calls[2];
    assert.equal(fallback?.limit, undefined);
    assert.equal(fallback?.continue, undefined);
    assert.deepEqual(totals, [3, 8], 'the full re-list replaces the first page in the running total');
    await rest.deleteObject(configmaps, 'cm-late', { namespace: 'pager' });
  });

  void it('rejects with errors other than Expired as the ListerWatcher raised them', async () => {
    const failing: ListerWatcher<KubeObject> = {
      list: () => Promise.reject(StatusError.of(403, 'Forbidden', 'configmaps is forbidden')),
      watch: (options) => lw.watch(options),
    };
    await assert.rejects(paginatedList(failing, {}), { name: 'StatusError', code: 403 });
  });

  void it('stops between pages when the signal aborts', async () => {
    const controller = new AbortController();
    const spy = new Spying(lw, (call) => {
      if (call === 1) controller.abort();
      return Promise.resolve();
    });
    await assert.rejects(paginatedList(spy, { signal: controller.signal }, { pageSize: 2 }), { name: 'AbortError' });
    assert.equal(spy.calls.length, 1);
  });
});
