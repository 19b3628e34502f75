import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../src/api/errors.ts';
import type { ListOptions } from '../../src/api/lister-watcher.ts';
import { paginatedList } from '../../src/informer/pager.ts';
import { pod, ScriptedListerWatcher, type TestPod } from './scripted-lister-watcher.ts';

function pagedServer(total: number, rv = '100'): (o: ListOptions) => { items: TestPod[]; resourceVersion: string; continue?: string } {
  return (o) => {
    const start = o.continue === undefined ? 0 : Number(o.continue);
    const end = o.limit === undefined || o.limit === 0 ? total : Math.min(total, start + o.limit);
    const items = Array.from({ length: end - start }, (_, i) => pod(`p${start + i}`, rv));
    return end < total ? { items, resourceVersion: rv, continue: String(end) } : { items, resourceVersion: rv };
  };
}

void describe('paginatedList', () => {
  void it('joins every page and keeps the first page resource version', async () => {
    const lw = new ScriptedListerWatcher<TestPod>(pagedServer(1200));
    const progress: number[] = [];
    const result = await paginatedList(lw, { resourceVersion: '0' }, { onPage: (_i, total) => progress.push(total) });
    assert.equal(result.items.length, 1200);
    assert.equal(result.resourceVersion, '100');
    assert.equal(result.paginated, true);
    assert.deepEqual(progress, [500, 1000, 1200]);
    assert.deepEqual(lw.listCalls.map((c) => c.limit), [500, 500, 500]);
  });

  void it('drops the resource version and match on continuation pages', async () => {
    const lw = new ScriptedListerWatcher<TestPod>(pagedServer(700));
    await paginatedList(lw, { resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' });
    assert.equal(lw.listCalls[0]?.resourceVersion, '0');
    assert.equal(lw.listCalls[1]?.resourceVersion, undefined);
    assert.equal(lw.listCalls[1]?.resourceVersionMatch, undefined);
    assert.equal(lw.listCalls[1]?.continue, '500');
  });

  void it('reports a single page as not paginated', async () => {
    const lw = new ScriptedListerWatcher<TestPod>(pagedServer(3));
    const result = await paginatedList(lw, { resourceVersion: '' });
    assert.equal(result.paginated, false);
    assert.equal(result.items.length, 3);
  });

  void it('asks for everything at once with page size 0', async () => {
    const lw = new ScriptedListerWatcher<TestPod>(pagedServer(900));
    const result = await paginatedList(lw, { resourceVersion: '7' }, { pageSize: 0 });
    assert.equal(result.items.length, 900);
    assert.equal(lw.listCalls[0]?.limit, undefined);
  });

  void it('falls back to one full list at the original version when a continue token expires', async () => {
    const serve = pagedServer(1200);
    const lw = new ScriptedListerWatcher<TestPod>((o) => {
      if (o.continue === '1000') throw StatusError.of(410, 'Expired', 'the continue token is too old');
      return serve(o);
    });
    const result = await paginatedList(lw, { resourceVersion: '0' });
    assert.equal(result.items.length, 1200);
    const last = lw.listCalls[lw.listCalls.length - 1];
    assert.deepEqual({ rv: last?.resourceVersion, limit: last?.limit, cont: last?.continue }, { rv: '0', limit: undefined, cont: undefined });
  });

  void it('passes a 410 on the first page through', async () => {
    const lw = new ScriptedListerWatcher<TestPod>(() => {
      throw StatusError.of(410, 'Expired', 'too old');
    });
    await assert.rejects(paginatedList(lw, { resourceVersion: '5' }), (e: unknown) => e instanceof StatusError && e.code === 410);
    assert.equal(lw.listCalls.length, 1);
  });

  void it('passes a Gone (not Expired) continuation failure through', async () => {
    const serve = pagedServer(1200);
    const lw = new ScriptedListerWatcher<TestPod>((o) => {
      if (o.continue !== undefined) throw StatusError.of(410, 'Gone', 'gone');
      return serve(o);
    });
    await assert.rejects(paginatedList(lw, { resourceVersion: '0' }), /gone/);
  });

  void it('stops between pages once the signal aborts', async () => {
    const controller = new AbortController();
    const serve = pagedServer(1200);
    const lw = new ScriptedListerWatcher<TestPod>((o) => {
      controller.abort(new Error('stopped'));
      return serve(o);
    });
    await assert.rejects(paginatedList(lw, { resourceVersion: '0', signal: controller.signal }), /stopped/);
    assert.equal(lw.listCalls.length, 1);
  });
});
