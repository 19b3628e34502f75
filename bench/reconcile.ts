// The reconcile-throughput scenarios: no-op reconciles per second through kubecache/controller's queue and workers.

import { Controller } from '../src/controller/controller.ts';
import type { Request } from '../src/controller/reconcile.ts';
import type { Measurement, WorkerTask } from './measure.ts';
import type { ScenarioName } from './scenarios.ts';

/**
 * Enqueues `task.spec.events` distinct requests on a Controller with `workers` workers and a
 * no-op reconciler, and times until all were reconciled (the queue idle): the cost of the work
 * queue (dedup sets, metrics, hand-out to waiting workers) and of the controller's worker loop
 * and outcome handling per request. No informer is involved. A first, untimed round warms the JIT.
 */
export async function measureReconcile(task: WorkerTask, scenario: ScenarioName, workers: number): Promise<Measurement> {
  const total = task.spec.events;
  let reconciled = 0;
  const noWatches = { getInformer: () => Promise.reject(new Error('the reconcile bench watches nothing')) };
  const controller = new Controller(scenario, noWatches, () => void reconciled++, { maxConcurrentReconciles: workers });
  const stop = new AbortController();
  const running = controller.start(stop.signal);
  await controller.onStarted();
  const round = async (requests: readonly Request[]): Promise<number> => {
    const startedAt = performance.now();
    for (const request of requests) controller.enqueue(request);
    await controller.onIdle();
    return performance.now() - startedAt;
  };
  const requests = (prefix: string, n: number): Request[] => Array.from({ length: n }, (_, i) => ({ namespace: 'bench', name: `${prefix}-${i}` }));
  await round(requests('warm', Math.min(total, 1000)));
  reconciled = 0;
  const elapsedMs = await round(requests('item', total));
  stop.abort();
  await running;
  if (reconciled !== total) throw new Error(`${scenario}: ${reconciled} reconciles, expected ${total}`);
  return { scenario, value: total / (elapsedMs / 1000) };
}
