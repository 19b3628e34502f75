import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MissingKindError,
  apiVersionOf,
  gvkEquals,
  gvkFromObject,
  gvkKey,
  gvkToString,
  gvrToString,
  parseApiVersion,
} from '../../src/api/gvk.ts';

void test('parseApiVersion puts a bare version in the core group', () => {
  assert.deepEqual(parseApiVersion('v1'), { group: '', version: 'v1' });
  assert.deepEqual(parseApiVersion('apps/v1'), { group: 'apps', version: 'v1' });
  assert.deepEqual(parseApiVersion('stable.example.com/v1beta1'), { group: 'stable.example.com', version: 'v1beta1' });
  assert.deepEqual(parseApiVersion(''), { group: '', version: '' });
});

void test('parseApiVersion rejects more than one slash', () => {
  assert.throws(() => parseApiVersion('a/b/c'), MissingKindError);
});

void test('apiVersionOf is the inverse of parseApiVersion', () => {
  for (const v of ['v1', 'apps/v1', 'example.com/v2alpha1']) assert.equal(apiVersionOf(parseApiVersion(v)), v);
});

void test('gvkFromObject reads apiVersion and kind', () => {
  assert.deepEqual(gvkFromObject({ apiVersion: 'apps/v1', kind: 'Deployment' }), { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.deepEqual(gvkFromObject({ apiVersion: 'v1', kind: 'Pod' }), { group: '', version: 'v1', kind: 'Pod' });
});

void test('gvkFromObject throws a typed error when apiVersion or kind is missing', () => {
  assert.throws(() => gvkFromObject({ kind: 'Pod', metadata: { name: 'p' } }), (err: unknown) => err instanceof MissingKindError && err.reason === 'MissingKind' && /apiVersion/.test(err.message));
  assert.throws(() => gvkFromObject({ apiVersion: 'v1' }), (err: unknown) => err instanceof MissingKindError && /kind/.test(err.message));
  assert.throws(() => gvkFromObject({ apiVersion: 'v1', kind: '' }), MissingKindError);
});

void test('GVKs and GVRs format as Go does', () => {
  assert.equal(gvkToString({ group: 'apps', version: 'v1', kind: 'Deployment' }), 'apps/v1, Kind=Deployment');
  assert.equal(gvkToString({ group: '', version: 'v1', kind: 'Pod' }), '/v1, Kind=Pod');
  assert.equal(gvrToString({ group: 'apps', version: 'v1', resource: 'deployments' }), 'apps/v1, Resource=deployments');
  assert.equal(gvrToString({ group: '', version: 'v1', resource: 'pods' }), '/v1, Resource=pods');
});

void test('gvkKey is compact and distinguishes group, version and kind', () => {
  assert.equal(gvkKey({ group: 'apps', version: 'v1', kind: 'Deployment' }), 'Deployment.v1.apps');
  assert.equal(gvkKey({ group: '', version: 'v1', kind: 'Pod' }), 'Pod.v1');
  const keys = new Set(
    [
      { group: '', version: 'v1', kind: 'Pod' },
      { group: 'v1', version: 'v1', kind: 'Pod' },
      { group: 'a.b', version: 'v1', kind: 'Pod' },
      { group: 'b', version: 'v1', kind: 'Pod' },
      { group: '', version: 'v2', kind: 'Pod' },
    ].map(gvkKey),
  );
  assert.equal(keys.size, 5);
  assert.ok(gvkEquals({ group: 'a', version: 'v1', kind: 'K' }, { group: 'a', version: 'v1', kind: 'K' }));
  assert.ok(!gvkEquals({ group: 'a', version: 'v1', kind: 'K' }, { group: 'a', version: 'v2', kind: 'K' }));
});
