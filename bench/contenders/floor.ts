// The parse floor: the same HTTP reads as an informer with nothing on top — newline split, JSON.parse, Map.set.
// It lists as the reflector does (resourceVersion=0, limit 500), so it reads the same one-body list.

import http from 'node:http';
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

/** Sends a GET with node:http (the lightest client Node has) and resolves with the 200 response. */
function get(agent: http.Agent, url: string, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, signal }, (res) => {
      if (res.statusCode === 200) resolve(res);
      else {
        res.resume();
        reject(new Error(`floor: GET ${url} answered ${res.statusCode ?? 'nothing'}`));
      }
    });
    req.on('error', reject);
  });
}

async function getJson<T>(agent: http.Agent, url: string, signal: AbortSignal): Promise<T> {
  const res = await get(agent, url, signal);
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

/** The floor contender: the least work any cache must do to hold the same objects. */
class FloorSession implements Session {
  readonly #options: SessionOptions;
  readonly #objects = new Map<string, BenchPod>();
  readonly #abort = new AbortController();
  readonly #agent = new http.Agent({ keepAlive: true });
  #watchDone: Promise<void> = Promise.resolve();

  constructor(options: SessionOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const base = `${this.#options.server}/api/v1/pods`;
    let token = '';
    let rv = '';
    do {
      // The reflector's first request: rv=0 (any cached state) with a limit, which a real
      // server answers in one body; continue pages only if it pages anyway.
      const url = `${base}?limit=${PAGE_SIZE}${token === '' ? '&resourceVersion=0' : `&continue=${token}`}`;
      const page = await getJson<PodListJson>(this.#agent, url, this.#abort.signal);
      for (const item of page.items) this.#objects.set(keyOf(item), item);
      rv = page.metadata.resourceVersion ?? '';
      token = page.metadata.continue ?? '';
    } while (token !== '');
    const res = await get(this.#agent, `${base}?watch=true&resourceVersion=${rv}`, this.#abort.signal);
    this.#watchDone = this.#consume(res);
  }

  /** Decodes the stream to text (one decoder, so multi-byte characters survive chunk cuts), splits on newlines, parses each line. */
  async #consume(res: http.IncomingMessage): Promise<void> {
    const handlers = this.#options.handlers;
    const onUpdate = this.#options.onUpdate;
    res.setEncoding('utf8');
    let rest = '';
    try {
      for await (const chunk of res) {
        const text = rest + (chunk as string);
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
    this.#agent.destroy();
  }
}

/** Builds the floor session; only the full representation exists for it. */
export function createFloorSession(options: SessionOptions): Promise<Session> {
  if (options.mode !== 'full') return Promise.reject(new UnsupportedScenarioError(`floor has no ${options.mode} mode`));
  return Promise.resolve(new FloorSession(options));
}
