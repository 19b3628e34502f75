// Server-side apply over HTTP: managedFields, conflicts, force, pruning, list-map items, shared ownership with updaters.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { apply, managedEntry, PATCH, request, startServer, type Loose } from './fake-apiserver-helpers.ts';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

function deployment(name: string, spec: Loose, metadata: Loose = {}): Loose {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default', ...metadata }, spec };
}

function container(name: string, extra: Loose = {}): Loose {
  return { name, image: `${name}:1`, ...extra };
}

function podTemplate(containers: Loose[]): Loose {
  return { metadata: { labels: { app: 'web' } }, spec: { containers } };
}

void describe('fake apiserver server-side apply', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  void it('creates the object and records an Apply entry holding exactly the fields the configuration sets', async () => {
    const config = deployment(
      'shape',
      {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], env: [{ name: 'MODE', value: 'prod' }] }],
            tolerations: [{ key: 'dedicated', operator: 'Exists' }],
          },
        },
      },
      { labels: { app: 'web' }, finalizers: ['example.com/cleanup'] },
    );
    const res = await apply(server, `${DEPLOYMENTS}/shape`, config, 'fieldManager=kubectl&force=false');
    assert.equal(res.status, 201);
    const [only, ...rest] = res.body.metadata.managedFields as Loose[];
    assert.equal(rest.length, 0);
    assert.deepEqual(Object.keys(only ?? {}), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
    assert.deepEqual({ ...only, time: 'T' }, {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: 'T',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:finalizers': { 'v:"example.com/cleanup"': {} }, 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"nginx"}': {
                  '.': {},
                  'f:env': { 'k:{"name":"MODE"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                  'f:image': {},
                  'f:name': {},
                  'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                },
              },
              'f:tolerations': {},
            },
          },
        },
      },
    });
    assert.match(String(only?.['time']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  void it('answers 409 naming every conflicting field and its manager when a second manager changes owned fields', async () => {
    const spec = { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: podTemplate([container('web')]) };
    assert.equal((await apply(server, `${DEPLOYMENTS}/conflict`, deployment('conflict', spec), 'fieldManager=team-a')).status, 201);
    const rv = server.store.resourceVersion;
    const change = deployment('conflict', { replicas: 3, template: { spec: { containers: [container('web', { image: 'web:2' })] } } });
    const res = await apply(server, `${DEPLOYMENTS}/conflict`, change, 'fieldManager=team-b');
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, {
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 2 conflicts: conflicts with "team-a":\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
      reason: 'Conflict',
      code: 409,
      details: {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "team-a"', field: '.spec.replicas' },
          { reason: 'FieldManagerConflict', message: 'conflict with "team-a"', field: '.spec.template.spec.containers[name="web"].image' },
        ],
      },
    });
    assert.equal(server.store.resourceVersion, rv);
    const one = await apply(server, `${DEPLOYMENTS}/conflict`, deployment('conflict', { replicas: 5 }), 'fieldManager=team-b');
    assert.equal(one.body.message, 'Apply failed with 1 conflict: conflict with "team-a": .spec.replicas');
  });

  void it('lets a manager applying with force=true take the conflicting fields from their owner', async () => {
    const res = await apply(server, `${DEPLOYMENTS}/conflict`, deployment('conflict', { replicas: 3 }), 'fieldManager=team-b&force=true');
    assert.equal(res.status, 200);
    assert.equal(res.body.spec.replicas, 3);
    assert.equal(res.body.metadata.generation, 2);
    assert.deepEqual(managedEntry(res.body, 'team-b', 'Apply')?.['fieldsV1'], { 'f:spec': { 'f:replicas': {} } });
    assert.equal(managedEntry(res.body, 'team-a', 'Apply')?.['fieldsV1']['f:spec']['f:replicas'], undefined);
    // The former owner now conflicts in turn.
    const back = await apply(server, `${DEPLOYMENTS}/conflict`, deployment('conflict', { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: podTemplate([container('web')]) }), 'fieldManager=team-a');
    assert.equal(back.status, 409);
    assert.equal(back.body.message, 'Apply failed with 1 conflict: conflict with "team-b": .spec.replicas');
  });

  void it('removes what a manager stops applying, but keeps what another manager also applies', async () => {
    const path = `${CONFIGMAPS}/prune`;
    const cm = (data: Loose, labels: Loose): Loose => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prune', labels }, data });
    await apply(server, path, cm({ a: '1', b: '2' }, { shared: 'yes', mine: 'a' }), 'fieldManager=first');
    await apply(server, path, cm({}, { shared: 'yes' }), 'fieldManager=second');
    const res = await apply(server, path, cm({ a: '1' }, {}), 'fieldManager=first');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, { a: '1' });
    assert.deepEqual(res.body.metadata.labels, { shared: 'yes' });
    const gone = await apply(server, path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prune' } }, 'fieldManager=first');
    assert.equal(gone.body.data, undefined, 'the last data key went with its manager, and the empty map with it');
    assert.deepEqual(gone.body.metadata.labels, { shared: 'yes' });
    assert.equal(managedEntry(gone.body, 'first', 'Apply'), undefined, 'a manager owning nothing is dropped');
  });

  void it('merges list-map items by key, each manager owning and pruning only its own items', async () => {
    const path = `${DEPLOYMENTS}/lists`;
    const spec = (containers: Loose[]): Loose => ({ selector: { matchLabels: { app: 'web' } }, template: podTemplate(containers) });
    await apply(server, path, deployment('lists', spec([container('app', { ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] })])), 'fieldManager=app-team');
    const sidecar = deployment('lists', { template: { spec: { containers: [container('proxy'), { name: 'app', env: [{ name: 'B', value: '2' }] }] } } });
    const res = await apply(server, path, sidecar, 'fieldManager=mesh');
    assert.equal(res.status, 200);
    const containers = res.body.spec.template.spec.containers as Loose[];
    assert.deepEqual(containers.map((c) => c['name']), ['proxy', 'app']);
    assert.deepEqual(containers[1]?.['env'], [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    assert.deepEqual(containers[1]?.['ports'], [{ containerPort: 80 }]);
    const withdrawn = await apply(server, path, deployment('lists', { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }] } } }), 'fieldManager=mesh');
    assert.deepEqual((withdrawn.body.spec.template.spec.containers as Loose[]).map((c) => c['name']), ['app']);
  });

  void it('records POST, PUT and PATCH writes as Update managers that a later apply shares or conflicts with', async () => {
    const created = await request(server, 'POST', `${CONFIGMAPS}?fieldManager=seeder`, {
      body: { metadata: { name: 'shared', labels: { tier: 'be' } }, data: { k: 'v' } },
    });
    assert.deepEqual(managedEntry(created.body, 'seeder', 'Update')?.['fieldsV1'], { 'f:data': { '.': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:tier': {} } } });
    const patched = await request(server, 'PATCH', `${CONFIGMAPS}/shared`, {
      body: { metadata: { labels: { env: 'dev' } } },
      contentType: PATCH.merge,
      headers: { 'user-agent': 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc' },
    });
    const byUserAgent = managedEntry(patched.body, 'kubectl', 'Update');
    assert.equal(byUserAgent?.['apiVersion'], 'v1');
    assert.deepEqual(byUserAgent?.['fieldsV1'], { 'f:metadata': { 'f:labels': { 'f:env': {} } } });
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { k: 'other' } };
    const conflict = await apply(server, `${CONFIGMAPS}/shared`, config, 'fieldManager=applier');
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.message, 'Apply failed with 1 conflict: conflict with "seeder" using v1: .data.k');
    const same = await apply(server, `${CONFIGMAPS}/shared`, { ...config, data: { k: 'v' } }, 'fieldManager=applier');
    assert.equal(same.status, 200);
    assert.deepEqual(managedEntry(same.body, 'applier', 'Apply')?.['fieldsV1'], { 'f:data': { 'f:k': {} } }, 'setting the current value co-owns it');
    assert.ok(managedEntry(same.body, 'seeder', 'Update')?.['fieldsV1']['f:data']['f:k'], 'the updater keeps its share');
  });

  void it('lists Apply entries before Update entries', async () => {
    const res = await request(server, 'GET', `${CONFIGMAPS}/shared`);
    const operations = (res.body.metadata.managedFields as Loose[]).map((e) => e['operation']);
    assert.deepEqual(operations, ['Apply', 'Update', 'Update']);
  });

  void it('folds the oldest Update managers into ancient-changes past ten', async () => {
    await request(server, 'POST', `${CONFIGMAPS}?fieldManager=m00`, { body: { metadata: { name: 'many' }, data: { a: '1' } } });
    for (let i = 1; i <= 11; i++) {
      const manager = `m${String(i).padStart(2, '0')}`;
      await request(server, 'PATCH', `${CONFIGMAPS}/many?fieldManager=${manager}`, { body: { metadata: { labels: { [manager]: 'x' } } }, contentType: PATCH.merge });
    }
    const entries = (await request(server, 'GET', `${CONFIGMAPS}/many`)).body.metadata.managedFields as Loose[];
    assert.equal(entries.length, 10);
    const ancient = entries.find((e) => e['manager'] === 'ancient-changes');
    assert.equal(ancient?.['operation'], 'Update');
    const labels = ancient?.['fieldsV1']['f:metadata']['f:labels'] as Loose;
    assert.equal(Object.keys(labels).filter((k) => k.startsWith('f:m')).length, 2);
  });

  void it('gives fields set before any apply to before-first-apply', async () => {
    server.objects.create('configmaps', { metadata: { name: 'seeded', namespace: 'default' }, data: { a: '1' } });
    const res = await apply(server, `${CONFIGMAPS}/seeded`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seeded' }, data: { a: '2' } }, 'fieldManager=late');
    assert.equal(res.status, 409);
    assert.equal(res.body.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a');
  });

  void it('answers an apply that changes nothing with the stored object: same resourceVersion, no new time', async () => {
    const first = await apply(server, `${CONFIGMAPS}/idem`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'idem' }, data: { a: '1' } }, 'fieldManager=idem');
    const again = await apply(server, `${CONFIGMAPS}/idem`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'idem' }, data: { a: '1' } }, 'fieldManager=idem');
    assert.equal(again.status, 200);
    assert.equal(again.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
  });

  void it('answers dryRun=All applies with the would-be object and stores nothing', async () => {
    const rv = server.store.resourceVersion;
    const res = await apply(server, `${CONFIGMAPS}/dry-apply`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry-apply' }, data: { a: '1' } }, 'fieldManager=dry&dryRun=All');
    assert.equal(res.status, 201);
    assert.equal(managedEntry(res.body, 'dry', 'Apply')?.['operation'], 'Apply');
    assert.equal((await request(server, 'GET', `${CONFIGMAPS}/dry-apply`)).status, 404);
    assert.equal(server.store.resourceVersion, rv);
  });
});
