// HTTP(S) requests to one APIServer with the credentials of a client-node KubeConfig.

import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { StatusError } from '../api/errors.ts';
import { ConnectionError, InvalidResponseError, RedirectError, RequestTimeoutError, TransportConfigError } from './errors.ts';
import { ERROR_BODY_LIMIT, isJsonMediaType, mediaType, parseJsonBody, readBody, statusErrorFromBody } from './response.ts';
import { KUBECACHE_VERSION } from './version.ts';

// buffer.constants.MAX_STRING_LENGTH on 64-bit V8: a body past it could not be decoded anyway.
const MAX_STRING_BYTES = 0x1fffffe8;

/** Options of {@link Transport.fromKubeConfig}. */
export interface TransportOptions {
  /** Timeout of an ordinary request (until its body is read), and of a watch until its headers. @default 60000 */
  readonly requestTimeoutMs?: number;
  /** @default `kubecache/<version>` */
  readonly userAgent?: string;
  /** Sockets per origin; watches hold one each. @default Infinity */
  readonly maxSockets?: number;
  /**
   * The largest body read for an ordinary request (watches are limited per event instead); a
   * larger one fails with InvalidResponseError `ResponseTooLarge` and its socket is closed.
   * @default 536870888 (the longest string V8 can build)
   */
  readonly maxResponseBytes?: number;
}

/** The HTTP methods the client layer sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request: `path` is relative to the server URL and includes the query string. */
export interface TransportRequest {
  readonly method?: HttpMethod;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal | undefined;
  /** Overrides {@link TransportOptions.requestTimeoutMs}; 0 disables the timeout. */
  readonly timeoutMs?: number;
}

/** A 2xx JSON response whose body is still to be read (a watch). */
export interface StreamResponse {
  readonly statusCode: number;
  readonly body: http.IncomingMessage;
  /** Ends the request and releases its socket; safe to call more than once. */
  abort(reason?: unknown): void;
  /** Replaces this request's credentials in `text`, for errors that quote what the server sent. */
  readonly redact?: (text: string) => string;
}

/** Open and idle sockets of the transport's keep-alive pool. */
export interface TransportStats {
  readonly activeSockets: number;
  readonly idleSockets: number;
}

interface Sent {
  readonly req: http.ClientRequest;
  readonly res: http.IncomingMessage;
  readonly secrets: readonly string[];
}

/**
 * Sends requests to the current cluster of a KubeConfig.
 *
 * Credentials are re-applied from the KubeConfig on every request, so exec plugins and token
 * files that rotate are picked up. Requests use node:http/node:https with one keep-alive agent
 * rather than client-node 2.x's undici dispatcher: client-node builds a new dispatcher (a new
 * TLS connection) per request, and a watch read as Node stream `data` events hands the decoder
 * Buffers without going through a web ReadableStream. Redirects are never followed.
 *
 * @example
 * const kc = new KubeConfig(); kc.loadFromDefault();
 * const transport = Transport.fromKubeConfig(kc);
 * const pods = await transport.requestJson({ path: '/api/v1/pods?limit=1' });
 */
export class Transport {
  /** The server URL without user info or trailing slash. */
  readonly server: string;
  readonly #kc: KubeConfig;
  readonly #url: URL;
  readonly #basePath: string;
  readonly #agent: http.Agent;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #userAgent: string;
  readonly #usesProxy: boolean;

  private constructor(kc: KubeConfig, url: URL, proxy: boolean, options: TransportOptions) {
    this.#kc = kc;
    this.#url = url;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.server = `${url.origin}${this.#basePath}`;
    this.#usesProxy = proxy;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? Number.POSITIVE_INFINITY };
    this.#agent = url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.#timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.#maxResponseBytes = options.maxResponseBytes ?? MAX_STRING_BYTES;
    this.#userAgent = options.userAgent ?? `kubecache/${KUBECACHE_VERSION}`;
  }

  /** Builds a transport for `kc`'s current context; throws TransportConfigError if it has no usable cluster. */
  static fromKubeConfig(kc: KubeConfig, options: TransportOptions = {}): Transport {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new TransportConfigError('the kubeconfig has no current cluster');
    let url: URL;
    try {
      url = new URL(cluster.server);
    } catch (err) {
      throw new TransportConfigError(`the cluster server ${JSON.stringify(cluster.name)} is not a URL`, { cause: err });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TransportConfigError(`unsupported server protocol ${JSON.stringify(url.protocol)}`);
    }
    url.username = '';
    url.password = '';
    return new Transport(kc, url, cluster.proxyUrl !== undefined && cluster.proxyUrl !== '', options);
  }

