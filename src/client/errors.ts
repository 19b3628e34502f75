// Typed errors of the client layer: transport failures, unusable responses, watch decoding, REST mapping.

import { ReasonedError } from '../api/reasoned-error.ts';
import type { GroupVersionKind } from './gvk.ts';

/** The longest excerpt of a server body or watch line an error message carries. */
const EXCERPT_LIMIT = 200;

/** Shortens `text` to {@link EXCERPT_LIMIT} characters for an error message. */
export function excerpt(text: string): string {
  return text.length <= EXCERPT_LIMIT ? text : `${text.slice(0, EXCERPT_LIMIT)}…`;
}

/**
 * The kubeconfig cannot be turned into a transport (no current cluster, a bad server URL,
 * plain HTTP without `insecure-skip-tls-verify`). Not retryable: fix the configuration.
 * @category Errors
 */
export class TransportConfigError extends ReasonedError<'InvalidKubeConfig'> {
  override readonly name = 'TransportConfigError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('InvalidKubeConfig', message, options);
  }
}

/**
 * A request got no complete answer within its timeout (headers and body for ordinary requests,
 * headers only for watches; credentials, Retry-After waits and the wait for a socket count too).
 * Retryable. `code` mirrors the 504 a server timeout would carry. `waitedForSocket` is true when
 * the request never got a connection: every socket the transport's `maxSockets` allows was busy
 * (size the pool as the README's sizing rule says).
 * @category Errors
 */
export class RequestTimeoutError extends ReasonedError<'Timeout'> {
  override readonly name = 'RequestTimeoutError';
  readonly timeoutMs: number;
  readonly waitedForSocket: boolean;

  constructor(method: string, path: string, timeoutMs: number, waitedForSocket: { maxSockets: number } | undefined = undefined) {
    const detail =
      waitedForSocket === undefined
        ? `no response within ${timeoutMs} ms`
        : `no free socket within ${timeoutMs} ms: all ${waitedForSocket.maxSockets} sockets of maxSockets were busy`;
    super('Timeout', `${method} ${path}: ${detail}`, { code: 504 });
    this.timeoutMs = timeoutMs;
    this.waitedForSocket = waitedForSocket !== undefined;
  }
}

/**
 * Where a credential comes from when it cannot be had.
 * @category Errors
 */
export type CredentialSourceKind = 'tokenFile' | 'exec';

/**
 * The request could not be given its credentials: a token file that cannot be read (and no
 * token was ever read from it, nor is a static one configured), or an exec plugin that is
 * missing, fails, or prints no usable ExecCredential. The request is not sent. Retryable: the
 * next request reads the file or runs the plugin again.
 * @category Errors
 */
export class CredentialError extends ReasonedError<'CredentialUnavailable'> {
  override readonly name = 'CredentialError';
  readonly source: CredentialSourceKind;

  constructor(source: CredentialSourceKind, message: string, options?: { cause?: unknown }) {
    super('CredentialUnavailable', `getting credentials: ${message}`, options);
    this.source = source;
  }
}

/**
 * Why a connection failed: TLS verification is told apart because retrying cannot fix it.
 * @category Errors
 */
export type ConnectionErrorReason = 'ConnectionFailed' | 'TLSVerificationFailed';

const tlsVerificationCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * The socket failed: refused, reset, closed mid-answer, or the server's certificate was not
 * trusted (`reason: 'TLSVerificationFailed'`, not retryable). Other reasons are retryable.
 * `cause` is the Node.js error; `errno` its code (e.g. `ECONNREFUSED`).
 * @category Errors
 */
export class ConnectionError extends ReasonedError<ConnectionErrorReason> {
  override readonly name = 'ConnectionError';
  readonly errno: string | undefined;

