// Turns HTTP responses into values or typed errors: body reading, Status parsing, JSON checks.

import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { StatusError, isStatus } from '../api/errors.ts';
import type { StatusReason } from '../api/types.ts';
import { InvalidResponseError, excerpt } from './errors.ts';
import { ListBodyDecoder, ListBodyError } from './list-body-decoder.ts';

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

/**
 * How long decoding a list body may hold the event loop before it lets other work run: a fifth of
 * the 50 ms stall budget, so timers, watches and reads stay responsive during a 100k-item list.
 */
export const LIST_DECODE_SLICE_MS = 10;

/** What {@link readListBody} reads and where its items go. */
export interface ListBodySource {
  /** The body, a 2xx JSON response (or any stream of Buffers in tests). */
  readonly body: Readable;
  readonly statusCode: number;
  readonly contentType: string;
  /** The largest single item (or other top-level field) accepted. */
  readonly maxBytes: number;
  readonly redact: (text: string) => string;
}

/** Options of {@link readListBody}. */
export interface ReadListBodyOptions {
  /** Receives every item as soon as it is parsed, in order. */
  readonly onItem: (item: unknown) => void;
  /** @default {@link LIST_DECODE_SLICE_MS} */
  readonly sliceMs?: number;
  /** The clock the slices are measured with (tests pass a fake one). @default performance.now */
  readonly now?: () => number;
}

/**
 * Reads a LIST response body item by item (see {@link ListBodyDecoder}) and resolves with its
 * top-level fields other than `items` (kind, apiVersion, metadata), whatever their order. Every
 * {@link LIST_DECODE_SLICE_MS} of decoding it yields to the event loop, so a body of any size
 * stalls the loop no longer than one slice plus one chunk. A body that is not a list object, or
 * an item over `maxBytes`, rejects with InvalidResponseError (`MalformedResponse`,
 * `ResponseTooLarge`) whose cause is the {@link ListBodyError}; a body cut off by the connection
 * rejects with IncompleteBodyError. An error thrown by `onItem` rejects as it is.
 */
export async function readListBody(source: ListBodySource, options: ReadListBodyOptions): Promise<Record<string, unknown>> {
  const decoder = new ListBodyDecoder({ onItem: options.onItem, maxValueBytes: source.maxBytes });
  const sliceMs = options.sliceMs ?? LIST_DECODE_SLICE_MS;
  const now = options.now ?? (() => performance.now());
  const chunks = source.body[Symbol.asyncIterator]();
  let sliceStart = now();
  try {
    for (;;) {
      const next = await nextChunk(chunks);
      if (next.done === true) break;
      decoder.write(next.value);
      if (now() - sliceStart >= sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = now();
      }
    }
    if ('complete' in source.body && source.body.complete === false) {
      throw new IncompleteBodyError('the response ended before its last byte');
    }
    return decoder.end();
  } catch (err) {
    throw err instanceof ListBodyError ? invalidListBody(source, err) : err;
  } finally {
    // Stops the stream (and its socket) when decoding failed part way; a no-op after the end.
    await chunks.return?.();
  }
}

// A failure of the stream itself (a reset socket) is a cut-off body, not a decoding problem.
async function nextChunk(chunks: AsyncIterator<unknown>): Promise<IteratorResult<Buffer>> {
  try {
    return (await chunks.next()) as IteratorResult<Buffer>;
  } catch (err) {
    throw new IncompleteBodyError('the response ended before its last byte', { cause: err });
  }
}

function invalidListBody(source: ListBodySource, err: ListBodyError): InvalidResponseError {
  return new InvalidResponseError(
    {
      reason: err.reason === 'ValueTooLarge' ? 'ResponseTooLarge' : 'MalformedResponse',
      code: source.statusCode,
      contentType: source.contentType,
      body: source.redact(err.bodyExcerpt),
      detail: err.message,
    },
    { cause: err },
  );
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
