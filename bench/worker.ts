// A measuring process: runs one job for one contender against the bench server and reports over IPC.
//
// Forked by bench/run.ts with the task as argv[2] (JSON), so every measurement starts from a fresh
// heap and a cold JIT, the same for every contender.

import type { ContenderName, SessionFactory } from './contender.ts';
import { measureIngest, measureMemory, measureReads, measureSync, post, type Measurement, type WorkerTask } from './measure.ts';
import { measureReconcile } from './reconcile.ts';

/** What a worker sends back before exiting. */
export type WorkerReply =
  | { readonly type: 'result'; readonly measurements: readonly Measurement[] }
  | { readonly type: 'error'; readonly message: string };

/** Loads only the contender under test, so the others' modules do not sit in its heap. */
async function loadFactory(name: ContenderName): Promise<SessionFactory> {
  switch (name) {
    case 'kubecache':
      return (await import('./contenders/kubecache.ts')).createKubecacheSession;
    case 'client-node':
      return (await import('./contenders/client-node.ts')).createClientNodeSession;
    case 'floor':
      return (await import('./contenders/floor.ts')).createFloorSession;
  }
}

async function runTask(task: WorkerTask): Promise<readonly Measurement[]> {
  const factory = await loadFactory(task.contender);
  // Hold the watch events back: only the ingest measurement releases them, when its clock runs.
  await post(`${task.server}/bench/reset`);
  const job = task.job;
  switch (job.kind) {
    case 'ingest':
      return [await measureIngest(task, factory, job.scenario, job)];
    case 'sync':
      return [await measureSync(task, factory)];
    case 'memory':
      return [await measureMemory(task, factory, job.scenario, job.mode)];
    case 'reads':
      return measureReads(task, factory);
    case 'reconcile':
      return [await measureReconcile(task, job.scenario, job.workers)];
  }
}

function reply(message: WorkerReply): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      console.log(JSON.stringify(message));
      resolve();
      return;
    }
    process.send(message, (err: Error | null) => (err === null ? resolve() : reject(err)));
  });
}

async function main(): Promise<void> {
  // An orphaned worker (the harness was interrupted) has nobody to report to.
  process.on('disconnect', () => process.exit(1));
  const arg = process.argv[2];
  if (arg === undefined) throw new TypeError('bench worker: expected the task (JSON) as the first argument');
  const task = JSON.parse(arg) as WorkerTask;
  try {
    const measurements: Measurement[] = [];
    for (let r = 0; r < task.repeats; r++) measurements.push(...(await runTask(task)));
    await reply({ type: 'result', measurements });
  } catch (err) {
    await reply({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
  // Contenders may leave keep-alive sockets or timers behind; the measurement is done either way.
  process.exit(0);
}

await main();
