// Security: TLS verified by default, credentials never in errors, logs or warnings, the fake APIServer on loopback and behind its token.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { after, before, describe, it, type TestContext } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { StatusError } from '../../src/api/errors.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { consoleLogger, type Logger } from '../../src/api/logger.ts';
import { Cache } from '../../src/cache/cache.ts';
import { ConfigMaps } from '../../src/cache/kinds.ts';
import type { CacheRESTMapper } from '../../src/cache/options.ts';
import { ConnectionError, InvalidResponseError, RequestTimeoutError, WatchDecodeError } from '../../src/client/errors.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { Transport } from '../../src/client/transport.ts';
import { SharedIndexInformer } from '../../src/informer/shared-index-informer.ts';
import { generateTlsMaterial } from '../../src/testing/fake-apiserver/tls.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { beginWatch, configMap, startTinyServer} from '../client/helpers.ts';
import { eventually } from '../helpers.ts';
import { causeChain, findInChain } from './helpers.ts';
import { deferCleanup, runUntilTestEnds } from '../cleanup.ts';

const TOKEN = `kc-sec-${randomBytes(12).toString('hex')}`;
const WAIT_MS = 10_000;
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

// Answers ConfigMaps' mapping without discovery, so the informer's own list and watch meet the fault.
const STATIC_MAPPER: CacheRESTMapper = {
  restMapping: () => Promise.resolve({ resource: CONFIGMAPS, scope: 'Namespace' }),
};

/** A kubeconfig for `server` as a user writes it: optional CA, optional skip-verify, a token or a client key pair. */
function kubeConfig(server: string, user: { token?: string; cert?: string; key?: string }, cluster: { ca?: string; insecure?: boolean } = {}): KubeConfig {
  const b64 = (pem: string): string => Buffer.from(pem).toString('base64');
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: c',
    '  cluster:',
    `    server: ${server}`,
    ...(cluster.ca === undefined ? [] : [`    certificate-authority-data: ${b64(cluster.ca)}`]),
    ...(cluster.insecure === true ? ['    insecure-skip-tls-verify: true'] : []),
    'users:',
    '- name: u',
    '  user:',
    ...(user.token === undefined ? [] : [`    token: ${user.token}`]),
    ...(user.cert === undefined ? [] : [`    client-certificate-data: ${b64(user.cert)}`]),
    ...(user.key === undefined ? [] : [`    client-key-data: ${b64(user.key)}`]),
    ...(user.token === undefined && user.cert === undefined ? ['    {}'] : []),
    'contexts:',
    '- name: ctx',
    '  context: {cluster: c, user: u}',
    'current-context: ctx',
  ];
  const kc = new KubeConfig();
  kc.loadFromString(lines.join('\n'));
  return kc;
}

/** Every rendering of `err` and of each error in its cause chain that a log line or a report could contain. */
function renderings(err: unknown): string[] {
  return causeChain(err).flatMap((e) => [
    String(e),
    e instanceof Error ? (e.stack ?? '') : '',
    JSON.stringify(e) ?? '',
    inspect(e, { depth: 8, showHidden: true }),
  ]);
}

/** Fails when any captured error or warning mentions one of `secrets`; returns how many errors were checked. */
function assertNoSecrets(captured: readonly unknown[], secrets: readonly string[]): number {
  for (const err of captured) {
    for (const text of renderings(err)) {
      for (const secret of secrets) assert.equal(text.includes(secret), false, `a credential leaked into: ${text.slice(0, 400)}`);
    }
  }
  return captured.length;
}

/** Every line the loggers given to caches and informers wrote, as a console would show it. */
const logLines: string[] = [];

function capturingLogger(): Logger {
  const sink = (line: string): void => void logLines.push(line);
  return consoleLogger({ level: 'debug', console: { debug: sink, info: sink, warn: sink, error: sink } });
}

