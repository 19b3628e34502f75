// The scripted story `main.ts --fake` plays: seed ConfigMaps, change them, stop the leader, and watch the mirrors follow.

import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import { isNotFound } from '../../src/index.ts';
import type { MirrorControllerManager } from './manager.ts';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './reconciler.ts';

/** A replica as the scenario sees it: it may stop one to show a leader hand-over. */
export interface DemoReplica {
  readonly manager: MirrorControllerManager;
  readonly identity: string;
  readonly stop: AbortController;
}

/** Options of {@link runDemoScenario}. */
export interface DemoScenarioOptions {
  readonly log: (line: string) => void;
  /** Ends the scenario early (Ctrl-C). */
  readonly signal: AbortSignal;
  /** How long to wait for each step's effect. @default 30000 */
  readonly stepTimeoutMs?: number;
}

const NAMESPACE = 'default';

function managed(name: string, data: Record<string, string>): V1ConfigMap {
  return { metadata: { name, namespace: NAMESPACE, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } }, data };
}

/** One scripted change and the effect that shows the controller handled it. */
interface Step {
  readonly title: string;
  act(): Promise<unknown>;
  done(): Promise<boolean>;
}

/** Reads `<name>-mirror`'s data through the API; undefined when there is no mirror. */
function mirrorReader(core: CoreV1Api): (name: string) => Promise<Record<string, string> | undefined> {
  return async (name) => {
    try {
      return (await core.readNamespacedConfigMap({ name: `${name}-mirror`, namespace: NAMESPACE })).data ?? {};
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
}

function editSteps(core: CoreV1Api): Step[] {
  const mirror = mirrorReader(core);
  const unrelated: V1ConfigMap = { metadata: { name: 'unrelated', namespace: NAMESPACE }, data: { x: '1' } };
  return [
    {
      title: 'create app-settings and feature-flags (managed) and unrelated (not managed)',
      act: () => Promise.all([
        core.createNamespacedConfigMap({ namespace: NAMESPACE, body: managed('app-settings', { 'log-level': 'info' }) }),
        core.createNamespacedConfigMap({ namespace: NAMESPACE, body: managed('feature-flags', { 'dark-mode': 'on' }) }),
        core.createNamespacedConfigMap({ namespace: NAMESPACE, body: unrelated }),
      ]),
      done: async () => (await mirror('app-settings')) !== undefined && (await mirror('feature-flags')) !== undefined,
    },
    {
      title: 'set log-level=debug in app-settings',
      act: async () => {
        const cm = await core.readNamespacedConfigMap({ name: 'app-settings', namespace: NAMESPACE });
        const body = { ...cm, data: { 'log-level': 'debug' } };
        await core.replaceNamespacedConfigMap({ name: 'app-settings', namespace: NAMESPACE, body });
      },
      done: async () => (await mirror('app-settings'))?.['log-level'] === 'debug',
    },
    {
      title: 'delete feature-flags',
      act: () => core.deleteNamespacedConfigMap({ name: 'feature-flags', namespace: NAMESPACE }),
      done: async () => (await mirror('feature-flags')) === undefined,
    },
  ];
}

function handOverSteps(core: CoreV1Api, replicas: readonly DemoReplica[]): Step[] {
  const leader = replicas.find((r) => r.manager.isLeader());
  if (replicas.length < 2 || leader === undefined) return [];
  const mirror = mirrorReader(core);
  return [
    {
      title: `stop the leader ${leader.identity}; another replica takes over`,
      act: () => Promise.resolve(leader.stop.abort(new Error('stopped by the demo scenario'))),
      done: () => Promise.resolve(replicas.some((r) => r !== leader && r.manager.isLeader())),
    },
    {
      title: 'create late-arrival; the new leader mirrors it',
      act: () => core.createNamespacedConfigMap({ namespace: NAMESPACE, body: managed('late-arrival', { hello: 'world' }) }),
      done: async () => (await mirror('late-arrival')) !== undefined,
    },
  ];
}

/**
 * Seeds two managed ConfigMaps and one unmanaged one, then edits one, deletes one and, with two
 * or more replicas, stops the leader and shows the next one mirroring a new ConfigMap. Each step
 * waits until the API shows its effect. Returns when done or when `signal` aborts.
 */
export async function runDemoScenario(
  kubeConfig: KubeConfig,
  replicas: readonly DemoReplica[],
  options: DemoScenarioOptions,
): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const { log, signal } = options;
  const timeout = options.stepTimeoutMs ?? 30_000;
  const play = async (steps: Step[]): Promise<void> => {
    for (const step of steps) {
      log(`scenario: ${step.title}`);
      await step.act();
      await until(() => step.done(), signal, timeout, step.title);
    }
  };
  try {
    await play(editSteps(core));
    // The leader is looked up only now, after the edits showed it at work.
    await play(handOverSteps(core, replicas));
    log('scenario: done; the controller keeps running until Ctrl-C');
  } catch (error) {
    // Ctrl-C during the scenario is a normal way to end it.
    if (signal.aborted) return;
    throw error;
  }
}

async function until(condition: () => Promise<boolean>, signal: AbortSignal, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    signal.throwIfAborted();
    if (Date.now() > deadline) throw new Error(`scenario step "${what}" showed no effect within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
