// What a cached object costs, full versus metadata-only, measured as the JSON bytes of the objects the cache holds.

import type { Cache, DeepReadonly, KubeObject } from '../../src/index.ts';
import type { Reporter } from './render.ts';
import type { WatchedKind } from './progress.ts';

/**
 * How the demo measures: the UTF-8 bytes of `JSON.stringify` of each cached object, averaged.
 * Retained heap follows the same proportion (V8 keeps roughly the same fields), and unlike heap
 * deltas this number does not depend on when the garbage collector last ran.
 */
export const MEMORY_METHOD = 'JSON bytes per cached object';

/** Average JSON bytes of `objects`; 0 when there are none. */
export function jsonBytesPerObject(objects: readonly DeepReadonly<KubeObject>[]): number {
  if (objects.length === 0) return 0;
  let bytes = 0;
  for (const obj of objects) bytes += Buffer.byteLength(JSON.stringify(obj));
  return Math.round(bytes / objects.length);
}

/** Reports the bytes per object of each of `kinds`, read from the cache. */
export async function reportMemory(cache: Cache, kinds: readonly WatchedKind[], reporter: Reporter): Promise<void> {
  for (const watched of kinds) {
    const objects = await cache.list(watched.kind);
    if (objects.length === 0) continue;
    reporter.print({
      type: 'memory',
      kind: watched.label,
      objects: objects.length,
      bytesPerObject: jsonBytesPerObject(objects),
      method: MEMORY_METHOD,
    });
  }
}