/** Runs a cache over `kc` until `settled` says enough errors were captured; returns every error seen. */
async function captureCacheErrors(t: TestContext, kc: KubeConfig, settled: (errors: readonly unknown[]) => boolean): Promise<unknown[]> {
  const errors: unknown[] = [];
  const cache = new Cache(kc, {
    logger: capturingLogger(),
    mapper: STATIC_MAPPER,
    backoff: { initialMs: 10, capMs: 50 },
    defaultWatchErrorHandler: (err) => void errors.push(err),
  });
  runUntilTestEnds(t, (signal) => cache.start(signal));
  await cache.get(ConfigMaps, { namespace: 'default', name: 'x' }, { signal: AbortSignal.timeout(300) }).catch((err: unknown) => errors.push(err));
  await eventually(() => settled(errors), 'the expected failures', WAIT_MS);
  return errors;
}

/** The credentials' distinctive parts: the token, and the base64 body lines of the client key. */
function keyBody(pem: string): string[] {
  return pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
}

void describe('security', () => {
  let tlsServer: FakeApiServer;
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => void warnings.push(w);

  before(async () => {
    tlsServer = await FakeApiServer.start({ tls: true, token: TOKEN });
    tlsServer.objects.create('configmaps', { metadata: { name: 'a', namespace: 'default' } });
    process.on('warning', onWarning);
  });
  after(async () => {
    process.off('warning', onWarning);
    await tlsServer.stop();
  });

  void it('verifies TLS by default: without the CA, or with another CA, the cache reports ConnectionError TLSVerificationFailed', async (t) => {
    const failsTls = (errs: readonly unknown[]): boolean => errs.some((e) => findInChain(e, ConnectionError, 'TLSVerificationFailed') !== undefined);
    const noCa = await captureCacheErrors(t, kubeConfig(tlsServer.url, { token: TOKEN }), failsTls);
    const otherCa = (await generateTlsMaterial()).caCert;
    const wrongCa = await captureCacheErrors(t, kubeConfig(tlsServer.url, { token: TOKEN }, { ca: otherCa }), failsTls);
    assertNoSecrets([...noCa, ...wrongCa, ...logLines], [TOKEN]);
  });

  void it('reads over TLS with the CA, and without it only when insecure-skip-tls-verify is set', async () => {
    for (const cluster of [{ ca: tlsServer.caCert ?? '' }, { insecure: true }]) {
      const cache = new Cache(kubeConfig(tlsServer.url, { token: TOKEN }, cluster), { mapper: STATIC_MAPPER });
      const stop = new AbortController();
      const running = cache.start(stop.signal);
      const a = await cache.get(ConfigMaps, { namespace: 'default', name: 'a' }, { signal: AbortSignal.timeout(WAIT_MS) });
      assert.equal(a.metadata?.name, 'a');
      stop.abort();
      await running;
    }
  });

  void it('keeps the token out of 401, 403 and 500 errors, their causes, stacks, JSON, logs and warnings', async (t) => {
    const server = await FakeApiServer.start({ token: 'the-right-one' });
    deferCleanup(t, () => server.stop());
    const wrong = await captureCacheErrors(t, kubeConfig(server.url, { token: TOKEN }), (errs) => errs.some((e) => (e as { code?: number }).code === 401));
    const open = await FakeApiServer.start();
    deferCleanup(t, () => open.stop());
    open.faults.failNext({ verb: 'list', status: 500, count: 2 });
    open.faults.forbid('configmaps');
    const forbidden = await captureCacheErrors(t, kubeConfig(open.url, { token: TOKEN }), (errs) => errs.some((e) => (e as { code?: number }).code === 403));
    const checked = assertNoSecrets([...wrong, ...forbidden, ...warnings, ...logLines], [TOKEN]);
    assert.ok(logLines.some((l) => l.includes('401') || l.includes('Unauthorized')), 'the failures were not logged');
    assert.ok(checked >= 3, `only ${checked} errors were checked`);
  });

  void it('keeps the token out of errors when a hostile server echoes it in error bodies and watch lines', async (t) => {
    let mode: 'status' | 'html' | 'watch' = 'status';
    let watches = 0;
    const echo = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const auth = req.headers.authorization ?? '';
      if ((req.url ?? '').includes('watch=true')) {
        beginWatch(res);
        // Alternate: an ERROR event quoting the header, then a malformed line quoting it.
        if (watches++ % 2 === 0) {
          res.end(`{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","code":500,"reason":"InternalError","message":"saw ${auth}"}}\n`);
        } else {
          res.end(`{"type":"ADDED","object":{"metadata":{"name":"${auth}"\n`);
        }
        return;
      }
      if (mode === 'status') {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: `bad ${auth}` }));
      } else if (mode === 'html') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(`<p>${auth}</p>`);
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'ConfigMapList', metadata: { resourceVersion: '5' }, items: [configMap('a', '5')] }));
      }
    };
    const server = await startTinyServer(echo);
    deferCleanup(t, () => server.stop());
    const has = (errs: readonly unknown[], type: abstract new (...args: never[]) => Error, reason: string): boolean =>
      errs.some((e) => findInChain(e, type, reason) !== undefined);
    const errors = await captureCacheErrors(t, kubeConfig(server.url, { token: TOKEN }, { insecure: true }), (errs) => {
      if (mode === 'status' && has(errs, StatusError, 'InternalError')) mode = 'html';
      if (mode === 'html' && has(errs, InvalidResponseError, 'UnexpectedContentType')) mode = 'watch';
      return mode === 'watch' && has(errs, WatchDecodeError, 'MalformedWatchEvent') && errs.some((e) => String(e).includes('saw'));
    });
    assertNoSecrets([...errors, ...warnings, ...logLines], [TOKEN]);
  });

  void it('keeps the token and the client key out of TLS and timeout errors', async (t) => {
    // Any valid key pair serves as client credentials here: the fake's own certificate tooling makes one.
    const material = await generateTlsMaterial();
    const client = { token: TOKEN, cert: material.serverCert, key: material.serverKey };
    const tlsErrors = await captureCacheErrors(t, kubeConfig(tlsServer.url, client), (errs) =>
      errs.some((e) => findInChain(e, ConnectionError, 'TLSVerificationFailed') !== undefined),
    );
    const silent = await startTinyServer(() => undefined);
    deferCleanup(t, () => silent.stop());
    const transport = Transport.fromKubeConfig(kubeConfig(silent.url, client, { insecure: true }), { requestTimeoutMs: 100 });
    deferCleanup(t, () => transport.close());
    const informer = new SharedIndexInformer<KubeObject>(new ListWatch({ transport, resource: CONFIGMAPS }), {
      backoff: { initialMs: 10, capMs: 20 },
      logger: capturingLogger(),
    });
    const timeouts: unknown[] = [];
    informer.events.on('watchError', (err) => timeouts.push(err));
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await eventually(() => timeouts.some((e) => findInChain(e, RequestTimeoutError, 'Timeout') !== undefined), 'a request timeout', WAIT_MS);
    stop.abort();
    await running;
    assertNoSecrets([...tlsErrors, ...timeouts, ...warnings, ...logLines], [TOKEN, ...keyBody(material.serverKey)]);
  });
});

