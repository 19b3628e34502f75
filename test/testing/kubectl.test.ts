// The real kubectl (1.32) against the fake APIServer: discovery, create, get (Table, JSON, pages, selectors, watch), wait, label, delete.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RequestRecord } from '../../src/testing/fake-apiserver/request-log.ts';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { exampleCrd } from './fake-apiserver-helpers.ts';
import { Kubectl, skipWithoutKubectl, type StreamingKubectl } from './kubectl-run.ts';
import { eventually } from '../helpers.ts';

interface ObjectJson {
  kind?: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

const podYaml = (name: string, labels = 'app: web'): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    ${labels}
spec:
  containers:
  - name: main
    image: busybox
`;

function names(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .sort();
}

void describe('kubectl against the fake APIServer', { skip: skipWithoutKubectl }, () => {
  let server: FakeApiServer;
  let kubectl: Kubectl;
  const running: StreamingKubectl[] = [];

  /** Resolves once kubectl has opened a watch on one pod: its informer machinery is running. */
  async function watchOpenedOn(podName: string): Promise<void> {
    const isOurWatch = (r: RequestRecord): boolean => r.query.get('fieldSelector') === `metadata.name=${podName}`;
    await eventually(() => server.requests.filter({ verb: 'watch', resource: 'pods' }).some(isOurWatch), `kubectl to open a watch on pod ${podName}`, 20_000);
  }

  async function createPod(name: string, labels?: string): Promise<void> {
    const file = join(kubectl.dir, `${name}.yaml`);
    await writeFile(file, podYaml(name, labels));
    assert.match(await kubectl.ok(['create', '-f', file]), new RegExp(`pod/${name} created`));
  }

  before(async () => {
    server = await FakeApiServer.start();
    kubectl = await Kubectl.create(server.kubeConfigYaml());
  });
  after(async () => {
    await Promise.all(running.map((k) => k.stop()));
    await server.stop();
    await kubectl.dispose();
  });

  void it('lists built-in resources with short names and groups in api-resources', async () => {
    const out = await kubectl.ok(['api-resources']);
    assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(out, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
    assert.match(out, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  });

  void it('reads discovery as aggregated APIGroupDiscoveryLists: /api and /apis, no group version on its own', async () => {
    const fresh = await Kubectl.create(server.kubeConfigYaml()); // an empty discovery cache
    try {
      const before = server.requests.records.length;
      assert.match(await fresh.ok(['api-resources']), /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
      const discovery = server.requests.records.slice(before).filter((r) => r.verb === 'discovery').map((r) => r.path);
      assert.ok(discovery.includes('/api') && discovery.includes('/apis'), discovery.join(' '));
      assert.deepEqual(discovery.filter((path) => /^\/apis?\/./.test(path)), [], 'no group version read on its own');
    } finally {
      await fresh.dispose();
    }
  });

  void it('creates a pod from YAML and a configmap from JSON with validation on', async () => {
    await createPod('p1');
    const cmFile = join(kubectl.dir, 'cm.json');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { color: 'blue' } };
    await writeFile(cmFile, JSON.stringify(cm));
    assert.match(await kubectl.ok(['create', '-f', cmFile]), /configmap\/c1 created/);
    const again = await kubectl.run(['create', '-f', cmFile]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /AlreadyExists|already exists/);
  });

  void it('gets objects as JSON, one and a list', async () => {
    const cm = JSON.parse(await kubectl.ok(['get', 'configmap', 'c1', '-o', 'json'])) as ObjectJson;
    assert.equal(cm.kind, 'ConfigMap');
    assert.deepEqual(cm.data, { color: 'blue' });
    assert.equal(cm.metadata.namespace, 'default');
    assert.match(cm.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
    const list = JSON.parse(await kubectl.ok(['get', 'pods', '-o', 'json'])) as { kind: string; items: ObjectJson[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(
      list.items.map((p) => p.metadata.name),
      ['p1'],
    );
  });

  void it('prints pods as a server-side Table with READY, STATUS and RESTARTS', async () => {
    const out = await kubectl.ok(['get', 'pods']);
    assert.match(out, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s*$/m);
    assert.match(out, /^p1\s+0\/1\s+Pending\s+0\s+\d+s\s*$/m);
    const wideOut = await kubectl.ok(['get', 'pods', '-o', 'wide']);
    assert.match(wideOut, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\s*$/m);
    assert.match(wideOut, /^p1\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>\s*$/m);
    // The namespace column comes from each row's PartialObjectMetadata.
    assert.match(await kubectl.ok(['get', 'pods', '-A']), /^default\s+p1\s+0\/1\s+Pending/m);
    const wide = await kubectl.ok(['get', 'configmaps', '--show-labels']);
    assert.match(wide, /^NAME\s+DATA\s+AGE\s+LABELS\s*$/m);
    assert.match(wide, /^c1\s+1\s+\S+\s+<none>\s*$/m);
  });

  void it('pages through pods with --chunk-size, following continue tokens', async () => {
    for (const name of ['p2', 'p3', 'p4', 'p5']) await createPod(name, name === 'p2' ? 'app: db' : 'app: web');
    server.requests.clear();
    const result = await kubectl.run(['get', 'pods', '--chunk-size=2', '-o', 'name', '-v=6']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(names(result.stdout), ['pod/p1', 'pod/p2', 'pod/p3', 'pod/p4', 'pod/p5']);
    const lists = server.requests.filter({ verb: 'list', resource: 'pods' });
    assert.deepEqual(
      lists.map((r) => [r.query.get('limit'), r.query.has('continue')]),
      [['2', false], ['2', true], ['2', true]],
    );
    // -v=6 logs each request with its status: kubectl saw both continue pages succeed.
    const continued = result.stderr.match(/GET \S+\/pods\?\S*continue=\S+ 200 OK/g) ?? [];
    assert.equal(continued.length, 2, result.stderr);
  });

  void it('filters with label and field selectors', async () => {
    assert.deepEqual(names(await kubectl.ok(['get', 'pods', '-l', 'app=db', '-o', 'name'])), ['pod/p2']);
    assert.deepEqual(names(await kubectl.ok(['get', 'pods', '-l', 'app!=db', '-o', 'name'])).length, 4);
    const byName = await kubectl.ok(['get', 'pods', '--field-selector', 'metadata.name=p3', '-o', 'name']);
    assert.deepEqual(names(byName), ['pod/p3']);
    const bad = await kubectl.run(['get', 'pods', '--field-selector', 'spec.bogus=x']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /field label not supported: spec\.bogus/);
  });

  void it('sees a change in get -w', async () => {
    const watch = kubectl.spawn(['get', 'pods', '-w']);
    running.push(watch);
    await watch.waitForOutput(/^p5\s/m);
    await createPod('p6');
    await watch.waitForOutput(/^p6\s+0\/1\s+Pending/m);
    await watch.stop();
  });

  void it('labels a pod with a merge patch', async () => {
    assert.match(await kubectl.ok(['label', 'pod', 'p1', 'tier=frontend']), /pod\/p1 labeled/);
    const pod = JSON.parse(await kubectl.ok(['get', 'pod', 'p1', '-o', 'json'])) as ObjectJson;
    assert.deepEqual(pod.metadata.labels, { app: 'web', tier: 'frontend' });
    assert.deepEqual(names(await kubectl.ok(['get', 'pods', '-l', 'tier=frontend', '-o', 'name'])), ['pod/p1']);
  });

  void it('waits for a condition set through the API', async () => {
    const wait = kubectl.spawn(['wait', '--for=condition=Ready', 'pod/p1', '--timeout=30s']);
    running.push(wait);
    await watchOpenedOn('p1');
    const status = JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    await kubectl.ok(['patch', 'pod', 'p1', '--subresource=status', '--type=merge', '-p', status]);
    assert.equal(await wait.waitForExit(), 0, wait.stderr);
    assert.match(wait.stdout, /pod\/p1 condition met/);
  });

  void it('waits for a deletion made elsewhere', async () => {
    const wait = kubectl.spawn(['wait', '--for=delete', 'pod/p3', '--timeout=30s']);
    running.push(wait);
    await watchOpenedOn('p3');
    await kubectl.ok(['delete', 'pod', 'p3', '--wait=false']);
    assert.equal(await wait.waitForExit(), 0, wait.stderr);
    assert.match(wait.stdout, /pod\/p3 condition met/);
  });

  void it('creates a CRD, then custom objects of the new kind with validation on, and lists them', async () => {
    const crd = exampleCrd({ plural: 'widgets', kind: 'Widget', shortNames: ['wg'] });

    const crdFile = join(kubectl.dir, 'crd.json');
    await writeFile(crdFile, JSON.stringify(crd));
    assert.match(await kubectl.ok(['create', '-f', crdFile]), /customresourcedefinition\.apiextensions\.k8s\.io\/widgets\.example\.com created/);
    const widgetFile = join(kubectl.dir, 'widget.yaml');
    await writeFile(widgetFile, 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n');
    // kubectl's cached discovery predates the CRD: it must notice the new kind and refresh.
    assert.match(await kubectl.ok(['create', '-f', widgetFile]), /widget\.example\.com\/w1 created/);
    // Validation read the new group-version's OpenAPI document, so the index follows CRDs.
    assert.ok(server.requests.records.some((r) => r.path === '/openapi/v3/apis/example.com/v1'));
    assert.match(await kubectl.ok(['get', 'wg']), /^NAME\s+AGE\s*\nw1\s+\d+s\s*$/m);
    const widget = JSON.parse(await kubectl.ok(['get', 'widget', 'w1', '-o', 'json'])) as ObjectJson & { spec?: unknown };
    assert.deepEqual(widget.spec, { size: 3 });
  });

  void it('answers the protobuf bodies of kubectl\'s typed commands with 415, not a parse error', async () => {
    // `kubectl create namespace` posts protobuf; the fake speaks JSON only (use `create -f`).
    const result = await kubectl.run(['create', 'namespace', 'proto']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /the body of the request was in an unknown format - accepted media types include: application\/json/);
  });

  void it('deletes objects and then reports them NotFound', async () => {
    assert.match(await kubectl.ok(['delete', 'configmap', 'c1']), /configmap "c1" deleted/);
    assert.match(await kubectl.ok(['delete', 'pod', 'p2']), /pod "p2" deleted/);
    const gone = await kubectl.run(['get', 'pod', 'p2']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /pods "p2" not found/);
  });
});

void describe('kubectl over TLS with a bearer token', { skip: skipWithoutKubectl }, () => {
  let server: FakeApiServer;
  let kubectl: Kubectl;

  before(async () => {
    server = await FakeApiServer.start({ tls: true, token: 'kubectl-token' });
    kubectl = await Kubectl.create(server.kubeConfigYaml());
  });
  after(async () => {
    await server.stop();
    await kubectl.dispose();
  });

  void it('creates and reads through the generated kubeconfig', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const file = join(kubectl.dir, 'pod.yaml');
    await writeFile(file, podYaml('secure'));
    assert.match(await kubectl.ok(['create', '-f', file]), /pod\/secure created/);
    assert.match(await kubectl.ok(['get', 'pods']), /^secure\s+0\/1\s+Pending/m);
  });

  void it('is refused without the token', async () => {
    const refused = await kubectl.run(['get', 'pods', '--token', 'wrong-token']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Unauthorized/);
  });
});
