import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError, isNotFound, isConflict, isForbidden, isGone, isResourceExpired, isTooOldResourceVersion } from '../../src/api/errors.ts';

void test('a NotFound StatusError is recognised by isNotFound and carries code and reason', () => {
  const err = StatusError.of(404, 'NotFound', 'pods "p1" not found', { name: 'p1', kind: 'pods' });
  assert.equal(err.code, 404);
  assert.equal(err.reason, 'NotFound');
  assert.equal(err.message, 'pods "p1" not found');
  assert.ok(isNotFound(err));
  assert.ok(!isConflict(err));
});

void test('client-node ApiException shapes with a JSON string body are recognised', () => {
  const apiException = { code: 404, body: JSON.stringify({ kind: 'Status', reason: 'NotFound', code: 404 }) };
  assert.ok(isNotFound(apiException));
  assert.ok(isConflict({ code: 409, body: 'not json' }));
});

void test('410 Expired and 410 Gone both mean too old resource version', () => {
  assert.ok(isResourceExpired(StatusError.of(410, 'Expired', 'too old')));
  assert.ok(isTooOldResourceVersion(StatusError.of(410, 'Gone', 'gone')));
  assert.ok(!isTooOldResourceVersion(StatusError.of(500, 'InternalError', 'boom')));
});

void test('a Status without a known reason is classified by its HTTP code, as apimachinery does', () => {
  const bare = (code: number, reason?: string): StatusError =>
    new StatusError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `code ${code}`, code, ...(reason === undefined ? {} : { reason }) });
  assert.equal(bare(404).reason, 'Unknown', 'the error still reports Unknown for a Status with no reason');
  assert.ok(isNotFound(bare(404)));
  assert.ok(isNotFound(bare(404, 'SomeNewerReason')));
  assert.ok(isForbidden(bare(403, 'Unknown')));
  assert.ok(isGone(bare(410)));
  assert.ok(!isNotFound(bare(404, 'MethodNotAllowed')), 'a known reason wins over the code');
  assert.ok(!isNotFound(bare(500)));
});
