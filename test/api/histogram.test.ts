// The one fixed-bucket histogram behind handler latencies, work-queue durations and reconcile times.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Histogram } from '../../src/api/histogram.ts';

void describe('Histogram', () => {
  void it('counts each observation in the first bucket whose bound holds it, cumulatively, with count, sum and max', () => {
    const histogram = new Histogram([1, 5, 10]);
    for (const value of [0.5, 1, 3, 7, 12]) histogram.observe(value);
    assert.deepEqual(histogram.snapshot(), {
      count: 5,
      sum: 23.5,
      max: 12,
      buckets: [
        { le: 1, count: 2 },
        { le: 5, count: 3 },
        { le: 10, count: 4 },
      ],
    });
  });

  void it('reports zeros before any observation', () => {
    assert.deepEqual(new Histogram([1]).snapshot(), { count: 0, sum: 0, max: 0, buckets: [{ le: 1, count: 0 }] });
  });
});
