// Shared helpers of the fake APIServer tests: JSON requests and a line reader for watch streams.

import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import type { FakeApiServerOptions } from '../../src/testing/fake-apiserver/options.ts';

/** A parsed JSON value of unknown shape: tests assert on it directly. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes vary per test; the assertions check them
export type Loose = Record<string, any>;

/** A decoded JSON response. */
export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Loose;
  readonly text: string;
}

/** Starts a server (the caller stops it in `after`/`t.after`). */
export async function startServer(options?: FakeApiServerOptions): Promise<FakeApiServer> {
  return FakeApiServer.start(options);
}

/** Sends one request; `body` objects are JSON-encoded (Content-Type defaults to JSON). */
export async function request(
  server: FakeApiServer,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const res = await fetch(server.url + path, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: Loose = {};
  if (res.headers.get('content-type')?.startsWith('application/json') === true && text !== '') {
    parsed = JSON.parse(text) as Loose;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** One watch event as received. */
export interface ReceivedEvent {
  readonly type: string;
  readonly object: Loose;
}

/** A watch stream read line by line. */
export class WatchReader {
  readonly status: number;
  readonly headers: Headers;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #abort: AbortController;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #ended = false;
  /** Every raw line received so far. */
  readonly lines: string[] = [];

  constructor(status: number, headers: Headers, reader: ReadableStreamDefaultReader<Uint8Array>, abort: AbortController) {
    this.status = status;
    this.headers = headers;
    this.#reader = reader;
    this.#abort = abort;
  }

  /** The next event, or `undefined` when the server ended the stream. Rejects after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<ReceivedEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nl = this.#buffer.indexOf('\n');
      if (nl >= 0) {
        const line = this.#buffer.slice(0, nl);
        this.#buffer = this.#buffer.slice(nl + 1);
        this.lines.push(line);
        return JSON.parse(line) as ReceivedEvent;
      }
      if (this.#ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no watch event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no watch event within ${timeoutMs} ms`)), left);
      });
      try {
        const chunk = await Promise.race([this.#reader.read(), timeout]);
        if (chunk.done) this.#ended = true;
        else this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Reads events until one satisfies `pred`; rejects on timeout or stream end. */
  async until(pred: (e: ReceivedEvent) => boolean, timeoutMs = 5000): Promise<ReceivedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.next(Math.max(1, deadline - Date.now()));
      if (e === undefined) throw new Error('watch ended before the expected event');
      if (pred(e)) return e;
    }
  }

  /** Reads until the server ends the stream; returns the events seen on the way. */
  async drain(timeoutMs = 5000): Promise<ReceivedEvent[]> {
    const out: ReceivedEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.next(Math.max(1, deadline - Date.now()));
      if (e === undefined) return out;
      out.push(e);
    }
  }

  /** Closes the client side. */
  close(): void {
    this.#abort.abort();
  }
}

/** Opens a watch (the caller adds `watch=true` and the other parameters to `path`). */
export async function watch(server: FakeApiServer, path: string, headers: Record<string, string> = {}): Promise<WatchReader> {
  const abort = new AbortController();
  const res = await fetch(server.url + path, { headers, signal: abort.signal });
  if (res.body === null) throw new Error('watch response has no body');
  const reader = new WatchReader(res.status, res.headers, res.body.getReader(), abort);
  return reader;
}

/** A ConfigMap body. */
export function configMap(name: string, extra: { labels?: Record<string, string>; data?: Record<string, string>; namespace?: string } = {}): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name };
  if (extra.labels !== undefined) metadata['labels'] = extra.labels;
  if (extra.namespace !== undefined) metadata['namespace'] = extra.namespace;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: extra.data ?? { k: 'v' } };
}

/** Where CustomResourceDefinitions are created. */
export const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** The Content-Type of each patch type. */
export const PATCH = {
  apply: 'application/apply-patch+yaml',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;

/** What {@link exampleCrd} varies. */
export interface ExampleCrdOptions {
  readonly plural: string;
  readonly kind: string;
  readonly scope?: 'Namespaced' | 'Cluster';
  readonly shortNames?: readonly string[];
  /** The v1 schema. @default any object (x-kubernetes-preserve-unknown-fields) */
  readonly schema?: Record<string, unknown>;
  readonly subresources?: Record<string, unknown>;
}

/** A CRD `<plural>.example.com` (namespaced unless `scope` says otherwise) served and stored at v1. */
export function exampleCrd(options: ExampleCrdOptions): Record<string, unknown> {
  const { plural, kind } = options;
  const version = {
    name: 'v1',
    served: true,
    storage: true,
    schema: { openAPIV3Schema: options.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    ...(options.subresources === undefined ? {} : { subresources: options.subresources }),
  };
  const names = { plural, singular: kind.toLowerCase(), kind, ...(options.shortNames === undefined ? {} : { shortNames: options.shortNames }) };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com` },
    spec: { group: 'example.com', scope: options.scope ?? 'Namespaced', names, versions: [version] },
  };
}

/** Creates a CRD over HTTP; throws with the server's answer unless it is 201. */
export async function createCrd(server: FakeApiServer, crd: Record<string, unknown>): Promise<void> {
  const res = await request(server, 'POST', CRDS, { body: crd });
  if (res.status !== 201) throw new Error(`creating the CRD answered ${res.status}: ${res.text}`);
}

/** A server-side apply of `body` to the object at `path`, with `query` such as `fieldManager=a&force=true`. */
export async function apply(server: FakeApiServer, path: string, body: unknown, query = 'fieldManager=test'): Promise<JsonResponse> {
  return request(server, 'PATCH', `${path}?${query}`, { body, contentType: PATCH.apply });
}

/** The managedFields entry of `manager` in an object (with that `operation` when given), if any. */
export function managedEntry(obj: Loose, manager: string, operation?: 'Apply' | 'Update'): Loose | undefined {
  const entries = (obj['metadata'] as Loose | undefined)?.['managedFields'] as Loose[] | undefined;
  return entries?.find((e) => e['manager'] === manager && (operation === undefined || e['operation'] === operation));
}

/**
 * A CRD `databases.example.com` (kind Database, namespaced, v1) whose schema has a list map keyed by
 * `name` (spec.items), a set (spec.tags), an atomic map (spec.config) and a status with conditions
 * keyed by `type`; `statusSubresource` serves `/status`.
 */
export function databaseCrd(statusSubresource: boolean, plural = 'databases', kind = 'Database'): Record<string, unknown> {
  const string = { type: 'string' };
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          items: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: { type: 'object', required: ['name'], properties: { name: string, size: { type: 'integer' } } },
          },
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: string },
          config: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: string },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
      status: {
        type: 'object',
        properties: {
          phase: string,
          conditions: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['type'],
            items: { type: 'object', properties: { type: string, status: string } },
          },
        },
      },
    },
  };
  return exampleCrd({ plural, kind, schema, ...(statusSubresource ? { subresources: { status: {} } } : {}) });
}
