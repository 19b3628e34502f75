// Credentials that rotate, over HTTP against the fake APIServer: token files, exec plugins, in-cluster tokens.

import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { isUnauthorized } from '../../src/api/errors.ts';
import { Cache } from '../../src/cache/cache.ts';
import { ConfigMaps } from '../../src/cache/kinds.ts';
import { loadKubeConfig } from '../../src/client/kubeconfig.ts';
import { Transport, type TransportOptions } from '../../src/client/transport.ts';
import { FakeClock } from '../../src/api/clock.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { runUntilTestEnds } from '../cleanup.ts';

const NAMESPACES = '/api/v1/namespaces';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kubecache-creds-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function startServer(t: TestContext, token: string, tls = false): Promise<FakeApiServer> {
  const server = await FakeApiServer.start({ token, tls });
  t.after(() => server.stop());
  return server;
}

function transportOf(t: TestContext, kc: KubeConfig, options: TransportOptions): Transport {
  const transport = Transport.fromKubeConfig(kc, options);
  t.after(() => transport.close());
  return transport;
}

/** Resolves true when the request succeeded, false when it was refused with 401; throws otherwise. */
async function accepted(transport: Transport): Promise<boolean> {
  try {
    await transport.requestJson({ path: NAMESPACES });
    return true;
  } catch (err) {
    if (isUnauthorized(err)) return false;
    throw err;
  }
}

/**
 * An exec plugin that counts its runs in `runs` and prints the token in `token`, expiring at the
 * RFC 3339 time in `expiry`.
 */
async function writePlugin(
  dir: string,
  token: string,
  expiry: string,
): Promise<{ command: string; runs: () => Promise<number>; rotate: (token: string, expiry?: string) => Promise<void> }> {
  const command = join(dir, 'plugin.sh');
  await writeFile(join(dir, 'token'), token);
  await writeFile(join(dir, 'expiry'), expiry);
  await writeFile(
    command,
    `#!/bin/sh
echo run >> "${dir}/runs"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}' "$(cat "${dir}/token")" "$(cat "${dir}/expiry")"
`,
  );
  await chmod(command, 0o755);
  return {
    command,
    runs: async () => (await readFile(join(dir, 'runs'), 'utf8').catch(() => '')).split('\n').filter((l) => l === 'run').length,
    rotate: async (next, nextExpiry) => {
      await writeFile(join(dir, 'token'), next);
      if (nextExpiry !== undefined) await writeFile(join(dir, 'expiry'), nextExpiry);
    },
  };
}

function execKubeConfig(server: FakeApiServer, command: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'plugin-user', exec: { apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never' } }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'plugin-user' }],
    currentContext: 'fake',
  });
  return kc;
}

