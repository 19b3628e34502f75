// Builders for the Status errors the fake APIServer answers with, matching the real texts.

import type { ServerResponse } from 'node:http';
import { StatusError } from '../../api/errors.ts';
import type { Status, StatusCause } from '../../api/types.ts';
import type { ResourceType } from './registry.ts';

/** `resource` for the core group, `resource.group` otherwise, as the real server names them. */
export function qualifiedResource(rt: ResourceType): string {
  return rt.group === '' ? rt.resource : `${rt.resource}.${rt.group}`;
}

function details(rt: ResourceType, name?: string): NonNullable<Status['details']> {
  const d: NonNullable<Status['details']> = {};
  if (name !== undefined) d.name = name;
  if (rt.group !== '') d.group = rt.group;
  d.kind = rt.resource;
  return d;
}

/** 404 NotFound for one object. */
export function notFound(rt: ResourceType, name: string): StatusError {
  return StatusError.of(404, 'NotFound', `${qualifiedResource(rt)} "${name}" not found`, details(rt, name));
}

/** 404 NotFound for a namespace that a create targets. */
export function namespaceNotFound(namespace: string): StatusError {
  return StatusError.of(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
}

/** 409 AlreadyExists. */
export function alreadyExists(rt: ResourceType, name: string, beingDeleted = false): StatusError {
  const prefix = beingDeleted ? 'object is being deleted: ' : '';
  return StatusError.of(409, 'AlreadyExists', `${prefix}${qualifiedResource(rt)} "${name}" already exists`, details(rt, name));
}

/** 409 Conflict: the optimistic-concurrency failure of an update. */
export function conflict(rt: ResourceType, name: string, message?: string): StatusError {
  const text =
    message ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return StatusError.of(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": ${text}`,
    details(rt, name),
  );
}

/** 400 BadRequest with the given message. */
export function badRequest(message: string): StatusError {
  return StatusError.of(400, 'BadRequest', message);
}

/** 401 Unauthorized. */
export function unauthorized(): StatusError {
  return StatusError.of(401, 'Unauthorized', 'Unauthorized');
}

/** 403 Forbidden, worded as the real authorizer words it for the anonymous test user. */
export function forbidden(rt: ResourceType, verb: string, namespace: string | undefined, name?: string): StatusError {
  const subject = name === undefined ? qualifiedResource(rt) : `${qualifiedResource(rt)} "${name}"`;
  const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  const message = `${subject} is forbidden: User "system:anonymous" cannot ${verb} resource "${rt.resource}" in API group "${rt.group}" ${scope}`;
  return StatusError.of(403, 'Forbidden', message, details(rt, name));
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(rt: ResourceType, verb: string): StatusError {
  return StatusError.of(
    405,
    'MethodNotAllowed',
    `${verb} is not supported on resources of kind "${rt.resource}"`,
    { kind: rt.resource },
  );
}

/** 406 NotAcceptable. */
export function notAcceptable(): StatusError {
  return StatusError.of(
    406,
    'NotAcceptable',
    'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  );
}

/** 415 UnsupportedMediaType for a body type the endpoint does not take. */
export function unsupportedMediaType(contentType: string, accepted: readonly string[]): StatusError {
  return StatusError.of(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] },
  );
}

/** 410 Expired with the given message. */
export function expired(message: string): StatusError {
  return StatusError.of(410, 'Expired', message);
}

/** 422 Invalid for one object, `Kind[.group] "name" is invalid: ...`. */
export function invalid(rt: Pick<ResourceType, 'group' | 'kind'>, name: string, causes: readonly StatusCause[]): StatusError {
  const kind = rt.group === '' ? rt.kind : `${rt.kind}.${rt.group}`;
  // An aggregate of field errors: one prints alone, several (duplicates once) inside brackets.
  const texts = [...new Set(causes.map((c) => `${c.field ?? ''}: ${c.message ?? ''}`))];
  const text = texts.length === 1 ? (texts[0] ?? '') : `[${texts.join(', ')}]`;
  const d: NonNullable<Status['details']> = { name };
  if (rt.group !== '') d.group = rt.group;
  d.kind = rt.kind;
  d.causes = [...causes];
  return StatusError.of(422, 'Invalid', `${kind} "${name}" is invalid: ${text}`, d);
}

/** 422 Invalid for bad request options (`ListOptions.meta.k8s.io "" is invalid: ...`). */
export function invalidOptions(kind: string, field: string, reason: string, message: string): StatusError {
  return StatusError.of(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: 'meta.k8s.io',
    kind,
    causes: [{ reason, message, field }],
  });
}

