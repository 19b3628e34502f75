import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../../src/informer/backoff.ts';
import { FakeClock } from '../../src/api/clock.ts';

void describe('FakeClock', () => {
  void it('fires due timers in due order and leaves later ones pending', async () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 200);
    clock.setTimeout(() => fired.push('a'), 100);
    clock.setTimeout(() => fired.push('c'), 300);
    await clock.advance(250);
    assert.deepEqual(fired, ['a', 'b']);
    assert.equal(clock.now(), 250);
    assert.equal(clock.pendingTimers, 1);
  });

  void it('runs timers scheduled by a firing timer when they fall within the advance', async () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 50);
    }, 100);
    await clock.advance(200);
    assert.deepEqual(fired, [100, 150]);
  });

  void it('does not fire a cleared timer', async () => {
    const clock = new FakeClock();
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 10);
    clock.clearTimeout(handle);
    await clock.advance(100);
    assert.equal(fired, false);
    assert.equal(clock.pendingTimers, 0);
  });

  void it('rejects a sleep with the abort reason and releases its timer', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const slept = clock.sleep(1000, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(slept, /stop/);
    assert.equal(clock.pendingTimers, 0);
  });

  void it('resolves a sleep once enough virtual time passed', async () => {
    const clock = new FakeClock();
    let done = false;
    const slept = clock.sleep(1000).then(() => (done = true));
    await clock.advance(999);
    assert.equal(done, false);
    await clock.advance(1);
    await slept;
    assert.equal(done, true);
  });
});

void describe('Backoff', () => {
  void it('doubles from 800 ms up to the 30 s cap without jitter', () => {
    const clock = new FakeClock();
    const backoff = new Backoff({ clock, random: () => 0 });
    const delays = Array.from({ length: 8 }, () => backoff.next());
    assert.deepEqual(delays, [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
  });

  void it('adds up to 100 % jitter on top of the base delay', () => {
    const backoff = new Backoff({ clock: new FakeClock(), random: () => 0.5 });
    assert.equal(backoff.next(), 1200);
    assert.equal(backoff.next(), 2400);
  });

  void it('keeps delays within [base, 2·base) with a real random source', () => {
    const backoff = new Backoff({ clock: new FakeClock() });
    for (const base of [800, 1600, 3200]) {
      const d = backoff.next();
      assert.ok(d >= base && d < 2 * base, `${d} not in [${base}, ${2 * base})`);
    }
  });

  void it('starts over after two quiet minutes', async () => {
    const clock = new FakeClock();
    const backoff = new Backoff({ clock, random: () => 0 });
    backoff.next();
    backoff.next();
    assert.equal(backoff.next(), 3200);
    await clock.advance(120_001);
    assert.equal(backoff.next(), 800);
  });

  void it('starts over every two minutes since the last start, even while failures keep coming', async () => {
    const clock = new FakeClock();
    const backoff = new Backoff({ clock, random: () => 0 });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      delays.push(backoff.next());
      await clock.advance(50_000);
    }
    // At 0, 50 and 100 s the sequence grows; at 150 s more than two minutes passed since the
    // start at 0, so it starts over (and counts from there: 200 s is within two minutes of 150 s).
    assert.deepEqual(delays, [800, 1600, 3200, 800, 1600, 3200]);
  });

  void it('rejects nonsensical options with a TypeError naming them', () => {
    assert.throws(() => new Backoff({ initialMs: 0 }), (e: unknown) => e instanceof TypeError && /initialMs=0/.test(e.message));
  });
});
