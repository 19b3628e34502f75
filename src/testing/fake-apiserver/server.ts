// The fake APIServer: an HTTP(S) server on loopback speaking the Kubernetes API wire protocol.

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { realClock } from '../../api/clock.ts';
import { StatusError } from '../../api/errors.ts';
import { isPathSegmentName } from '../../api/validation.ts';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  discoveryETag,
  VERSION_INFO,
  type AggregatedVersion,
  type DiscoveryRoot,
} from './discovery.ts';
import { Faults } from './faults.ts';
import { queryBool, sendJson, type HandlerContext } from './handlers.ts';
import { makeKubeConfig, makeKubeConfigYaml } from './kubeconfig.ts';
import { negotiateDiscovery } from './negotiate.ts';
import { ObjectApi } from './objects.ts';
import { serveOpenApi } from './openapi.ts';
import { resolveOptions, type FakeApiServerOptions, type ResolvedFakeApiServerOptions } from './options.ts';
import { ResourceRegistry, type ResourceType } from './registry.ts';
import { RequestLog } from './request-log.ts';
import { readRequestBody } from './request-body.ts';
import { parseRequestTarget, route, type DiscoveryRoute, type RequestTarget, type ResourceRoute } from './router.ts';
import * as status from './status.ts';
import { ObjectStore } from './store.ts';
import { dispatchResource, findSubresource } from './subresources.ts';
import { generateTlsMaterial, type TlsMaterial } from './tls.ts';
import { WatchHub } from './watch.ts';

// Health endpoints that readiness waiters poll; they answer "ok" like the real server.
const HEALTH_PATHS = new Set(['/healthz', '/readyz', '/livez']);

const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function verbOf(method: string, r: ResourceRoute, query: URLSearchParams): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return r.name !== undefined ? 'get' : queryBool(query, 'watch') === true ? 'watch' : 'list';
    case 'POST':
      // A named POST creates a subresource (an Eviction); on the object itself it is unsupported.
      return r.name === undefined || r.subresource !== undefined ? 'create' : 'unsupported';
    case 'PUT':
      return r.name === undefined ? 'unsupported' : 'update';
    case 'PATCH':
      return r.name === undefined ? 'unsupported' : 'patch';
    case 'DELETE':
      return r.name === undefined ? 'deletecollection' : 'delete';
    default:
      return 'unsupported';
  }
}

// What the real registry and storage make of the names in a path, which no one cleans: a name
// that is not a path segment is a 400; a `.` or `..` namespace yields a storage key that etcd's
// key check refuses (500). A create into such a namespace fails earlier, on the namespace lookup.
function checkStorageKey(r: ResourceRoute, rt: ResourceType, verb: string): void {
  if (r.name !== undefined) {
    const problems = isPathSegmentName(r.name);
    if (problems.length > 0) throw status.invalidPathName(r.name, problems);
  }
  if (verb !== 'create' && (r.namespace === '.' || r.namespace === '..')) {
    throw status.invalidStorageKey(`/${rt.resource}/${r.namespace}${r.name === undefined ? '' : `/${r.name}`}`);
  }
}

/**
 * A fake Kubernetes APIServer for tests: discovery, CRUD, list and watch with the real
 * semantics (one global resourceVersion, selectors, pagination, bookmarks, 410s,
 * PartialObjectMetadata, CRDs), server-side apply with field ownership, fault injection, and
 * direct object access without HTTP. It binds loopback only (unless told otherwise) and
 * answers `kubectl` and client-node unchanged.
 *
 * Documented deviations (README.md beside this file): no defaulting; no garbage
 * collection (propagation policies act as Background); pods are deleted at once (no kubelet);
 * Namespaces are removed with their contents immediately (no Terminating phase unless finalizers).
 *
 * @example
 * const server = await FakeApiServer.start();
 * server.objects.create('configmaps', { metadata: { name: 'a', namespace: 'default' } });
 * const kc = server.kubeConfig();
 * await server.stop();
 * @category Testing
 */
