// Option resolution of the fake APIServer: defaults, loopback enforcement, bad values.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopback, resolveOptions } from '../../src/testing/fake-apiserver/options.ts';

void describe('fake apiserver options', () => {
  void it('fills every default', () => {
    assert.deepEqual(resolveOptions(), {
      tls: false,
      token: undefined,
      port: 0,
      host: '127.0.0.1',
      historyWindow: 10000,
      bookmarkIntervalMs: 1000,
      defaultWatchTimeoutSeconds: 1800,
      watchListDefaulting: false,
      maxWatchBufferBytes: 256 * 1024 * 1024,
    });
  });

  const rejected: [string, Parameters<typeof resolveOptions>[0]][] = [
    ['a non-loopback host', { host: '0.0.0.0' }],
    ['an empty token', { token: '' }],
    ['a fractional port', { port: 1.5 }],
    ['a zero history window', { historyWindow: 0 }],
    ['a zero bookmark interval', { bookmarkIntervalMs: 0 }],
    ['a zero watch buffer', { maxWatchBufferBytes: 0 }],
  ];
  for (const [what, options] of rejected) {
    void it(`rejects ${what} with a TypeError`, () => {
      assert.throws(() => resolveOptions(options), TypeError);
    });
  }

  void it('accepts a non-loopback host only when allowed', () => {
    assert.equal(resolveOptions({ host: '0.0.0.0', allowNonLoopback: true }).host, '0.0.0.0');
  });

  void it('knows the loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '10.0.0.1', 'example.com', '::']) assert.equal(isLoopback(host), false, host);
  });
});
