// Every error kubecache raises itself shares one base: a caller tells them apart by `reason`, and `code` is the HTTP status it stands for.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CacheNotStartedError,
  ClientError,
  ConnectionError,
  CredentialError,
  InvalidNameError,
  InvalidObjectKeyError,
  InvalidResponseError,
  isBadRequest,
  isForbidden,
  ListBodyError,
  ListError,
  MissingKindError,
  MissingMetadataError,
  MissingNamespaceError,
  NoKindMatchError,
  NoResourceMatchError,
  NodeVersionError,
  ReasonedError,
  RedirectError,
  RequestTimeoutError,
  SelectorParseError,
  StaleGroupVersionError,
  StatusError,
  TransportConfigError,
  WatchDecodeError,
  type InformerError,
} from '../../src/index.ts';
import { ControllerError, InvalidOptionsError, TerminalError } from '../../src/controller/index.ts';
import { InformerStoppedError } from '../../src/informer/errors.ts';

const cause = new Error('underneath');
const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };

/** One error of each class, with the reason and code it must carry. */
const errors: readonly [ReasonedError<string>, string, number][] = [
  [new MissingKindError('no kind'), 'MissingKind', 400],
  [new MissingMetadataError('no name'), 'MissingMetadata', 400],
  [new InvalidObjectKeyError('a/b/c'), 'InvalidObjectKey', 400],
  [new InvalidNameError('namespace', '..', ['not a DNS-1123 label']), 'InvalidName', 400],
  [new SelectorParseError('label', 'a in (', 'unexpected end'), 'InvalidSelector', 400],
  [new TransportConfigError('no cluster'), 'InvalidKubeConfig', 0],
  [new RequestTimeoutError('GET', '/api', 10), 'Timeout', 504],
  [new CredentialError('exec', 'plugin failed', { cause }), 'CredentialUnavailable', 0],
  [new ConnectionError('GET', '/api', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), 'ConnectionFailed', 0],
  [new InvalidResponseError({ reason: 'UnexpectedContentType', code: 200, contentType: 'text/html', body: '<html>', detail: 'not JSON' }), 'UnexpectedContentType', 200],
  [new RedirectError('GET', '/api', 302, 'https://elsewhere'), 'Redirect', 302],
  [new WatchDecodeError('MalformedWatchEvent', 'bad line', '{'), 'MalformedWatchEvent', 0],
  [new NoKindMatchError(gvk), 'NoKindMatch', 0],
  [new StaleGroupVersionError('metrics.k8s.io/v1beta1'), 'StaleGroupVersion', 0],
  [new NoResourceMatchError({ group: 'apps', version: 'v1', resource: 'deployments' }), 'NoResourceMatch', 0],
  [new ListBodyError('MalformedBody', 'unexpected token', 7, '{"items": [x'), 'MalformedBody', 0],
  [new ListError('pods', StatusError.of(403, 'Forbidden', 'pods is forbidden')), 'Forbidden', 403],
  [new ListError('pods', cause), 'ListFailed', 0],
  [new CacheNotStartedError(), 'CacheNotStarted', 0],
  [new InformerStoppedError('stopped'), 'InformerStopped', 0],
  [new MissingNamespaceError('get', 'v1, Kind=Pod', 'web'), 'MissingNamespace', 0],
  [new InvalidOptionsError('bad'), 'InvalidOptions', 0],
  [new TerminalError(cause), 'Terminal', 0],
  [new NodeVersionError('22.19.0', '20.0.0'), 'UnsupportedNodeVersion', 0],
];

void describe('errors kubecache raises itself', () => {
  void it('are all ReasonedErrors, with the reason and code each documents', () => {
    for (const [err, reason, code] of errors) {
      assert.ok(err instanceof ReasonedError, `${err.name} is a ReasonedError`);
      assert.ok(err instanceof Error);
      assert.deepEqual([err.name, err.reason, err.code], [err.constructor.name, reason, code]);
    }
  });

  void it('keep the layer bases apart and the causes they were given', () => {
    const informer: InformerError = new InformerStoppedError('stopped');
    assert.ok(!(informer instanceof ControllerError) && !(new MissingNamespaceError('get', 'Pod', 'p') instanceof ControllerError));
    assert.ok(new MissingNamespaceError('get', 'Pod', 'p') instanceof ClientError);
    assert.equal(new CredentialError('exec', 'failed', { cause }).cause, cause);
    assert.equal(new TerminalError(cause).cause, cause);
    assert.ok(!('cause' in new NoKindMatchError(gvk)), 'no cause property when none was given');
  });

  void it('answer the Status predicates by their code: bad input is a BadRequest, a forbidden list is Forbidden', () => {
    assert.ok(isBadRequest(new MissingKindError('no kind')));
    assert.ok(isBadRequest(new SelectorParseError('field', 'a==', 'no value')));
    assert.ok(isForbidden(new ListError('pods', StatusError.of(403, 'Forbidden', 'pods is forbidden'))));
    assert.ok(!isBadRequest(new TransportConfigError('no cluster')));
  });
});
