// A proxy that plays an APIServer older than aggregated discovery, for the discovery-isolation tests.

import type { TestContext } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import type { FakeApiServer } from '../../src/testing/index.ts';
import { startHttpProxy } from '../http-proxy.ts';

/**
 * A proxy in front of `server` that plays an APIServer older than aggregated discovery (< 1.26):
 * `/api` and `/apis` are always asked for the legacy documents, so clients read each group
 * version on its own. Returns a kubeconfig for the proxy; it stops after the test.
 */
export async function startLegacyDiscoveryProxy(t: TestContext, server: FakeApiServer): Promise<KubeConfig> {
  const proxy = await startHttpProxy(t, server, {
    headers: (req, headers) => (req.url.pathname === '/api' || req.url.pathname === '/apis' ? { ...headers, accept: 'application/json' } : headers),
  });
  return proxy.kubeConfig();
}