export class FakeApiServer {
  /** The served resource types (built-ins and registered CRDs). */
  readonly registry = new ResourceRegistry();
  /** Objects, the global resourceVersion and event history. */
  readonly store: ObjectStore;
  /** Direct object access with the API's write semantics, no HTTP. */
  readonly objects: ObjectApi;
  /** Fault switches. */
  readonly faults: Faults;
  /** Every request received. */
  readonly requests = new RequestLog();
  /** The open watches. */
  readonly watches = new WatchHub();
  readonly #options: ResolvedFakeApiServerOptions;
  readonly #tls: TlsMaterial | undefined;
  readonly #sockets = new Set<Socket>();
  // The accepted bearer tokens, the current one last; undefined = no authentication.
  #tokens: readonly string[] | undefined;
  #server: Server | undefined;
  #port = 0;
  // Aborted when the server stops, so that requests waiting out injected latency let go of their timers.
  #serving = new AbortController();

  private constructor(options: ResolvedFakeApiServerOptions, tls: TlsMaterial | undefined) {
    this.#options = options;
    this.#tls = tls;
    this.#tokens = options.token === undefined ? undefined : [options.token];
    this.store = new ObjectStore(options.historyWindow);
    this.objects = new ObjectApi(this.registry, this.store, { resourceRemoved: (rt) => this.watches.closeResource(rt) });
    this.faults = new Faults({
      dropWatches: (abrupt) => {
        const n = this.watches.size;
        this.watches.closeAll(abrupt ? 'abrupt' : 'clean');
        return n;
      },
      compact: () => this.store.compact(),
    });
    for (const name of INITIAL_NAMESPACES) this.objects.create('namespaces', { metadata: { name } });
  }

  /** Starts a server; resolves once it listens. */
  static async start(options?: FakeApiServerOptions): Promise<FakeApiServer> {
    const resolved = resolveOptions(options);
    const tls = resolved.tls ? await generateTlsMaterial() : undefined;
    const server = new FakeApiServer(resolved, tls);
    await server.#listen(resolved.port);
    return server;
  }

  /** The base URL, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    const host = this.#options.host.includes(':') ? `[${this.#options.host}]` : this.#options.host;
    return `${this.#tls === undefined ? 'http' : 'https'}://${host}:${this.#port}`;
  }

  /** The bound port. */
  get port(): number {
    return this.#port;
  }

  /** The PEM CA certificate when serving TLS. */
  get caCert(): string | undefined {
    return this.#tls?.caCert;
  }