void describe('credential rotation', () => {
  void it('re-reads a kubeconfig tokenFile once its copy is older than 50 s, and at once after a 401', async (t) => {
    const dir = await tempDir(t);
    const server = await startServer(t, 'token-a');
    await writeFile(join(dir, 'token'), 'token-a\n');
    await writeFile(
      join(dir, 'config'),
      `apiVersion: v1
kind: Config
clusters: [{ name: fake, cluster: { server: "${server.url}" } }]
users: [{ name: me, user: { tokenFile: token } }]
contexts: [{ name: fake, context: { cluster: fake, user: me } }]
current-context: fake
`,
    );
    const clock = new FakeClock();
    const transport = transportOf(t, loadKubeConfig({ path: join(dir, 'config') }), { clock });
    assert.equal(await accepted(transport), true, 'the token in the file is sent');
    assert.equal(transport.stats().credentialRefreshes, 1);

    // A rotation with overlap, as bound service-account tokens rotate: the file holds the new token.
    await writeFile(join(dir, 'token'), 'token-b');
    server.acceptTokens('token-a', 'token-b');
    await clock.advance(49_000);
    assert.equal(await accepted(transport), true);
    assert.equal(transport.stats().credentialRefreshes, 1, 'a 49 s old copy is still used');
    await clock.advance(2_000);
    assert.equal(await accepted(transport), true);
    assert.equal(transport.stats().credentialRefreshes, 2, 'a 51 s old copy is read again');
    server.acceptTokens('token-b');
    assert.equal(await accepted(transport), true, 'the re-read token is the new one');

    // A revocation before the 50 s are up: one 401, then the next request carries the new token.
    await writeFile(join(dir, 'token'), 'token-c');
    server.acceptTokens('token-c');
    assert.equal(await accepted(transport), false, 'the request that met the revocation reports its 401');
    assert.equal(await accepted(transport), true);
    console.log(
      `tokenFile: not re-read at 49 s, re-read at 51 s; after a revocation: 1 × 401, recovered after 0 s of clock, ${transport.stats().credentialRefreshes} file reads in all`,
    );
  });

  void it('loads tokenFile and token-file relative to the kubeconfig, and refuses a missing one at load', async (t) => {
    const dir = await tempDir(t);
    const server = await startServer(t, 'file-token');
    await mkdir(join(dir, 'secrets'));
    await writeFile(join(dir, 'secrets', 'token'), 'file-token');
    for (const key of ['tokenFile', 'token-file']) {
      const config = join(dir, `${key}.yaml`);
      await writeFile(
        config,
        `clusters: [{ name: fake, cluster: { server: "${server.url}" } }]
users: [{ name: me, user: { ${key}: secrets/token } }]
contexts: [{ name: fake, context: { cluster: fake, user: me } }]
current-context: fake
`,
      );
      const transport = transportOf(t, loadKubeConfig({ path: config }), {});
      assert.equal(await accepted(transport), true, key);
    }
    const missing = join(dir, 'missing.yaml');
    await writeFile(missing, `users: [{ name: me, user: { tokenFile: nowhere } }]\ncontexts: []\nclusters: []\n`);
    assert.throws(() => loadKubeConfig({ path: missing }), { name: 'TransportConfigError', message: /cannot read its token file/ });
  });

  void it('keeps the last token when its file cannot be re-read (logged), and reports CredentialError when none was ever read', async (t) => {
    const dir = await tempDir(t);
    const server = await startServer(t, 'kept');
    await writeFile(join(dir, 'token'), 'kept');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: server.url, skipTLSVerify: true }],
      users: [{ name: 'me', authProvider: { name: 'tokenFile', config: { tokenFile: join(dir, 'token') } } }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'me' }],
      currentContext: 'fake',
    });
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (msg: string) => void warnings.push(msg) };
    const clock = new FakeClock();
    const transport = transportOf(t, kc, { clock, logger });
    assert.equal(await accepted(transport), true);
    await rm(join(dir, 'token'));
    await clock.advance(60_000);
    assert.equal(await accepted(transport), true, 'the last token read is still sent');
    assert.deepEqual(warnings, ['unable to rotate the token; using the last one read']);

    const fresh = transportOf(t, kc, { clock });
    await assert.rejects(fresh.requestJson({ path: NAMESPACES }), { name: 'CredentialError', reason: 'CredentialUnavailable', source: 'tokenFile' });
    assert.equal(server.requests.count(), 2, 'the two accepted requests; none without a credential');
  });

  void it('re-runs an exec plugin at once when its unexpired token is refused with 401', async (t) => {
    const dir = await tempDir(t);
    const server = await startServer(t, 'exec-1');
    const plugin = await writePlugin(dir, 'exec-1', '2099-01-01T00:00:00Z');
    const transport = transportOf(t, execKubeConfig(server, plugin.command), {});
    assert.equal(await accepted(transport), true);
    assert.equal(await accepted(transport), true);
    assert.equal(await plugin.runs(), 1, 'an unexpired credential is reused');

    await plugin.rotate('exec-2');
    server.acceptTokens('exec-2');
    assert.equal(await accepted(transport), false, 'the request that met the revocation reports its 401');
    assert.equal(await plugin.runs(), 2, 'the 401 ran the plugin again before it was reported');
    assert.equal(await accepted(transport), true);
    assert.equal(await plugin.runs(), 2);
    console.log(`exec: revoked before expiry → 1 × 401, then recovered; plugin runs: ${await plugin.runs()} (1 at start, 1 on the 401)`);
  });

  void it('runs an exec plugin once for 40 concurrent requests after its token expired, and once for 40 concurrent 401s', async (t) => {
    const dir = await tempDir(t);
    const server = await startServer(t, 'exec-1');
    const clock = new FakeClock();
    const plugin = await writePlugin(dir, 'exec-1', new Date(Date.now() + 60_000).toISOString());
    const transport = transportOf(t, execKubeConfig(server, plugin.command), { clock });
    assert.equal(await accepted(transport), true);
    assert.equal(await plugin.runs(), 1);

    // 20 lists and 20 watches reconnecting after the expiry, as 40 informers do.
    await clock.advance(61_000);
    await plugin.rotate('exec-2', new Date(Date.now() + 3_600_000).toISOString());
    server.acceptTokens('exec-2');
    const lists = Array.from({ length: 20 }, () => accepted(transport));
    const watches = Array.from({ length: 20 }, () => transport.requestStream({ path: `${NAMESPACES}?watch=true` }));
    assert.deepEqual(await Promise.all(lists), Array<boolean>(20).fill(true));
    for (const watch of await Promise.all(watches)) watch.abort();
    const afterExpiry = (await plugin.runs()) - 1;
    assert.equal(afterExpiry, 1);

    await plugin.rotate('exec-3');
    server.acceptTokens('exec-3');
    assert.deepEqual(await Promise.all(Array.from({ length: 40 }, () => accepted(transport))), Array<boolean>(40).fill(false));
    const after401s = (await plugin.runs()) - 2;
    assert.equal(after401s, 1);
    assert.equal(await accepted(transport), true);
    console.log(`exec: 40 concurrent requests after expiry → ${afterExpiry} plugin run; 40 concurrent 401s → ${after401s} plugin run`);
  });

  void it('re-reads the in-cluster token at once after a 401, one read shared by concurrent requests', async (t) => {
    const dir = await tempDir(t);
    const server = await startServer(t, 'sa-1', true);
    const accountDir = join(dir, 'var/run/secrets/kubernetes.io/serviceaccount');
    await mkdir(accountDir, { recursive: true });
    await writeFile(join(accountDir, 'token'), 'sa-1');
    await writeFile(join(accountDir, 'ca.crt'), server.caCert ?? '');
    await writeFile(join(accountDir, 'namespace'), 'default');
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = String(server.port);
    const kc = new KubeConfig();
    try {
      kc.loadFromCluster(dir);
    } finally {
      restoreEnv('KUBERNETES_SERVICE_HOST', saved.host);
      restoreEnv('KUBERNETES_SERVICE_PORT', saved.port);
    }
    const clock = new FakeClock();
    const transport = transportOf(t, kc, { clock });
    assert.equal(await accepted(transport), true);

    await writeFile(join(accountDir, 'token'), 'sa-2');
    server.acceptTokens('sa-2');
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => accepted(transport)));
    assert.deepEqual(concurrent, Array<boolean>(10).fill(false));
    assert.equal(transport.stats().credentialRefreshes, 2, 'ten 401s, one re-read');
    assert.equal(await accepted(transport), true);
    assert.equal(clock.now(), 0);
    console.log('in-cluster: revoked → 10 concurrent 401s, 1 shared re-read, recovered on the next request after 0 s of clock (client-go: up to ~50 s)');
  });
});

