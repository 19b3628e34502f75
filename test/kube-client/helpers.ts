// Shared setup of the Client tests: a fake APIServer on loopback, a started Cache and a Client sharing it.

import type { TestContext } from 'node:test';
import { Client } from '../../src/kube-client/client.ts';
import type { ClientOptions } from '../../src/kube-client/options.ts';
import type { FakeApiServer } from '../../src/testing/index.ts';
import { deferCleanup } from '../cleanup.ts';
import { startCache } from '../helpers.ts';

export { eventually, startServer, timeout, WAIT_MS } from '../helpers.ts';

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
