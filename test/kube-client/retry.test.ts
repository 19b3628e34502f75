// retryOnConflict: client-go's RetryOnConflict — a real 409 over HTTP retried to success, and the backoff's steps and delays.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isConflict, StatusError } from '../../src/api/errors.ts';
import { ConfigMaps } from '../../src/cache/kinds.ts';
import type { Clock } from '../../src/api/clock.ts';
import { mutable } from '../../src/kube-client/mutable.ts';
import { DEFAULT_BACKOFF, DEFAULT_RETRY, retryOnConflict } from '../../src/kube-client/retry.ts';
import { liveClient, startServer } from './helpers.ts';

/** A clock whose sleeps return at once and are recorded. */
function recordingClock(): Clock & { readonly slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    now: () => 0,
    setTimeout: () => ({}),
    clearTimeout: () => undefined,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
  };
}

const conflict = (): StatusError => StatusError.of(409, 'Conflict', 'configmaps "a" is modified');

void describe('retryOnConflict', () => {
  void it('re-runs a read-modify-write that got a 409 from a concurrent writer, and succeeds on a fresh read', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    await client.create(ConfigMaps, { metadata: { name: 'counter', namespace: 'ns1' }, data: { n: '0', other: '' } });
    const key = { namespace: 'ns1', name: 'counter' };
    let attempts = 0;
    const result = await retryOnConflict(async () => {
      attempts++;
      const cm = mutable(await client.get(ConfigMaps, key));
      if (attempts === 1) {
        // Another writer changes the object between our read and our write.
        server.objects.update('configmaps', { ...server.objects.get('configmaps', 'counter', { namespace: 'ns1' }), data: { n: '0', other: 'theirs' } });
      }
      cm.data = { ...cm.data, n: String(Number(cm.data?.['n']) + 1) };
      return client.update(ConfigMaps, cm);
    });
    assert.equal(attempts, 2);
    assert.deepEqual(result.data, { n: '1', other: 'theirs' }, 'the second attempt kept the other writer change');
    assert.equal(server.requests.count({ verb: 'update' }), 2);
  });

  void it('gives up after DEFAULT_RETRY 5 attempts with the last 409, sleeping 10 ms plus at most 10 % jitter between them', async () => {
    const clock = recordingClock();
    let attempts = 0;
    const err = await retryOnConflict(
      () => {
        attempts++;
        return Promise.reject(conflict());
      },
      { clock },
    ).catch((e: unknown) => e);
    assert.ok(isConflict(err));
    assert.equal(attempts, DEFAULT_RETRY.steps);
    assert.equal(attempts, 5);
    assert.equal(clock.slept.length, 4, 'no sleep after the last attempt');
    for (const ms of clock.slept) assert.ok(ms >= 10 && ms <= 11, `delay ${ms}`);
  });

  void it('rethrows any other error at once, without retrying', async () => {
    const clock = recordingClock();
    let attempts = 0;
    const notFound = StatusError.of(404, 'NotFound', 'configmaps "a" not found');
    const err = await retryOnConflict(
      () => {
        attempts++;
        return Promise.reject(notFound);
      },
      { clock },
    ).catch((e: unknown) => e);
    assert.equal(err, notFound);
    assert.equal(attempts, 1);
    assert.deepEqual(clock.slept, []);
  });

  void it('follows a given backoff: DEFAULT_BACKOFF grows 10, 50, 250 ms over 4 attempts', async () => {
    const clock = recordingClock();
    let attempts = 0;
    const value = await retryOnConflict(
      () => {
        attempts++;
        return attempts < 4 ? Promise.reject(conflict()) : Promise.resolve('done');
      },
      { backoff: DEFAULT_BACKOFF, clock },
    );
    assert.equal(value, 'done');
    assert.equal(clock.slept.length, 3);
    [10, 50, 250].forEach((base, i) => {
      const ms = clock.slept[i] ?? 0;
      assert.ok(ms >= base && ms <= base * 1.1, `delay ${i}: ${ms} not in [${base}, ${base * 1.1}]`);
    });
  });

  void it('stops waiting when its signal aborts, and refuses a backoff without steps', async () => {
    const stop = new AbortController();
    stop.abort(new Error('shutting down'));
    const err = await retryOnConflict(() => Promise.reject(conflict()), { signal: stop.signal }).catch((e: unknown) => e);
    assert.equal((err as Error).message, 'shutting down');
    await assert.rejects(retryOnConflict(() => Promise.resolve(1), { backoff: { ...DEFAULT_RETRY, steps: 0 } }), TypeError);
  });
});
