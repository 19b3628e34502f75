// The lean bench APIServer: a child process replaying pre-serialised pods lists and watch events over HTTP.
//
// Started by bench/run.ts with `fork`, the data set spec as argv[2] (JSON). It reports
// `{ type: 'ready', port }` over IPC and exits when its parent disconnects. It serves LIST and
// WATCH of /api/v1/pods (full or PartialObjectMetadata) by a real APIServer's rules — the LIST
// rules are the fake APIServer's own (`planListRead`): rv=0 in one body whatever the limit,
// rv=N with a limit and no match exactly at N, "not older than" otherwise, 410 for compacted
// versions — plus minimal discovery and control endpoints:
// - `POST /bench/reset[?fault=drop|410|500&after=K]` holds the watch events back again and
//   arms a fault for the watch that is open at the next release: after K events it ends
//   cleanly, sends a 410 Expired ERROR event (and compacts history to the newest version), or
//   sends a 500 InternalError ERROR event, as real servers do;
// - `POST /bench/release` applies every watch event to the server's state and streams them;
// - `GET /bench/stats` returns the LIST and WATCH requests and response bytes since the fault,
//   and the size of one full list of the current state.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusError } from '../src/api/errors.ts';
import { continueTooOld, listTooOld, parseResourceVersion, planListRead } from '../src/testing/fake-apiserver/list.ts';
import * as status from '../src/testing/fake-apiserver/status.ts';
import { Dataset, type DatasetSpec, type Representation } from './dataset.ts';

/** Watch bytes written per `write` call: whole events, about what a busy apiserver flushes. */
const WRITE_BATCH_BYTES = 64 * 1024;

/** The faults `POST /bench/reset` can arm. */
export type WatchFault = 'drop' | '410' | '500';

/** What `GET /bench/stats` answers. */
export interface RecoveryStats {
  readonly lists: number;
  readonly watches: number;
  readonly bytes: number;
  /** Bytes of one unpaginated list of the current state (full objects). */
  readonly fullListBytes: number;
  /** Bytes of the watch events after the fault (full objects): what a re-watch reads. */
  readonly missedEventBytes: number;
  readonly faulted: boolean;
}

interface PendingWatch {
  readonly res: ServerResponse;
  readonly repr: Representation;
  readonly from: number;
  /** Objects sent as ADDED first (a watch from "" or "0"). */
  readonly initial: Buffer | undefined;
}

function sendJson(res: ServerResponse, code: number, body: string | Buffer): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function representationOf(req: IncomingMessage): Representation {
  return (req.headers.accept ?? '').includes('as=PartialObjectMetadata') ? 'metadata' : 'full';
}

