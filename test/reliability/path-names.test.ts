// Namespaces and names never reach a request path unchecked, and the fake APIServer answers
// unclean paths as a real one does instead of serving another namespace.

import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { InvalidNameError } from '../../src/api/validation.ts';
import { Cache } from '../../src/cache/cache.ts';
import { InvalidCacheOptionsError } from '../../src/cache/errors.ts';
import { ConfigMaps } from '../../src/cache/kinds.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { RestClient } from '../../src/client/rest-client.ts';
import { Transport } from '../../src/client/transport.ts';
import type { FakeApiServer } from '../../src/testing/index.ts';
import { startServer } from '../helpers.ts';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

/** Sends a GET with the path exactly as given (fetch and WHATWG URLs would clean it first). */
function rawGet(server: FakeApiServer, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${server.url}/`, { path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

void describe('names in request paths', () => {
  void it('refuses a namespace or name that is not a valid path segment with InvalidNameError, sending nothing', async (t) => {
    const server = await startServer(t);
    const transport = Transport.fromKubeConfig(server.kubeConfig());
    t.after(() => transport.close());
    const rest = new RestClient(transport);
    const before = server.requests.count();
    const calls: [string, Promise<unknown>, string, string][] = [
      ['get in namespace ..', rest.getObject(configmaps, 'a', { namespace: '..' }), 'namespace', '..'],
      ['get in namespace .', rest.getObject(configmaps, 'a', { namespace: '.' }), 'namespace', '.'],
      ['get in namespace Kube-System', rest.getObject(configmaps, 'a', { namespace: 'Kube-System' }), 'namespace', 'Kube-System'],
      ['get of name ..', rest.getObject(configmaps, '..', { namespace: 'default' }), 'name', '..'],
      ['get of the empty name', rest.getObject(configmaps, '', { namespace: 'default' }), 'name', ''],
      ['patch of name a/b', rest.patchObject(configmaps, 'a/b', {}, { namespace: 'default' }), 'name', 'a/b'],
      ['delete of name 100%', rest.deleteObject(configmaps, '100%', { namespace: 'default' }), 'name', '100%'],
      ['create in namespace ../kube-system', rest.createObject(configmaps, { metadata: { name: 'x', namespace: '../kube-system' } }), 'namespace', '../kube-system'],
    ];
    for (const [what, call, field, value] of calls) {
      await assert.rejects(call, (err: unknown) => {
        assert.ok(err instanceof InvalidNameError, `${what}: ${String(err)}`);
        assert.equal(err.reason, 'InvalidName');
        assert.equal(err.code, 400);
        assert.equal(err.field, field);
        assert.equal(err.value, value);
        return true;
      });
    }
    assert.throws(() => new ListWatch({ transport, resource: configmaps, namespace: '..' }), { name: 'InvalidNameError', field: 'namespace' });
    const sent = server.requests.count() - before;
    console.log(`invalid namespaces and names refused: ${calls.length + 1}, requests sent for them: ${sent}`);
    assert.equal(sent, 0);
  });

  void it('accepts object names beyond the DNS rules that a real server serves, such as system: role names', async (t) => {
    const server = await startServer(t);
    const transport = Transport.fromKubeConfig(server.kubeConfig());
    t.after(() => transport.close());
    const rest = new RestClient(transport);
    await assert.rejects(rest.getObject(configmaps, 'system:controller:job-controller', { namespace: 'kube-system' }), {
      name: 'StatusError',
      reason: 'NotFound',
    });
  });

  void it('refuses a cache whose options name a namespace that is not a DNS-1123 label, naming the option', async (t) => {
    const server = await startServer(t);
    const cases: [string, () => Cache][] = [
      ['defaultNamespaces', () => new Cache(server.kubeConfig(), { defaultNamespaces: ['ns1', '..'] })],
      ['defaultNamespaces', () => new Cache(server.kubeConfig(), { defaultNamespaces: { 'a/b': {} } })],
      ['byObject /v1, Kind=ConfigMap namespaces', () => new Cache(server.kubeConfig(), { byObject: [{ kind: ConfigMaps, namespaces: ['.'] }] })],
      ['defaultFieldSelector field selector', () => new Cache(server.kubeConfig(), { defaultFieldSelector: 'metadata.namespace=..' })],
    ];
    for (const [where, build] of cases) {
      assert.throws(build, (err: unknown) => {
        assert.ok(err instanceof InvalidCacheOptionsError, String(err));
        assert.ok(err.message.startsWith(`${where}: invalid namespace`), err.message);
        assert.ok(err.cause instanceof InvalidNameError);
        return true;
      });
    }
  });

  void it('answers a namespace of .. in the path as a real server does (500 invalid key), never with another namespace', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'secret-cm', namespace: 'kube-system' } });
    const list = await rawGet(server, '/api/v1/namespaces/../configmaps');
    assert.equal(list.status, 500);
    assert.deepEqual(JSON.parse(list.body), {
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      message: 'invalid key: "/configmaps/.."',
      code: 500,
    });
    assert.doesNotMatch(list.body, /secret-cm/);
    const encoded = await rawGet(server, '/api/v1/namespaces/%2e%2e/configmaps?watch=true');
    assert.equal(encoded.status, 500);
    const get = await rawGet(server, '/api/v1/namespaces/../kube-system/configmaps/secret-cm');
    assert.equal(get.status, 404, get.body);
    const name = await rawGet(server, '/api/v1/namespaces/default/configmaps/..');
    assert.equal(name.status, 400);
    assert.equal((JSON.parse(name.body) as { message: string }).message, `Name parameter invalid: "..": may not be '..'`);
    assert.deepEqual(
      server.requests.records.map((r) => r.path),
      [
        '/api/v1/namespaces/../configmaps',
        '/api/v1/namespaces/%2e%2e/configmaps',
        '/api/v1/namespaces/../kube-system/configmaps/secret-cm',
        '/api/v1/namespaces/default/configmaps/..',
      ],
    );
  });
});
