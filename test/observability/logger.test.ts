// The Logger implementations: level filtering, bound fields, children, error fields without secrets.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../src/api/errors.ts';
import { childLogger, consoleLogger, errorFields, silentLogger, type Logger, type LogLevel } from '../../src/api/logger.ts';
import { recordingLogger } from './helpers.ts';

function fakeConsole(): { lines: [LogLevel, string][]; console: Pick<Console, LogLevel> } {
  const lines: [LogLevel, string][] = [];
  const at = (level: LogLevel) => (line: string) => void lines.push([level, line]);
  return { lines, console: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

void describe('consoleLogger', () => {
  void it('drops lines below its level and writes the others to the console method of their level', () => {
    const out = fakeConsole();
    const log = consoleLogger({ level: 'warn', console: out.console });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e', { code: 500 });
    assert.deepEqual(out.lines, [
      ['warn', 'w'],
      ['error', 'e {"code":500}'],
    ]);
  });

  void it('defaults to info', () => {
    const out = fakeConsole();
    const log = consoleLogger({ console: out.console });
    log.debug('hidden');
    log.info('shown');
    assert.deepEqual(out.lines, [['info', 'shown']]);
  });

  void it('adds the fields bound by child to every line, the line’s own fields winning', () => {
    const out = fakeConsole();
    const log = consoleLogger({ console: out.console }).child?.({ gvk: 'v1/Pod', namespace: 'a' });
    assert.ok(log !== undefined);
    log.info('listed', { count: 3, namespace: 'b' });
    assert.deepEqual(out.lines, [['info', 'listed {"gvk":"v1/Pod","namespace":"b","count":3}']]);
  });

  void it('writes a line even when a field cannot be serialised', () => {
    const out = fakeConsole();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    consoleLogger({ console: out.console }).info('odd', { cyclic });
    assert.equal(out.lines.length, 1);
    assert.match(out.lines[0]?.[1] ?? '', /^odd \{"unserializable":/);
  });
});

void describe('childLogger', () => {
  void it('uses the logger’s own child when it has one', () => {
    const log = recordingLogger();
    childLogger(log, { a: 1 }).warn('x', { b: 2 });
    assert.deepEqual(log.records, [{ level: 'warn', msg: 'x', fields: { a: 1, b: 2 } }]);
  });

  void it('merges the bound fields itself for a logger without child, nested children included', () => {
    const seen: [string, unknown][] = [];
    const plain: Logger = {
      debug: (msg, f) => void seen.push([msg, f]),
      info: (msg, f) => void seen.push([msg, f]),
      warn: (msg, f) => void seen.push([msg, f]),
      error: (msg, f) => void seen.push([msg, f]),
    };
    const child = childLogger(plain, { gvk: 'v1/Pod' });
    child.debug('one');
    child.child?.({ namespace: 'ns' }).error('two', { n: 1 });
    assert.deepEqual(seen, [
      ['one', { gvk: 'v1/Pod' }],
      ['two', { gvk: 'v1/Pod', namespace: 'ns', n: 1 }],
    ]);
  });
});

void describe('silentLogger', () => {
  void it('accepts every call and its child is itself', () => {
    silentLogger.error('nothing', { a: 1 });
    assert.equal(silentLogger.child?.({ a: 1 }), silentLogger);
  });
});

void describe('errorFields', () => {
  void it('keeps message, name, Status reason and code of an error', () => {
    const err = StatusError.of(403, 'Forbidden', 'configmaps is forbidden');
    assert.deepEqual(errorFields(err), {
      error: 'configmaps is forbidden',
      errorName: err.name,
      reason: 'Forbidden',
      code: 403,
    });
  });

  void it('never copies other properties of the error, such as request headers', () => {
    const err = Object.assign(new Error('boom'), { headers: { authorization: 'Bearer s3cret' }, options: { token: 's3cret' } });
    assert.doesNotMatch(JSON.stringify(errorFields(err)), /s3cret/);
  });

  void it('stringifies a thrown non-error', () => {
    assert.deepEqual(errorFields('plain'), { error: 'plain' });
  });
});