/** 422 Invalid for bad list/watch options. */
export function invalidListOptions(field: string, reason: string, message: string): StatusError {
  return invalidOptions('ListOptions', field, reason, message);
}

/** 422 Invalid with the generic text the real server uses for a failing JSON patch. */
export function patchRejected(): StatusError {
  return StatusError.of(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** 504 Timeout: a resourceVersion newer than anything the server has. */
export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return StatusError.of(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/** 500 InternalError with a message (a plain Go error on the real server: no reason). */
export function internalError(message: string): StatusError {
  const status: Status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, code: 500 };
  return new StatusError(status);
}

/** A Status error answered for an injected fault of any code. */
export function faultStatus(code: number, retryAfterSeconds?: number): StatusError {
  const reasons: Record<number, Status['reason']> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    410: 'Expired',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  const status: Status = {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message: `injected fault: ${code}`,
    code,
  };
  const reason = reasons[code];
  if (reason !== undefined) status.reason = reason;
  if (retryAfterSeconds !== undefined) status.details = { retryAfterSeconds };
  return new StatusError(status);
}

/**
 * Writes the 429 that API priority and fairness answers when a priority level is saturated: not
 * a Status but Go's `http.Error` text, with `Retry-After` and the matched flow schema's headers.
 */
export function writeThrottled(res: ServerResponse, retryAfterSeconds: number): void {
  res.writeHead(429, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Retry-After': String(retryAfterSeconds),
    'X-Kubernetes-PF-FlowSchema-UID': FAKE_FLOW_SCHEMA_UID,
    'X-Kubernetes-PF-PriorityLevel-UID': FAKE_PRIORITY_LEVEL_UID,
  });
  res.end('Too many requests, please try again later.\n');
}

// Fixed UIDs: the real server sends the matched objects' UIDs, never their names.
const FAKE_FLOW_SCHEMA_UID = '6f3c1e0a-0000-4000-8000-000000000001';
const FAKE_PRIORITY_LEVEL_UID = '6f3c1e0a-0000-4000-8000-000000000002';

/**
 * The Status the real server answers when storage refuses a key holding a `.` or `..` segment
 * (a namespace of `..` in the path): a plain Go error, so 500 without a reason.
 */
export function invalidStorageKey(key: string): StatusError {
  return internalError(`invalid key: ${JSON.stringify(key)}`);
}

/** 400 for a path name that is not a valid path segment, as the registry's key functions answer. */
export function invalidPathName(name: string, problems: readonly string[]): StatusError {
  return badRequest(`Name parameter invalid: ${JSON.stringify(name)}: ${problems.join(';')}`);
}

/** Writes a Status error as the HTTP response (adds Retry-After when the details ask for it). */
export function writeStatus(res: ServerResponse, err: StatusError): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const retry = err.status.details?.retryAfterSeconds;
  if (retry !== undefined && retry > 0) headers['Retry-After'] = String(retry);
  res.writeHead(err.code, headers);
  res.end(`${JSON.stringify(err.status)}\n`);
}

/** Writes the plain-text 404 Go's mux answers for a path no handler knows. */
export function writePageNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end('404 page not found\n');
}

/** Writes kube-aggregator's answer for an APIService whose backend is unavailable (Go's http.Error). */
export function writeServiceUnavailable(res: ServerResponse): void {
  res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end('service unavailable\n');
}