void describe('credential rotation under a cache', () => {
  void it('keeps a cache following the server across a token revocation, after one 401 per informer', async (t) => {
    const dir = await tempDir(t);
    const server = await startServer(t, 'token-1');
    await writeFile(join(dir, 'token'), 'token-1');
    await writeFile(
      join(dir, 'config'),
      `clusters: [{ name: fake, cluster: { server: "${server.url}" } }]
users: [{ name: me, user: { tokenFile: ${join(dir, 'token')} } }]
contexts: [{ name: fake, context: { cluster: fake, user: me } }]
current-context: fake
`,
    );
    const unauthorized: unknown[] = [];
    const cache = new Cache(loadKubeConfig({ path: join(dir, 'config') }), {
      // Short steps keep the test fast; what matters is how many 401s the informer meets.
      backoff: { initialMs: 50, capMs: 100, jitter: 0 },
      defaultWatchErrorHandler: (err) => void (isUnauthorized(err) && unauthorized.push(err)),
    });
    runUntilTestEnds(t, (signal) => cache.start(signal));
    await cache.getInformer(ConfigMaps);
    // Revoked while the watch runs; the server ends its watches, as it does now and then.
    await writeFile(join(dir, 'token'), 'token-2');
    server.acceptTokens('token-2');
    const revokedAt = performance.now();
    server.faults.dropWatches();
    server.objects.create('configmaps', { metadata: { namespace: 'default', name: 'after-rotation' } });
    const signal = AbortSignal.timeout(10_000);
    while ((await cache.list(ConfigMaps, { namespace: 'default' })).length === 0) {
      signal.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const ms = Math.round(performance.now() - revokedAt);
    assert.equal(unauthorized.length, 1, 'one 401, then the re-read token');
    console.log(`cache: recovered ${ms} ms after a token revocation (backoff 50 ms ×2), 401s reported: ${unauthorized.length}`);
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
