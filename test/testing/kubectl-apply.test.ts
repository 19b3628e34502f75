// The real kubectl's server-side apply against the fake APIServer: managedFields, a conflicting second
// manager, --force-conflicts, and kubectl's named Update managers.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { Kubectl, skipWithoutKubectl } from './kubectl-run.ts';

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  fieldsV1: Record<string, unknown>;
}

interface DeploymentJson {
  metadata: { managedFields?: ManagedFieldsEntry[]; labels?: Record<string, string> };
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
}

const deploymentYaml = (replicas: number, image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: ${image}
`;

void describe('kubectl apply --server-side against the fake APIServer', { skip: skipWithoutKubectl }, () => {
  let server: FakeApiServer;
  let kubectl: Kubectl;

  async function manifest(name: string, replicas: number, image: string): Promise<string> {
    const file = join(kubectl.dir, name);
    await writeFile(file, deploymentYaml(replicas, image));
    return file;
  }

  async function getWeb(): Promise<DeploymentJson> {
    return JSON.parse(await kubectl.ok(['get', 'deployment', 'web', '-o', 'json', '--show-managed-fields'])) as DeploymentJson;
  }

  before(async () => {
    server = await FakeApiServer.start();
    kubectl = await Kubectl.create(server.kubeConfigYaml());
  });

  after(async () => {
    await kubectl.dispose();
    await server.stop();
  });

  void it('creates with apply --server-side and records kubectl as the Apply manager', async () => {
    const out = await kubectl.ok(['apply', '--server-side', '-f', await manifest('v1.yaml', 2, 'nginx:1.27')]);
    assert.match(out, /deployment\.apps\/web serverside-applied/);
    const web = await getWeb();
    const entry = web.metadata.managedFields?.find((e) => e.manager === 'kubectl');
    assert.equal(entry?.operation, 'Apply');
    assert.deepEqual(Object.keys(entry?.fieldsV1 ?? {}), ['f:spec']);
  });

  void it('refuses a second manager changing kubectl\'s fields with the conflict text, then lets --force-conflicts take them', async () => {
    const file = await manifest('v2.yaml', 5, 'nginx:1.28');
    const refused = await kubectl.run(['apply', '--server-side', '--field-manager=ops', '-f', file]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Apply failed with 2 conflicts: conflicts with "kubectl":/);
    assert.match(refused.stderr, /- \.spec\.replicas/);
    assert.match(refused.stderr, /- \.spec\.template\.spec\.containers\[name="nginx"\]\.image/);
    assert.equal((await getWeb()).spec.replicas, 2);
    const forced = await kubectl.ok(['apply', '--server-side', '--field-manager=ops', '--force-conflicts', '-f', file]);
    assert.match(forced, /deployment\.apps\/web serverside-applied/);
    const web = await getWeb();
    assert.equal(web.spec.replicas, 5);
    assert.equal(web.spec.template.spec.containers[0]?.image, 'nginx:1.28');
    const ops = web.metadata.managedFields?.find((e) => e.manager === 'ops');
    const kubectlEntry = web.metadata.managedFields?.find((e) => e.manager === 'kubectl');
    assert.deepEqual((ops?.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas'], {});
    assert.equal((kubectlEntry?.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas'], undefined);
  });

  void it('refuses a manifest with a misspelt field as a real server does (kubectl sends fieldValidation=Strict)', async () => {
    const file = join(kubectl.dir, 'typo.yaml');
    await writeFile(file, deploymentYaml(1, 'nginx:1').replace('name: web', 'name: typo').replace('  replicas: 1', '  replicaz: 1'));
    const res = await kubectl.run(['create', '-f', file]);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.replicaz"/);
  });

  void it('records kubectl label as the kubectl-label Update manager', async () => {
    await kubectl.ok(['label', 'deployment', 'web', 'team=payments']);
    const web = await getWeb();
    const entry = web.metadata.managedFields?.find((e) => e.manager === 'kubectl-label');
    assert.equal(entry?.operation, 'Update');
    assert.deepEqual(entry?.fieldsV1, { 'f:metadata': { 'f:labels': { '.': {}, 'f:team': {} } } });
  });
});
