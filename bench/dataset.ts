// Pre-serialised list bodies and watch events of one benchmark data set, built once per server process.

import { encodeContinue } from '../src/testing/fake-apiserver/continue-token.ts';
import { lowerBound } from '../src/testing/fake-apiserver/store.ts';
import { makePod, namespaceOf, podName, type BenchPod, type PodLayout } from './pods.ts';
import { makeRealisticPod } from './realistic-pod.ts';

/** The two pod shapes: `lean` (pods.ts, ~1.8 KB, half metadata) and `realistic` (realistic-pod.ts, ~10 KB). */
export type PodShape = 'lean' | 'realistic';

/** What a bench server serves: `pods` objects listed at one version, then `events` MODIFIED events. */
export interface DatasetSpec extends PodLayout {
  /** MODIFIED events replayed by the first watch (0 = the watch stays quiet). */
  readonly events: number;
  readonly shape: PodShape;
}

/** The two object shapes the server can answer with (the second for metadata-only informers). */
export type Representation = 'full' | 'metadata';


/** The watch events of one representation: one NDJSON buffer, event `j` spans offsets[j]..offsets[j+1]. */
export interface EventStream {
  readonly bytes: Buffer;
  readonly offsets: Float64Array;
}

/** The resource version of pod `i` as first created; the list's version is `LIST_BASE + pods`. */
const LIST_BASE = 1000;

const META_PREFIX = '{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":';

/** Builds pod `i` at `resourceVersion` in the shape the spec asks for. */
export function podOf(spec: DatasetSpec, i: number, resourceVersion: number): BenchPod {
  return spec.shape === 'realistic' ? makeRealisticPod(i, resourceVersion, spec) : makePod(i, resourceVersion, spec);
}

/** The list's resource version: every pod was created once, in index order, before it. */
export function listResourceVersionOf(spec: DatasetSpec): number {
  return LIST_BASE + spec.pods;
}

/** Event `j` modifies pod `j % pods` at `listResourceVersion + 1 + j`. */
export function eventResourceVersion(spec: DatasetSpec, j: number): number {
  return listResourceVersionOf(spec) + 1 + j;
}

/** The resource version pod `i` has once the first `applied` events happened. */
export function podResourceVersion(spec: DatasetSpec, i: number, applied: number): number {
  if (applied <= i) return LIST_BASE + 1 + i;
  const last = i + spec.pods * Math.floor((applied - 1 - i) / spec.pods);
  return eventResourceVersion(spec, last);
}

/**
 * A data set with the bytes the server sends prepared in advance, so serving is a buffer write.
 * Items are in storage-key order (namespace/name), as a real server lists them. A state is
 * named by how many watch events it has `applied` (0 = as listed); states other than the
 * listed one are built on first request and kept.
 */
export class Dataset {
  readonly spec: DatasetSpec;
  /** The version of the `listed` state (every page of it reports this). */
  readonly listResourceVersion: number;
  /** Storage keys (`namespace/name`) in order; position `p` holds pod `#order[p]`. */
  readonly keys: readonly string[];
  readonly #order: readonly number[];
  readonly #items = new Map<string, string[]>();
  readonly #bodies = new Map<string, Buffer>();
  readonly #events: Record<Representation, EventStream>;

  constructor(spec: DatasetSpec) {
    this.spec = spec;
    this.listResourceVersion = listResourceVersionOf(spec);
    const byKey = Array.from({ length: spec.pods }, (_, i) => ({ i, key: `${namespaceOf(i, spec)}/${podName(i)}` }));
    byKey.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.keys = byKey.map((e) => e.key);
    this.#order = byKey.map((e) => e.i);
    this.#events = { full: this.#buildEvents('full'), metadata: this.#buildEvents('metadata') };
    for (const repr of ['full', 'metadata'] as const) this.list(repr, 0, 0, 0);
  }

