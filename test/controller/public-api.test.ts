// kubecache/controller exports what an operator author reaches for, and package.json maps the subpath to it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as controller from '../../src/controller/index.ts';

void describe('the kubecache/controller entry', () => {
  void it('exports the manager, controller, handlers, predicates, work queue, limiters, leader election and errors', () => {
    for (const name of [
      'Manager',
      'Controller',
      'enqueueRequestForObject',
      'enqueueRequestForOwner',
      'enqueueRequestsFromMapFunc',
      'generationChangedPredicate',
      'labelChangedPredicate',
      'annotationChangedPredicate',
      'resourceVersionChangedPredicate',
      'TerminalError',
      'WorkQueue',
      'ItemExponentialFailureRateLimiter',
      'BucketRateLimiter',
      'MaxOfRateLimiter',
      'defaultControllerRateLimiter',
      'LeaderElector',
      'LeaseLock',
      'renderControllerPrometheus',
      'LeaderElectionLostError',
      'GracefulShutdownTimeoutError',
    ]) {
      assert.ok(name in controller, `${name} is exported`);
    }
  });

  void it('is published as ./controller with its types', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, Record<string, string> | undefined> };
    const entry = pkg.exports['./controller'];
    assert.equal(entry?.['types'], './dist/controller/index.d.ts');
    assert.equal(entry?.['default'], './dist/controller/index.js');
  });
});
