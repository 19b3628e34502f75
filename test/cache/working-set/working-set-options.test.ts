// Table tests of the working-set options: defaulting, inheritance, and the errors bad values get.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gvkKey } from '../../../src/api/gvk.ts';
import { InvalidCacheOptionsError } from '../../../src/cache/errors.ts';
import { ConfigMaps, Secrets } from '../../../src/cache/kinds.ts';
import { resolveCacheOptions, type CacheOptions } from '../../../src/cache/options.ts';
import { DEFAULT_WORKING_SET } from '../../../src/cache/working-set/options.ts';

const secretsOf = (options: CacheOptions) => resolveCacheOptions(options).byObject.get(gvkKey(Secrets.gvk));

void describe('working-set options', () => {
  void it("are absent unless a kind is 'whenRead', and take every default when nothing else is said", () => {
    assert.equal(resolveCacheOptions().defaults.workingSet, undefined);
    assert.equal(secretsOf({ byObject: [{ kind: Secrets, labelSelector: 'a=b' }] })?.workingSet, undefined);
    assert.deepEqual(secretsOf({ byObject: [{ kind: Secrets, cacheFullObjects: 'whenRead' }] })?.workingSet, DEFAULT_WORKING_SET);
    assert.deepEqual(DEFAULT_WORKING_SET, { maxObjects: 1000, maxBytes: 67108864, onUpdate: 'invalidate', hydrationConcurrency: 8, liveListAbove: 16 });
  });

  void it('inherit the mode and each bound from the defaults, field by field', () => {
    const r = resolveCacheOptions({
      defaultCacheFullObjects: 'whenRead',
      defaultWorkingSet: { maxObjects: 50, onUpdate: 'refresh' },
      byObject: [
        { kind: Secrets, workingSet: { maxObjects: 10, liveListAbove: 0 } },
        { kind: ConfigMaps, cacheFullObjects: 'always' },
      ],
    });
    assert.deepEqual(r.defaults.workingSet, { ...DEFAULT_WORKING_SET, maxObjects: 50, onUpdate: 'refresh' });
    assert.deepEqual(r.byObject.get(gvkKey(Secrets.gvk))?.workingSet, { ...DEFAULT_WORKING_SET, maxObjects: 10, onUpdate: 'refresh', liveListAbove: 0 });
    assert.equal(r.byObject.get(gvkKey(ConfigMaps.gvk))?.workingSet, undefined);
  });

  const bad: { name: string; options: CacheOptions; message: RegExp }[] = [
    { name: 'an unknown mode', options: { defaultCacheFullObjects: 'sometimes' as 'always' }, message: /defaultCacheFullObjects: cacheFullObjects must be one of always, whenRead, got "sometimes"/ },
    { name: 'a fractional maxObjects', options: { byObject: [{ kind: Secrets, cacheFullObjects: 'whenRead', workingSet: { maxObjects: 1.5 } }] }, message: /byObject \/v1, Kind=Secret: workingSet.maxObjects must be an integer ≥ 1 or Infinity, got 1.5/ },
    { name: 'a zero maxObjects', options: { defaultCacheFullObjects: 'whenRead', defaultWorkingSet: { maxObjects: 0 } }, message: /defaultWorkingSet: workingSet.maxObjects must be an integer ≥ 1/ },
    { name: 'a negative maxBytes', options: { defaultCacheFullObjects: 'whenRead', defaultWorkingSet: { maxBytes: -1 } }, message: /workingSet.maxBytes must be a positive number or Infinity, got -1/ },
    { name: 'a NaN maxBytes', options: { defaultCacheFullObjects: 'whenRead', defaultWorkingSet: { maxBytes: NaN } }, message: /workingSet.maxBytes must be a positive number/ },
    { name: 'no hydration concurrency', options: { defaultCacheFullObjects: 'whenRead', defaultWorkingSet: { hydrationConcurrency: 0 } }, message: /hydrationConcurrency must be an integer ≥ 1/ },
    { name: 'a negative liveListAbove', options: { defaultCacheFullObjects: 'whenRead', defaultWorkingSet: { liveListAbove: -1 } }, message: /liveListAbove must be an integer ≥ 0/ },
    { name: 'an unknown update policy', options: { defaultCacheFullObjects: 'whenRead', defaultWorkingSet: { onUpdate: 'poll' as 'refresh' } }, message: /onUpdate must be one of invalidate, refresh, got "poll"/ },
    { name: 'workingSet on a kind kept in full', options: { byObject: [{ kind: Secrets, workingSet: { maxObjects: 5 } }] }, message: /byObject \/v1, Kind=Secret: workingSet is set, but cacheFullObjects is not 'whenRead'/ },
  ];
  for (const c of bad) {
    void it(`reject ${c.name} with InvalidCacheOptionsError`, () => {
      assert.throws(() => resolveCacheOptions(c.options), (err: unknown) => {
        assert.ok(err instanceof InvalidCacheOptionsError);
        assert.match(err.message, c.message);
        return true;
      });
    });
  }
});
