// A proxy that plays an APIServer older than aggregated discovery, for the discovery-isolation tests.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TestContext } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import type { FakeApiServer } from '../../src/testing/index.ts';
import { deferCleanup } from '../cleanup.ts';
import { kubeConfigFor } from '../client/helpers.ts';


/**
 * A proxy in front of `server` that plays an APIServer older than aggregated discovery (< 1.26):
 * `/api` and `/apis` are always asked for the legacy documents, so clients read each group
 * version on its own. Returns a kubeconfig for the proxy; it stops after the test.
 */
export async function startLegacyDiscoveryProxy(t: TestContext, server: FakeApiServer): Promise<KubeConfig> {
  const sockets = new Set<Socket>();
  const proxy = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const headers = { ...req.headers, ...(path === '/api' || path === '/apis' ? { accept: 'application/json' } : {}) };
    const upstream = http.request({ host: '127.0.0.1', port: server.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  proxy.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  deferCleanup(t, async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });
  return kubeConfigFor(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
}
