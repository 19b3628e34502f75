// The shared test helpers: waiting for a condition, a fake APIServer and caches that stop with the
// test, and the one test CRD (Widget).

import type { TestContext } from 'node:test';
import { Cache } from '../src/cache/cache.ts';
import { unstructured } from '../src/cache/kinds.ts';
import type { CacheOptions } from '../src/cache/options.ts';
import type { UnstructuredObject } from '../src/api/types.ts';
import { FakeApiServer, type FakeApiServerOptions } from '../src/testing/index.ts';
import { deferCleanup, runUntilTestEnds } from './cleanup.ts';

/**
 * Retry delays for tests that inject a failure and wait for recovery in real time: client-go's
 * shape (doubling, jittered, capped) at a fraction of its 800 ms start.
 */
export const FAST_BACKOFF = { initialMs: 20, capMs: 200, jitter: 0.1 } as const;

/** Generous bound for every wait in the tests; a hang fails the test instead of the run. */
export const WAIT_MS = 10_000;

/**
 * Polls `check` every few milliseconds until it returns a truthy value, which it resolves with; a
 * check that throws counts as "not yet". Fails after `timeoutMs` with the last error as cause.
 */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = WAIT_MS): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** True if `promise` is still pending after the current macrotask queue drains. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const winner = await Promise.race([promise, new Promise((resolve) => setImmediate(() => resolve(marker)))]);
  return winner === marker;
}

/** A signal that aborts after the generous test bound. */
export function timeout(): AbortSignal {
  return AbortSignal.timeout(WAIT_MS);
}

/**
 * Starts a fake APIServer with namespaces ns1, ns2 and ns3 besides the defaults. It stops after the
 * test, once everything started after it (caches, clients) has stopped.
 */
export async function startServer(t: TestContext, options?: FakeApiServerOptions): Promise<FakeApiServer> {
  const server = await FakeApiServer.start(options);
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
  const { stop, done } = runUntilTestEnds(t, (signal) => cache.start(signal));
  return { cache, stop, done };
}

/** A pod body in `namespace` with `labels`. */
export function pod(namespace: string, name: string, labels: Record<string, string> = {}, nodeName = 'node-a') {
  return {
    metadata: { name, namespace, labels },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
  };
}

/** The test CRD: namespaced `widgets.example.com`, kind Widget, served and stored as v1. */
export const WIDGET_CRD: UnstructuredObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    // Any field is kept: the fake prunes what a schema does not declare, as a real server does.
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

/** The GroupVersionKind of {@link WIDGET_CRD}'s objects. */
export const WIDGET_GVK = { group: 'example.com', version: 'v1', kind: 'Widget' } as const;

/** The kind handle of Widgets, read as unstructured objects. */
export const Widgets = unstructured(WIDGET_GVK);

/**
 * A CRD like {@link WIDGET_CRD} under other names and scope (for tests that need a second kind or
 * a cluster-scoped one).
 */
export function crdOf(plural: string, kind: string, scope: 'Namespaced' | 'Cluster' = 'Namespaced'): UnstructuredObject {
  const spec = WIDGET_CRD.spec as Record<string, unknown>;
  return {
    ...WIDGET_CRD,
    metadata: { name: `${plural}.example.com` },
    spec: { ...spec, scope, names: { plural, singular: kind.toLowerCase(), kind } },
  };
}
