// The recovery rows: what a contender spends, after a watch fault, until its cache equals the server again.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Session, SessionFactory } from './contender.ts';
import { podResourceVersion } from './dataset.ts';
import { baseOptions, cpuSecondsSince, post, type Measurement, type WorkerTask } from './measure.ts';
import { namespaceOf, podName } from './pods.ts';
import type { ScenarioName } from './scenarios.ts';
import type { RecoveryStats, WatchFault } from './server.ts';

/** Events the watch delivers before the fault, so no client takes it for a very short watch. */
export function eventsBeforeFault(events: number): number {
  return Math.max(1, Math.floor(events / 10));
}

/** How long a contender may take to recover before the row says it never did. */
const RECOVERY_LIMIT_MS = 20_000;
/** How long requests are still counted after the cache is equal (the watch that follows a relist). */
const SETTLE_MS = 500;

function resourceVersionIn(obj: unknown): string | undefined {
  const rv = (obj as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion;
  return typeof rv === 'string' ? rv : undefined;
}

/** True when the session holds exactly the server's final state (every pod at its last version). */
function equalsServer(session: Session, task: WorkerTask, expected: readonly string[]): boolean {
  const spec = task.spec;
  if (session.size() !== spec.pods) return false;
  for (let i = 0; i < spec.pods; i++) {
    if (resourceVersionIn(session.get(namespaceOf(i, spec), podName(i))) !== expected[i]) return false;
  }
  return true;
}

/**
 * Syncs, then releases the server's events with a fault armed on the open watch: a clean end
 * (`drop`), a 410 Expired ERROR event that also compacts the server's history, or a 500
 * InternalError ERROR event. Meanwhile the server has applied all its events, so the cache must
 * catch up. The value is the CPU milliseconds from the release until the cache equals the
 * server (the equality checks themselves are not counted); the server's counts of LIST and WATCH
 * requests and response bytes after the fault (and for SETTLE_MS after recovery) are extras.
 */
export async function measureRecovery(task: WorkerTask, factory: SessionFactory, scenario: ScenarioName, fault: WatchFault): Promise<Measurement> {
  const spec = task.spec;
  const expected = Array.from({ length: spec.pods }, (_, i) => String(podResourceVersion(spec, i, spec.events)));
  const probe = (spec.events - 1) % spec.pods;
  await post(`${task.server}/bench/reset?fault=${fault}&after=${eventsBeforeFault(spec.events)}`);
  const session = await factory(baseOptions(task));
  await session.start();
  await session.handlersSynced();
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  let checkCpuSeconds = 0;
  await post(`${task.server}/bench/release`);
  let recovered = false;
  while (performance.now() - startedAt < RECOVERY_LIMIT_MS) {
    // The pod the last event touched is the cheap sign; the full comparison confirms it.
    if (resourceVersionIn(session.get(namespaceOf(probe, spec), podName(probe))) === expected[probe]) {
      const checkBefore = process.cpuUsage();
      recovered = equalsServer(session, task, expected);
      checkCpuSeconds += cpuSecondsSince(checkBefore);
      if (recovered) break;
    }
    await sleep(2);
  }
  const wallMs = performance.now() - startedAt;
  const cpuMs = (cpuSecondsSince(cpuBefore) - checkCpuSeconds) * 1000;
  await sleep(SETTLE_MS);
  const res = await fetch(`${task.server}/bench/stats`);
  const stats = (await res.json()) as RecoveryStats;
  await session.stop();
  if (!stats.faulted) throw new Error(`${task.contender}: the ${fault} fault was never injected`);
  return {
    scenario,
    value: cpuMs,
    extra: { wallMs, recovered: recovered ? 1 : 0, lists: stats.lists, watches: stats.watches, bytes: stats.bytes, fullListBytes: stats.fullListBytes, missedEventBytes: stats.missedEventBytes },
  };
}
