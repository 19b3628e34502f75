// cache.stats() counts what happened over HTTP; renderPrometheus turns it into valid exposition text.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigMaps, Secrets } from '../../src/cache/kinds.ts';
import type { CacheStats, InformerStatsEntry } from '../../src/cache/metrics.ts';
import { escapeLabelValue, renderPrometheus } from '../../src/cache/prometheus.ts';
import { HANDLER_LATENCY_BUCKETS_MS } from '../../src/informer/handler-latency.ts';
import { eventually, startCache, startServer, timeout } from '../helpers.ts';
import { recordingLogger } from './helpers.ts';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;
const HELP = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$/;
const TYPE = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/;

/** Checks every line's format and that each sample belongs to the family declared before it. */
function parseExposition(text: string): Map<string, number> {
  assert.ok(text.endsWith('\n'), 'ends with a line feed');
  const samples = new Map<string, number>();
  let family = '';
  for (const line of text.slice(0, -1).split('\n')) {
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    if (help !== null) {
      family = help[1] ?? '';
      continue;
    }
    if (type !== null) {
      assert.equal(type[1], family, `TYPE follows HELP of ${family}`);
      continue;
    }
    const sample = SAMPLE.exec(line);
    assert.ok(sample !== null, `sample line is well formed: ${line}`);
    const name = sample[1] ?? '';
    assert.ok(name === family || ['_bucket', '_sum', '_count'].some((s) => name === family + s), `${name} is in family ${family}`);
    assert.ok(name.startsWith('kubecache_'), `${name} is prefixed`);
    samples.set(`${name}${sample[2] ?? ''}`, Number(sample[3]?.replace('+Inf', 'Infinity')));
  }
  return samples;
}

const CM_LABELS = 'group="",version="v1",kind="ConfigMap",representation="structured",namespace=""';