  constructor(method: string, path: string, cause: unknown) {
    const errno = errorCode(cause);
    const reason: ConnectionErrorReason =
      errno !== undefined && tlsVerificationCodes.has(errno) ? 'TLSVerificationFailed' : 'ConnectionFailed';
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(reason, `${method} ${path}: ${reason === 'TLSVerificationFailed' ? 'tls verification failed' : 'connection failed'}: ${detail}`, {
      cause,
    });
    this.errno = errno;
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * What was wrong with a response that is not an API error but still unusable.
 * @category Errors
 */
export type InvalidResponseReason = 'UnexpectedContentType' | 'MalformedResponse' | 'ResponseTooLarge';

/**
 * A 2xx answer that is not what the API promises: not JSON (an HTML page from a proxy), JSON
 * that does not parse, a list without `metadata.resourceVersion`, or a body over the transport's
 * `maxResponseBytes` (`ResponseTooLarge`). Carries the HTTP code and
 * an excerpt of the body (never request headers). Not retryable as such; a proxy may recover.
 * @category Errors
 */
export class InvalidResponseError extends ReasonedError<InvalidResponseReason> {
  override readonly name = 'InvalidResponseError';
  readonly contentType: string;
  readonly bodyExcerpt: string;

  constructor(
    init: { reason: InvalidResponseReason; code: number; contentType: string; body: string; detail: string },
    options?: { cause?: unknown },
  ) {
    const shown = excerpt(init.body);
    super(init.reason, `${init.detail} (HTTP ${init.code}, content type "${init.contentType}"): ${JSON.stringify(shown)}`, {
      ...options,
      code: init.code,
    });
    this.contentType = init.contentType;
    this.bodyExcerpt = shown;
  }
}

/**
 * The server answered with a 3xx. Redirects are never followed: a redirect from an APIServer
 * points at a misconfigured proxy, and following it would send credentials elsewhere.
 * @category Errors
 */
export class RedirectError extends ReasonedError<'Redirect'> {
  override readonly name = 'RedirectError';
  /** The Location header without user info and query, or "" when absent. */
  readonly location: string;

  constructor(method: string, path: string, code: number, location: string) {
    super('Redirect', `${method} ${path}: redirects are not followed (HTTP ${code} to ${JSON.stringify(location)})`, { code });
    this.location = location;
  }
}

/**
 * What made a watch line unusable.
 * @category Errors
 */
export type WatchDecodeErrorReason =
  | 'MalformedWatchEvent'
  | 'TruncatedWatchEvent'
  | 'EventTooLarge'
  | 'UnknownEventType'
  | 'MissingObjectMetadata'
  | 'DecodeFailed';

/**
 * One line of a watch stream could not be turned into an event. The stream is closed when this
 * is raised; the reflector re-watches from its last resourceVersion (retryable).
 * `lineExcerpt` holds at most 200 characters of the offending line.
 * @category Errors
 */
export class WatchDecodeError extends ReasonedError<WatchDecodeErrorReason> {
  override readonly name = 'WatchDecodeError';
  readonly lineExcerpt: string;

  constructor(reason: WatchDecodeErrorReason, detail: string, line: string, options?: { cause?: unknown }) {
    const shown = excerpt(line);
    super(reason, `watch stream: ${detail}: ${JSON.stringify(shown)}`, options);
    this.lineExcerpt = shown;
  }
}

/**
 * Discovery does not serve the kind (controller-runtime's `NoKindMatchError`). Retryable once
 * the CRD that defines it is established; the RESTMapper re-reads discovery on a miss. When the
 * kind's group version could not be discovered at all (controller-runtime's
 * `ErrResourceDiscoveryFailed`, also a no-match there), `cause` is why — the server's
 * StatusError (a 503 from an aggregated API), a transport error (RequestTimeoutError for one that
 * hangs), or StaleGroupVersionError — and the message says so.
 * @category Errors
 */
export class NoKindMatchError extends ReasonedError<'NoKindMatch'> {
  override readonly name = 'NoKindMatchError';
  readonly gvk: GroupVersionKind;

  constructor(gvk: GroupVersionKind, options?: { cause?: unknown }) {
    const gv = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
    const failed = options?.cause instanceof Error ? `: discovery failed: ${options.cause.message}` : '';
    super('NoKindMatch', `no matches for kind ${JSON.stringify(gvk.kind)} in version ${JSON.stringify(gv)}${failed}`, options);
    this.gvk = gvk;
  }
}

/**
 * Aggregated discovery marks a group version `Stale`: the aggregator could not read it from the
 * API server that serves it (an extension API server that is down or hanging), so its resources
 * are unknown (client-go's `StaleGroupVersionError`). The cause of a NoKindMatchError for its
 * kinds. Retryable: the RESTMapper reads discovery again on a later miss.
 * @category Errors
 */
export class StaleGroupVersionError extends ReasonedError<'StaleGroupVersion'> {
  override readonly name = 'StaleGroupVersionError';
  /** e.g. `metrics.k8s.io/v1beta1`. */
  readonly groupVersion: string;

  constructor(groupVersion: string) {
    super('StaleGroupVersion', `stale GroupVersion discovery: ${groupVersion}`);
    this.groupVersion = groupVersion;
  }
}

/**
 * Discovery does not serve the resource (client-go's `NoResourceMatchError`). Retryable as above.
 * @category Errors
 */
export class NoResourceMatchError extends ReasonedError<'NoResourceMatch'> {
  override readonly name = 'NoResourceMatchError';
  readonly gvr: { readonly group: string; readonly version: string; readonly resource: string };

  constructor(gvr: { readonly group: string; readonly version: string; readonly resource: string }) {
    const gv = gvr.group === '' ? gvr.version : `${gvr.group}/${gvr.version}`;
    super('NoResourceMatch', `no matches for resource ${JSON.stringify(gvr.resource)} in version ${JSON.stringify(gv)}`);
    this.gvr = gvr;
  }
}
