// Hostile servers at the informer level: each bad answer reaches watchError typed, buffers stay bounded, and the informer recovers.

import assert from 'node:assert/strict';
import type http from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { gvkKey } from '../../src/api/gvk.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { stampKind } from '../../src/cache/list-watch/common.ts';
import { InvalidResponseError, RedirectError, RequestTimeoutError, WatchDecodeError } from '../../src/client/errors.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { ListError } from '../../src/informer/errors.ts';
import { SharedIndexInformer } from '../../src/informer/shared-index-informer.ts';
import { beginWatch, configMap, line, startTinyServer, transportFor, type TinyServer } from '../client/helpers.ts';
import { eventually } from '../helpers.ts';
import { findInChain } from './helpers.ts';
import { deferCleanup } from '../cleanup.ts';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };
const CM_GVK = { group: '', version: 'v1', kind: 'ConfigMap' };
const MAX_EVENT_BYTES = 64 * 1024;
const REQUEST_TIMEOUT_MS = 300;
const MAX_RESPONSE_BYTES = 256 * 1024;
const WAIT_MS = 10_000;

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A server that answers badly until `behave()`, then serves a ConfigMap list (a, b) and an idle watch. */
interface SwitchableServer {
  readonly server: TinyServer;
  behave(): void;
}

function goodList(res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '10' }, items: [configMap('a', '5'), configMap('b', '10')] }));
}

// Before `behave()` the list (when the case does not break it) holds only `a`, so `b` proves recovery.
function firstList(res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '5' }, items: [configMap('a', '5')] }));
}

async function startSwitchable(t: TestContext, bad: { list?: Handler; watch?: Handler }): Promise<SwitchableServer> {
  let good = false;
  const server = await startTinyServer((req, res) => {
    const watching = (req.url ?? '').includes('watch=true');
    if (good) {
      if (watching) beginWatch(res);
      else goodList(res);
      return;
    }
    if (watching && bad.watch !== undefined) bad.watch(req, res);
    else if (watching) beginWatch(res);
    else if (bad.list === undefined) firstList(res);
    else bad.list(req, res);
  });
  deferCleanup(t, () => server.stop());
  return { server, behave: () => void (good = true) };
}

/** Runs an informer on the cache's structured decoding against `server`; stopped after the test. */
function runInformer(t: TestContext, server: TinyServer): { informer: SharedIndexInformer<KubeObject>; errors: unknown[] } {
  const transport = transportFor(server, { requestTimeoutMs: REQUEST_TIMEOUT_MS, maxResponseBytes: MAX_RESPONSE_BYTES });
  const stamp = stampKind<KubeObject>(CM_GVK, false);
  const lw = new ListWatch<KubeObject>({
    transport,
    resource: CONFIGMAPS,
    namespace: 'default',
    decode: (raw) => stamp(raw as KubeObject),
    maxEventBytes: MAX_EVENT_BYTES,
  });
  const informer = new SharedIndexInformer<KubeObject>(lw, { backoff: { initialMs: 10, capMs: 50 }, objectDescription: gvkKey(CM_GVK) });
  const errors: unknown[] = [];
  informer.events.on('watchError', (err) => errors.push(err));
  const stop = new AbortController();
  const done = informer.run(stop.signal);
  deferCleanup(t, async () => {
    stop.abort();
    await done;
    transport.close();
  });
  return { informer, errors };
}

/** Waits for an error of `type` with `reason` somewhere in a reported error's cause chain, then returns it. */
async function expectReported<E extends Error>(
  errors: readonly unknown[],
  type: abstract new (...args: never[]) => E,
  reason: string,
): Promise<E> {
  let found: E | undefined;
  await eventually(() => {
    found = errors.map((e) => findInChain(e, type, reason)).find((e) => e !== undefined);
    return found !== undefined;
  }, `a ${type.name} ${reason} on watchError (got ${errors.map(String).join(' | ')})`, WAIT_MS);
  assert.ok(found !== undefined);
  return found;
}

