// Shared setup of the cache tests: a fake APIServer on loopback, caches that stop with the test, waits.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TestContext } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { Cache } from '../../src/cache/cache.ts';
import type { CacheOptions } from '../../src/cache/options.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { deferCleanup } from '../cleanup.ts';
import { kubeConfigFor } from '../client/helpers.ts';

/** Generous bound for every wait in these tests; a hang fails the test instead of the run. */
export const WAIT_MS = 10_000;

/** Starts a fake APIServer (stopped after the test) with namespaces ns1 and ns2 besides the defaults. */
export async function startServer(t: TestContext): Promise<FakeApiServer> {
  const server = await FakeApiServer.start();
  deferCleanup(t, () => server.stop());
  for (const name of ['ns1', 'ns2', 'ns3']) server.objects.create('namespaces', { metadata: { name } });
  return server;
}

/** A cache over `server`, not started. */
export function newCache(server: FakeApiServer, options?: CacheOptions): Cache {
  return new Cache(server.kubeConfig(), options);
}

/** A cache over `server`, started (stopped after the test). `done` resolves when start() returns. */
export function startCache(
  t: TestContext,
  server: FakeApiServer,
  options?: CacheOptions,
): { cache: Cache; stop: AbortController; done: Promise<void> } {
  const cache = newCache(server, options);
  const stop = new AbortController();
  const done = cache.start(stop.signal);
  deferCleanup(t, async () => {
    stop.abort();
    await done;
  });
  return { cache, stop, done };
}

/** A signal that aborts after the generous test bound. */
export function timeout(): AbortSignal {
  return AbortSignal.timeout(WAIT_MS);
}

/** Polls `check` on each event-loop turn until it returns true, or fails after {@link WAIT_MS}. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A pod body in `namespace` with `labels`. */
export function pod(namespace: string, name: string, labels: Record<string, string> = {}, nodeName = 'node-a') {
  return {
    metadata: { name, namespace, labels },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
  };
}

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
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });
  return kubeConfigFor(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
}
