// fieldValidation over HTTP: unknown fields of built-in kinds are a 400/422 under Strict, a Warning
// header under Warn (the default) and silently dropped under Ignore.
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { request, startServer, type Loose } from './fake-apiserver-helpers.ts';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';

function deployment(name: string, extra: Loose): Loose {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', ...extra }] } }, replicaz: 3 },
  };
}

void describe('fake apiserver fieldValidation', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  void it('refuses unknown fields under Strict with the decoder\'s 400', async () => {
    const res = await request(server, 'POST', `${DEPLOYMENTS}?fieldValidation=Strict`, { body: deployment('strict', { imagePolicy: 'x' }) });
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePolicy", unknown field "spec.replicaz"',
    );
    assert.equal((await request(server, 'GET', `${DEPLOYMENTS}/strict`)).status, 404);
  });

  void it('warns about unknown fields by default and drops them; Ignore drops them silently', async () => {
    const warned = await request(server, 'POST', DEPLOYMENTS, { body: deployment('warned', {}) });
    assert.equal(warned.status, 201);
    assert.equal(warned.headers.get('warning'), '299 - "unknown field \\"spec.replicaz\\""');
    assert.equal(warned.body.spec.replicaz, undefined);
    const ignored = await request(server, 'POST', `${DEPLOYMENTS}?fieldValidation=Ignore`, { body: deployment('ignored', {}) });
    assert.equal(ignored.status, 201);
    assert.equal(ignored.headers.get('warning'), null);
    assert.equal(ignored.body.spec.replicaz, undefined);
  });

  void it('refuses a patch whose result has unknown fields under Strict with 422 on the field patch', async () => {
    const res = await request(server, 'PATCH', `${DEPLOYMENTS}/warned?fieldValidation=Strict`, {
      body: { spec: { paused: true, pasued: true } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.details.causes[0].field, 'patch');
    assert.match(String(res.body.message), /^ "" is invalid: patch: Invalid value: ".*": strict decoding error: unknown field "spec.pasued"$/s);
  });
});