  /**
   * True when `kc`'s current context names the same cluster (server, TLS settings) and the same
   * user (credentials) as the KubeConfig this transport was built from, so that a client built
   * from `kc` may send its requests through this transport instead of opening its own.
   */
  servesContextOf(kc: KubeConfig): boolean {
    if (kc === this.#kc) return true;
    // Plain data loaded from kubeconfig files; compared, never printed.
    const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
    const cluster = kc.getCurrentCluster();
    return cluster !== null && same(cluster, this.#kc.getCurrentCluster()) && same(kc.getCurrentUser(), this.#kc.getCurrentUser());
  }

  /** Sends a request and returns its parsed JSON body; non-2xx rejects with StatusError. */
  async requestJson(request: TransportRequest): Promise<unknown> {
    const timeoutMs = request.timeoutMs ?? this.#timeoutMs;
    const timer = new RequestTimer(request, timeoutMs);
    try {
      const sent = await this.#send(request, timer);
      const contentType = sent.res.headers['content-type'] ?? '';
      const raw = await readBody(sent.res, this.#maxResponseBytes);
      if (raw.length > this.#maxResponseBytes) {
        // An endless or oversized body must not grow the heap until the timeout fires.
        sent.req.destroy();
        throw new InvalidResponseError({
          reason: 'ResponseTooLarge',
          code: sent.res.statusCode ?? 0,
          contentType,
          body: '',
          detail: `the response body exceeds the ${this.#maxResponseBytes}-byte limit`,
        });
      }
      const body = raw.toString('utf8');
      return parseJsonBody(sent.res.statusCode ?? 0, contentType, body, redactor(sent.secrets));
    } catch (err) {
      throw timer.translate(err, request);
    } finally {
      timer.clear();
    }
  }

  /**
   * Sends a request and resolves once a 2xx JSON response's headers arrive; the caller reads
   * the body and must call `abort()` or consume it to the end. The timeout covers the headers only.
   */
  async requestStream(request: TransportRequest): Promise<StreamResponse> {
    const timer = new RequestTimer(request, request.timeoutMs ?? this.#timeoutMs);
    try {
      const sent = await this.#send(request, timer);
      const contentType = sent.res.headers['content-type'] ?? '';
      if (!isJsonMediaType(mediaType(contentType))) {
        const head = (await readBody(sent.res, 4096)).toString('utf8');
        sent.req.destroy();
        parseJsonBody(sent.res.statusCode ?? 0, contentType, head, redactor(sent.secrets));
      }
      const { req } = sent;
      return {
        statusCode: sent.res.statusCode ?? 0,
        body: sent.res,
        abort: (reason) => req.destroy(toError(reason)),
        redact: redactor(sent.secrets),
      };
    } catch (err) {
      throw timer.translate(err, request);
    } finally {
      timer.clear();
    }
  }

  /** Socket counts of the keep-alive pool (for leak checks and diagnostics). */
  stats(): TransportStats {
    return { activeSockets: countSockets(this.#agent.sockets), idleSockets: countSockets(this.#agent.freeSockets) };
  }

  /** Closes every pooled socket, including those of open watches. */
  close(): void {
    this.#agent.destroy();
  }

  async #send(request: TransportRequest, timer: RequestTimer): Promise<Sent> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#sendOnce(request, timer);
      } catch (err) {
        if (attempt > 0 || !isStaleKeepAliveFailure(err, request)) throw err;
        // The server closed an idle pooled socket as we picked it; the request never reached it.
      }
    }
  }

  async #sendOnce(request: TransportRequest, timer: RequestTimer): Promise<Sent> {
    request.signal?.throwIfAborted();
    const options = await this.#requestOptions(request);
    const secrets = secretsOf(options);
    const req = (this.#url.protocol === 'https:' ? https : http).request(options);
    timer.start(req);
    const onAbort = (): void => {
      req.destroy(toError(request.signal?.reason));
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => request.signal?.removeEventListener('abort', onAbort));
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', (err: Error) => reject(req.reusedSocket ? new StaleSocketError(err) : err));
      req.end(request.body);
    });
    await this.#checkStatus(request, req, res, secrets);
    return { req, res, secrets };
  }

  async #requestOptions(request: TransportRequest): Promise<https.RequestOptions> {
    const auth: https.RequestOptions = {};
    await this.#applyKubeConfig(auth);
    const headers: Record<string, string> = { ...(auth.headers as Record<string, string> | undefined) };
    headers['User-Agent'] = this.#userAgent;
    headers.Accept = 'application/json';
    Object.assign(headers, request.headers);
    if (request.body !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(request.body));
    }
    const options: https.RequestOptions = {
      protocol: this.#url.protocol,
      hostname: this.#url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.#url.port,
      path: `${this.#basePath}${request.path}`,
      method: request.method ?? 'GET',
      headers,
      agent: this.#usesProxy ? auth.agent : this.#agent,
    };
    copyTlsOptions(auth, options);
    return options;
  }

  async #applyKubeConfig(options: https.RequestOptions): Promise<void> {
    try {
      await this.#kc.applyToHTTPSOptions(options);
    } catch (err) {
      // client-node refuses http:// servers unless insecure-skip-tls-verify is set; it throws
      // after the credentials are applied. Plain HTTP has no TLS to verify, so go on as kubectl does.
      const plainHttp = this.#url.protocol === 'http:' && err instanceof Error && /HTTP protocol is not allowed/.test(err.message);
      if (!plainHttp) throw new TransportConfigError('cannot apply the kubeconfig credentials', { cause: err });
    }
  }

  async #checkStatus(request: TransportRequest, req: http.ClientRequest, res: http.IncomingMessage, secrets: readonly string[]): Promise<void> {
    const code = res.statusCode ?? 0;
    if (code >= 200 && code < 300) return;
    const method = request.method ?? 'GET';
    if (code >= 300 && code < 400) {
      req.destroy();
      throw new RedirectError(method, request.path, code, safeLocation(res.headers.location));
    }
    const body = await readBody(res, ERROR_BODY_LIMIT);
    if (!res.complete) req.destroy();
    throw statusErrorFromBody(code, res.headers['content-type'] ?? '', body.toString('utf8'), redactor(secrets));
  }
}

