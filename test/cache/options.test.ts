// Table tests of resolveCacheOptions: controller-runtime's defaulting rules (defaulting_test.go in our words).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidCacheOptionsError } from '../../src/cache/errors.ts';
import { ConfigMaps, Nodes, Pods, unstructured } from '../../src/cache/kinds.ts';
import {
  DEFAULT_SYNC_PERIOD_MS,
  resolveCacheOptions,
  type CacheOptions,
  type CacheTransform,
  type ResolvedConfig,
} from '../../src/cache/options.ts';
import { defaultScheme } from '../../src/cache/scheme.ts';

const stripA: CacheTransform = (o) => o;
const stripB: CacheTransform = (o) => o;
const base: ResolvedConfig = {
  labelSelector: '',
  fieldSelector: '',
  transform: undefined,
  deepCopy: false,
  enableWatchBookmarks: true,
  syncPeriodMs: DEFAULT_SYNC_PERIOD_MS,
};

void describe('resolveCacheOptions', () => {
  void it('fills every field with controller-runtime defaults when given nothing', () => {
    const r = resolveCacheOptions();
    assert.equal(r.scheme, defaultScheme);
    assert.equal(r.mapper, undefined);
    assert.equal(r.readerFailOnMissingInformer, false);
    assert.equal(r.useWatchList, false);
    assert.equal(r.maxInternalErrorRetryDurationMs, 0);
    assert.deepEqual(r.defaults.config, base);
    assert.equal(r.defaults.namespaces.size, 0);
    assert.equal(r.byObject.size, 0);
  });

  const podConfigCases: { name: string; options: CacheOptions; ns: string; want: Partial<ResolvedConfig> }[] = [
    {
      name: 'a byObject without namespaces inherits defaultNamespaces and their settings',
      options: { defaultNamespaces: { a: { labelSelector: 'x=1' } }, byObject: new Map([[Pods, {}]]) },
      ns: 'a',
      want: { labelSelector: 'x=1' },
    },
    {
      name: 'a byObject type-level selector reaches inherited namespaces that set none',
      options: { defaultNamespaces: { a: {} }, defaultLabelSelector: 'g=1', byObject: new Map([[Pods, { labelSelector: 'y=2' }]]) },
      ns: 'a',
      want: { labelSelector: 'y=2' },
    },
    {
      name: 'an inherited defaultNamespaces entry acts as byObject.namespaces[ns], so its own selector wins',
      options: { defaultNamespaces: { a: { labelSelector: 'x=1' } }, byObject: new Map([[Pods, { labelSelector: 'y=2' }]]) },
      ns: 'a',
      want: { labelSelector: 'x=1' },
    },
    {
      name: 'the byObject type level beats defaultNamespaces[ns] for explicitly listed namespaces',
      options: {
        defaultNamespaces: { a: { labelSelector: 'x=1', syncPeriodMs: 7 } },
        byObject: [{ kind: Pods, labelSelector: 'y=2', namespaces: ['a'] }],
      },
      ns: 'a',
      want: { labelSelector: 'y=2', syncPeriodMs: 7 },
    },
    {
      name: 'byObject.namespaces[ns] beats the byObject type level',
      options: { byObject: [{ kind: Pods, labelSelector: { y: '2' }, namespaces: { a: { labelSelector: 'z=3' } } }] },
      ns: 'a',
      want: { labelSelector: 'z=3' },
    },
    {
      name: 'global defaults fill what nothing more specific sets',
      options: {
        defaultLabelSelector: 'g=1',
        defaultFieldSelector: { 'metadata.name': 'n' },
        defaultTransform: stripA,
        defaultDeepCopy: true,
        defaultEnableWatchBookmarks: false,
        syncPeriodMs: 5000,
        byObject: [{ kind: Pods, namespaces: ['a'] }],
      },
      ns: 'a',
      want: {
        labelSelector: 'g=1',
        fieldSelector: 'metadata.name=n',
        transform: stripA,
        deepCopy: true,
        enableWatchBookmarks: false,
        syncPeriodMs: 5000,
      },
    },
    {
      name: 'defaultNamespaces[ns] beats the global default transform',
      options: { defaultTransform: stripA, defaultNamespaces: { a: { transform: stripB } }, byObject: new Map([[Pods, {}]]) },
      ns: 'a',
      want: { transform: stripB },
    },
    {
      name: 'the all-namespaces entry excludes the named namespaces, sorted, before its own selector',
      options: { byObject: [{ kind: Pods, namespaces: { b: {}, a: {}, '': { fieldSelector: 'spec.nodeName=n1' } } }] },
      ns: '',
      want: { fieldSelector: 'metadata.namespace!=a,metadata.namespace!=b,spec.nodeName=n1' },
    },
  ];
  for (const c of podConfigCases) {
    void it(c.name, () => {
      const pods = findPods(c.options);
      assert.deepEqual(pods.namespaces.get(c.ns), { ...base, ...c.want });
    });
  }

  void it('an empty namespaces object on a byObject means all namespaces, not the defaults', () => {
    const r = resolveCacheOptions({ defaultNamespaces: ['a', 'b'], byObject: [{ kind: Pods, namespaces: {} }] });
    assert.equal(findPods({ byObject: [{ kind: Pods, namespaces: {} }] }).namespaces.size, 0);
    assert.equal([...r.byObject.values()][0]?.namespaces.size, 0);
    assert.deepEqual([...r.defaults.namespaces.keys()], ['a', 'b']);
  });

  void it('defaultNamespaces entries default from the globals, and the "" entry excludes the others', () => {
    const r = resolveCacheOptions({ defaultLabelSelector: 'g=1', defaultNamespaces: { a: {}, '': {} } });
    assert.deepEqual(r.defaults.namespaces.get('a'), { ...base, labelSelector: 'g=1' });
    assert.deepEqual(r.defaults.namespaces.get(''), { ...base, labelSelector: 'g=1', fieldSelector: 'metadata.namespace!=a' });
  });

  void it('a byObject type-level config is defaulted from the globals for cluster-wide use', () => {
    const r = resolveCacheOptions({ defaultDeepCopy: true, byObject: [{ kind: Nodes, labelSelector: 'role=x' }] });
    const nodes = [...r.byObject.values()][0];
    assert.deepEqual(nodes?.config, { ...base, deepCopy: true, labelSelector: 'role=x' });
    assert.equal(nodes?.namespaces.size, 0);
  });

  void it('a cluster-scoped kind does not inherit defaultNamespaces', () => {
    const r = resolveCacheOptions({ defaultNamespaces: ['a'], byObject: [{ kind: Nodes }] });
    assert.equal([...r.byObject.values()][0]?.namespaces.size, 0);
  });

  void it('rejects namespaces on a kind the scheme knows is cluster-scoped', () => {
    assert.throws(
      () => resolveCacheOptions({ byObject: [{ kind: Nodes, namespaces: ['a'] }] }),
      (err: unknown) =>
        err instanceof InvalidCacheOptionsError &&
        err.reason === 'InvalidCacheOptions' &&
        err.message === 'type /v1, Kind=Node is not namespaced, but its byObject.namespaces setting is not undefined',
    );
  });

  void it('asks the given scope hint for kinds the scheme does not know', () => {
    const foo = unstructured({ group: 'example.com', version: 'v1', kind: 'Foo' });
    assert.throws(
      () => resolveCacheOptions({ byObject: [{ kind: foo, namespaces: ['a'] }] }, () => false),
      InvalidCacheOptionsError,
    );
    const r = resolveCacheOptions({ byObject: [{ kind: foo, namespaces: ['a'] }] });
    assert.equal([...r.byObject.values()][0]?.namespacesExplicit, true);
  });

  void it('canonicalises selectors given as strings, sets or parsed selectors, and rejects bad syntax', () => {
    const r = resolveCacheOptions({ defaultLabelSelector: { b: '2', a: '1' }, defaultFieldSelector: 'metadata.name==x' });
    assert.equal(r.defaults.config.labelSelector, 'a=1,b=2');
    assert.equal(r.defaults.config.fieldSelector, 'metadata.name=x');
    assert.throws(() => resolveCacheOptions({ defaultLabelSelector: 'a in' }), { reason: 'InvalidSelector' });
  });

  void it('never mutates the options it is given', () => {
    const namespaces = { a: {}, '': {} };
    const byObject = [{ kind: ConfigMaps, namespaces: { b: {}, '': {} } }];
    const options: CacheOptions = { defaultNamespaces: namespaces, byObject };
    const before = JSON.stringify(options);
    resolveCacheOptions(options);
    assert.equal(JSON.stringify(options), before);
  });
});

function findPods(options: CacheOptions) {
  const found = [...resolveCacheOptions(options).byObject.values()].find((b) => b.gvk.kind === 'Pod');
  assert.ok(found, 'pods have a byObject entry');
  return found;
}
