// Shared setup of the Client tests: a fake APIServer on loopback, a started Cache and a Client sharing it.

import type { TestContext } from 'node:test';
import { Client } from '../../src/kube-client/client.ts';
import type { ClientOptions } from '../../src/kube-client/options.ts';
import type { FakeApiServer } from '../../src/testing/index.ts';
import { deferCleanup } from '../cleanup.ts';
import { startCache } from '../helpers.ts';

export { eventually, startServer, timeout, WAIT_MS, WIDGET_CRD, Widgets } from '../helpers.ts';

/** A Deployment `ns1/web` of two nginx replicas, to create on the server. */
export const deployment = {
  metadata: { name: 'web', namespace: 'ns1' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } },
  },
};

/** A Client without a cache: every read is live (closed after the test). */
export function liveClient(t: TestContext, server: FakeApiServer, options: ClientOptions = {}): Client {
  const client = new Client(server.kubeConfig(), options);
  deferCleanup(t, () => client.close());
  return client;
}

/** A started Cache and a Client reading from it (both stopped after the test). */
export function cachedClient(t: TestContext, server: FakeApiServer, options: Omit<ClientOptions, 'cache'> = {}) {
  const { cache } = startCache(t, server);
  const client = new Client(server.kubeConfig(), { ...options, cache });
  deferCleanup(t, () => client.close());
  return { cache, client };
}

/**
 * True when the fake APIServer's discovery lists `resource` (e.g. `deployments/scale`) under
 * `groupVersionPath` (`/apis/apps/v1`). Tests of subresources the fake may not serve yet skip
 * themselves with the reason, and run once it does.
 */
export async function discoveryLists(server: FakeApiServer, groupVersionPath: string, resource: string): Promise<boolean> {
  const res = await fetch(`${server.url}${groupVersionPath}`);
  const doc = (await res.json()) as { resources?: { name?: string }[] };
  return (doc.resources ?? []).some((r) => r.name === resource);
}
