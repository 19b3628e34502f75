// The parse floor: the same HTTP reads as an informer with nothing on top — newline split, JSON.parse, Map.set.

import type { BenchPod } from '../pods.ts';
import { keyOf, UnsupportedScenarioError, type Session, type SessionOptions } from '../contender.ts';

const PAGE_SIZE = 500;

interface PodListJson {
  metadata: { resourceVersion?: string; continue?: string };
  items: BenchPod[];
}

interface WatchEventJson {
  type: string;
  object: BenchPod;
}

async function getJson<T>(url: string, signal: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal });
  if (res.status !== 200) throw new Error(`floor: GET ${url} answered ${res.status}`);
  return JSON.parse(await res.text()) as T;
}

/** The floor contender: the least work any cache must do to hold the same objects. */
class FloorSession implements Session {
  readonly #options: SessionOptions;
  readonly #objects = new Map<string, BenchPod>();
  readonly #abort = new AbortController();
  #watchDone: Promise<void> = Promise.resolve();

  constructor(options: SessionOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const base = `${this.#options.server}/api/v1/pods`;
    let token = '';
    let rv = '';
    do {
      const page = await getJson<PodListJson>(`${base}?limit=${PAGE_SIZE}${token === '' ? '' : `&continue=${token}`}`, this.#abort.signal);
      for (const item of page.items) this.#objects.set(keyOf(item), item);
      rv = page.metadata.resourceVersion ?? '';
      token = page.metadata.continue ?? '';
    } while (token !== '');
    const res = await fetch(`${base}?watch=true&resourceVersion=${rv}`, { signal: this.#abort.signal });
    if (res.status !== 200 || res.body === null) throw new Error(`floor: watch answered ${res.status}`);
    this.#watchDone = this.#consume(res.body);
  }

  async #consume(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    const handlers = this.#options.handlers;
    const onUpdate = this.#options.onUpdate;
    let rest = '';
    try {
      for await (const chunk of body) {
        const text = rest + decoder.decode(chunk, { stream: true });
        let from = 0;
        for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
          const event = JSON.parse(text.slice(from, nl)) as WatchEventJson;
          this.#objects.set(keyOf(event.object), event.object);
          for (let h = 0; h < handlers; h++) onUpdate(h);
          from = nl + 1;
        }
        rest = text.slice(from);
      }
    } catch (err) {
      // Aborting the watch is how stop() ends it; anything else is a real failure.
      if (!this.#abort.signal.aborted) throw err;
    }
  }

  handlersSynced(): Promise<void> {
    return Promise.resolve();
  }

  size(): number {
    return this.#objects.size;
  }

  get(namespace: string, name: string): unknown {
    return this.#objects.get(`${namespace}/${name}`);
  }

  listNamespace(): readonly unknown[] {
    throw new UnsupportedScenarioError('the floor keeps no namespace index');
  }

  readonly byNode = undefined;

  scanNode(node: string): readonly unknown[] {
    const out: BenchPod[] = [];
    for (const pod of this.#objects.values()) if (pod.spec?.nodeName === node) out.push(pod);
    return out;
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#watchDone;
  }
}

/** Builds the floor session; only the full representation exists for it. */
export function createFloorSession(options: SessionOptions): Promise<Session> {
  if (options.mode !== 'full') return Promise.reject(new UnsupportedScenarioError(`floor has no ${options.mode} mode`));
  return Promise.resolve(new FloorSession(options));
}
