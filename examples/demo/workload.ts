// The scripted workload played against the fake APIServer: creates, label changes, deletes and faults.

import type { FakeApiServer } from '../../src/testing/index.ts';
import { NODES, podBody, WIDGET_GVR } from './seed.ts';
import type { Reporter } from './render.ts';

/** One scripted step, run at `at` (a fraction of the run's duration). */
interface Step {
  readonly at: number;
  readonly fault?: string;
  readonly text: string;
  readonly run: (server: FakeApiServer) => void;
}

const STEPS: readonly Step[] = [
  {
    at: 0.05,
    text: 'scale up: 4 new web pods in shop',
    run: (server) => {
      for (let i = 0; i < 4; i++) server.objects.create('pods', podBody('shop', `web-new-${i}`, 'web', NODES[i % NODES.length] ?? 'node-1'));
    },
  },
  {
    at: 0.15,
    text: 'canary: label 3 api pods in payments track=canary',
    run: (server) => {
      for (const name of ['api-1', 'api-6', 'api-11']) relabel(server, 'payments', name, 'track', 'canary');
    },
  },
  {
    at: 0.25,
    text: 'resize widget-2 in shop',
    run: (server) => {
      const widget = server.objects.get(WIDGET_GVR, 'widget-2', { namespace: 'shop' });
      server.objects.update(WIDGET_GVR, { ...widget, spec: { size: 42 } });
    },
  },
  {
    at: 0.35,
    fault: 'dropWatches',
    text: 'server closes every watch (informers resume where they were)',
    run: (server) => {
      server.faults.dropWatches();
    },
  },
  {
    at: 0.45,
    fault: 'compact',
    text: 'watches cut, 2 pods deleted unseen, history compacted (410 ahead)',
    run: (server) => {
      // All in one turn of the event loop: no informer can re-watch before the history is gone.
      server.faults.dropWatches({ abrupt: true });
      server.objects.delete('pods', 'worker-2', { namespace: 'analytics' });
      server.objects.delete('pods', 'worker-7', { namespace: 'analytics' });
      server.faults.compact();
    },
  },
  {
    at: 0.6,
    text: 'scale down: delete the 4 new web pods',
    run: (server) => {
      for (let i = 0; i < 4; i++) server.objects.delete('pods', `web-new-${i}`, { namespace: 'shop' });
    },
  },
  {
    at: 0.7,
    text: 'create widget-new in platform',
    run: (server) => {
      server.objects.create(WIDGET_GVR, { metadata: { name: 'widget-new', namespace: 'platform' }, spec: { size: 1 } });
    },
  },
];

function relabel(server: FakeApiServer, namespace: string, name: string, key: string, value: string): void {
  const pod = server.objects.get('pods', name, { namespace });
  const labels = { ...pod.metadata.labels, [key]: value };
  server.objects.update('pods', { ...pod, metadata: { ...pod.metadata, labels } });
}

/**
 * Plays the script over `durationMs`, reporting each step; resolves when the last step ran or
 * `signal` aborted. Returns how many faults were injected.
 */
export async function playWorkload(server: FakeApiServer, reporter: Reporter, durationMs: number, signal: AbortSignal): Promise<number> {
  let faults = 0;
  let now = 0;
  for (const step of STEPS) {
    const wait = step.at * durationMs - now;
    if (!(await sleep(wait, signal))) break;
    now = step.at * durationMs;
    if (step.fault === undefined) reporter.print({ type: 'step', text: step.text });
    else reporter.print({ type: 'fault', fault: step.fault, text: step.text });
    step.run(server);
    if (step.fault !== undefined) faults++;
  }
  return faults;
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
