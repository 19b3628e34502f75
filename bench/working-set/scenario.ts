// The working-set scenario: Helm-like Secrets, the modes compared, what a worker is asked and answers, and the report.

import type { FakeApiServer } from '../../src/testing/index.ts';

/** The namespace every Secret (and warm-up ConfigMap) lives in. */
export const NAMESPACE = 'releases';
/** ConfigMaps the warm-up reads before the baseline is taken. */
export const WARM_UP_CONFIGMAPS = 20;

/** The cache modes compared; the last two are `cacheFullObjects: 'whenRead'` with each update policy. */
export const MODES = ['full', 'metadata', 'working-set', 'working-set-refresh'] as const;
/** One of {@link MODES}. */
export type WorkingSetMode = (typeof MODES)[number];

/** What a worker measures. */
export interface WorkingSetTask {
  readonly mode: WorkingSetMode;
  readonly kubeConfigYaml: string;
  readonly secrets: number;
  /** Secrets the controller reads. */
  readonly reads: number;
  /** Each get-latency loop runs at least this long. */
  readonly readMs: number;
  /** Bound on each wait for the watch. */
  readonly timeoutMs: number;
}

/** What a worker reports for its mode. */
export interface WorkingSetResult {
  readonly mode: WorkingSetMode;
  /** Heap retained by the cache after syncing and reading `reads` Secrets. */
  readonly retainedBytes: number;
  /** From start to the informer's first sync. */
  readonly syncMs: number;
  /** Mean `cache.get` of a read Secret (a hit in working-set mode). */
  readonly getNs: number;
  /** Working-set modes: mean `cache.get` from the metadata informer in the same process (a plain cached get). */
  readonly plainGetNs?: number;
  /** Working-set modes: mean first `cache.get` of a Secret (a miss: one GET of a 64 KiB object). */
  readonly missMs?: number;
  /** Working-set modes: GET requests per first read. */
  readonly getsPerMiss?: number;
  /** Working-set modes: GET requests per update of a read Secret that is read again. */
  readonly requestsPerReadUpdate?: number;
  /** Working-set modes: GET requests per update of a read Secret that is not read again. */
  readonly requestsPerUnreadUpdate?: number;
}

/** The name of Secret `i`, in Helm's release-storage form. */
export function secretName(i: number): string {
  return `sh.helm.release.v1.app-${String(i).padStart(5, '0')}.v1`;
}

/**
 * `count` Secrets whose data is `sizeBytes` of base64 each (one shared string in the server, so
 * its memory stays small; every client parses its own copy), and the warm-up ConfigMaps.
 */
export function seed(server: FakeApiServer, count: number, sizeBytes: number): void {
  server.objects.create('namespaces', { metadata: { name: NAMESPACE } });
  const release = 'H4sI'.padEnd(sizeBytes, 'A');
  for (let i = 0; i < count; i++) {
    server.objects.create('secrets', {
      metadata: { name: secretName(i), namespace: NAMESPACE, labels: { owner: 'helm', name: `app-${i}`, status: 'deployed' } },
      type: 'helm.sh/release.v1',
      data: { release },
    });
  }
  for (let i = 0; i < WARM_UP_CONFIGMAPS; i++) server.objects.create('configmaps', { metadata: { name: `warm-${i}`, namespace: NAMESPACE }, data: { a: 'b' } });
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The Markdown rows of the scenario, with the goals. */
export function markdownReport(results: readonly WorkingSetResult[], sizes: string): string {
  const by = new Map(results.map((r) => [r.mode, r]));
  const full = by.get('full');
  const ws = by.get('working-set');
  const refresh = by.get('working-set-refresh');
  const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(3)}×`);
  const verdict = (ok: boolean | undefined): string => (ok === undefined ? '' : ok ? ' (met)' : ' (missed)');
  const memoryRatio = ws === undefined || full === undefined ? undefined : ws.retainedBytes / full.retainedBytes;
  // The fair comparison: a plain cached get timed in the same process, rounds interleaved.
  const hitRatio = ws?.plainGetNs === undefined ? undefined : ws.getNs / ws.plainGetNs;
  const rows = [
    `| retained heap, full cache | ${full === undefined ? '—' : mib(full.retainedBytes)} | 1× |`,
    `| retained heap, metadata-only cache | ${by.get('metadata') === undefined ? '—' : mib(by.get('metadata')?.retainedBytes ?? 0)} | ${ratio(by.get('metadata')?.retainedBytes, full?.retainedBytes)} |`,
    `| retained heap, working set (metadata + the read Secrets) | ${ws === undefined ? '—' : mib(ws.retainedBytes)} | ${ratio(ws?.retainedBytes, full?.retainedBytes)}, goal ≤ 0.05×${verdict(memoryRatio === undefined ? undefined : memoryRatio <= 0.05)} |`,
    `| initial sync, full / metadata / working set | ${fixed(full?.syncMs, 0)} / ${fixed(by.get('metadata')?.syncMs, 0)} / ${fixed(ws?.syncMs, 0)} ms | |`,
    `| get, plain cached (full cache, its own process) | ${fixed(full?.getNs, 0)} ns | |`,
    `| get, plain cached (the metadata informer, in the working-set process) | ${fixed(ws?.plainGetNs, 0)} ns | 1× |`,
    `| get, working-set hit | ${fixed(ws?.getNs, 0)} ns | ${ratio(ws?.getNs, ws?.plainGetNs)} of the plain get beside it, goal ≤ 2×${verdict(hitRatio === undefined ? undefined : hitRatio <= 2)} |`,
    `| get, working-set miss (one GET of the Secret) | ${fixed(ws?.missMs, 2)} ms | ${fixed(ws?.getsPerMiss, 2)} GET per miss |`,
    `| requests per update of a read Secret, read again (invalidate) | ${fixed(ws?.requestsPerReadUpdate, 2)} GET | |`,
    `| requests per update of a read Secret, not read again (invalidate) | ${fixed(ws?.requestsPerUnreadUpdate, 2)} GET | |`,
    `| requests per update of a read Secret, read again (refresh) | ${fixed(refresh?.requestsPerReadUpdate, 2)} GET | the read is a hit |`,
    `| requests per update of a read Secret, not read again (refresh) | ${fixed(refresh?.requestsPerUnreadUpdate, 2)} GET | |`,
    `| requests per update, full cache | 0 | the watch event carries the whole Secret |`,
  ];
  return [`Working set (${sizes})`, '', '| row | value | vs full / notes |', '|---|---:|---|', ...rows].join('\n');
}
