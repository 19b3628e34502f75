// A controller-manager on kubecache/controller: two replicas elect a leader on a Lease, the leader mirrors
// labelled ConfigMaps, and when it stops the other takes over. Ends by itself on the fake APIServer.
// With --kubeconfig FILE it runs one replica against that cluster until SIGINT/SIGTERM.

import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { consoleLogger } from '../../src/index.ts'; // 'kubecache'
import { Manager, type ManagerOptions } from '../../src/controller/index.ts'; // 'kubecache/controller'
import { FakeApiServer } from '../../src/testing/index.ts'; // 'kubecache/testing'
import { addMirrorController, MANAGED_BY } from './mirror-controller.ts';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, namespace: { type: 'string', default: 'default' } } });

/** One replica: a manager with leader election and the mirror controller, started until `stop` aborts. */
function replica(kc: KubeConfig, identity: string, options: Partial<ManagerOptions> = {}) {
  const manager = new Manager(kc, { leaderElection: { id: 'configmap-mirror', namespace: values.namespace, identity }, ...options });
  addMirrorController(manager);
  const stop = new AbortController();
  const done = manager.start(stop.signal);
  void manager.elected().then(() => console.log(`${identity} leads`));
  return { identity, manager, stop, done };
}

if (values.kubeconfig !== undefined) {
  const kc = new KubeConfig();
  kc.loadFromFile(values.kubeconfig);
  const one = replica(kc, `${hostname()}_${process.pid}`, { logger: consoleLogger(), healthProbeBindAddress: ':8081', metricsBindAddress: ':8080' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => one.stop.abort());
  await one.done; // rejects with LeaderElectionLostError if the Lease is lost: exit and let the pod restart
} else {
  const server = await FakeApiServer.start();
  const kc = server.kubeConfig();
  // Short timings, so the hand-over shows in a second; client-go's defaults are 15 s / 10 s / 2 s.
  const fast = { leaderElection: { id: 'configmap-mirror', namespace: 'default', leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 250 } };
  const replicas = [replica(kc, 'replica-1', fast), replica(kc, 'replica-2', fast)];
  const leader = await Promise.race(replicas.map((r) => r.manager.elected().then(() => r)));
  const mirror = () => server.objects.list('configmaps', { namespace: 'default' }).find((cm) => cm.metadata.name === 'settings-mirror');
  const mirroredMode = () => (mirror()?.['data'] as Record<string, string> | undefined)?.['mode'];
  const until = async (what: string, done: () => boolean): Promise<void> => {
    for (const deadline = Date.now() + 10_000; !done(); await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    }
    console.log(what);
  };

  server.objects.create('configmaps', { metadata: { namespace: 'default', name: 'settings', labels: MANAGED_BY }, data: { mode: 'fast' } });
  await until('settings-mirror created with mode=fast', () => mirroredMode() === 'fast');
  const settings = server.objects.get('configmaps', 'settings', { namespace: 'default' });
  server.objects.update('configmaps', { ...settings, data: { mode: 'safe' } });
  await until('settings-mirror follows: mode=safe', () => mirroredMode() === 'safe');

  console.log(`stopping ${leader.identity}: in-flight work finishes, then the Lease is released`);
  leader.stop.abort();
  await leader.done;
  const next = replicas.find((r) => r !== leader) ?? leader;
  await next.manager.elected();
  server.objects.delete('configmaps', 'settings', { namespace: 'default' });
  await until(`settings-mirror deleted by ${next.identity}`, () => mirror() === undefined);

  next.stop.abort();
  await next.done;
  const reconciles = /^controller_runtime_reconcile_total\{controller="configmap-mirror",result="success"\} (\d+)$/m.exec(next.manager.metricsText())?.[1];
  console.log(`${next.identity} reconciled ${reconciles ?? 0} times; done`);
  await server.stop();
}
