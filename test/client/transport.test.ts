// The transport against misbehaving servers: each failure is a typed error and no socket stays open.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isForbidden, StatusError } from '../../src/api/errors.ts';
import {
  ConnectionError,
  CredentialError,
  InvalidResponseError,
  RedirectError,
  RequestTimeoutError,
  TransportConfigError,
} from '../../src/client/errors.ts';
import { Transport } from '../../src/client/transport.ts';
import { assertNoActiveSockets, assertNoOpenSockets, kubeConfigFor, startTinyServer, transportFor, type TinyServer } from './helpers.ts';

const servers: TinyServer[] = [];
const transports: Transport[] = [];

async function setup(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  options?: { requestTimeoutMs?: number; token?: string },
): Promise<{ server: TinyServer; transport: Transport }> {
  const server = await startTinyServer(handler);
  const timeout = options?.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs };
  const transport = transportFor(server, timeout, options?.token);
  servers.push(server);
  transports.push(transport);
  return { server, transport };
}

const status403 = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"',
  reason: 'Forbidden',
  details: { kind: 'configmaps' },
  code: 403,
};

void after(async () => {
  for (const t of transports) t.close();
  await Promise.all(servers.map((s) => s.stop()));
});

void describe('Transport', () => {
  void it('sends the bearer token, a kubecache user agent and Accept: application/json, and parses the JSON body', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const { transport } = await setup(
      (req, res) => {
        seen = req.headers;
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"kind":"ConfigMapList","items":[]}\n');
      },
      { token: 'secret-token' },
    );
    assert.deepEqual(await transport.requestJson({ path: '/api/v1/configmaps' }), { kind: 'ConfigMapList', items: [] });
    assert.equal(seen.authorization, 'Bearer secret-token');
    assert.match(seen['user-agent'] ?? '', /^kubecache\/\d+\.\d+\.\d+$/);
    assert.equal(seen.accept, 'application/json');
    await assertNoActiveSockets(transport);
  });

  void it('turns a 403 Status body into a StatusError with the server reason and message', async () => {
    const { transport } = await setup((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify(status403));
    });
    const err = await transport.requestJson({ path: '/api/v1/configmaps' }).catch((e: unknown) => e);
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 403);
    assert.ok(isForbidden(err));
    assert.equal(err.message, status403.message);
    await assertNoActiveSockets(transport);
  });

  void it('synthesises a 500 InternalError Status from an HTML error page, quoting at most 200 characters', async () => {
    const { transport } = await setup((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/html' }).end(`<html><body>${'Bad Gateway '.repeat(100)}</body></html>`);
    });
    const err = await transport.requestJson({ path: '/api/v1/pods' }).catch((e: unknown) => e);
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 500);
    assert.equal(err.reason, 'InternalError');
    assert.match(err.message, /HTTP 500 .*text\/html.*<html><body>Bad Gateway/);
    assert.ok(err.message.length < 400, `message too long: ${err.message.length}`);
    await assertNoActiveSockets(transport);
  });

  void it('never repeats the bearer token even when the server echoes it in an error body', async () => {
    const { transport } = await setup(
      (req, res) => {
        res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`proxy saw header ${req.headers.authorization ?? ''}`);
      },
      { token: 'super-secret-token' },
    );
    const err = await transport.requestJson({ path: '/api/v1/pods' }).catch((e: unknown) => e);
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 502);
    assert.doesNotMatch(err.message, /super-secret-token/);
    assert.match(err.message, /Bearer <redacted>/);
    await assertNoActiveSockets(transport);
  });

  void it('never repeats basic-auth credentials echoed by the server', async () => {
    const { server } = await setup((req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`got ${req.headers.authorization ?? ''}`);
    });
    const kc = kubeConfigFor(server.url);
    kc.loadFromOptions({ ...kc, users: [{ name: 'u', username: 'admin', password: 'hunter2-password' }] });
    const transport = Transport.fromKubeConfig(kc);
    transports.push(transport);
    const err = await transport.requestJson({ path: '/api' }).catch((e: unknown) => e);
    assert.ok(err instanceof StatusError);
    assert.match(err.message, /got Basic <redacted>/);
    assert.doesNotMatch(err.message, new RegExp(Buffer.from('admin:hunter2-password').toString('base64')));
    await assertNoActiveSockets(transport);
  });

  void it('rejects an HTTP 200 HTML page with InvalidResponseError UnexpectedContentType', async () => {
    const { transport } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<html>Please log in</html>');
    });
    const err = await transport.requestJson({ path: '/api/v1/pods' }).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidResponseError);
    assert.equal(err.reason, 'UnexpectedContentType');
    assert.equal(err.code, 200);
    assert.equal(err.bodyExcerpt, '<html>Please log in</html>');
    await assertNoActiveSockets(transport);
  });

  void it('rejects a JSON content type whose body does not parse with InvalidResponseError MalformedResponse', async () => {
    const { transport } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"items":[');
    });
    const err = await transport.requestJson({ path: '/api/v1/pods' }).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidResponseError);
    assert.equal(err.reason, 'MalformedResponse');
    await assertNoActiveSockets(transport);
  });

  void it('does not follow a redirect and reports it as RedirectError without the query or user info', async () => {
    const { server, transport } = await setup((_req, res) => {
      res.writeHead(302, { Location: 'https://user:pw@evil.example/login?token=abc' }).end();
    });
    const err = await transport.requestJson({ path: '/api/v1/pods' }).catch((e: unknown) => e);
    assert.ok(err instanceof RedirectError);
    assert.equal(err.code, 302);
    assert.equal(err.location, 'https://evil.example/login');
    assert.equal(server.requests.length, 1);
    await assertNoOpenSockets(server, transport);
  });

  void it('fails a request the server never answers with RequestTimeoutError and closes its socket', async () => {
    const { server, transport } = await setup(() => undefined, { requestTimeoutMs: 100 });
    const err = await transport.requestJson({ path: '/api/v1/pods' }).catch((e: unknown) => e);
    assert.ok(err instanceof RequestTimeoutError);
    assert.equal(err.reason, 'Timeout');
    assert.equal(err.timeoutMs, 100);
    await assertNoOpenSockets(server, transport);
  });

  void it('times out a body that trickles in too slowly as a whole, not per byte', async () => {
    const { server, transport } = await setup(
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{');
        const timer = setInterval(() => res.write(' '), 10);
        res.once('close', () => clearInterval(timer));
      },
      { requestTimeoutMs: 200 },
    );
    const err = await transport.requestJson({ path: '/api/v1/pods' }).catch((e: unknown) => e);
    assert.ok(err instanceof RequestTimeoutError);
    await assertNoOpenSockets(server, transport);
  });

  void it('reads a slow byte-by-byte answer that completes within the timeout', async () => {
    const body = Buffer.from('{"kind":"Status","status":"Success"}');
    const { transport } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let i = 0;
      const timer = setInterval(() => {
        if (i < body.length) res.write(body.subarray(i, ++i));
        else {
          clearInterval(timer);
          res.end();
        }
      }, 1);
    });
    assert.deepEqual(await transport.requestJson({ path: '/x' }), { kind: 'Status', status: 'Success' });
  });

  void it('rejects with the abort reason when the signal aborts, and closes the socket', async () => {
    const { server, transport } = await setup(() => undefined);
    const controller = new AbortController();
    const pending = transport.requestJson({ path: '/api/v1/pods', signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    await assertNoOpenSockets(server, transport);
  });

  void it('reports a body cut off mid-way as a retryable ConnectionError', async () => {
    const { transport } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"items":[', () => res.destroy());
    });
    const err = await transport.requestJson({ path: '/api/v1/pods' }).catch((e: unknown) => e);
    assert.ok(err instanceof ConnectionError, String(err));
    assert.equal(err.reason, 'ConnectionFailed');
    await assertNoActiveSockets(transport);
  });

  void it('reports a refused connection as ConnectionError with errno ECONNREFUSED', async () => {
    const { server, transport } = await setup(() => undefined);
    const refused = Transport.fromKubeConfig(kubeConfigFor(server.url));
    await server.stop();
    const err = await refused.requestJson({ path: '/api' }).catch((e: unknown) => e);
    assert.ok(err instanceof ConnectionError);
    assert.equal(err.errno, 'ECONNREFUSED');
    refused.close();
    transport.close();
  });

  void it('refuses a kubeconfig without a current cluster with TransportConfigError', () => {
    const kc = kubeConfigFor('http://127.0.0.1:1');
    kc.setCurrentContext('missing');
    assert.throws(() => Transport.fromKubeConfig(kc), TransportConfigError);
  });

  void it('keeps the server URL path prefix and drops user info from it', async () => {
    const { server } = await setup((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.url }));
    });
    const transport = Transport.fromKubeConfig(kubeConfigFor(`${server.url.replace('http://', 'http://me:pw@')}/k8s/clusters/c1/`));
    transports.push(transport);
    assert.equal(transport.server, `${server.url}/k8s/clusters/c1`);
    assert.deepEqual(await transport.requestJson({ path: '/api/v1' }), { path: '/k8s/clusters/c1/api/v1' });
  });

  void it('re-runs an exec credential plugin per request once its token has expired', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubecache-exec-'));
    try {
      const seen: string[] = [];
      const { server } = await setup((req, res) => {
        seen.push(req.headers.authorization ?? '');
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
      const counter = join(dir, 'n');
      const script = [
        `n=$(cat '${counter}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '${counter}'`,
        `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-%s","expirationTimestamp":"2000-01-01T00:00:00Z"}}' $n`,
      ].join('; ');
      const kc = kubeConfigFor(server.url);
      kc.loadFromOptions({
        ...kc,
        users: [{ name: 'u', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sh', args: ['-c', script], interactiveMode: 'Never' } }],
      });
      const transport = Transport.fromKubeConfig(kc);
      transports.push(transport);
      await transport.requestJson({ path: '/api' });
      await transport.requestJson({ path: '/api' });
      assert.deepEqual(seen, ['Bearer tok-1', 'Bearer tok-2']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('reports a failing credential plugin as CredentialError without sending the request', async () => {
    const { server } = await setup((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    const kc = kubeConfigFor(server.url);
    kc.loadFromOptions({ ...kc, users: [{ name: 'u', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sh', args: ['-c', 'echo denied >&2; exit 3'] } }] });
    const transport = Transport.fromKubeConfig(kc);
    transports.push(transport);
    const err = await transport.requestJson({ path: '/api' }).catch((e: unknown) => e);
    assert.ok(err instanceof CredentialError, String(err));
    assert.equal(err.reason, 'CredentialUnavailable');
    assert.equal(err.source, 'exec');
    assert.equal(err.message, 'getting credentials: exec: executable sh failed with exit code 3: denied');
    assert.equal(server.requests.length, 0);
  });
});