void describe('fake APIServer exposure', () => {
  void it('binds 127.0.0.1 by default and refuses a non-loopback host unless allowNonLoopback is set', async () => {
    const server = await FakeApiServer.start();
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await server.stop();
    }
    await assert.rejects(FakeApiServer.start({ host: '0.0.0.0' }), { name: 'TypeError', message: /not a loopback address/ });
    await assert.rejects(FakeApiServer.start({ host: '192.168.1.10' }), /allowNonLoopback/);
  });

  void it('with a token, answers 401 to requests without it or with another one', async (t) => {
    const server = await FakeApiServer.start({ token: TOKEN });
    deferCleanup(t, () => server.stop());
    const path = `${server.url}/api/v1/namespaces/default/configmaps`;
    assert.equal((await fetch(path)).status, 401);
    assert.equal((await fetch(path, { headers: { Authorization: 'Bearer nope' } })).status, 401);
    assert.equal((await fetch(path, { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200);
  });

  void it('the CLI started with --token rejects requests without it', async () => {
    const cli = join(fileURLToPath(new URL('../..', import.meta.url)), 'src/testing/fake-apiserver/cli.ts');
    const child = spawn(process.execPath, [cli, '--port', '0', '--token', TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      await eventually(() => out.includes('\n'), 'the CLI to print its URL', 20_000);
      const url = out.slice(0, out.indexOf('\n')).trim();
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${url}/api/v1/namespaces`)).status, 401);
      assert.equal((await fetch(`${url}/api/v1/namespaces`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
