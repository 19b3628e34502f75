// Unit tests of the watch-stream decoder: framing, limits, and the typed errors of bad lines.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../src/api/errors.ts';
import type { WatchEvent } from '../../src/api/lister-watcher.ts';
import { WatchDecodeError } from '../../src/client/errors.ts';
import { WatchDecoder, type WatchDecoderOptions } from '../../src/client/watch-decoder.ts';
import { configMap, line } from './helpers.ts';

function decoder<T = unknown>(options?: WatchDecoderOptions<T>): { decoder: WatchDecoder<T>; events: WatchEvent<T>[] } {
  const events: WatchEvent<T>[] = [];
  return { decoder: new WatchDecoder<T>({ onEvent: (e) => events.push(e) }, options), events };
}

function decodeError(fn: () => void): WatchDecodeError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof WatchDecodeError, `expected a WatchDecodeError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the decoder to throw');
}

void describe('WatchDecoder', () => {
  void it('decodes several events delivered in one chunk, in order', () => {
    const { decoder: d, events } = decoder();
    d.write(Buffer.from(line('ADDED', configMap('a', '1')) + line('MODIFIED', configMap('a', '2')) + line('DELETED', configMap('a', '3'))));
    d.end();
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED'],
    );
    assert.deepEqual(events[1], { type: 'MODIFIED', object: configMap('a', '2') });
  });

  void it('reassembles an event split over many chunks, one byte at a time', () => {
    const { decoder: d, events } = decoder();
    const wire = Buffer.from(line('ADDED', configMap('a', '1')) + line('ADDED', configMap('b', '2')));
    for (let i = 0; i < wire.length; i++) d.write(wire.subarray(i, i + 1));
    d.end();
    assert.deepEqual(
      events.map((e) => (e.type === 'ADDED' ? e.object : undefined)),
      [configMap('a', '1'), configMap('b', '2')],
    );
  });

  void it('decodes a multi-byte UTF-8 character split between two chunks', () => {
    const { decoder: d, events } = decoder();
    const wire = Buffer.from(line('ADDED', configMap('a', '1', { greeting: 'grüße 🚀 日本' })));
    const cut = wire.indexOf(Buffer.from('🚀')) + 2;
    d.write(wire.subarray(0, cut));
    d.write(wire.subarray(cut));
    assert.deepEqual(events, [{ type: 'ADDED', object: configMap('a', '1', { greeting: 'grüße 🚀 日本' }) }]);
  });

  void it('turns a bookmark into its resourceVersion and flags the initial-events-end annotation', () => {
    const { decoder: d, events } = decoder();
    d.write(Buffer.from(line('BOOKMARK', { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '7' } })));
    d.write(
      Buffer.from(
        line('BOOKMARK', { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '9', annotations: { 'k8s.io/initial-events-end': 'true' } } }),
      ),
    );
    assert.deepEqual(events, [
      { type: 'BOOKMARK', resourceVersion: '7', initialEventsEnd: false },
      { type: 'BOOKMARK', resourceVersion: '9', initialEventsEnd: true },
    ]);
  });

  void it('turns an ERROR event into a StatusError carrying the 410 Expired status', () => {
    const { decoder: d, events } = decoder();
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (5)', reason: 'Expired', code: 410 };
    d.write(Buffer.from(line('ERROR', status)));
    const event = events[0];
    assert.equal(event?.type, 'ERROR');
    assert.ok(event.type === 'ERROR' && event.error instanceof StatusError);
    assert.equal(event.error.code, 410);
    assert.equal(event.error.reason, 'Expired');
    assert.equal(event.error.message, 'too old resource version: 1 (5)');
  });

  void it('passes each object through the decode option', () => {
    const { decoder: d, events } = decoder<string>({ decode: (raw) => (raw as { metadata: { name: string } }).metadata.name });
    d.write(Buffer.from(line('ADDED', configMap('a', '1'))));
    assert.deepEqual(events, [{ type: 'ADDED', object: 'a' }]);
  });

  void it('skips blank lines and accepts CRLF line ends', () => {
    const { decoder: d, events } = decoder();
    d.write(Buffer.from(`\n\r\n${line('ADDED', configMap('a', '1')).replace('\n', '\r\n')}\n`));
    d.end();
    assert.equal(events.length, 1);
  });

  void it('decodes a complete final event that lacks its newline when the stream ends', () => {
    const { decoder: d, events } = decoder();
    d.write(Buffer.from(line('ADDED', configMap('a', '1')).trimEnd()));
    assert.equal(events.length, 0);
    d.end();
    assert.equal(events.length, 1);
  });

  void it('rejects a line that is not JSON as MalformedWatchEvent with an excerpt of at most 200 characters', () => {
    const { decoder: d } = decoder();
    const err = decodeError(() => d.write(Buffer.from(`{"type":"ADDED","object":${'x'.repeat(1000)}\n`)));
    assert.equal(err.reason, 'MalformedWatchEvent');
    assert.ok(err.lineExcerpt.length <= 201);
    assert.ok(err.lineExcerpt.startsWith('{"type":"ADDED"'));
  });

  void it('rejects a stream that ends inside an event as TruncatedWatchEvent', () => {
    const { decoder: d, events } = decoder();
    d.write(Buffer.from(line('ADDED', configMap('a', '1')) + '{"type":"ADDED","object":{"metadata":'));
    assert.equal(events.length, 1);
    assert.equal(decodeError(() => d.end()).reason, 'TruncatedWatchEvent');
  });

  void it('rejects a line over maxEventBytes as soon as the limit is passed, without waiting for its newline', () => {
    const { decoder: d } = decoder({ maxEventBytes: 1024 });
    d.write(Buffer.from('{"type":"ADDED","object":{"metadata":{"name":"'));
    const err = decodeError(() => d.write(Buffer.alloc(2048, 'a')));
    assert.equal(err.reason, 'EventTooLarge');
    assert.match(err.message, /1024-byte limit/);
  });

  void it('rejects a complete line over maxEventBytes inside one chunk', () => {
    const { decoder: d } = decoder({ maxEventBytes: 64 });
    const err = decodeError(() => d.write(Buffer.from(line('ADDED', configMap('a-very-long-name-for-a-config-map', '1')))));
    assert.equal(err.reason, 'EventTooLarge');
  });

  void it('accepts a line exactly at maxEventBytes', () => {
    const text = line('ADDED', configMap('a', '1'));
    const { decoder: d, events } = decoder({ maxEventBytes: Buffer.byteLength(text) - 1 });
    d.write(Buffer.from(text));
    assert.equal(events.length, 1);
  });

  void it('rejects an unknown event type as UnknownEventType', () => {
    const { decoder: d } = decoder();
    assert.equal(decodeError(() => d.write(Buffer.from(line('RENAMED', configMap('a', '1'))))).reason, 'UnknownEventType');
  });

  void it('rejects an event whose object has no metadata as MissingObjectMetadata', () => {
    const { decoder: d } = decoder();
    assert.equal(decodeError(() => d.write(Buffer.from(line('ADDED', { kind: 'ConfigMap', data: {} })))).reason, 'MissingObjectMetadata');
  });

  void it('rejects a bookmark without a resourceVersion', () => {
    const { decoder: d } = decoder();
    assert.equal(decodeError(() => d.write(Buffer.from(line('BOOKMARK', { metadata: {} })))).reason, 'MissingObjectMetadata');
  });

  void it('rejects an event without an object, and a line that is a JSON scalar', () => {
    assert.equal(decodeError(() => decoder().decoder.write(Buffer.from('{"type":"ADDED"}\n'))).reason, 'MalformedWatchEvent');
    assert.equal(decodeError(() => decoder().decoder.write(Buffer.from('42\n'))).reason, 'MalformedWatchEvent');
  });

  void it('wraps a throwing decode option as DecodeFailed with the cause', () => {
    const boom = new Error('not a pod');
    const { decoder: d } = decoder({
      decode: () => {
        throw boom;
      },
    });
    const err = decodeError(() => d.write(Buffer.from(line('ADDED', configMap('a', '1')))));
    assert.equal(err.reason, 'DecodeFailed');
    assert.equal(err.cause, boom);
  });

  void it('turns an ERROR event whose object is not a Status into a 500 InternalError', () => {
    const { decoder: d, events } = decoder();
    d.write(Buffer.from(line('ERROR', { message: 'odd' })));
    const event = events[0];
    assert.ok(event?.type === 'ERROR');
    assert.equal(event.error.code, 500);
    assert.equal(event.error.reason, 'InternalError');
  });
});