function errorEvent(code: number, reason: string, message: string): Buffer {
  const object = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  return Buffer.from(`${JSON.stringify({ type: 'ERROR', object })}\n`);
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
  #fault: { readonly kind: WatchFault; readonly after: number } | undefined;
  // Watches from below this version get a 410 ERROR event, lists exactly at one a 410.
  #oldestWatchable: number;
  #stats = { lists: 0, watches: 0, bytes: 0, missedEventBytes: 0, faulted: false };

  constructor(data: Dataset) {
    this.#data = data;
    this.#oldestWatchable = data.listResourceVersion;
  }

  /** The events the server's state has applied: none until the release, then all. */
  get #current(): number {
    return this.#released ? this.#data.spec.events : 0;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://bench');
    if (req.method === 'POST' && url.pathname === '/bench/reset') {
      this.#reset(url);
      sendJson(res, 200, '{}');
    } else if (req.method === 'POST' && url.pathname === '/bench/release') {
      this.#released = true;
      for (const w of this.#pending.splice(0)) void this.#stream(w);
      sendJson(res, 200, '{}');
    } else if (req.method === 'GET' && url.pathname === '/bench/stats') {
      const stats: RecoveryStats = { ...this.#stats, fullListBytes: this.#data.list('full', this.#current, 0, 0).length };
      sendJson(res, 200, JSON.stringify(stats));
    } else if (req.method === 'GET' && url.pathname === '/api/v1/pods') {
      const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
      try {
        if (watch) this.#watch(req, url, res);
        else this.#list(req, url, res);
      } catch (err) {
        if (!(err instanceof StatusError)) throw err;
        const body = JSON.stringify(err.status);
        this.#count(watch ? 'watches' : 'lists', Buffer.byteLength(body));
        sendJson(res, err.status.code ?? 500, body);
      }
    } else if (req.method === 'GET' && DISCOVERY[url.pathname] !== undefined) {
      sendJson(res, 200, DISCOVERY[url.pathname] ?? '');
    } else {
      status.writePageNotFound(res);
    }
  }

  #reset(url: URL): void {
    this.#released = false;
    this.#oldestWatchable = this.#data.listResourceVersion;
    this.#stats = { lists: 0, watches: 0, bytes: 0, missedEventBytes: 0, faulted: false };
    const kind = url.searchParams.get('fault');
    this.#fault = kind === 'drop' || kind === '410' || kind === '500' ? { kind, after: Number(url.searchParams.get('after') ?? '0') } : undefined;
  }

  #count(kind: 'lists' | 'watches', bytes: number): void {
    if (!this.#stats.faulted) return;
    this.#stats[kind]++;
    this.#stats.bytes += bytes;
  }

  #list(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const query: Record<string, string> = {};
    for (const name of ['resourceVersion', 'resourceVersionMatch', 'limit', 'continue']) {
      const value = q.get(name);
      if (value !== null) query[name] = value;
    }
    const plan = planListRead(query, this.#data.resourceVersionOf(this.#current));
    const repr = representationOf(req);
    let body: Buffer;
    if (plan.at === 'current') {
      body = this.#data.list(repr, this.#current, 0, plan.limit);
    } else {
      const snapshot = this.#snapshotAt(plan.rv === -1 ? this.#data.resourceVersionOf(this.#current) : plan.rv);
      if (snapshot === undefined) throw plan.at === 'continue' ? continueTooOld(plan.start) : listTooOld();
      body = this.#data.list(repr, snapshot, plan.at === 'continue' ? this.#data.positionAfter(plan.start) : 0, plan.limit);
    }
    this.#count('lists', body.length);
    sendJson(res, 200, body);
  }

  /** The state at exactly `rv` (as events applied), unless it is compacted away; rv is never newer than the current one. */
  #snapshotAt(rv: number): number | undefined {
    return rv < this.#oldestWatchable ? undefined : rv - this.#data.listResourceVersion;
  }

  #watch(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    if (q.get('sendInitialEvents') !== null || q.get('resourceVersionMatch') !== null) {
      const field = q.get('sendInitialEvents') !== null ? 'sendInitialEvents' : 'resourceVersionMatch';
      // What a server without the WatchList feature answers; clients fall back to LIST+WATCH.
      throw status.invalidListOptions(field, 'FieldValueForbidden', `Forbidden: ${field} is forbidden for watch unless the WatchList feature gate is enabled`);
    }
    const raw = q.get('resourceVersion') ?? '';
    const rv = parseResourceVersion(raw, (m) => status.invalidListOptions('resourceVersion', 'FieldValueInvalid', `Invalid value: ${JSON.stringify(raw)}: ${m}`));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const repr = representationOf(req);
    if (rv !== 0 && rv < this.#oldestWatchable) {
      const line = errorEvent(410, 'Expired', `too old resource version: ${rv} (${this.#oldestWatchable})`);
      this.#count('watches', line.length);
      res.end(line);
      return;
    }
    const initial = rv === 0 ? this.#data.addedEvents(repr, this.#current) : undefined;
    const from = this.#data.firstEventAfter(rv === 0 ? this.#data.resourceVersionOf(this.#current) : rv);
    this.#count('watches', initial?.length ?? 0);
    const w: PendingWatch = { res, repr, from, initial };
    if (initial !== undefined) res.write(initial);
    if (from >= this.#data.spec.events) return;
    if (this.#released) void this.#stream(w);
    else this.#pending.push(w);
    res.on('close', () => {
      this.#pending = this.#pending.filter((p) => p !== w);
    });
  }

  /** Writes the events from `w.from` on in batches of whole events, honouring back-pressure; then holds the stream open or injects the armed fault. */
  async #stream(w: PendingWatch): Promise<void> {
    const { bytes, offsets } = this.#data.events(w.repr);
    const fault = this.#stats.faulted ? undefined : this.#fault;
    const total = fault === undefined ? this.#data.spec.events : Math.min(this.#data.spec.events, w.from + fault.after);
    let j = w.from;
    while (j < total && !w.res.destroyed) {
      const begin = offsets[j] ?? 0;
      let k = j + 1;
      while (k < total && (offsets[k + 1] ?? 0) - begin <= WRITE_BATCH_BYTES) k++;
      const chunk = bytes.subarray(begin, offsets[k] ?? begin);
      this.#stats.bytes += this.#stats.faulted ? chunk.length : 0;
      const ok = w.res.write(chunk);
      j = k;
      if (!ok) await drained(w.res);
    }
    if (fault === undefined || w.res.destroyed) return;
    const { bytes: full, offsets: at } = this.#data.events('full');
    this.#stats.missedEventBytes = full.length - (at[total] ?? full.length);
    this.#inject(fault.kind, w.res);
  }

  #inject(kind: WatchFault, res: ServerResponse): void {
    this.#stats.faulted = true;
    let line: Buffer | undefined;
    if (kind === '410') {
      // The watch cache's window moved past this watcher: nothing older than now can be watched.
      this.#oldestWatchable = this.#data.resourceVersionOf(this.#data.spec.events);
      line = errorEvent(410, 'Expired', `too old resource version: ${this.#data.listResourceVersion} (${this.#oldestWatchable})`);
    } else if (kind === '500') {
      line = errorEvent(500, 'InternalError', 'Internal error occurred: etcdserver: leader changed');
    }
    if (line === undefined) {
      res.end();
      return;
    }
    this.#stats.bytes += line.length;
    res.end(line);
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
  const server = new BenchServer(new Dataset(spec));
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
