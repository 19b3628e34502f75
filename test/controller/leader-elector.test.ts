// LeaderElector over HTTP against the fake APIServer, on a fake clock with client-go's default timings (15 s / 10 s / 2 s).

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { LeaderElector } from '../../src/controller/leader-elector.ts';
import { InvalidOptionsError } from '../../src/controller/errors.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { ElectionClock, startCandidate, WALL_START, type Candidate } from './lease-harness.ts';

void describe('LeaderElector against the fake APIServer', () => {
  let server: FakeApiServer;
  let running: Candidate[] = [];

  before(async () => {
    server = await FakeApiServer.start();
  });

  // Faults are server-wide, so no candidate outlives its test.
  afterEach(async () => {
    server.faults.clear();
    for (const c of running) c.stop.abort();
    await Promise.all(running.map((c) => c.done));
    running = [];
  });

  after(() => server.stop());

  function candidate(clock: ElectionClock, lease: string, identity: string, options?: Parameters<typeof startCandidate>[4]): Candidate {
    const c = startCandidate(server, clock, lease, identity, options);
    running.push(c);
    return c;
  }

  const lease = (name: string) => server.objects.get('leases', name, { namespace: 'default' });
  const spec = (name: string) => lease(name)['spec'] as Record<string, unknown>;

  void it('creates an absent Lease under its identity and renews it every retry period with optimistic updates', async () => {
    const clock = new ElectionClock();
    const a = candidate(clock, 'solo', 'a');
    await clock.step(0);
    assert.equal(a.elector.isLeader(), true);
    assert.deepEqual(spec('solo'), {
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      acquireTime: '2026-01-01T00:00:00.000000Z',
      renewTime: '2026-01-01T00:00:00.000000Z',
      leaseTransitions: 0,
    });
    const version = lease('solo').metadata.resourceVersion;
    await clock.step(2000);
    assert.notEqual(lease('solo').metadata.resourceVersion, version);
    assert.equal(spec('solo')['renewTime'], '2026-01-01T00:00:02.000000Z');
    assert.equal(spec('solo')['acquireTime'], '2026-01-01T00:00:00.000000Z', 'a renewal keeps the acquire time');
    assert.equal(server.requests.count({ verb: 'get', resource: 'leases' }), 1, 'renewals write over the version last written, without reading');
    assert.deepEqual(a.events, ['leader:a', 'started']);
  });

  void it('lets exactly one of two candidates lead, and the other never takes a lease that keeps being renewed', async () => {
    const clock = new ElectionClock();
    const a = candidate(clock, 'pair', 'a');
    const b = candidate(clock, 'pair', 'b');
    let leaders = 0;
    await clock.step(30_000, {
      stepMs: 250,
      until: () => {
        const now = [a, b].filter((c) => c.elector.isLeader()).length;
        assert.ok(now <= 1, 'never two leaders');
        leaders = Math.max(leaders, now);
        return false;
      },
    });
    assert.equal(leaders, 1);
    const [leader, follower] = a.elector.isLeader() ? [a, b] : [b, a];
    assert.equal(spec('pair')['holderIdentity'], leader.identity);
    assert.equal(spec('pair')['leaseTransitions'], 0);
    assert.deepEqual(follower.events, [`leader:${leader.identity}`]);
  });

  void it('releases the Lease when stopped, so the standby takes over within one retry period', async () => {
    const clock = new ElectionClock();
    const a = candidate(clock, 'handover', 'a');
    await clock.step(0);
    const b = candidate(clock, 'handover', 'b');
    await clock.step(5000);
    a.stop.abort();
    await a.done;
    assert.deepEqual(a.events, ['leader:a', 'started', 'stopped']);
    assert.equal(spec('handover')['holderIdentity'], '', 'released before run returned');
    assert.equal(spec('handover')['leaseDurationSeconds'], 1);
    const releasedAt = clock.now();
    await clock.step(2000, { until: () => b.elector.isLeader() });
    assert.equal(b.elector.isLeader(), true);
    assert.ok(clock.now() - releasedAt <= 2000, `took ${clock.now() - releasedAt} ms of virtual time`);
    assert.equal(spec('handover')['holderIdentity'], 'b');
    assert.equal(spec('handover')['leaseTransitions'], 1);
    assert.deepEqual(b.events, ['leader:a', 'leader:b', 'started']);
  });

  void it('steps down and says so when its Lease updates fail for the renew deadline, before the lease expires, and the standby takes over', async () => {
    const clock = new ElectionClock();
    const a = candidate(clock, 'faulty', 'a');
    await clock.step(0);
    const b = candidate(clock, 'faulty', 'b');
    await clock.step(3000);
    const lastRenewal = Date.parse(String(spec('faulty')['renewTime'])) - WALL_START;
    server.faults.failNext({ verb: 'update', resource: 'leases', status: 500, count: 1000 });
    await clock.step(20_000, { until: () => !a.elector.isLeader() });
    assert.deepEqual(a.stopped, [{ wasLeader: true, lost: true, cause: a.stopped[0]?.cause }]);
    assert.match(String(a.stopped[0]?.cause), /500|Internal/);
    assert.ok(a.leaseErrors.length > 0, 'the failed renewals were reported');
    const steppedDownAt = clock.now();
    assert.ok(steppedDownAt - lastRenewal < 15_000, `stepped down ${steppedDownAt - lastRenewal} ms after its last renewal, within the lease`);
    assert.equal(b.elector.isLeader(), false, 'the standby waits for the lease to expire');
    assert.equal(spec('faulty')['holderIdentity'], 'a', 'a lost lease is not released');
    server.faults.clear();
    await clock.step(20_000, { until: () => b.elector.isLeader() });
    assert.equal(b.elector.isLeader(), true);
    assert.ok(clock.now() - lastRenewal >= 15_000, 'taken over only once expired by the standby’s own observation');
    await a.done;
  });

  void it('keeps leading through failed renewals that recover within the renew deadline', async () => {
    const clock = new ElectionClock();
    const a = candidate(clock, 'flaky', 'a');
    await clock.step(0);
    // One renewal attempt: the optimistic update fails, the read succeeds, the update after it fails.
    server.faults.failNext({ verb: 'update', resource: 'leases', status: 503, count: 2 });
    await clock.step(8000);
    assert.equal(a.elector.isLeader(), true);
    assert.equal(a.leaseErrors.length, 2);
    assert.equal(a.elector.metrics().slowpathTotal, 1, 'the retry after the failed fast path re-read the lease');
    assert.equal(spec('flaky')['renewTime'], '2026-01-01T00:00:08.000000Z');
  });

  void it('steps down when its renewals hang past the renew deadline', async () => {
    const clock = new ElectionClock();
    const a = candidate(clock, 'hung', 'a');
    await clock.step(0);
    // The requests hang for a second of real time; the fake clock passes the deadline long before.
    server.faults.latency(1000);
    for (let i = 0; i < 50 && a.elector.isLeader(); i++) await clock.advance(500);
    assert.deepEqual(a.events, ['leader:a', 'started', 'lost']);
    server.faults.latency(0);
    await a.done;
  });

  void it('judges expiry by when it saw the record change, not by the holder’s timestamps', async () => {
    const clock = new ElectionClock();
    const longAgo = '2020-01-01T00:00:00.000000Z';
    server.objects.create('leases', {
      metadata: { name: 'skewed', namespace: 'default' },
      spec: { holderIdentity: 'gone', leaseDurationSeconds: 15, acquireTime: longAgo, renewTime: longAgo, leaseTransitions: 3 },
    });
    const a = candidate(clock, 'skewed', 'a');
    await clock.step(14_000);
    assert.equal(a.elector.isLeader(), false, 'a renewTime in the past does not mean expired');
    await clock.step(4000, { until: () => a.elector.isLeader() });
    assert.equal(a.elector.isLeader(), true);
    assert.ok(clock.now() >= 15_000);
    assert.equal(spec('skewed')['leaseTransitions'], 4);
    assert.deepEqual(a.events, ['leader:gone', 'leader:a', 'started']);
  });

  void it('returns without leading when stopped while waiting, and still reports stoppedLeading', async () => {
    const clock = new ElectionClock();
    const a = candidate(clock, 'wait', 'a');
    await clock.step(0);
    const b = candidate(clock, 'wait', 'b');
    await clock.step(3000);
    b.stop.abort();
    await b.done;
    assert.deepEqual(b.stopped, [{ wasLeader: false, lost: false }]);
    assert.equal(a.elector.isLeader(), true);
  });

  void it('rejects timings that would let a lease expire before its leader gives up, in client-go’s order', () => {
    const clock = new ElectionClock();
    const lock = { identity: 'a', describe: () => 'x', get: () => Promise.reject(new Error('unused')), create: () => Promise.resolve(), update: () => Promise.resolve() };
    const make = (o: object) => new LeaderElector({ lock, clock, ...o });
    assert.throws(() => make({ leaseDurationMs: 10_000 }), { name: 'InvalidOptionsError', message: 'leaseDuration must be greater than renewDeadline' });
    assert.throws(() => make({ retryPeriodMs: 9000 }), { message: 'renewDeadline must be greater than retryPeriod*JitterFactor' });
    assert.throws(() => make({ retryPeriodMs: 0 }), { message: 'retryPeriod must be greater than zero' });
    assert.throws(() => new LeaderElector({ lock: { ...lock, identity: '' } }), InvalidOptionsError);
  });
});