void describe('cache.stats and renderPrometheus', () => {
  void it('counts objects, watch events, relists, handler errors and handler calls of each informer', async (t) => {
    const server = await startServer(t);
    for (const name of ['a', 'b', 'c']) server.objects.create('configmaps', { metadata: { name, namespace: 'ns1' } });
    const { cache } = startCache(t, server, { logger: recordingLogger() });
    const informer = await cache.getInformer(ConfigMaps, { signal: timeout() });
    let delivered = 0;
    informer.addEventHandler({ onAdd: () => void delivered++, onUpdate: () => void delivered++, onDelete: () => void delivered++ });
    informer.addEventHandler({
      onAdd: (cm) => {
        if (cm.metadata?.name === 'd') throw new Error('no d allowed');
      },
    });
    server.objects.create('configmaps', { metadata: { name: 'd', namespace: 'ns1' } });
    server.objects.update('configmaps', { metadata: { name: 'a', namespace: 'ns1' }, data: { k: 'v' } });
    server.objects.delete('configmaps', 'b', { namespace: 'ns1' });
    await eventually(() => delivered === 6, 'six notifications to the counting handler');
    const entry = await eventuallyEntry(() => cache.stats(), (e) => e.handlerLatency.count === 12 && e.listenerQueueDepthSum === 0);

    assert.deepEqual(entry.gvk, { group: '', version: 'v1', kind: 'ConfigMap' });
    assert.equal(entry.representation, 'structured');
    assert.equal(entry.namespace, '');
    assert.equal(entry.synced, true);
    assert.equal(entry.objects, 3);
    assert.equal(entry.events.added, 1);
    assert.equal(entry.events.modified, 1);
    assert.equal(entry.events.deleted, 1);
    assert.equal(entry.relists, 1);
    assert.equal(entry.watchRestarts, 0);
    assert.equal(entry.handlerErrors, 1);
    assert.equal(entry.listeners, 2);
    assert.equal(entry.listenerQueueDepthMax, 0);
    assert.equal(entry.lastSyncResourceVersion, String(server.store.resourceVersion));
    assert.equal(entry.handlerLatency.buckets.length, HANDLER_LATENCY_BUCKETS_MS.length);
    assert.ok(entry.handlerLatency.maxMs <= entry.handlerLatency.totalMs);

    const samples = parseExposition(renderPrometheus(cache.stats()));
    assert.equal(samples.get(`kubecache_informer_objects{${CM_LABELS}}`), 3);
    assert.equal(samples.get(`kubecache_informer_synced{${CM_LABELS}}`), 1);
    assert.equal(samples.get(`kubecache_informer_events_total{${CM_LABELS},type="ADDED"}`), 1);
    assert.equal(samples.get(`kubecache_informer_events_total{${CM_LABELS},type="DELETED"}`), 1);
    assert.equal(samples.get(`kubecache_informer_relists_total{${CM_LABELS}}`), 1);
    assert.equal(samples.get(`kubecache_informer_handler_errors_total{${CM_LABELS}}`), 1);
    assert.equal(samples.get(`kubecache_informer_listeners{${CM_LABELS}}`), 2);
    assert.equal(samples.get(`kubecache_informer_handler_duration_seconds_count{${CM_LABELS}}`), 12);
    assert.equal(samples.get(`kubecache_informer_handler_duration_seconds_bucket{${CM_LABELS},le="+Inf"}`), 12);
    assert.equal(samples.get(`kubecache_informer_last_sync_resource_version{${CM_LABELS}}`), Number(entry.lastSyncResourceVersion));
  });

  void it('labels the informers of a multi-namespace cache by namespace, and its log lines by gvk and namespace', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'x', namespace: 'ns1' } });
    server.objects.create('configmaps', { metadata: { name: 'y', namespace: 'ns2' } });
    server.objects.create('configmaps', { metadata: { name: 'z', namespace: 'ns2' } });
    const logger = recordingLogger();
    const { cache } = startCache(t, server, { defaultNamespaces: ['ns1', 'ns2'], logger });
    await cache.list(ConfigMaps, { signal: timeout() });
    const stats = cache.stats();
    assert.deepEqual(
      stats.informers.map((e) => [e.namespace, e.objects]),
      [
        ['ns1', 1],
        ['ns2', 2],
      ],
    );
    const listed = logger.records.filter((r) => r.msg.startsWith('listed'));
    assert.deepEqual(
      listed.map((r) => [r.fields['gvk'], r.fields['namespace'], r.fields['count']]).sort(),
      [
        ['/v1, Kind=ConfigMap', 'ns1', 1],
        ['/v1, Kind=ConfigMap', 'ns2', 2],
      ],
    );
    const samples = parseExposition(renderPrometheus(stats));
    assert.equal(samples.get('kubecache_informer_objects{group="",version="v1",kind="ConfigMap",representation="structured",namespace="ns2"}'), 2);
  });

  void it('renders cumulative histogram buckets ending in +Inf, and HELP/TYPE lines with no samples for an empty cache', () => {
    const entry = fakeEntry('we"ird\\ns\n');
    const text = renderPrometheus({ informers: [entry], workingSets: [] });
    const samples = parseExposition(text);
    const labels = `group="",version="v1",kind="Pod",representation="metadata",namespace="we\\"ird\\\\ns\\n"`;
    assert.equal(samples.get(`kubecache_informer_handler_duration_seconds_bucket{${labels},le="0.0001"}`), 1);
    assert.equal(samples.get(`kubecache_informer_handler_duration_seconds_bucket{${labels},le="0.001"}`), 2);
    assert.equal(samples.get(`kubecache_informer_handler_duration_seconds_bucket{${labels},le="+Inf"}`), 3);
    assert.equal(samples.get(`kubecache_informer_handler_duration_seconds_sum{${labels}}`), 7.5);
    assert.equal(samples.get(`kubecache_informer_handler_duration_max_seconds{${labels}}`), 7);
    assert.equal(samples.has(`kubecache_informer_last_sync_resource_version{${labels}}`), false, 'opaque versions are not exported');

    const empty = renderPrometheus({ informers: [], workingSets: [] });
    assert.equal(parseExposition(empty).size, 0);
    assert.match(empty, /^# TYPE kubecache_informer_objects gauge$/m);
  });

  void it('escapes backslash, double quote and line feed in label values', () => {
    assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  });
  void it("reports each working set (cacheFullObjects 'whenRead') in stats() and as kubecache_working_set_* samples", async (t) => {
    const server = await startServer(t);
    for (const name of ['a', 'b', 'c']) server.objects.create('secrets', { metadata: { name, namespace: 'ns1' }, data: {} });
    const { cache } = startCache(t, server, { byObject: [{ kind: Secrets, cacheFullObjects: 'whenRead', workingSet: { maxObjects: 2 } }] });
    for (const name of ['a', 'b', 'a', 'c']) await cache.get(Secrets, { namespace: 'ns1', name }, { signal: timeout() });
    const stats = cache.stats();
    assert.deepEqual(stats.workingSets.length, 1);
    assert.deepEqual(
      { ...stats.workingSets[0], bytes: 0 },
      {
        gvk: { group: '', version: 'v1', kind: 'Secret' },
        representation: 'structured',
        objects: 2,
        bytes: 0,
        maxObjects: 2,
        maxBytes: 64 * 1024 * 1024,
        hits: 1,
        misses: 3,
        hydrations: 3,
        evictions: 1,
        invalidations: 0,
        getRequests: 3,
        listRequests: 0,
        refreshErrors: 0,
      },
    );
    assert.deepEqual(
      stats.informers.map((e) => `${e.gvk.kind}/${e.representation}`),
      ['Secret/metadata'],
      'the informer behind it watches metadata only',
    );
    const samples = parseExposition(renderPrometheus(stats));
    const labels = '{group="",version="v1",kind="Secret",representation="structured"}';
    assert.equal(samples.get(`kubecache_working_set_objects${labels}`), 2);
    assert.ok((samples.get(`kubecache_working_set_bytes${labels}`) ?? 0) > 0);
    assert.equal(samples.get(`kubecache_working_set_hits_total${labels}`), 1);
    assert.equal(samples.get(`kubecache_working_set_misses_total${labels}`), 3);
    assert.equal(samples.get(`kubecache_working_set_hydrations_total${labels}`), 3);
    assert.equal(samples.get(`kubecache_working_set_evictions_total${labels}`), 1);
  });
});

function eventuallyEntry(stats: () => CacheStats, ready: (e: InformerStatsEntry) => boolean): Promise<InformerStatsEntry> {
  return eventually(() => {
    const entry = stats().informers[0];
    return entry !== undefined && ready(entry) ? entry : undefined;
  }, 'the informer stats');
}

function fakeEntry(namespace: string): InformerStatsEntry {
  const counts = [1, 2, 2, 2, 2, 2, 2, 2, 2, 3];
  return {
    gvk: { group: '', version: 'v1', kind: 'Pod' },
    representation: 'metadata',
    namespace,
    synced: false,
    objects: 0,
    events: { added: 0, modified: 0, deleted: 0, bookmark: 0, error: 0 },
    relists: 0,
    watchRestarts: 0,
    watchErrors: 0,
    handlerErrors: 0,
    lastSyncResourceVersion: 'opaque-v1',
    listenerQueueDepths: [],
    listeners: 0,
    listenerQueueDepthSum: 0,
    listenerQueueDepthMax: 0,
    handlerLatency: {
      count: 3,
      totalMs: 7500,
      maxMs: 7000,
      buckets: HANDLER_LATENCY_BUCKETS_MS.map((le, i) => ({ le, count: counts[i] ?? 0 })),
    },
  };
}
