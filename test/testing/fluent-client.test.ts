// kubernetes-fluent-client (the TypeScript client Pepr writes with, server-side apply first),
// unchanged, against the fake APIServer: its apply, scale, eviction, status patch and finalizer
// calls, each checked by reading the object back as a real server would leave it.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { K8s, kind } from 'kubernetes-fluent-client';
import { startServer } from '../helpers.ts';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { request } from './fake-apiserver-helpers.ts';

/** Starts a server and points KUBECONFIG at it: fluent-client reads the default kubeconfig on every request. */
async function serverForFluentClient(t: TestContext): Promise<FakeApiServer> {
  const server = await startServer(t);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubecache-fluent-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(file, server.kubeConfigYaml());
  process.env['KUBECONFIG'] = file;
  return server;
}

function deployment(name: string, replicas: number): kind.Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

/** What fluent-client threw: its fetch response (`status`, `data`), or the error itself. */
async function rejection(promise: Promise<unknown>): Promise<{ status?: number; data?: { reason?: string; message?: string } }> {
  try {
    await promise;
  } catch (err) {
    return err as { status?: number; data?: { reason?: string; message?: string } };
  }
  assert.fail('expected the call to fail');
}

void describe('kubernetes-fluent-client against the fake APIServer', () => {
  void it('applies as the field manager pepr, is refused a field another manager owns, and takes it with force', async (t) => {
    const server = await serverForFluentClient(t);
    const created = await request(server, 'POST', '/apis/apps/v1/namespaces/default/deployments?fieldManager=helm', { body: deployment('web', 2) });
    assert.equal(created.status, 201);

    const conflict = await rejection(K8s(kind.Deployment).Apply(deployment('web', 5)));
    assert.equal(conflict.status, 409);
    assert.equal(conflict.data?.reason, 'Conflict');
    assert.match(conflict.data?.message ?? '', /conflict with "helm".*\.spec\.replicas/s);

    const forced = await K8s(kind.Deployment).Apply(deployment('web', 5), { force: true });
    assert.equal(forced.spec?.replicas, 5);
    const managers = (forced.metadata?.managedFields ?? []).map((entry) => `${entry.manager}/${entry.operation}`);
    assert.deepEqual(managers.sort(), ['helm/Update', 'pepr/Apply']);
  });

  void it('scales a Deployment through its scale subresource', async (t) => {
    await serverForFluentClient(t);
    await K8s(kind.Deployment).Apply(deployment('web', 1));
    await K8s(kind.Deployment).InNamespace('default').Scale(3, 'web');
    const scaled = await K8s(kind.Deployment).InNamespace('default').Get('web');
    assert.equal(scaled.spec?.replicas, 3);
  });

  void it('evicts a pod, which is then gone', async (t) => {
    await serverForFluentClient(t);
    await K8s(kind.Pod).Apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await K8s(kind.Pod).InNamespace('default').Evict('p');
    const gone = await rejection(K8s(kind.Pod).InNamespace('default').Get('p'));
    assert.equal(gone.status, 404);
  });

  void it('patches status through the status subresource, leaving the spec alone', async (t) => {
    await serverForFluentClient(t);
    await K8s(kind.Deployment).Apply(deployment('web', 2));
    const patched = await K8s(kind.Deployment).PatchStatus({ metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 9 }, status: { observedGeneration: 1, replicas: 2 } });
    assert.equal(patched.status?.replicas, 2);
    assert.equal(patched.spec?.replicas, 2);
  });

  void it('adds and removes a finalizer', async (t) => {
    await serverForFluentClient(t);
    await K8s(kind.ConfigMap).Apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { a: '1' } });
    await K8s(kind.ConfigMap).InNamespace('default').Finalize('add', 'example.com/cleanup', 'cm');
    const held = await K8s(kind.ConfigMap).InNamespace('default').Get('cm');
    assert.deepEqual(held.metadata?.finalizers, ['example.com/cleanup']);
    assert.deepEqual(held.data, { a: '1' });
    await K8s(kind.ConfigMap).InNamespace('default').Finalize('remove', 'example.com/cleanup', 'cm');
    const released = await K8s(kind.ConfigMap).InNamespace('default').Get('cm');
    assert.equal(released.metadata?.finalizers, undefined);
  });
});
