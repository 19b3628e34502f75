// HTTP(S) requests to one APIServer with the credentials of a client-node KubeConfig.

import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { waitUnlessAborted } from '../api/abortable.ts';
import { StatusError } from '../api/errors.ts';
import type { Logger } from '../api/logger.ts';
import type { Credential, CredentialSource } from './credentials/credential-source.ts';
import { userCredentials } from './credentials/from-kubeconfig.ts';
import { InvalidResponseError, RedirectError, TransportConfigError } from './errors.ts';
import { redactor, secretsOf } from './request-secrets.ts';
import { RequestTimer } from './request-timer.ts';
import { ERROR_BODY_LIMIT, IncompleteBodyError, isJsonMediaType, mediaType, parseJsonBody, readBody, statusErrorFromBody } from './response.ts';
import { DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_WAIT_MS, retryAfterSeconds, RetryAfterAnswer, withRetryAfterDetails } from './retry-after.ts';
import { isStaleKeepAliveFailure, StaleSocketError } from './stale-socket.ts';
import { realTransportClock, type TransportClock } from './transport-clock.ts';
import { KUBECACHE_VERSION } from './version.ts';

// buffer.constants.MAX_STRING_LENGTH on 64-bit V8: a body past it could not be decoded anyway.
const MAX_STRING_BYTES = 0x1fffffe8;

/**
 * Options of {@link Transport.fromKubeConfig}.
 * @category Client
 */
export interface TransportOptions {
  /**
   * Timeout of an ordinary request (until its body is read), and of a watch until its headers.
   * It covers getting credentials, waiting for a free socket and Retry-After waits. @default 60000
   */
  readonly requestTimeoutMs?: number;
  /** @default `kubecache/<version>` */
  readonly userAgent?: string;
  /**
   * Sockets per origin for ordinary requests (lists, gets, writes, discovery). Watches use a
   * pool of their own, one socket each for as long as they run, so they never wait behind
   * requests nor hold sockets requests wait for. A request that finds every socket busy waits,
   * bounded by `requestTimeoutMs` (then RequestTimeoutError with `waitedForSocket`).
   * @default Infinity
   */
  readonly maxSockets?: number;
  /**
   * The largest body read for an ordinary request; a larger one fails with InvalidResponseError
   * `ResponseTooLarge` and its socket is closed. LIST bodies, decoded item by item, are limited
   * per item instead (and watches per event), so a collection may be larger than this.
   * @default 536870888 (the longest string V8 can build)
   */
  readonly maxResponseBytes?: number;
  /**
   * How often a request answered 429 or 5xx with an integer `Retry-After` is sent again, after
   * waiting what the server asked (client-go's REST client). 0 turns retries off. @default 10
   */
  readonly maxRetries?: number;
  /** The longest Retry-After wait honoured; a longer one waits this long. @default 30000 (the reflector's backoff cap) */
  readonly maxRetryWaitMs?: number;
  /** Time source of token ages, exec credential expiry and Retry-After waits. @default the real clock */
  readonly clock?: TransportClock;
  /** Receives credential rotation failures and throttled retries. @default none */
  readonly logger?: Logger;
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

/** A 2xx JSON response whose body {@link Transport.requestDecoded}'s reader consumes. */
export interface BodyResponse {
  readonly statusCode: number;
  readonly contentType: string;
  readonly body: http.IncomingMessage;
  /** The transport's `maxResponseBytes`: the most the reader should hold of the body at once. */
  readonly maxBytes: number;
  /** Replaces this request's credentials in `text`, for errors that quote what the server sent. */
  readonly redact: (text: string) => string;
}

/**
 * Sockets of the transport's keep-alive pools, and how often credentials were refreshed.
 * @category Observability
 */
export interface TransportStats {
  /** Sockets in use, watches included. */
  readonly activeSockets: number;
  readonly idleSockets: number;
  /** Sockets held by watches (their own pool). */
  readonly watchSockets: number;
  /** Requests waiting for a socket because `maxSockets` are busy. */
  readonly queuedRequests: number;
  /** Token file reads and exec plugin runs so far. */
  readonly credentialRefreshes: number;
}

interface Sent {
  readonly req: http.ClientRequest;
  readonly res: http.IncomingMessage;
  readonly secrets: readonly string[];
}

// What an exchange needs besides the request: its deadline and the pool it draws from.
interface Exchange {
  readonly timer: RequestTimer;
  readonly agent: http.Agent;
}

/**
 * Sends requests to the current cluster of a KubeConfig.
 *
 * Credentials that rotate are kept fresh here, as client-go does, and sooner:
 * - a token file (kubeconfig `tokenFile` through `loadKubeConfig`, in-cluster service-account
 *   tokens) is re-read when a request needs it and the copy is older than ~50 s, and at once after
 *   a 401 with the current copy;
 * - an exec plugin runs again once its credential's `expirationTimestamp` has passed, and at once
 *   after a 401 with the current credential;
 * - concurrent requests share one read or run; the request that got the 401 still reports it.
 * TLS settings, client certificates, static tokens, basic auth and other auth providers are
 * applied through client-node on every request.
 *
 * A 429 or 5xx answer with an integer `Retry-After` is retried after that many seconds (at most
 * `maxRetryWaitMs`), up to `maxRetries` times, for every verb, watches included, within the
 * request timeout. Requests use node:http/node:https keep-alive agents (one for watches, one for
 * the rest) rather than client-node 2.x's undici dispatcher: client-node builds a new dispatcher
 * (a new TLS connection) per request, and a watch read as Node stream `data` events hands the
 * decoder Buffers without going through a web ReadableStream. Redirects are never followed.
 *
 * @example
 * const transport = Transport.fromKubeConfig(loadKubeConfig());
 * const pods = await transport.requestJson({ path: '/api/v1/pods?limit=1' });
 * @category Client
 */
export class Transport {
  /** The server URL without user info or trailing slash. */
  readonly server: string;
  readonly #kc: KubeConfig;
  // What client-node applies per request: `#kc`, or a copy without the credential `#credentials` owns.
  readonly #clientNodeConfig: KubeConfig;
  readonly #credentials: CredentialSource | undefined;
  readonly #url: URL;
  readonly #basePath: string;
  readonly #agent: http.Agent;
  readonly #watchAgent: http.Agent;
  readonly #maxSockets: number;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #maxRetries: number;
  readonly #maxRetryWaitMs: number;
  readonly #clock: TransportClock;
  readonly #logger: Logger | undefined;
  readonly #userAgent: string;
  readonly #usesProxy: boolean;

