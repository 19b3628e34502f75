import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../src/index.ts';

void test('the public entry exposes the selectors, keys, GVK helpers, freezing and errors of the api layer', () => {
  const sel = api.parseLabelSelector('app=web');
  assert.ok(sel instanceof api.LabelSelector);
  assert.equal(api.parseFieldSelector('metadata.name=a').requiresExactMatch('metadata.name'), 'a');
  assert.equal(api.objectKeyOf({ metadata: { namespace: 'ns', name: 'a' } }), 'ns/a');
  assert.equal(api.gvkToString(api.gvkFromObject({ apiVersion: 'apps/v1', kind: 'Deployment' })), 'apps/v1, Kind=Deployment');
  assert.ok(Object.isFrozen(api.deepFreeze({ a: {} }).a));
  assert.ok(api.isNotFound(api.StatusError.of(404, 'NotFound', 'gone')));
  assert.throws(() => api.parseLabelSelector('a in'), api.SelectorParseError);
});
