// Shared setup of the Client tests: a fake APIServer on loopback, a started Cache and a Client sharing it.

import type { TestContext } from 'node:test';
import { Client } from '../../src/kube-client/client.ts';
import type { ClientOptions } from '../../src/kube-client/options.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { startCache } from '../cache/helpers.ts';
import { deferCleanup } from '../cleanup.ts';

export { eventually, timeout, WAIT_MS } from '../cache/helpers.ts';

/** Starts a fake APIServer (stopped after the test) with namespaces ns1 and ns2 besides the defaults. */
export async function startServer(t: TestContext): Promise<FakeApiServer> {
  const server = await FakeApiServer.start();
  deferCleanup(t, () => server.stop());
  for (const name of ['ns1', 'ns2']) server.objects.create('namespaces', { metadata: { name } });
  return server;
}

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