// A socket error on a reused keep-alive socket, before any response: the classic race where the
// server closes an idle connection just as the client sends on it.
class StaleSocketError extends Error {
  override readonly name = 'StaleSocketError';
  readonly socketError: Error;
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.socketError = cause;
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

// Retried once on a fresh socket, as Go's net/http does: only idempotent methods, only a reset
// or a closed pipe, and never after our own timeout or abort.
function isStaleKeepAliveFailure(err: unknown, request: TransportRequest): boolean {
  if (!(err instanceof StaleSocketError) || request.signal?.aborted === true) return false;
  const code = (err.socketError as NodeJS.ErrnoException).code;
  return IDEMPOTENT.has(request.method ?? 'GET') && (code === 'ECONNRESET' || code === 'EPIPE');
}

/** Arms the request timeout and tells our own timeout and abort apart from socket errors. */
class RequestTimer {
  readonly #timeoutMs: number;
  readonly #method: string;
  #handle: NodeJS.Timeout | undefined;
  #fired: RequestTimeoutError | undefined;

  constructor(request: TransportRequest, timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.#method = request.method ?? 'GET';
  }

  start(req: http.ClientRequest): void {
    if (this.#timeoutMs <= 0) return;
    this.#handle = setTimeout(() => {
      this.#fired = new RequestTimeoutError(this.#method, req.path, this.#timeoutMs);
      req.destroy(this.#fired);
    }, this.#timeoutMs);
  }

  clear(): void {
    clearTimeout(this.#handle);
  }

  translate(err: unknown, request: TransportRequest): unknown {
    if (this.#fired !== undefined) return this.#fired;
    if (request.signal?.aborted === true) return request.signal.reason;
    const known = err instanceof StatusError || err instanceof RedirectError || err instanceof TransportConfigError;
    if (known || (err instanceof Error && 'reason' in err)) return err;
    return new ConnectionError(this.#method, request.path, err);
  }
}

function copyTlsOptions(from: https.RequestOptions, to: https.RequestOptions): void {
  if (from.ca !== undefined) to.ca = from.ca;
  if (from.cert !== undefined) to.cert = from.cert;
  if (from.key !== undefined) to.key = from.key;
  if (from.servername !== undefined) to.servername = from.servername;
  if (from.auth !== undefined && from.auth !== null) to.auth = from.auth;
  // Verification is only ever turned off by the kubeconfig's insecure-skip-tls-verify.
  if (from.rejectUnauthorized === false) to.rejectUnauthorized = false;
}

/** The credential strings of a request, to be blanked out of anything quoted from a response. */
function secretsOf(options: https.RequestOptions): string[] {
  const secrets: string[] = [];
  const headers = options.headers !== undefined && !Array.isArray(options.headers) ? (options.headers as http.OutgoingHttpHeaders) : {};
  const authorization = headers.Authorization;
  if (typeof authorization === 'string') {
    const space = authorization.indexOf(' ');
    secrets.push(space === -1 ? authorization : authorization.slice(space + 1));
  }
  if (typeof options.auth === 'string' && options.auth !== '') {
    secrets.push(options.auth, Buffer.from(options.auth).toString('base64'));
    const colon = options.auth.indexOf(':');
    if (colon !== -1) secrets.push(options.auth.slice(colon + 1));
  }
  // Very short strings would blank out unrelated text; real credentials are never that short.
  return secrets.filter((secret) => secret.length >= 4);
}

/** A function that hides the request's credentials in text quoted from a response. */
function redactor(secrets: readonly string[]): (text: string) => string {
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('<redacted>'), text);
}

function safeLocation(location: string | undefined): string {
  if (location === undefined) return '';
  try {
    const url = new URL(location, 'http://relative.invalid');
    return url.host === 'relative.invalid' ? url.pathname : `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    // An unparsable Location is reported as absent rather than echoed.
    return '';
  }
}

function countSockets(map: NodeJS.ReadOnlyDict<unknown[]>): number {
  let n = 0;
  for (const list of Object.values(map)) n += list?.length ?? 0;
  return n;
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}
