// Shared setup of the working-set tests: Secrets on the fake APIServer, a whenRead cache, request counts, a rewriting proxy.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { Cache } from '../../../src/cache/cache.ts';
import { Secrets } from '../../../src/cache/kinds.ts';
import type { CacheOptions } from '../../../src/cache/options.ts';
import type { WorkingSetOptions } from '../../../src/cache/working-set/options.ts';
import type { WorkingSetStatsEntry } from '../../../src/cache/working-set/working-set-stats.ts';
import type { FakeApiServer } from '../../../src/testing/index.ts';
import { deferCleanup } from '../../cleanup.ts';
import { kubeConfigFor } from '../../client/helpers.ts';
import { startCache } from '../../helpers.ts';

/** Creates `count` Secrets `s0`… in `namespace`, labelled `parity=even|odd`, each with a `data.n` of its index. */
export function createSecrets(server: FakeApiServer, count: number, namespace = 'ns1'): void {
  for (let i = 0; i < count; i++) {
    server.objects.create('secrets', {
      metadata: { name: `s${i}`, namespace, labels: { parity: i % 2 === 0 ? 'even' : 'odd' } },
      data: { n: base64(String(i)) },
    });
  }
}

/** `text` in base64, as Secret data is sent. */
export function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

/** A started cache holding Secrets in working-set mode with `workingSet` (other kinds in full). */
export function startWorkingSetCache(
  t: TestContext,
  server: FakeApiServer,
  workingSet?: WorkingSetOptions,
  options: CacheOptions = {},
): Cache {
  const entry = workingSet === undefined ? { kind: Secrets, cacheFullObjects: 'whenRead' as const } : { kind: Secrets, cacheFullObjects: 'whenRead' as const, workingSet };
  return startCache(t, server, { byObject: [entry], ...options }).cache;
}

/** Requests of `verb` (`get`, `list`, `watch`) on Secrets so far. */
export function secretRequests(server: FakeApiServer, verb: string): number {
  return server.requests.count({ verb, resource: 'secrets' });
}

/** The working set of structured Secrets in `cache.stats()`. */
export function secretSet(cache: Cache): WorkingSetStatsEntry {
  const entry = cache.stats().workingSets.find((s) => s.gvk.kind === 'Secret' && s.representation === 'structured');
  if (entry === undefined) throw new Error('no working set for Secrets yet');
  return entry;
}

/** What a {@link startProxy} hook sees and may answer instead of the server. */
export interface ProxiedRequest {
  readonly method: string;
  readonly url: URL;
}

/** A proxy's answer in place of the server's: a status and a JSON body. */
export interface ProxyAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A loopback HTTP proxy in front of the fake APIServer. */
export interface TestProxy {
  readonly url: string;
  /** The most single-object GETs it forwarded at the same time. */
  readonly maxConcurrentGets: number;
  /** Single-object GETs the client abandoned before their answer ended. */
  readonly abandonedGets: number;
}

/**
 * Starts a proxy to `server` (stopped after the test). `answer` may answer a request itself (say a
 * stale object, as a misbehaving aggregated server would); otherwise the request and its streamed
 * response pass through. Counts how many single-object GETs were in flight at once.
 */
export async function startProxy(
  t: TestContext,
  server: FakeApiServer,
  answer: (req: ProxiedRequest) => ProxyAnswer | undefined = () => undefined,
): Promise<TestProxy> {
  const target = new URL(server.url);
  let inFlight = 0;
  let maxConcurrentGets = 0;
  let abandonedGets = 0;
  const sockets = new Set<Socket>();
  const proxy = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    const own = answer({ method: req.method ?? 'GET', url });
    if (own !== undefined) {
      res.writeHead(own.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(own.body));
      return;
    }
    const isGet = req.method === 'GET' && !url.searchParams.has('watch') && /\/secrets\/[^/]+$/.test(url.pathname);
    if (isGet) {
      maxConcurrentGets = Math.max(maxConcurrentGets, ++inFlight);
      res.once('close', () => {
        if (!res.writableFinished) abandonedGets++;
      });
    }
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.once('end', () => {
        if (isGet) inFlight--;
      });
    });
    upstream.once('error', (err) => res.destroy(err));
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  proxy.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  deferCleanup(t, async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get maxConcurrentGets() {
      return maxConcurrentGets;
    },
    get abandonedGets() {
      return abandonedGets;
    },
  };
}

/** A started cache reaching the server through `proxy`, Secrets in working-set mode (stopped after the test). */
export function startProxiedCache(t: TestContext, proxy: TestProxy, workingSet: WorkingSetOptions = {}): Cache {
  const cache = new Cache(kubeConfigFor(proxy.url), { byObject: [{ kind: Secrets, cacheFullObjects: 'whenRead', workingSet }] });
  const stop = new AbortController();
  const done = cache.start(stop.signal);
  deferCleanup(t, async () => {
    stop.abort();
    await done;
  });
  return cache;
}
