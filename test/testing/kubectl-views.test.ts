// The real kubectl on subresources and views: scale, drain (eviction), server-side columns, explain, strict validation.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { Kubectl, kubectlMinor, skipWithoutKubectl } from './kubectl-run.ts';

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27"}, {name: log, image: "busybox:1.36"}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: 10.96.0.10
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}, {name: metrics, port: 9090, protocol: TCP}]
---
apiVersion: v1
kind: Event
metadata: {name: web.1}
involvedObject: {kind: Deployment, name: web, namespace: default}
reason: ScalingReplicaSet
message: Scaled up replica set web-5d to 2
type: Normal
source: {component: deployment-controller}
count: 1
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: databases.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: databases, singular: database, kind: Database, shortNames: [db]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    additionalPrinterColumns:
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Engine, type: string, jsonPath: .spec.engine, priority: 1}
    - {name: Phase, type: string, jsonPath: .status.phase}
    schema:
      openAPIV3Schema:
        type: object
        description: A Database is a managed database.
        properties:
          spec:
            type: object
            description: The database wanted.
            properties:
              replicas: {type: integer, description: How many instances run.}
              engine: {type: string, description: "Which engine: postgres or mysql."}
          status:
            type: object
            properties:
              replicas: {type: integer}
              phase: {type: string}
