// Shared setup of the working-set tests: Secrets on the fake APIServer, a whenRead cache, request counts, a rewriting proxy.

import type { TestContext } from 'node:test';
import { Cache } from '../../../src/cache/cache.ts';
import { Secrets } from '../../../src/cache/kinds.ts';
import type { CacheOptions } from '../../../src/cache/options.ts';
import type { WorkingSetOptions } from '../../../src/cache/working-set/options.ts';
import type { WorkingSetStatsEntry } from '../../../src/cache/working-set/working-set-stats.ts';
import type { FakeApiServer } from '../../../src/testing/index.ts';
import { deferCleanup } from '../../cleanup.ts';
import { startCache } from '../../helpers.ts';
import { startHttpProxy, type HttpProxy, type ProxiedRequest, type ProxyAnswer } from '../../http-proxy.ts';

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

/** A proxy in front of the fake APIServer that watches the single-Secret GETs it forwards. */
export interface TestProxy extends HttpProxy {
  /** The most single-object GETs it forwarded at the same time. */
  readonly maxConcurrentGets: number;
  /** Single-object GETs the client abandoned before their answer ended. */
  readonly abandonedGets: number;
}

/**
 * Starts a proxy to `server` (stopped after the test). `answer` may answer a request itself (say a
 * stale object, as a misbehaving aggregated server would); it counts how many single-Secret GETs
 * were in flight at once, and how many the client gave up on.
 */
export async function startProxy(t: TestContext, server: FakeApiServer, answer?: (req: ProxiedRequest) => ProxyAnswer | undefined): Promise<TestProxy> {
  let inFlight = 0;
  let maxConcurrentGets = 0;
  let abandonedGets = 0;
  const proxy = await startHttpProxy(t, server, {
    ...(answer === undefined ? {} : { answer }),
    forwarded: (req, res) => {
      if (req.method !== 'GET' || req.url.searchParams.has('watch') || !/\/secrets\/[^/]+$/.test(req.url.pathname)) return;
      maxConcurrentGets = Math.max(maxConcurrentGets, ++inFlight);
      res.once('close', () => {
        inFlight--;
        if (!res.writableFinished) abandonedGets++;
      });
    },
  });
  return {
    ...proxy,
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
  const cache = new Cache(proxy.kubeConfig(), { byObject: [{ kind: Secrets, cacheFullObjects: 'whenRead', workingSet }] });
  const stop = new AbortController();
  const done = cache.start(stop.signal);
  deferCleanup(t, async () => {
    stop.abort();
    await done;
  });
  return cache;
}