  private constructor(kc: KubeConfig, url: URL, proxy: boolean, options: TransportOptions) {
    this.#url = url;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.server = `${url.origin}${this.#basePath}`;
    this.#usesProxy = proxy;
    this.#maxSockets = options.maxSockets ?? Number.POSITIVE_INFINITY;
    const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
    this.#agent = new Agent({ keepAlive: true, maxSockets: this.#maxSockets });
    this.#watchAgent = new Agent({ keepAlive: true });
    this.#timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.#maxResponseBytes = options.maxResponseBytes ?? MAX_STRING_BYTES;
    this.#maxRetries = Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES);
    this.#maxRetryWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
    this.#clock = options.clock ?? realTransportClock;
    this.#logger = options.logger;
    this.#userAgent = options.userAgent ?? `kubecache/${KUBECACHE_VERSION}`;
    const credentials = userCredentials(kc, { clock: this.#clock, logger: this.#logger });
    this.#kc = kc;
    this.#clientNodeConfig = credentials.kubeConfig;
    this.#credentials = credentials.source;
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
    const timer = new RequestTimer(request, request.timeoutMs ?? this.#timeoutMs, this.#maxSockets);
    try {
      const sent = await this.#exchange(request, { timer, agent: this.#agent });
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
    const timer = new RequestTimer(request, request.timeoutMs ?? this.#timeoutMs, Number.POSITIVE_INFINITY);
    try {
      const sent = await this.#exchange(request, { timer, agent: this.#watchAgent });
      await requireJson(sent);
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

  /**
   * Sends a request and lets `read` consume a 2xx JSON response's body as it arrives (a LIST,
   * decoded item by item). Unlike {@link Transport.requestStream}, the request timeout and the
   * caller's signal cover the reading too. When `read` fails before the body ended, the
   * connection is closed; its error is passed on as it is, except an IncompleteBodyError (a
   * ConnectionError) and anything after our timeout or the caller's abort (that error instead).
   */
  async requestDecoded<R>(request: TransportRequest, read: (response: BodyResponse) => Promise<R>): Promise<R> {
    const timer = new RequestTimer(request, request.timeoutMs ?? this.#timeoutMs, this.#maxSockets);
    let sent: Sent;
    try {
      sent = await this.#exchange(request, { timer, agent: this.#agent });
      await requireJson(sent);
    } catch (err) {
      timer.clear();
      throw timer.translate(err, request);
    }
    const { req, res } = sent;
    try {
      const contentType = res.headers['content-type'] ?? '';
      return await read({ statusCode: res.statusCode ?? 0, contentType, body: res, maxBytes: this.#maxResponseBytes, redact: redactor(sent.secrets) });
    } catch (err) {
      if (!res.complete) req.destroy();
      // Our timeout or the caller's abort cut the body short: report that, as for any request.
      throw timer.signal.aborted || err instanceof IncompleteBodyError ? timer.translate(err, request) : err;
    } finally {
      timer.clear();
    }
  }

  /** Socket counts of the keep-alive pools and credential refreshes (for leak checks and diagnostics). */
  stats(): TransportStats {
    const watchSockets = countSockets(this.#watchAgent.sockets);
    return {
      activeSockets: countSockets(this.#agent.sockets) + watchSockets,
      idleSockets: countSockets(this.#agent.freeSockets) + countSockets(this.#watchAgent.freeSockets),
      watchSockets,
      queuedRequests: countSockets(this.#agent.requests),
      credentialRefreshes: this.#credentials?.refreshes ?? 0,
    };
  }

  /** Closes every pooled socket, including those of open watches. */
  close(): void {
    this.#agent.destroy();
    this.#watchAgent.destroy();
  }

  // Sends until an answer is final: Retry-After answers are retried within the budget.
  async #exchange(request: TransportRequest, exchange: Exchange): Promise<Sent> {
    for (let retries = 0; ; retries++) {
      try {
        return await this.#send(request, exchange);
      } catch (err) {
        if (!(err instanceof RetryAfterAnswer)) throw err;
        const waitMs = Math.min(err.seconds * 1000, this.#maxRetryWaitMs);
        // Past the budget, or a wait the timeout would cut short: the server's answer is the result.
        if (retries >= this.#maxRetries || waitMs >= exchange.timer.remainingMs()) throw withRetryAfterDetails(err.error, err.seconds);
        this.#logger?.info('retrying after the server asked to wait', {
          method: request.method ?? 'GET',
          path: request.path,
          code: err.error.code,
          retries: retries + 1,
          retryAfterSeconds: err.seconds,
        });
        await this.#clock.sleep(waitMs, exchange.timer.signal);
      }
    }
  }

  async #send(request: TransportRequest, exchange: Exchange): Promise<Sent> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#sendOnce(request, exchange);
      } catch (err) {
        if (attempt > 0 || !isStaleKeepAliveFailure(err, request)) throw err;
        // The server closed an idle pooled socket as we picked it; the request never reached it.
      }
    }
  }

  async #sendOnce(request: TransportRequest, { timer, agent }: Exchange): Promise<Sent> {
    const signal = timer.signal;
    signal.throwIfAborted();
    const credential = await this.#credential(request, signal);
    const options = await this.#requestOptions(request, agent, credential);
    const secrets = secretsOf(options);
    signal.throwIfAborted();
    const req = (this.#url.protocol === 'https:' ? https : http).request(options);
    timer.attach(req);
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const onAbort = (): void => {
        const reason = toError(signal.reason);
        // A request queued for a socket emits nothing when destroyed: settle it here. One with a
        // socket settles through its 'error' event, once the socket is closed.
        if (req.socket === null) reject(reason);
        req.destroy(reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.once('close', () => signal.removeEventListener('abort', onAbort));
      req.once('response', resolve);
      req.once('error', (err: Error) => reject(req.reusedSocket ? new StaleSocketError(err) : err));
      req.end(request.body);
    });
    await this.#checkStatus(request, { req, res, secrets }, credential, signal);
    return { req, res, secrets };
  }

  // The rotating credential for this request, unless the caller set its own Authorization.
  async #credential(request: TransportRequest, signal: AbortSignal): Promise<Credential | undefined> {
    const source = this.#credentials;
    if (source === undefined || hasHeader(request.headers, 'authorization')) return undefined;
    return raceAbort(source.current(), signal);
  }

  async #requestOptions(request: TransportRequest, agent: http.Agent, credential: Credential | undefined): Promise<https.RequestOptions> {
    const auth: https.RequestOptions = {};
    await this.#applyKubeConfig(auth);
    if (credential?.cert !== undefined) auth.cert = credential.cert;
    if (credential?.key !== undefined) auth.key = credential.key;
    const headers: Record<string, string> = { ...(auth.headers as Record<string, string> | undefined) };
    if (credential?.token !== undefined) headers.Authorization = `Bearer ${credential.token}`;
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
      agent: this.#usesProxy ? auth.agent : agent,
    };
    copyTlsOptions(auth, options);
    return options;
  }

  async #applyKubeConfig(options: https.RequestOptions): Promise<void> {
    try {
      await this.#clientNodeConfig.applyToHTTPSOptions(options);
    } catch (err) {
      // client-node refuses http:// servers unless insecure-skip-tls-verify is set; it throws
      // after the credentials are applied. Plain HTTP has no TLS to verify, so go on as kubectl does.
      const plainHttp = this.#url.protocol === 'http:' && err instanceof Error && /HTTP protocol is not allowed/.test(err.message);
      if (!plainHttp) throw new TransportConfigError('cannot apply the kubeconfig credentials', { cause: err });
    }
  }

  async #checkStatus(request: TransportRequest, { req, res, secrets }: Sent, credential: Credential | undefined, signal: AbortSignal): Promise<void> {
    const code = res.statusCode ?? 0;
    if (code >= 200 && code < 300) return;
    const method = request.method ?? 'GET';
    if (code >= 300 && code < 400) {
      req.destroy();
      throw new RedirectError(method, request.path, code, safeLocation(res.headers.location));
    }
    const body = await readBody(res, ERROR_BODY_LIMIT);
    if (!res.complete) req.destroy();
    const error = statusErrorFromBody(code, res.headers['content-type'] ?? '', body.toString('utf8'), redactor(secrets));
    const seconds = retryAfterSeconds(code, res.headers['retry-after']);
    if (seconds !== undefined) throw new RetryAfterAnswer(error, seconds);
    if (code === 401 && credential !== undefined && this.#credentials !== undefined) {
      // Refresh before reporting, so the caller's retry already carries the new credential.
      const refreshFailed = await raceAbort(this.#credentials.unauthorized(credential), signal);
      if (refreshFailed !== undefined) throw new StatusError(error.status, { cause: refreshFailed });
    }
    throw error;
  }
}

// A 2xx answer that is not JSON (an HTML page from a proxy) is an InvalidResponseError quoting its head.
async function requireJson(sent: Sent): Promise<void> {
  const contentType = sent.res.headers['content-type'] ?? '';
  if (isJsonMediaType(mediaType(contentType))) return;
  const head = (await readBody(sent.res, 4096)).toString('utf8');
  sent.req.destroy();
  parseJsonBody(sent.res.statusCode ?? 0, contentType, head, redactor(sent.secrets));
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

function hasHeader(headers: Readonly<Record<string, string>> | undefined, name: string): boolean {
  return headers !== undefined && Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return waitUnlessAborted<T>(signal, (resolve, reject) => {
    promise.then(resolve, reject);
    return () => undefined;
  });
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}
