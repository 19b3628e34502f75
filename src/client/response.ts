// Turns HTTP responses into values or typed errors: body reading, Status parsing, JSON checks.

import type { IncomingMessage } from 'node:http';
import { StatusError, isStatus } from '../api/errors.ts';
import type { StatusReason } from '../api/types.ts';
import { InvalidResponseError, excerpt } from './errors.ts';

/** Error bodies are Status objects of a few hundred bytes; anything far larger is not worth reading. */
export const ERROR_BODY_LIMIT = 1024 * 1024;

/** The response ended before its last byte (the socket closed mid-body). */
export class IncompleteBodyError extends Error {
  override readonly name = 'IncompleteBodyError';
  readonly code = 'ECONNRESET';
}

/**
 * Reads a whole body into one Buffer, keeping the chunks in a list and joining them once.
 * With `limit`, stops reading past it and returns what it has (the caller destroys the socket).
 */
export function readBody(res: IncomingMessage, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        res.off('data', onData);
        res.pause();
        resolve(Buffer.concat(chunks, size));
      }
    };
    res.on('data', onData);
    res.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    res.once('error', reject);
    res.once('close', () => {
      if (!res.complete) reject(new IncompleteBodyError('the response ended before its last byte'));
    });
  });
}

/** The media type of a Content-Type header, lower-cased and without parameters. */
export function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** True for `application/json` and `application/*+json`. */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

const reasonsByCode: ReadonlyMap<number, StatusReason> = new Map<number, StatusReason>([
  [400, 'BadRequest'],
  [401, 'Unauthorized'],
  [403, 'Forbidden'],
  [404, 'NotFound'],
  [405, 'MethodNotAllowed'],
  [406, 'NotAcceptable'],
  [409, 'Conflict'],
  [410, 'Gone'],
  [413, 'RequestEntityTooLarge'],
  [415, 'UnsupportedMediaType'],
  [422, 'Invalid'],
  [429, 'TooManyRequests'],
  [500, 'InternalError'],
  [503, 'ServiceUnavailable'],
  [504, 'Timeout'],
]);

/**
 * The StatusError for a non-2xx answer: the server's own Status when the body is one,
 * otherwise a synthesised Status whose reason follows the HTTP code (as client-go's
 * `newUnstructuredResponseError` does) and whose message quotes at most 200 characters of the
 * body, passed through `redact` first.
 */
export function statusErrorFromBody(
  code: number,
  contentType: string,
  body: string,
  redact: (text: string) => string,
): StatusError {
  if (isJsonMediaType(mediaType(contentType))) {
    // A server or proxy may echo the request's credentials in its Status message: redact the whole body.
    const parsed = tryParseJson(redact(body));
    if (isStatus(parsed)) {
      if (parsed.code === undefined) parsed.code = code;
      return new StatusError(parsed);
    }
  }
  const reason = reasonsByCode.get(code) ?? (code >= 500 ? 'InternalError' : 'Unknown');
  const shown = excerpt(redact(body.trim()));
  const message = `the server responded with HTTP ${code} and a body that is not a Status (content type "${contentType}"): ${JSON.stringify(shown)}`;
  return StatusError.of(code, reason, message);
}

/** Parses a 2xx JSON body, or explains why it is not one with an InvalidResponseError. */
export function parseJsonBody(code: number, contentType: string, body: string, redact: (text: string) => string): unknown {
  if (!isJsonMediaType(mediaType(contentType))) {
    throw new InvalidResponseError({
      reason: 'UnexpectedContentType',
      code,
      contentType,
      body: redact(body),
      detail: 'expected a JSON response',
    });
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw new InvalidResponseError(
      { reason: 'MalformedResponse', code, contentType, body: redact(body), detail: 'the response body is not valid JSON' },
      { cause: err },
    );
  }
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A non-JSON error body is reported through the synthesised Status instead.
    return undefined;
  }
}