  /** A client-node KubeConfig for this server (CA and current token included), namespace `default`. */
  kubeConfig(): KubeConfig {
    return makeKubeConfig({ url: this.url, caCert: this.#tls?.caCert, token: this.#tokens?.at(-1) });
  }

  /** The same kubeconfig as YAML, for kubectl `--kubeconfig`. */
  kubeConfigYaml(): string {
    return makeKubeConfigYaml({ url: this.url, caCert: this.#tls?.caCert, token: this.#tokens?.at(-1) });
  }

  /**
   * Accepts exactly these bearer tokens from now on, the way a credential rotates: pass the old
   * and the new token while both are valid, then only the new one to revoke the old. Every other
   * request gets 401. Requests already admitted, open watches included, go on, as on a real
   * server (it authenticates a request once, when it arrives). The last token is the one
   * `kubeConfig()` carries. Turns authentication on if the server started without `token`.
   */
  acceptTokens(...tokens: string[]): void {
    if (tokens.length === 0 || tokens.some((t) => t === '')) {
      throw new TypeError('acceptTokens needs at least one token, and no empty token');
    }
    this.#tokens = [...tokens];
  }

  async #listen(port: number): Promise<void> {
    const serving = new AbortController();
    this.#serving = serving;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.#handle(req, res).catch((err: unknown) => {
        // A request abandoned by stop() or restart() has no one left to answer.
        if (!serving.signal.aborted) this.#fail(res, err);
      });
    };
    const server =
      this.#tls === undefined
        ? createHttpServer(handler)
        : createHttpsServer({ key: this.#tls.serverKey, cert: this.#tls.serverCert }, handler);
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.#options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    this.#port = typeof address === 'object' && address !== null ? address.port : port;
    this.#server = server;
  }

  async #close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#serving.abort(new Error('the fake APIServer stopped'));
    this.watches.closeAll('abrupt');
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await closed;
  }

  /** Stops serving: every watch, socket and timer ends. Idempotent. */
  async stop(): Promise<void> {
    await this.#close();
  }

  /**
   * Simulates an APIServer restart: every connection is closed, the port refuses connections
   * for a moment, then the server accepts again on the same port with the same data.
   */
  async restart(): Promise<void> {
    await this.#close();
    await this.#listen(this.#port);
  }

  #fail(res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      // Too late for a Status: cut the stream so the client sees a broken response, not a clean end.
      res.destroy();
      return;
    }
    if (err instanceof StatusError) status.writeStatus(res, err);
    else status.writeStatus(res, status.internalError(`Internal error occurred: ${err instanceof Error ? err.message : String(err)}`));
  }

  #authorized(req: IncomingMessage): boolean {
    const tokens = this.#tokens;
    if (tokens === undefined) return true;
    const header = req.headers.authorization;
    return header !== undefined && header.startsWith('Bearer ') && tokens.includes(header.slice('Bearer '.length));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseRequestTarget(req.url ?? '/');
    const method = req.method ?? 'GET';
    // Authentication comes first, as on the real server: an anonymous client cannot make it buffer a body.
    if (!this.#authorized(req)) throw status.unauthorized();
    const r = route(url.pathname);
    // Priority and fairness comes next: a throttled request is refused before its body is read.
    const retryAfter = r?.type === 'resource' ? this.#throttled(method, r, url.query) : this.faults.takeThrottle('discovery', undefined, '');
    if (retryAfter !== undefined) {
      this.requests.add({ method, path: url.pathname, query: url.query, verb: 'throttled' });
      status.writeThrottled(res, retryAfter);
      return;
    }
    const body = method === 'GET' || method === 'HEAD' ? '' : await readRequestBody(req);
    if (r?.type === 'resource') {
      await this.#handleResource(req, res, r, url, body);
      return;
    }
    this.requests.add({ method, path: url.pathname, query: url.query, verb: 'discovery' });
    await this.#delay();
    const openapi = serveOpenApi(url.pathname, req.headers.accept, this.registry.all());
    if (openapi !== undefined) {
      res.writeHead(openapi.status, { 'Content-Type': openapi.contentType });
      res.end(openapi.body);
      return;
    }
    if (HEALTH_PATHS.has(url.pathname)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (r?.type === 'coreVersions' || r?.type === 'groupList') {
      const rep = negotiateDiscovery(req.headers.accept);
      if (rep.as === 'aggregated') {
        this.#sendAggregated(req, res, r.type === 'coreVersions' ? 'core' : 'groups', rep.version);
        return;
      }
    }
    if (r?.type === 'resourceList' && (await this.#unavailable(res, r.group, r.version))) return;
    const doc = r === undefined ? undefined : this.#discovery(r, req);
    if (doc === undefined) status.writePageNotFound(res);
    else sendJson(res, 200, doc);
  }

  // Aggregated discovery with the real server's caching headers; 304 when the client's copy is current.
  #sendAggregated(req: IncomingMessage, res: ServerResponse, root: DiscoveryRoot, version: AggregatedVersion): void {
    const doc = aggregatedDiscovery(this.registry, root, version, (g, v) => this.faults.unavailability(g, v) !== undefined);
    const body = `${JSON.stringify(doc)}\n`;
    const etag = discoveryETag(body);
    const caching = { ETag: etag, Vary: 'Accept', 'Cache-Control': 'public' };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, caching).end();
      return;
    }
    res.writeHead(200, { ...caching, 'Content-Type': aggregatedContentType(version) }).end(body);
  }

  // kube-aggregator proxying to an unavailable backend: 503, or no answer while the fault holds.
  // True when the request is settled that way (answered, or abandoned by the client).
  async #unavailable(res: ServerResponse, group: string, version: string): Promise<boolean> {
    let how = this.faults.unavailability(group, version);
    while (how === 'hang') {
      const closed = new Promise<void>((resolve) => res.once('close', resolve));
      await Promise.race([this.faults.untilCleared(), closed]);
      if (res.destroyed || res.writableEnded) return true;
      how = this.faults.unavailability(group, version);
    }
    if (how === undefined) return false;
    status.writeServiceUnavailable(res);
    return true;
  }

  #discovery(r: DiscoveryRoute, req: IncomingMessage): unknown {
    switch (r.type) {
      case 'version':
        return VERSION_INFO;
      case 'coreVersions':
        return apiVersions(req.headers.host ?? `${this.#options.host}:${this.#port}`);
      case 'groupList':
        return apiGroupList(this.registry);
      case 'group':
        return apiGroup(this.registry, r.group);
      case 'resourceList':
        return apiResourceList(this.registry, r.group, r.version);
    }
  }

  #throttled(method: string, r: ResourceRoute, query: URLSearchParams): number | undefined {
    const rt = this.registry.get(r);
    return this.faults.takeThrottle(verbOf(method, r, query), rt?.resource ?? r.resource, rt?.group ?? r.group);
  }

  // Injected latency; rejects (and frees its timer) when the server stops first.
  async #delay(): Promise<void> {
    const ms = this.faults.latencyMs;
    if (ms > 0) await realClock.sleep(ms, this.#serving.signal);
  }

  #resourceType(r: ResourceRoute): ResourceType | undefined {
    const rt = this.registry.get(r);
    if (rt === undefined) return undefined;
    if (r.namespace !== undefined && !rt.namespaced) return undefined;
    return rt;
  }

  async #handleResource(req: IncomingMessage, res: ServerResponse, r: ResourceRoute, url: RequestTarget, body: string): Promise<void> {
    const method = req.method ?? 'GET';
    const verb = verbOf(method, r, url.query);
    this.requests.add({
      method,
      path: url.pathname,
      query: url.query,
      verb,
      resource: r.resource,
      ...(r.namespace === undefined ? {} : { namespace: r.namespace }),
      ...(r.name === undefined ? {} : { name: r.name }),
      ...(r.subresource === undefined ? {} : { subresource: r.subresource }),
    });
    await this.#delay();
    const rt = this.#resourceType(r);
    const sub = rt === undefined ? undefined : findSubresource(rt, r.subresource);
    if (rt === undefined || sub === undefined) {
      // The CustomResource handler answers an unserved subresource with its object's NotFound.
      if (rt?.custom === true) throw status.notFound(rt, r.name ?? '');
      status.writePageNotFound(res);
      return;
    }
    if (this.faults.isForbidden(rt.resource, rt.group)) throw status.forbidden(rt, verb, r.namespace, r.name);
    if (await this.#unavailable(res, rt.group, rt.version)) return;
    const injected = this.faults.takeFailure(verb, rt.resource, rt.group);
    if (injected !== undefined) throw injected;
    if (verb === 'unsupported' || (verb === 'create' && rt.namespaced && r.namespace === undefined)) {
      throw status.methodNotAllowed(rt, method.toLowerCase());
    }
    checkStorageKey(r, rt, verb);
    const ctx: HandlerContext = {
      store: this.store,
      objects: this.objects,
      watches: this.watches,
      bookmarkIntervalMs: this.#options.bookmarkIntervalMs,
      defaultWatchTimeoutSeconds: this.#options.defaultWatchTimeoutSeconds,
      watchListDefaulting: this.#options.watchListDefaulting,
      maxWatchBufferBytes: this.#options.maxWatchBufferBytes,
    };
    dispatchResource(ctx, { req, res, route: r, rt, verb, query: url.query, body }, sub);
  }
}
