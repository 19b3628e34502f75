// Splits a watch response into lines and turns each line into a typed WatchEvent (the hot path).

import { StatusError, isStatus } from '../api/errors.ts';
import type { WatchEvent } from '../api/lister-watcher.ts';
import { INITIAL_EVENTS_END_ANNOTATION } from '../api/types.ts';
import { WatchDecodeError, type WatchDecodeErrorReason } from './errors.ts';

/** The default limit of one watch line: larger than any object etcd accepts (1.5 MiB) by far. */
export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;

/** Receives the events a {@link WatchDecoder} produces, in stream order. */
export interface WatchEventSink<T> {
  onEvent(event: WatchEvent<T>): void;
}

/** Options of a {@link WatchDecoder}. */
export interface WatchDecoderOptions<T> {
  /** Turns a wire object into T; throwing makes the line a `DecodeFailed` error. */
  readonly decode?: ((raw: unknown) => T) | undefined;
  /** The longest line accepted, in bytes. @default 64 MiB */
  readonly maxEventBytes?: number | undefined;
  /** Removes credentials from the text errors quote (lines, Status messages); only error paths pay for it. @default none */
  readonly redact?: ((text: string) => string) | undefined;
}

/**
 * Decodes the newline-delimited JSON of a watch stream.
 *
 * Feed it chunks with `write` and finish with `end`; it hands each event to the sink
 * synchronously. A line is parsed with exactly one `JSON.parse`. Bytes of an unfinished line
 * are kept as a list of chunks and joined once the newline arrives, so a line split over many
 * chunks costs one copy, and a multi-byte character split between chunks is decoded whole.
 * Any bad line throws a WatchDecodeError; the decoder must not be used after that.
 */
export class WatchDecoder<T> {
  readonly #sink: WatchEventSink<T>;
  readonly #decode: ((raw: unknown) => T) | undefined;
  readonly #maxEventBytes: number;
  readonly #redact: (text: string) => string;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(sink: WatchEventSink<T>, options: WatchDecoderOptions<T> = {}) {
    this.#sink = sink;
    this.#decode = options.decode;
    this.#maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.#redact = options.redact ?? ((text) => text);
  }

  /** Consumes one chunk of the response body. */
  write(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    if (newline !== -1 && this.#pendingBytes > 0) {
      this.#checkSize(this.#pendingBytes + newline, chunk, 0);
      this.#pending.push(chunk.subarray(0, newline));
      this.#pendingBytes += newline;
      this.#line(this.#takePending());
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    while (newline !== -1) {
      this.#checkSize(newline - start, chunk, start);
      if (newline > start) this.#line(chunk.toString('utf8', start, newline));
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      this.#checkSize(this.#pendingBytes + chunk.length - start, chunk, start);
      this.#pending.push(start === 0 ? chunk : chunk.subarray(start));
      this.#pendingBytes += chunk.length - start;
    }
  }

  /** Ends the stream: a final line without newline is decoded if complete, else it is truncated. */
  end(): void {
    if (this.#pendingBytes === 0) return;
    const rest = this.#takePending();
    if (rest.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(rest) as unknown;
    } catch (err) {
      throw this.#error('TruncatedWatchEvent', 'the stream ended inside an event', rest, { cause: err });
    }
    this.#sink.onEvent(this.#toEvent(raw, rest));
  }

  #takePending(): string {
    const joined = this.#pending.length === 1 ? (this.#pending[0] as Buffer) : Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    return joined.toString('utf8');
  }

  #checkSize(bytes: number, chunk: Buffer, from: number): void {
    if (bytes <= this.#maxEventBytes) return;
    const head = this.#pending.length > 0 ? (this.#pending[0] as Buffer) : chunk.subarray(from);
    throw this.#error(
      'EventTooLarge',
      `an event exceeds the ${this.#maxEventBytes}-byte limit`,
      head.toString('utf8', 0, Math.min(head.length, 400)),
    );
  }

  #line(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text) as unknown;
    } catch (err) {
      if (text.trim() === '') return;
      throw this.#error('MalformedWatchEvent', 'a line is not valid JSON', text, { cause: err });
    }
    this.#sink.onEvent(this.#toEvent(raw, text));
  }

  #toEvent(raw: unknown, text: string): WatchEvent<T> {
    if (typeof raw !== 'object' || raw === null) {
      throw this.#error('MalformedWatchEvent', 'a line is not a watch event object', text);
    }
    const { type, object } = raw as { type?: unknown; object?: unknown };
    if (typeof object !== 'object' || object === null) {
      throw this.#error('MalformedWatchEvent', 'an event has no object', text);
    }
    switch (type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED': {
        const decoded = this.#object(object, text);
        // The parsed line already is { type, object }: handing it on spares an object per event.
        return decoded === object ? (raw as WatchEvent<T>) : { type, object: decoded };
      }
      case 'BOOKMARK':
        return this.#bookmark(object, text);
      case 'ERROR':
        return { type, error: errorOf(object, this.#redact) };
      default:
        throw this.#error('UnknownEventType', `unknown event type ${JSON.stringify(type)}`, text);
    }
  }

  #object(object: object, text: string): T {
    const metadata = (object as { metadata?: unknown }).metadata;
    if (typeof metadata !== 'object' || metadata === null) {
      throw this.#error('MissingObjectMetadata', 'an event object has no metadata', text);
    }
    if (this.#decode === undefined) return object as T;
    try {
      return this.#decode(object);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw this.#error('DecodeFailed', `an event object could not be decoded (${detail})`, text, { cause: err });
    }
  }

  #bookmark(object: object, text: string): WatchEvent<T> {
    const metadata = (object as { metadata?: { resourceVersion?: unknown; annotations?: unknown } }).metadata;
    const resourceVersion = metadata?.resourceVersion;
    if (typeof resourceVersion !== 'string' || resourceVersion === '') {
      throw this.#error('MissingObjectMetadata', 'a bookmark has no metadata.resourceVersion', text);
    }
    const annotations = metadata?.annotations as Record<string, unknown> | undefined;
    const initialEventsEnd = annotations?.[INITIAL_EVENTS_END_ANNOTATION] === 'true';
    return { type: 'BOOKMARK', resourceVersion, initialEventsEnd };
  }

  // Servers and proxies may echo the request's credentials into what errors quote.
  #error(reason: WatchDecodeErrorReason, detail: string, text: string, options?: { cause: unknown }): WatchDecodeError {
    const cause = options?.cause;
    const redacted = cause instanceof Error && this.#redact(cause.message) !== cause.message ? new Error(this.#redact(cause.message)) : cause;
    const init = options === undefined ? undefined : { cause: redacted };
    return new WatchDecodeError(reason, this.#redact(detail), this.#redact(text), init);
  }
}

/** client-go turns a non-Status ERROR object into a generic server error; so do we. */
function errorOf(object: object, redact: (text: string) => string): StatusError {
  const clean = JSON.parse(redact(JSON.stringify(object))) as object;
  if (isStatus(clean)) return new StatusError(clean);
  return StatusError.of(500, 'InternalError', `watch ERROR event with an object that is not a Status: ${JSON.stringify(clean).slice(0, 200)}`);
}
