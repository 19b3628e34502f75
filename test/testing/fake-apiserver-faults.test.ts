// Fault injection, bearer-token auth, TLS, restart and the request log, each seen by a plain client.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { defineResource } from '../../src/testing/fake-apiserver/registry.ts';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { eventually } from '../helpers.ts';
import { configMap, request, startServer, watch } from './fake-apiserver-helpers.ts';

const CM = '/api/v1/namespaces/default/configmaps';

void describe('fake apiserver faults', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  void it('failNext answers the next matching requests with a Status of that code', async () => {
    server.faults.failNext({ verb: 'list', resource: 'configmaps', status: 503, count: 2 });
    const get = await request(server, 'GET', '/api/v1/namespaces/default/pods');
    assert.equal(get.status, 200);
    for (let i = 0; i < 2; i++) {
      const res = await request(server, 'GET', CM);
      assert.equal(res.status, 503);
      assert.equal(res.body.kind, 'Status');
      assert.equal(res.body.code, 503);
      assert.equal(res.body.reason, 'ServiceUnavailable');
    }
    assert.equal((await request(server, 'GET', CM)).status, 200);
  });

  void it('failNext can target creates', async () => {
    server.faults.failNext({ verb: 'create', status: 500 });
    const res = await request(server, 'POST', CM, { body: configMap('f1') });
    assert.equal(res.status, 500);
    assert.equal((await request(server, 'GET', `${CM}/f1`)).status, 404);
  });

  void it('forbid answers 403 Forbidden for the resource until cleared', async () => {
    server.faults.forbid('secrets');
    const res = await request(server, 'GET', '/api/v1/namespaces/default/secrets');
    assert.equal(res.status, 403);
    assert.equal(res.body.reason, 'Forbidden');
    assert.match(res.body.message, /^secrets is forbidden: User "system:anonymous" cannot list resource "secrets"/);
    assert.equal((await request(server, 'GET', CM)).status, 200);
    server.faults.clear();
    assert.equal((await request(server, 'GET', '/api/v1/namespaces/default/secrets')).status, 200);
  });

  void it('unavailable makes one group version act as a down aggregated API: Stale, 503, the other groups untouched', async () => {
    server.registry.add(defineResource({ group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', kind: 'PodMetrics', namespaced: true }));
    server.faults.unavailable('metrics.k8s.io/v1beta1');
    const aggregated = { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' };
    const apis = await request(server, 'GET', '/apis', { headers: aggregated });
    const groups = apis.body.items as { metadata: { name: string }; versions: { freshness: string }[] }[];
    const metrics = groups.find((g) => g.metadata.name === 'metrics.k8s.io');
    assert.deepEqual(metrics?.versions, [{ version: 'v1beta1', freshness: 'Stale' }]);
    assert.equal(groups.find((g) => g.metadata.name === 'apps')?.versions[0]?.freshness, 'Current');
    for (const path of ['/apis/metrics.k8s.io/v1beta1', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods']) {
      const res = await request(server, 'GET', path);
      assert.equal(res.status, 503, path);
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.equal(res.text, 'service unavailable\n');
    }
    assert.equal((await request(server, 'GET', '/apis/metrics.k8s.io')).status, 200, 'the aggregator itself serves the group document');
    assert.equal((await request(server, 'GET', '/apis/apps/v1')).status, 200);
    server.faults.clear();
    assert.equal((await request(server, 'GET', '/apis/metrics.k8s.io/v1beta1')).status, 200);
  });

  void it('unavailable with hang holds its requests, answering them once cleared, while others are served', async () => {
    server.faults.unavailable('metrics.k8s.io/v1beta1', { hang: true });
    const reads = (): number => server.requests.records.filter((r) => r.path === '/apis/metrics.k8s.io/v1beta1').length;
    const before = reads();
    let settled = false;
    const held = request(server, 'GET', '/apis/metrics.k8s.io/v1beta1').finally(() => (settled = true));
    while (reads() === before) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal((await request(server, 'GET', '/api/v1')).status, 200);
    assert.equal(settled, false);
    server.faults.clear();
    assert.equal((await held).status, 200);
  });

  void it('latency delays answers until cleared', async () => {
    server.faults.latency(150);
    const t0 = process.hrtime.bigint();
    assert.equal((await request(server, 'GET', CM)).status, 200);
    const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
    server.faults.clear();
    assert.ok(elapsedMs >= 140, `expected the injected 150 ms delay, saw ${elapsedMs} ms`);
    assert.equal(server.faults.latencyMs, 0);
  });

  void it('stop lets go of requests still waiting out injected latency: their timers end and their handlers never run', async () => {
    const other = await startServer();
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    other.faults.latency(600_000);
    // A plain request without an agent, so that no client-side timer is counted.
    const held = new Promise<void>((resolve) => {
      httpGet(`${other.url}${CM}?watch=true`, { agent: false }).on('response', () => resolve()).on('error', () => resolve());
    });
    await eventually(() => other.requests.count({ verb: 'watch' }) > 0, 'the watch to arrive');
    assert.equal(timers(), before + 1, 'the injected latency holds one timer');
    await other.stop();
    await held;
    assert.equal(timers(), before, 'a stopped server keeps no timer (which would hold the process open)');
    assert.equal(other.watches.size, 0);
  });

  void it('dropWatches ends every open watch stream', async () => {
    const w = await watch(server, `${CM}?watch=true&resourceVersion=${server.store.resourceVersion}`);
    await eventually(() => server.watches.size > 0, 'the watch to open');
    assert.equal(server.faults.dropWatches(), 1);
    assert.deepEqual(await w.drain(), []);
  });

  void it('dropWatches with abrupt: true breaks the connection', async () => {
    const w = await watch(server, `${CM}?watch=true&resourceVersion=${server.store.resourceVersion}`);
    server.faults.dropWatches({ abrupt: true });
    await assert.rejects(w.drain());
  });

  void it('compact makes watches from an older resourceVersion fail with 410', async () => {
    const old = server.store.resourceVersion;
    server.objects.create('configmaps', configMap('c-after'));
    server.faults.compact();
    const w = await watch(server, `${CM}?watch=true&resourceVersion=${old}`);
    const events = await w.drain();
    assert.equal(events[0]?.type, 'ERROR');
    assert.equal(events[0]?.object.code, 410);
    const current = await watch(server, `${CM}?watch=true&resourceVersion=${server.store.resourceVersion}`);
    server.objects.create('configmaps', configMap('c-after-2'));
    assert.equal((await current.next())?.object.metadata.name, 'c-after-2');
    current.close();
  });

  void it('counts requests per verb and resource', async () => {
    server.requests.clear();
    await request(server, 'GET', CM);
    await request(server, 'GET', `${CM}?limit=1`);
    await request(server, 'GET', `${CM}/nope`);
    assert.equal(server.requests.count({ verb: 'list', resource: 'configmaps' }), 2);
    assert.equal(server.requests.count({ verb: 'get' }), 1);
    assert.equal(server.requests.filter({ verb: 'list' })[1]?.query.get('limit'), '1');
  });

  void it('restart closes connections, then serves the same data on the same port', async () => {
    const w = await watch(server, `${CM}?watch=true&resourceVersion=${server.store.resourceVersion}`);
    const port = server.port;
    const rv = server.store.resourceVersion;
    await server.restart();
    await assert.rejects(w.drain());
    assert.equal(server.port, port);
    const res = await request(server, 'GET', `${CM}/c-after`);
    assert.equal(res.status, 200);
    assert.equal(server.store.resourceVersion, rv);
  });
});

void describe('fake apiserver auth and TLS', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await FakeApiServer.start({ tls: true, token: 'sekret' });
  });
  after(() => server.stop());

  function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(`${server.url}${path}`, { ca: server.caCert, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  void it('serves HTTPS with a certificate for 127.0.0.1 signed by its CA', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await get('/api/v1/namespaces/default/configmaps', { authorization: 'Bearer sekret' });
    assert.equal(res.status, 200);
  });

  void it('answers 401 Unauthorized without the bearer token', async () => {
    const res = await get('/api/v1/namespaces/default/configmaps', {});
    assert.equal(res.status, 401);
    assert.deepEqual(JSON.parse(res.body), {
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    assert.equal((await get('/api', { authorization: 'Bearer wrong' })).status, 401);
  });

  void it('writes kubeconfigs carrying the CA and the token', () => {
    const yaml = server.kubeConfigYaml();
    assert.match(yaml, /certificate-authority-data: [A-Za-z0-9+/=]+/);
    assert.match(yaml, /token: "sekret"/);
    assert.ok(yaml.includes(`server: "${server.url}"`));
    const kc = server.kubeConfig();
    assert.equal(kc.getCurrentCluster()?.server, server.url);
    assert.equal(kc.getCurrentUser()?.token, 'sekret');
  });

  void it('refuses a non-loopback host unless allowed', async () => {
    await assert.rejects(FakeApiServer.start({ host: '0.0.0.0' }), TypeError);
  });
});