/** After `behave()`, the informer holds the good list (a and b) and keeps at most a few sockets. */
async function expectRecovery(s: SwitchableServer, informer: SharedIndexInformer<KubeObject>): Promise<void> {
  s.behave();
  await eventually(() => informer.hasSynced() && informer.getIndexer().get('default/b') !== undefined, 'recovery', WAIT_MS);
  assert.ok(s.server.sockets.size <= 3, `${s.server.sockets.size} sockets open after recovery`);
}

function stallForever(_req: http.IncomingMessage, _res: http.ServerResponse): void {
  // The answer never comes; the client's request timeout must end it.
}

void describe('informer against hostile servers', () => {
  void it('reports a truncated JSON watch line as WatchDecodeError MalformedWatchEvent and recovers', async (t) => {
    const s = await startSwitchable(t, { watch: (_q, res) => (beginWatch(res), res.write('{"type":"ADDED","object":{"metadata"\n')) });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, WatchDecodeError, 'MalformedWatchEvent');
    await expectRecovery(s, informer);
  });

  void it('reports a watch line over the event size limit as EventTooLarge without buffering it, and recovers', async (t) => {
    let written = 0;
    const s = await startSwitchable(t, {
      watch: (_q, res) => {
        beginWatch(res);
        res.write('{"type":"ADDED","object":{"metadata":{"name":"');
        const timer = setInterval(() => {
          written += 16 * 1024;
          res.write('x'.repeat(16 * 1024));
        }, 1);
        res.once('close', () => clearInterval(timer));
      },
    });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, WatchDecodeError, 'EventTooLarge');
    await expectRecovery(s, informer);
    assert.ok(written < 32 * MAX_EVENT_BYTES, `the client let the server write ${written} bytes of one line`);
  });

  void it('reports a watch answered with a non-JSON content type as InvalidResponseError UnexpectedContentType and recovers', async (t) => {
    const s = await startSwitchable(t, { watch: (_q, res) => (res.writeHead(200, { 'Content-Type': 'text/plain' }), res.end('hello\n')) });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, InvalidResponseError, 'UnexpectedContentType');
    await expectRecovery(s, informer);
  });

  void it('reports a list answered 200 with an HTML page as ListError caused by InvalidResponseError and recovers', async (t) => {
    const html = '<html><body>proxy login</body></html>';
    const s = await startSwitchable(t, { list: (_q, res) => (res.writeHead(200, { 'Content-Type': 'text/html' }), res.end(html)) });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, InvalidResponseError, 'UnexpectedContentType');
    await expectReported(errors, ListError, 'ListFailed');
    assert.equal(informer.hasSynced(), false);
    await expectRecovery(s, informer);
  });

  void it('stops reading a list item that grows past maxResponseBytes with InvalidResponseError ResponseTooLarge, and recovers', async (t) => {
    let written = 0;
    const s = await startSwitchable(t, {
      list: (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(`{"kind":"ConfigMapList","metadata":{"resourceVersion":"5"},"items":[${JSON.stringify(configMap('a', '5'))},{"data":{"k":"`);
        const chunk = 'x'.repeat(16 * 1024);
        const timer = setInterval(() => {
          written += chunk.length;
          res.write(chunk);
        }, 1);
        res.once('close', () => clearInterval(timer));
      },
    });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, InvalidResponseError, 'ResponseTooLarge');
    await expectRecovery(s, informer);
    assert.ok(written < 32 * MAX_RESPONSE_BYTES, `the client let the server write ${written} bytes of one item`);
  });

  void it('ends a list whose items never end at the request timeout, as RequestTimeoutError, and recovers', async (t) => {
    const s = await startSwitchable(t, {
      list: (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"kind":"ConfigMapList","metadata":{"resourceVersion":"5"},"items":[');
        let n = 0;
        const timer = setInterval(() => res.write(`${JSON.stringify(configMap(`cm-${n++}`, '5'))},`), 1);
        res.once('close', () => clearInterval(timer));
      },
    });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, RequestTimeoutError, 'Timeout');
    await expectRecovery(s, informer);
  });

  void it('reports an unknown watch event type as WatchDecodeError UnknownEventType and recovers', async (t) => {
    const s = await startSwitchable(t, { watch: (_q, res) => (beginWatch(res), res.write(line('UPSERTED', configMap('b', '6')))) });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, WatchDecodeError, 'UnknownEventType');
    await expectRecovery(s, informer);
  });

  void it('reports a watch object without metadata as WatchDecodeError MissingObjectMetadata and recovers', async (t) => {
    const s = await startSwitchable(t, { watch: (_q, res) => (beginWatch(res), res.write(line('ADDED', { kind: 'ConfigMap', data: {} }))) });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, WatchDecodeError, 'MissingObjectMetadata');
    await expectRecovery(s, informer);
  });

  void it('refuses a watch object of another kind with WatchDecodeError DecodeFailed, never storing it, and recovers', async (t) => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'intruder', namespace: 'default', resourceVersion: '6' } };
    const s = await startSwitchable(t, { watch: (_q, res) => (beginWatch(res), res.write(line('ADDED', secret))) });
    const { informer, errors } = runInformer(t, s.server);
    const err = await expectReported(errors, WatchDecodeError, 'DecodeFailed');
    assert.match(err.message, /Secret/);
    assert.equal(informer.getIndexer().get('default/intruder'), undefined);
    await expectRecovery(s, informer);
    assert.equal(informer.getIndexer().get('default/intruder'), undefined);
  });

  void it('reports a list without metadata.resourceVersion as InvalidResponseError MalformedResponse and recovers', async (t) => {
    const s = await startSwitchable(t, {
      list: (_q, res) => (res.writeHead(200, { 'Content-Type': 'application/json' }), res.end(JSON.stringify({ kind: 'ConfigMapList', items: [] }))),
    });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, InvalidResponseError, 'MalformedResponse');
    await expectRecovery(s, informer);
  });

  void it('reports a list the server never answers as RequestTimeoutError and recovers', async (t) => {
    const s = await startSwitchable(t, { list: stallForever });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, RequestTimeoutError, 'Timeout');
    await expectRecovery(s, informer);
  });

  void it('reports a watch whose headers never come as RequestTimeoutError and recovers', async (t) => {
    const s = await startSwitchable(t, { watch: stallForever });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, RequestTimeoutError, 'Timeout');
    await expectRecovery(s, informer);
  });

  void it('times out a list trickling in one byte at a time past the request timeout as a whole, and recovers', async (t) => {
    const body = JSON.stringify({ kind: 'ConfigMapList', metadata: { resourceVersion: '5' }, items: [configMap('a', '5')] });
    const s = await startSwitchable(t, {
      list: (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        let i = 0;
        const timer = setInterval(() => (i < body.length ? res.write(body[i++] ?? '') : res.end()), 20);
        res.once('close', () => clearInterval(timer));
      },
    });
    const { informer, errors } = runInformer(t, s.server);
    await expectReported(errors, RequestTimeoutError, 'Timeout');
    await expectRecovery(s, informer);
  });

  void it('applies watch events that arrive one byte at a time', async (t) => {
    const event = line('ADDED', configMap('b', '6'));
    const s = await startSwitchable(t, {
      watch: (_q, res) => {
        beginWatch(res);
        let i = 0;
        const timer = setInterval(() => (i < event.length ? res.write(event[i++] ?? '') : clearInterval(timer)), 1);
        res.once('close', () => clearInterval(timer));
      },
    });
    const { informer, errors } = runInformer(t, s.server);
    await eventually(() => informer.getIndexer().get('default/b') !== undefined, 'the trickled event', WAIT_MS);
    assert.deepEqual(errors, []);
  });

  void it('reports a redirect as RedirectError without following it, and recovers', async (t) => {
    const s = await startSwitchable(t, {
      list: (_q, res) => (res.writeHead(302, { Location: 'http://127.0.0.1:9/elsewhere?token=x' }), res.end()),
    });
    const { informer, errors } = runInformer(t, s.server);
    const err = await expectReported(errors, RedirectError, 'Redirect');
    assert.equal(err.location.includes('token'), false);
    assert.equal(s.server.requests.some((r) => r.includes('elsewhere')), false);
    await expectRecovery(s, informer);
  });
});
