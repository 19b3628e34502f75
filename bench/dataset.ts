// Pre-serialised list pages and watch events of one benchmark data set, built once per server process.

import { makePod, type PodLayout } from './pods.ts';

/** What a bench server serves: `pods` objects listed at one version, then `events` MODIFIED events. */
export interface DatasetSpec extends PodLayout {
  /** MODIFIED events replayed by the first watch (0 = the watch stays quiet). */
  readonly events: number;
}

/** The two object shapes the server can answer with (the second for metadata-only informers). */
export type Representation = 'full' | 'metadata';

/** The watch events of one representation: one NDJSON buffer, event `j` spans offsets[j]..offsets[j+1]. */
export interface EventStream {
  readonly bytes: Buffer;
  readonly offsets: Float64Array;
}

/** The resource version of the initial list; event `j` carries `LIST_BASE + pods + 1 + j`. */
const LIST_BASE = 1000;

const META_PREFIX = '{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":';

/**
 * A data set with every byte the server sends prepared in advance, so serving is a buffer write.
 * Pages for page sizes other than the prepared one are built on first request and kept.
 */
export class Dataset {
  readonly spec: DatasetSpec;
  /** The list's resourceVersion (every page reports it). */
  readonly listResourceVersion: number;
  readonly #items: Record<Representation, string[]>;
  readonly #pages = new Map<string, Buffer>();
  readonly #unpaginated = new Map<Representation, Buffer>();
  readonly #events: Record<Representation, EventStream>;

  constructor(spec: DatasetSpec, preparedPageSize: number) {
    this.spec = spec;
    this.listResourceVersion = LIST_BASE + spec.pods;
    const full: string[] = [];
    const metadata: string[] = [];
    for (let i = 0; i < spec.pods; i++) {
      const pod = makePod(i, LIST_BASE + 1 + i, spec);
      full.push(JSON.stringify(pod));
      metadata.push(`${META_PREFIX}${JSON.stringify(pod.metadata)}}`);
    }
    this.#items = { full, metadata };
    this.#events = { full: this.#buildEvents('full'), metadata: this.#buildEvents('metadata') };
    for (const repr of ['full', 'metadata'] as const) {
      this.unpaginated(repr);
      for (let start = 0; start < spec.pods; start += preparedPageSize) this.page(repr, start, preparedPageSize);
    }
  }

  /** The resourceVersion of the last watch event (the list's version when there are none). */
  get lastResourceVersion(): number {
    return this.listResourceVersion + this.spec.events;
  }

  /** The whole collection as one list (what an unpaginated GET returns). */
  unpaginated(repr: Representation): Buffer {
    let buf = this.#unpaginated.get(repr);
    if (buf === undefined) {
      buf = this.#listBytes(repr, 0, this.spec.pods, undefined);
      this.#unpaginated.set(repr, buf);
    }
    return buf;
  }

  /** The page of `limit` items starting at item `start`, with a continue token when more follow. */
  page(repr: Representation, start: number, limit: number): Buffer {
    const key = `${repr}|${start}|${limit}`;
    let buf = this.#pages.get(key);
    if (buf === undefined) {
      const end = Math.min(this.spec.pods, start + limit);
      buf = this.#listBytes(repr, start, end, end < this.spec.pods ? encodeContinue(this.listResourceVersion, end) : undefined);
      this.#pages.set(key, buf);
    }
    return buf;
  }

  /** The events of one representation. */
  events(repr: Representation): EventStream {
    return this.#events[repr];
  }

  /** Index of the first event newer than `resourceVersion` (events.length when none is). */
  firstEventAfter(resourceVersion: number): number {
    return Math.min(this.spec.events, Math.max(0, resourceVersion - this.listResourceVersion));
  }

  #listBytes(repr: Representation, start: number, end: number, token: string | undefined): Buffer {
    const kind = repr === 'full' ? '"kind":"PodList","apiVersion":"v1"' : '"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1"';
    const remaining = this.spec.pods - end;
    const meta =
      token === undefined
        ? `{"resourceVersion":"${this.listResourceVersion}"}`
        : `{"resourceVersion":"${this.listResourceVersion}","continue":"${token}","remainingItemCount":${remaining}}`;
    return Buffer.from(`{${kind},"metadata":${meta},"items":[${this.#items[repr].slice(start, end).join(',')}]}`);
  }

  #buildEvents(repr: Representation): EventStream {
    const lines: Buffer[] = [];
    const offsets = new Float64Array(this.spec.events + 1);
    let at = 0;
    for (let j = 0; j < this.spec.events; j++) {
      const pod = makePod(j % this.spec.pods, this.listResourceVersion + 1 + j, this.spec);
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

/** A continue token shaped like the apiserver's (base64url JSON); `start` carries the next item index. */
export function encodeContinue(resourceVersion: number, start: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: resourceVersion, start: String(start) })).toString('base64url');
}

/** The item index a continue token points at, or undefined when it is not one of ours. */
export function decodeContinue(token: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || !('start' in parsed)) return undefined;
    const start = Number(parsed.start);
    return Number.isInteger(start) && start >= 0 ? start : undefined;
  } catch (err) {
    // A token that is not base64url JSON is a client error the caller answers with 400.
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
