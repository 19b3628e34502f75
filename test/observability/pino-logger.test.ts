// The pino adapter example maps levels, fields and children onto a pino-shaped logger.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pinoLogger, type PinoLike } from '../../examples/pino-logger/pino-logger.ts';

interface Line {
  readonly level: string;
  readonly obj: object;
  readonly msg: string;
}

// A stand-in with pino's call shapes: each call records its bindings merged with the object, as pino writes them.
function fakePino(lines: Line[], bindings: Record<string, unknown> = {}): PinoLike {
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj: { ...bindings, ...obj }, msg });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => fakePino(lines, { ...bindings, ...more }),
  };
}

void describe('pinoLogger example', () => {
  void it('passes fields as pino’s merging object and the message second, at the same level', () => {
    const lines: Line[] = [];
    const log = pinoLogger(fakePino(lines));
    log.debug('bookmark', { resourceVersion: '12' });
    log.info('plain');
    log.warn('list/watch failed', { code: 403 });
    log.error('event handler failed', { error: 'boom' });
    assert.deepEqual(lines, [
      { level: 'debug', obj: { resourceVersion: '12' }, msg: 'bookmark' },
      { level: 'info', obj: {}, msg: 'plain' },
      { level: 'warn', obj: { code: 403 }, msg: 'list/watch failed' },
      { level: 'error', obj: { error: 'boom' }, msg: 'event handler failed' },
    ]);
  });

  void it('maps child to pino’s child, so bound fields appear on every line', () => {
    const lines: Line[] = [];
    const child = pinoLogger(fakePino(lines)).child?.({ gvk: '/v1, Kind=Pod', namespace: '' });
    child?.info('listed pods', { count: 2 });
    assert.deepEqual(lines, [{ level: 'info', obj: { gvk: '/v1, Kind=Pod', namespace: '', count: 2 }, msg: 'listed pods' }]);
  });
});