  /** The version of the state after `applied` events. */
  resourceVersionOf(applied: number): number {
    return this.listResourceVersion + applied;
  }

  /**
   * The list body of `limit` items (0 = all) from key position `from` of a state, with a continue
   * token and remainingItemCount when more follow, as the real server words them.
   */
  list(repr: Representation, applied: number, from: number, limit: number): Buffer {
    const cacheKey = `${repr}|${applied}|${from}|${limit}`;
    let body = this.#bodies.get(cacheKey);
    if (body === undefined) {
      const items = this.#itemsOf(repr, applied);
      const end = limit > 0 ? Math.min(items.length, from + limit) : items.length;
      const rv = this.resourceVersionOf(applied);
      const kind = repr === 'full' ? '"kind":"PodList","apiVersion":"v1"' : '"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1"';
      const more = end < items.length ? `,"continue":"${encodeContinue({ rv, start: `${this.keys[end - 1] ?? ''}\u0000` })}","remainingItemCount":${items.length - end}` : '';
      body = Buffer.from(`{${kind},"metadata":{"resourceVersion":"${rv}"${more}},"items":[${items.slice(from, end).join(',')}]}`);
      // Whole lists are asked for again and again; single pages of other sizes rarely are.
      if (limit === 0 || from === 0) this.#bodies.set(cacheKey, body);
    }
    return body;
  }

  /** The key position a continue token's start key points at. */
  positionAfter(startKey: string): number {
    return lowerBound(this.keys, startKey);
  }

  /** Every object of a state as watch ADDED lines (what a watch from "" or "0" sends first). */
  addedEvents(repr: Representation, applied: number): Buffer {
    const cacheKey = `added|${repr}|${applied}`;
    let body = this.#bodies.get(cacheKey);
    if (body === undefined) {
      const head = repr === 'full' ? '{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1",' : '{"type":"ADDED","object":';
      // List items of a typed list carry no kind; watch objects always do.
      const lines = this.#itemsOf(repr, applied).map((item) => (repr === 'full' ? `${head}${item.slice(1)}}\n` : `${head}${item}}\n`));
      body = Buffer.from(lines.join(''));
      this.#bodies.set(cacheKey, body);
    }
    return body;
  }

  /** The events of one representation. */
  events(repr: Representation): EventStream {
    return this.#events[repr];
  }

  /** Index of the first event newer than `resourceVersion` (events.length when none is). */
  firstEventAfter(resourceVersion: number): number {
    return Math.min(this.spec.events, Math.max(0, resourceVersion - this.listResourceVersion));
  }

  #itemsOf(repr: Representation, applied: number): string[] {
    const cacheKey = `${repr}|${applied}`;
    let items = this.#items.get(cacheKey);
    if (items === undefined) {
      items = this.#order.map((i) => {
        const pod = podOf(this.spec, i, podResourceVersion(this.spec, i, applied));
        return repr === 'full' ? JSON.stringify(pod) : `${META_PREFIX}${JSON.stringify(pod.metadata)}}`;
      });
      this.#items.set(cacheKey, items);
    }
    return items;
  }

  #buildEvents(repr: Representation): EventStream {
    const lines: Buffer[] = [];
    const offsets = new Float64Array(this.spec.events + 1);
    let at = 0;
    for (let j = 0; j < this.spec.events; j++) {
      const pod = podOf(this.spec, j % this.spec.pods, eventResourceVersion(this.spec, j));
      const object =
        repr === 'full' ? JSON.stringify({ kind: 'Pod', apiVersion: 'v1', ...pod }) : `${META_PREFIX}${JSON.stringify(pod.metadata)}}`;
      const line = Buffer.from(`{"type":"MODIFIED","object":${object}}\n`);
      offsets[j] = at;
      at += line.length;
      lines.push(line);
    }
    offsets[this.spec.events] = at;
    return { bytes: Buffer.concat(lines, at), offsets };
  }
}
