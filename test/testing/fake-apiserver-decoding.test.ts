// How the fake decodes write bodies as their kind: values of the wrong type (the Go decoder's 400 for
// built-in kinds, 422 on `patch` for their patches, schema validation's 422 for custom resources) and
// unknown fields in a Strict patch (422 on `patch`), each worded as the real server words it.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { createCrd, databaseCrd, PATCH, request, startServer, type Loose } from './fake-apiserver-helpers.ts';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const PODS = '/api/v1/namespaces/default/pods';
const DBS = '/apis/example.com/v1/namespaces/default/databases';

function deployment(name: string, spec: Loose = {}): Loose {
  const labels = { app: name };
  const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { selector: { matchLabels: labels }, template, ...spec } };
}

function cannotHandle(kind: string, detail: string): string {
  return `${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${detail}`;
}

void describe('fake apiserver decoding of write bodies', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
    await createCrd(server, databaseCrd(true));
    assert.equal((await request(server, 'POST', DEPLOYMENTS, { body: deployment('web', { replicas: 2 }) })).status, 201);
  });
  after(() => server.stop());

  void it('answers a built-in value of the wrong type 400 with the Go decoder words, storing nothing', async () => {
    const cases: [string, Loose, string][] = [
      [DEPLOYMENTS, deployment('a', { replicas: 'two' }), cannotHandle('Deployment', 'string into Go struct field DeploymentSpec.spec.replicas of type int32')],
      [DEPLOYMENTS, deployment('a', { replicas: 1.5 }), cannotHandle('Deployment', 'number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32')],
      [DEPLOYMENTS, deployment('a', { replicas: 2 ** 31 }), cannotHandle('Deployment', 'number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32')],
      [CONFIGMAPS, { metadata: { name: 'a', labels: { tier: 1 } } }, cannotHandle('ConfigMap', 'number into Go struct field ObjectMeta.metadata.labels of type string')],
      [PODS, { metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: true }] } }, cannotHandle('Pod', 'bool into Go struct field Container.spec.containers.image of type string')],
      [PODS, { metadata: { name: 'a' }, spec: { containers: { name: 'c' } } }, cannotHandle('Pod', 'object into Go struct field PodSpec.spec.containers of type []v1.Container')],
    ];
    for (const [path, body, message] of cases) {
      const res = await request(server, 'POST', path, { body });
      assert.equal(res.status, 400, message);
      assert.equal(res.body.reason, 'BadRequest');
      assert.equal(res.body.message, message);
      assert.equal((await request(server, 'GET', `${path}/a`)).status, 404);
    }
    const put = await request(server, 'PUT', `${DEPLOYMENTS}/web`, { body: deployment('web', { paused: 'yes' }) });
    assert.equal(put.body.message, cannotHandle('Deployment', 'string into Go struct field DeploymentSpec.spec.paused of type bool'));
  });

  void it('accepts MicroTime fields as the strings every client sends (a Lease renewTime, an Event eventTime)', async () => {
    const micro = '2026-12-03T13:00:00.123456Z';
    const lease = { metadata: { name: 'leader' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: micro, renewTime: micro } };
    const created = await request(server, 'POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', { body: lease });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.spec.renewTime, micro);
    const event = { metadata: { name: 'e' }, eventTime: micro, reportingComponent: 'c', reportingInstance: 'i', action: 'A', reason: 'R', involvedObject: { kind: 'Pod', name: 'p' } };
    const recorded = await request(server, 'POST', '/api/v1/namespaces/default/events', { body: event });
    assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
  });

  void it('decodes times as Go does: a MicroTime needs six fractional digits, a Time RFC 3339, else the decoder 400 or the patch 422', async () => {
    const leases = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
    const lease = (name: string, renewTime: unknown): Loose => ({ metadata: { name }, spec: { holderIdentity: 'a', renewTime } });
    // JavaScript's toISOString() writes milliseconds: three digits, which RFC3339Micro refuses.
    const millis = await request(server, 'POST', leases, { body: lease('millis', '2026-12-03T13:00:00.123Z') });
    assert.equal(millis.status, 400);
    assert.equal(
      millis.body.message,
      'Lease in version "v1" cannot be handled as a Lease: parsing time "2026-12-03T13:00:00.123Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".123Z" as ".000000"',
    );
    const numeric = await request(server, 'POST', leases, { body: lease('numeric', 1764766800) });
    assert.equal(numeric.body.message, 'Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal number into Go value of type string');
    assert.equal((await request(server, 'GET', `${leases}/millis`)).status, 404);

    // A Time takes RFC 3339 with or without fractional seconds, and checks the calendar.
    const pod = (name: string, lastProbeTime: string): Loose => ({
      metadata: { name },
      spec: { containers: [{ name: 'c', image: 'i' }], readinessGates: [{ conditionType: 'x' }] },
      status: { conditions: [{ type: 'x', status: 'True', lastProbeTime }] },
    });
    assert.equal((await request(server, 'POST', PODS, { body: pod('fraction', '2026-12-03T13:00:00.5+01:00') })).status, 201);
    const day = await request(server, 'POST', PODS, { body: pod('february', '2026-02-30T13:00:00Z') });
    assert.equal(day.body.message, 'Pod in version "v1" cannot be handled as a Pod: parsing time "2026-02-30T13:00:00Z": day out of range');

    const created = await request(server, 'POST', leases, { body: lease('patched', '2026-12-03T13:00:00.000000Z') });
    assert.equal(created.status, 201);
    const patch = await request(server, 'PATCH', `${leases}/patched`, { body: { spec: { renewTime: '2026-12-03T13:00:01Z' } }, contentType: PATCH.merge });
    assert.equal(patch.status, 422);
    assert.match(patch.body.details.causes[0].message, /: parsing time "2026-12-03T13:00:01Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"$/);
  });

  void it('answers a patch that gives a built-in field the wrong type 422 on the field patch', async () => {
    const merge = await request(server, 'PATCH', `${DEPLOYMENTS}/web`, { body: { spec: { replicas: 'two' } }, contentType: PATCH.merge });
    assert.equal(merge.status, 422);
    const detail = 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32';
    const cause = merge.body.details.causes[0];
    assert.deepEqual([cause.reason, cause.field, merge.body.details.name], ['FieldValueInvalid', 'patch', undefined]);
    const shown = /^Invalid value: "(.*)": (.*)$/.exec(cause.message);
    assert.equal(shown?.[2], detail);
    const patched = JSON.parse(JSON.parse(`"${shown?.[1] ?? ''}"`) as string) as Loose;
    assert.equal(patched.spec.replicas, 'two', 'the value shown is the patched object');
    assert.deepEqual(Object.keys(patched), ['apiVersion', 'kind', 'metadata', 'spec'], 'its keys sorted, as Go encodes a map');
    assert.equal(merge.body.message, ` "" is invalid: patch: ${cause.message}`);
    const strategic = await request(server, 'PATCH', `${DEPLOYMENTS}/web`, { body: { spec: { replicas: 'two' } }, contentType: PATCH.strategic });
    assert.equal(strategic.body.message, ' "" is invalid: patch: Invalid value: "map[spec:map[replicas:two]]": unrecognized type: int32');
    assert.equal((await request(server, 'GET', `${DEPLOYMENTS}/web`)).body.spec.replicas, 2);
  });

  void it('answers a Strict patch with unknown fields 422 on the field patch, naming every one', async () => {
    const merge = await request(server, 'PATCH', `${DEPLOYMENTS}/web?fieldValidation=Strict`, { body: { spec: { replicaz: 3, pausd: true } }, contentType: PATCH.merge });
    assert.equal(merge.status, 422);
    assert.equal(merge.body.reason, 'Invalid');
    assert.match(merge.body.message, /^ "" is invalid: patch: Invalid value: "\{.*\}": strict decoding error: unknown field "spec\.replicaz", unknown field "spec\.pausd"$/);
    const strategic = await request(server, 'PATCH', `${DEPLOYMENTS}/web?fieldValidation=Strict`, { body: { spec: { replicaz: 3 } }, contentType: PATCH.strategic });
    assert.equal(strategic.body.message, ' "" is invalid: patch: Invalid value: "map[spec:map[replicaz:3]]": strict decoding error: unknown field "spec.replicaz"');
    const warned = await request(server, 'PATCH', `${DEPLOYMENTS}/web`, { body: { spec: { replicaz: 3 } }, contentType: PATCH.merge });
    assert.equal(warned.status, 200);
    assert.equal(warned.headers.get('warning'), '299 - "unknown field \\"spec.replicaz\\""');
  });

  void it('does not blame a patch for wrong types seeded through server.objects', async () => {
    server.objects.create('configmaps', { metadata: { name: 'seeded', namespace: 'default' }, immutable: 'no' });
    const res = await request(server, 'PATCH', `${CONFIGMAPS}/seeded`, { body: { data: { k: 'v' } }, contentType: PATCH.merge });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, { k: 'v' });
  });

  void it('answers custom resource values of the wrong type with the schema validation 422, one cause each', async () => {
    const body = { metadata: { name: 'typed' }, spec: { replicas: 'three', items: [{ name: 'a', size: 1.5 }] } };
    const res = await request(server, 'POST', DBS, { body });
    assert.equal(res.status, 422);
    const replicas = 'Invalid value: "string": spec.replicas in body must be of type integer: "string"';
    const size = 'Invalid value: "number": spec.items[0].size in body must be of type integer: "number"';
    assert.equal(res.body.message, `Database.example.com "typed" is invalid: [spec.replicas: ${replicas}, spec.items[0].size: ${size}]`);
    assert.deepEqual(res.body.details.causes, [
      { reason: 'FieldValueTypeInvalid', message: replicas, field: 'spec.replicas' },
      { reason: 'FieldValueTypeInvalid', message: size, field: 'spec.items[0].size' },
    ]);
    const created = await request(server, 'POST', DBS, { body: { metadata: { name: 'typed' }, spec: { replicas: 3 }, status: { phase: 7 } } });
    assert.equal(created.status, 201, 'a status the main resource drops is not validated');
    const patched = await request(server, 'PATCH', `${DBS}/typed/status`, { body: { status: { phase: 7 } }, contentType: PATCH.merge });
    assert.equal(patched.body.message, 'Database.example.com "typed" is invalid: status.phase: Invalid value: "integer": status.phase in body must be of type string: "integer"');
  });
});
