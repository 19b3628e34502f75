// Seeds the fake APIServer: namespaces, a few hundred pods, ConfigMaps, Secrets, and a CRD with objects.

import { RestClient, Transport, type UnstructuredObject } from '../../src/index.ts';
import type { KubeConfig } from '@kubernetes/client-node';
import type { FakeApiServer } from '../../src/testing/index.ts';

/** The demo's namespaces. */
export const NAMESPACES = ['shop', 'payments', 'analytics', 'platform'] as const;
/** The nodes pods are spread over (there are no Node objects; only `spec.nodeName`). */
export const NODES = ['node-1', 'node-2', 'node-3', 'node-4', 'node-5', 'node-6'] as const;
/** The demo's custom resource. */
export const WIDGET_GVK = { group: 'demo.kubecache.dev', version: 'v1', kind: 'Widget' } as const;
/** The resource of {@link WIDGET_GVK}, for writes. */
export const WIDGET_GVR = { group: 'demo.kubecache.dev', version: 'v1', resource: 'widgets' } as const;

const APPS = ['web', 'api', 'worker', 'cache', 'db'] as const;
const PODS_PER_NAMESPACE = 150;

/** A pod as a scheduler would leave it: spec with containers and a node, status with conditions. */
export function podBody(namespace: string, name: string, app: string, nodeName: string): UnstructuredObject {
  return {
    metadata: { name, namespace, labels: { app, tier: app === 'db' ? 'data' : 'stateless' } },
    spec: {
      nodeName,
      containers: [
        {
          name: app,
          image: `registry.example.com/${namespace}/${app}:1.4.2`,
          ports: [{ containerPort: 8080, name: 'http' }],
          env: [
            { name: 'APP', value: app },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: `10.1.${NODES.indexOf(nodeName as (typeof NODES)[number]) + 1}.${name.length}`,
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
      ],
    },
  };
}

/** Seeds `server`; returns how many objects of each kind it made. The CRD goes through the HTTP API at `kc`. */
export async function seed(server: FakeApiServer, kc: KubeConfig): Promise<Record<string, number>> {
  for (const name of NAMESPACES) server.objects.create('namespaces', { metadata: { name } });
  let pods = 0;
  for (const namespace of NAMESPACES) {
    for (let i = 0; i < PODS_PER_NAMESPACE; i++) {
      const app = APPS[i % APPS.length] ?? 'web';
      const node = NODES[(i * 7 + namespace.length) % NODES.length] ?? 'node-1';
      server.objects.create('pods', podBody(namespace, `${app}-${i}`, app, node));
      pods++;
    }
    for (let i = 0; i < 10; i++) {
      const metadata = { name: `settings-${i}`, namespace };
      server.objects.create('configmaps', { metadata, data: { 'app.yaml': `replicas: ${i}\n` } });
      const data = { 'tls.key': Buffer.from('k'.repeat(1200)).toString('base64') };
      server.objects.create('secrets', { metadata: { name: `tls-${i}`, namespace, labels: { rotate: i % 2 === 0 ? 'weekly' : 'never' } }, data });
    }
  }
  const widgets = await seedWidgets(kc);
  return { namespaces: NAMESPACES.length, pods, configmaps: 10 * NAMESPACES.length, secrets: 10 * NAMESPACES.length, widgets };
}

// The server prunes fields a CRD schema does not declare, as a real one does.
const WIDGET_SCHEMA = { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } };

// Creates the Widget CRD and a few widgets through the HTTP API, as kubectl apply would.
async function seedWidgets(kc: KubeConfig): Promise<number> {
  const transport = Transport.fromKubeConfig(kc);
  try {
    const rest = new RestClient(transport);
    const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
    await rest.createObject(crds, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.demo.kubecache.dev' },
      spec: {
        group: WIDGET_GVK.group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: WIDGET_SCHEMA } }],
      },
    });
    let count = 0;
    for (const namespace of NAMESPACES) {
      for (let i = 0; i < 6; i++) {
        const body = { apiVersion: 'demo.kubecache.dev/v1', kind: 'Widget', metadata: { name: `widget-${i}` }, spec: { size: i } };
        await rest.createObject(WIDGET_GVR, body, { namespace });
        count++;
      }
    }
    return count;
  } finally {
    transport.close();
  }
}