`;

const SPEC_OF_WEB = {
  selector: { matchLabels: { app: 'web' } },
  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox:1.36' }] } },
};

const DATABASE = `apiVersion: example.com/v1
kind: Database
metadata: {name: db-1}
spec: {replicas: 1, engine: postgres}
`;

/** The lines of a kubectl table, columns split on runs of two or more spaces. */
function rows(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}

void describe('kubectl on subresources and server-side views', { skip: skipWithoutKubectl }, () => {
  let server: FakeApiServer;
  let kubectl: Kubectl;
  before(async () => {
    server = await FakeApiServer.start();
    kubectl = await Kubectl.create(server.kubeConfigYaml());
    const manifests = join(kubectl.dir, 'manifests.yaml');
    await writeFile(manifests, MANIFESTS);
    await kubectl.ok(['apply', '-f', manifests]);
    const db = join(kubectl.dir, 'db.yaml');
    await writeFile(db, DATABASE);
    await kubectl.ok(['apply', '-f', db]);
  });
  after(async () => {
    await server.stop();
    await kubectl.dispose();
  });

  void it('scales a Deployment with kubectl scale through the scale subresource', async () => {
    assert.equal(await kubectl.ok(['scale', 'deployment/web', '--replicas=3']), 'deployment.apps/web scaled\n');
    assert.deepEqual(server.objects.get('deployments', 'web', { namespace: 'default' })['spec'], { ...SPEC_OF_WEB, replicas: 3 });
    assert.equal(server.requests.count({ verb: 'patch', resource: 'deployments' }), 1);
    assert.ok(server.requests.records.some((r) => r.verb === 'patch' && r.subresource === 'scale'));
  });

  void it('scales a CustomResource whose CRD declares subresources.scale', async () => {
    assert.equal(await kubectl.ok(['scale', 'db/db-1', '--replicas=4']), 'database.example.com/db-1 scaled\n');
    assert.deepEqual(server.objects.get('databases.example.com', 'db-1', { namespace: 'default' })['spec'], { replicas: 4, engine: 'postgres' });
  });

  void it('prints services, events and CRDs with their server-side columns', async () => {
    const svc = rows(await kubectl.ok(['get', 'svc', 'web']));
    assert.deepEqual(svc[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.deepEqual(svc[1]?.slice(0, 5), ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,9090/TCP']);
    assert.match(svc[1]?.[5] ?? '', /^\d+s$/);
    const events = rows(await kubectl.ok(['get', 'events']));
    assert.deepEqual(events[0], ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    assert.deepEqual(events[1]?.slice(1), ['Normal', 'ScalingReplicaSet', 'deployment/web', 'Scaled up replica set web-5d to 2']);
    const crds = rows(await kubectl.ok(['get', 'crd']));
    assert.deepEqual(crds[0], ['NAME', 'CREATED AT']);
    assert.match(crds[1]?.join(' ') ?? '', /^databases\.example\.com \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  void it('prints deployments and pods with their -o wide columns', async () => {
    const deploy = rows(await kubectl.ok(['get', 'deploy', '-o', 'wide']));
    assert.deepEqual(deploy[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.deepEqual([deploy[1]?.[0], deploy[1]?.[1], ...(deploy[1]?.slice(5) ?? [])], ['web', '0/3', 'nginx,log', 'nginx:1.27,busybox:1.36', 'app=web']);
    server.objects.create('pods', { metadata: { name: 'p1', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c' }] }, status: { phase: 'Running', podIPs: [{ ip: '10.0.0.3' }] } });
    const pods = rows(await kubectl.ok(['get', 'pods', '-o', 'wide']));
    assert.deepEqual(pods[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    assert.deepEqual([...(pods[1]?.slice(0, 4) ?? []), ...(pods[1]?.slice(5) ?? [])], ['p1', '0/1', 'Running', '0', '10.0.0.3', 'n1', '<none>', '<none>']);
  });

  void it('prints a custom resource with its printer columns, the priority-1 ones only with -o wide', async () => {
    const plain = rows(await kubectl.ok(['get', 'databases']));
    assert.deepEqual(plain[0], ['NAME', 'REPLICAS', 'PHASE']);
    assert.deepEqual(plain[1], ['db-1', '4']);
    const wide = rows(await kubectl.ok(['get', 'db', '-o', 'wide']));
    assert.deepEqual(wide[0], ['NAME', 'REPLICAS', 'ENGINE', 'PHASE']);
    assert.deepEqual(wide[1], ['db-1', '4', 'postgres']);
  });

  void it('explains built-in fields and a custom resource from the OpenAPI v3 schemas', async () => {
    const containers = await kubectl.ok(['explain', 'pods.spec.containers']);
    assert.match(containers, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: containers <\[\]Container>/);
    assert.match(containers, /^ {2}name\t<string> -required-$/m);
    assert.match(containers, /^ {2}resources\t<ResourceRequirements>$/m);
    const db = await kubectl.ok(['explain', 'databases.spec']);
    assert.match(db, /^GROUP:\s+example\.com\nKIND:\s+Database\nVERSION:\s+v1\n\nFIELD: spec <Object>/);
    assert.match(db, /The database wanted\./);
    assert.match(db, /^ {2}engine\t<string>\n {4}Which engine: postgres or mysql\.$/m);
    const missing = await kubectl.run(['explain', 'pods.spec.nope']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /field "nope" does not exist/);
  });

  void it('refuses a manifest with an unknown field with the strict decoding error, and creates it with --validate=false', async () => {
    const file = join(kubectl.dir, 'typo.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typo}\ndata: {a: b}\ndatta: {c: d}\n');
    const strict = await kubectl.run(['create', '-f', file]);
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "datta"/);
    assert.equal(await kubectl.ok(['create', '-f', file, '--validate=false']), 'configmap/typo created\n');
    assert.equal(server.objects.get('configmaps', 'typo', { namespace: 'default' })['datta'], undefined);
  });

  void it('drains a node: its pods are evicted through pods/eviction', async () => {
    server.objects.create('nodes', { metadata: { name: 'n9' } });
    server.objects.create('pods', { metadata: { name: 'on-n9', namespace: 'default' }, spec: { nodeName: 'n9', containers: [{ name: 'c' }] } });
    const out = await kubectl.ok(['drain', 'n9', '--force', '--ignore-daemonsets']);
    assert.match(out, /pod\/on-n9 evicted/);
    assert.match(out, /node\/n9 drained/);
    assert.equal(server.requests.records.filter((r) => r.subresource === 'eviction').length, 1);
    assert.throws(() => server.objects.get('pods', 'on-n9', { namespace: 'default' }), { code: 404 });
  });

  for (const minor of [27, 33]) {
    const binary = kubectlMinor(minor);
    void it(`explains, prints and scales the same with kubectl 1.${minor}`, { skip: binary === undefined ? `kubectl 1.${minor} is not installed` : false }, async () => {
      const other = await Kubectl.create(server.kubeConfigYaml(), binary);
      try {
        assert.match(await other.ok(['explain', 'deployments.spec.replicas']), /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: replicas <integer>/);
        assert.match(await other.ok(['explain', 'db.spec.engine']), /FIELD: engine <string>/);
        assert.deepEqual(rows(await other.ok(['get', 'db', '-o', 'wide']))[0], ['NAME', 'REPLICAS', 'ENGINE', 'PHASE']);
        assert.deepEqual(rows(await other.ok(['get', 'svc']))[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
        assert.equal(await other.ok(['scale', 'deployment/web', `--replicas=${minor}`]), 'deployment.apps/web scaled\n');
      } finally {
        await other.dispose();
      }
    });
  }
});
