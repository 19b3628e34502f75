// @kubernetes/client-node, unchanged, against the fake APIServer: typed APIs, KubernetesObjectApi, makeInformer.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  CoreV1Api,
  KubernetesObjectApi,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ObjectCache,
  type V1ConfigMap,
  type V1Pod,
} from '@kubernetes/client-node';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';

const WAIT_MS = 10_000;

function pod(name: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'demo' } },
    spec: { containers: [{ name: 'main', image: 'busybox' }] },
  };
}

/** Resolves with the first object an informer reports for `verb` that satisfies `match`. */
function nextEvent<T extends KubernetesObject>(
  informer: Informer<T>,
  verb: 'add' | 'update' | 'delete',
  match: (obj: T) => boolean,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      informer.off(verb, onEvent);
      reject(new Error(`no ${verb} event within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const onEvent = (obj: T): void => {
      if (!match(obj)) return;
      clearTimeout(timer);
      informer.off(verb, onEvent);
      resolve(obj);
    };
    informer.on(verb, onEvent);
  });
}

async function expectApiException(promise: Promise<unknown>, code: number): Promise<ApiException<unknown>> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiException, `expected an ApiException, got ${String(err)}`);
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected an ApiException with code ${code}`);
}

function suite(name: string, options: { tls?: boolean; token?: string }): void {
  void describe(name, () => {
    let server: FakeApiServer;
    let kc: KubeConfig;
    let core: CoreV1Api;

    before(async () => {
      server = await FakeApiServer.start(options);
      kc = server.kubeConfig();
      core = kc.makeApiClient(CoreV1Api);
    });
    after(async () => {
      await server.stop();
    });

    void it('creates a pod with createNamespacedPod and lists it with listNamespacedPod', async () => {
      const created = await core.createNamespacedPod({ namespace: 'default', body: pod('cn-list') });
      assert.equal(created.metadata?.namespace, 'default');
      assert.ok(created.metadata?.uid, 'the server sets a uid');
      assert.ok(created.metadata?.creationTimestamp instanceof Date, 'client-node parsed creationTimestamp');
      const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=demo' });
      assert.ok(list.items.some((p) => p.metadata?.name === 'cn-list'));
      assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
    });

    void it('reads an existing pod and gets a 404 ApiException for a missing one', async () => {
      await core.createNamespacedPod({ namespace: 'default', body: pod('cn-read') });
      const read = await core.readNamespacedPod({ name: 'cn-read', namespace: 'default' });
      assert.equal(read.spec?.containers[0]?.image, 'busybox');
      const err = await expectApiException(core.readNamespacedPod({ name: 'nope', namespace: 'default' }), 404);
      const status = (typeof err.body === 'string' ? JSON.parse(err.body) : err.body) as { reason?: string };
      assert.equal(status.reason, 'NotFound');
    });

    void it('creates and reads through KubernetesObjectApi using discovery', async () => {
      const objects = KubernetesObjectApi.makeApiClient(kc);
      const cm: V1ConfigMap = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cn-object', namespace: 'default' },
        data: { greeting: 'hello' },
      };
      const created = await objects.create(cm);
      assert.ok(created.metadata?.resourceVersion);
      const read = await objects.read<V1ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cn-object', namespace: 'default' },
      });
      assert.deepEqual(read.data, { greeting: 'hello' });
      await expectApiException(objects.create(cm), 409);
    });

    void it('feeds makeInformer add, update and delete events', async () => {
      const path = '/api/v1/namespaces/default/configmaps';
      const informer: Informer<V1ConfigMap> & ObjectCache<V1ConfigMap> = makeInformer(kc, path, () =>
        core.listNamespacedConfigMap({ namespace: 'default' }),
      );
      // client-node reports stop() itself as an AbortError; only errors before that count.
      const errors: unknown[] = [];
      let stopping = false;
      informer.on('error', (err: unknown) => {
        if (!stopping) errors.push(err);
      });
      const isOurs = (cm: V1ConfigMap): boolean => cm.metadata?.name === 'cn-informed';
      try {
        await informer.start();
        const added = nextEvent(informer, 'add', isOurs);
        await core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name: 'cn-informed' }, data: { v: '1' } },
        });
        assert.deepEqual((await added).data, { v: '1' });

        const updated = nextEvent(informer, 'update', isOurs);
        await core.replaceNamespacedConfigMap({
          name: 'cn-informed',
          namespace: 'default',
          body: { metadata: { name: 'cn-informed' }, data: { v: '2' } },
        });
        assert.deepEqual((await updated).data, { v: '2' });
        assert.deepEqual(informer.get('cn-informed', 'default')?.data, { v: '2' });

        const deleted = nextEvent(informer, 'delete', isOurs);
        await core.deleteNamespacedConfigMap({ name: 'cn-informed', namespace: 'default' });
        await deleted;
        assert.equal(informer.get('cn-informed', 'default'), undefined);
        assert.deepEqual(errors, []);
      } finally {
        stopping = true;
        await informer.stop();
      }
    });
  });
}

suite('client-node against the fake APIServer over HTTP', {});
suite('client-node against the fake APIServer over HTTPS with a bearer token', { tls: true, token: 'sekret' });
