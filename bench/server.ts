// The lean bench APIServer: a child process replaying pre-serialised pods lists and watch events over HTTP.
//
// Started by bench/run.ts with `fork`, the data set spec as argv[2] (JSON). It reports
// `{ type: 'ready', port }` over IPC and exits when its parent disconnects. Only what the three
// contenders request is served: paginated and unpaginated LIST of /api/v1/pods (full or
// PartialObjectMetadata), WATCH from a resourceVersion, minimal discovery, and two control
// endpoints (`POST /bench/reset`, `POST /bench/release`) that hold back watch events until the
// measured process has synced and is ready to time them.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Dataset, decodeContinue, type DatasetSpec, type Representation } from './dataset.ts';

/** The page size the server prepares in advance (client-go's and kubecache's default). */
const PREPARED_PAGE_SIZE = 500;
/** Watch bytes written per `write` call: whole events, about what a busy apiserver flushes. */
const WRITE_BATCH_BYTES = 64 * 1024;

interface PendingWatch {
  readonly res: ServerResponse;
  readonly repr: Representation;
  readonly from: number;
}

function sendJson(res: ServerResponse, code: number, body: string | Buffer): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

function representationOf(req: IncomingMessage): Representation {
  return (req.headers.accept ?? '').includes('as=PartialObjectMetadata') ? 'metadata' : 'full';
}

const DISCOVERY: Record<string, string> = {
  '/api': JSON.stringify({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] }),
  '/apis': JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] }),
  '/api/v1': JSON.stringify({
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'], shortNames: ['po'] }],
  }),
  '/version': JSON.stringify({ major: '1', minor: '34', gitVersion: 'v1.34.0-bench' }),
};

/** Serves one data set; `released` gates the watch events. */
class BenchServer {
  readonly #data: Dataset;
  #released = false;
  #pending: PendingWatch[] = [];

  constructor(data: Dataset) {
    this.#data = data;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://bench');
    if (req.method === 'POST' && url.pathname === '/bench/reset') {
      this.#released = false;
      sendJson(res, 200, '{}');
    } else if (req.method === 'POST' && url.pathname === '/bench/release') {
      this.#released = true;
      for (const w of this.#pending.splice(0)) void this.#stream(w);
      sendJson(res, 200, '{}');
    } else if (req.method === 'GET' && url.pathname === '/api/v1/pods') {
      if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') this.#watch(req, url, res);
      else this.#list(req, url, res);
    } else if (req.method === 'GET' && DISCOVERY[url.pathname] !== undefined) {
      sendJson(res, 200, DISCOVERY[url.pathname] ?? '');
    } else {
      sendJson(res, 404, statusBody(404, 'NotFound', `the server could not find the requested resource ${url.pathname}`));
    }
  }

  #list(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const repr = representationOf(req);
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const token = url.searchParams.get('continue');
    if (!(limit > 0) && token === null) {
      sendJson(res, 200, this.#data.unpaginated(repr));
      return;
    }
    const start = token === null || token === '' ? 0 : decodeContinue(token);
    if (start === undefined) {
      sendJson(res, 400, statusBody(400, 'BadRequest', `invalid continue token: ${token ?? ''}`));
      return;
    }
    sendJson(res, 200, this.#data.page(repr, start, limit > 0 ? limit : this.#data.spec.pods));
  }

  #watch(req: IncomingMessage, url: URL, res: ServerResponse): void {
    if (url.searchParams.get('sendInitialEvents') === 'true') {
      sendJson(res, 400, statusBody(400, 'BadRequest', 'sendInitialEvents is not served by the bench server'));
      return;
    }
    const rv = url.searchParams.get('resourceVersion');
    const from = this.#data.firstEventAfter(rv === null || rv === '' || rv === '0' ? this.#data.lastResourceVersion : Number(rv));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const w: PendingWatch = { res, repr: representationOf(req), from };
    if (from >= this.#data.spec.events) return;
    if (this.#released) void this.#stream(w);
    else this.#pending.push(w);
    res.on('close', () => {
      this.#pending = this.#pending.filter((p) => p !== w);
    });
  }

  /** Writes the events from `w.from` on in batches of whole events, honouring back-pressure; then holds the stream open. */
  async #stream(w: PendingWatch): Promise<void> {
    const { bytes, offsets } = this.#data.events(w.repr);
    const total = this.#data.spec.events;
    let j = w.from;
    while (j < total && !w.res.destroyed) {
      const begin = offsets[j] ?? 0;
      let k = j + 1;
      while (k < total && (offsets[k + 1] ?? 0) - begin <= WRITE_BATCH_BYTES) k++;
      const ok = w.res.write(bytes.subarray(begin, offsets[k] ?? begin));
      j = k;
      if (!ok) await drained(w.res);
    }
  }
}

/** Resolves when `res` can take more data or has closed; removes both listeners either way. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function parseSpec(arg: string | undefined): DatasetSpec {
  if (arg === undefined) throw new TypeError('bench server: expected the data set spec (JSON) as the first argument');
  return JSON.parse(arg) as DatasetSpec;
}

function main(): void {
  const spec = parseSpec(process.argv[2]);
  const server = new BenchServer(new Dataset(spec, PREPARED_PAGE_SIZE));
  const http = createServer({ keepAliveTimeout: 60_000 }, (req, res) => server.handle(req, res));
  http.listen(0, '127.0.0.1', () => {
    const { port } = http.address() as AddressInfo;
    if (process.send === undefined) console.log(JSON.stringify({ type: 'ready', port }));
    else process.send({ type: 'ready', port });
  });
  // The parent owns this process: when it goes away (or says stop) the server must not linger.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (msg) => {
    if (typeof msg === 'object' && msg !== null && 'type' in msg && msg.type === 'stop') process.exit(0);
  });
}

main();
