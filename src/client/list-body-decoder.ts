// Decodes a LIST response body as its bytes arrive: each element of `items` is parsed on its own.

import { ReasonedError } from '../api/reasoned-error.ts';
import { excerpt } from './errors.ts';

/**
 * Why a list body could not be decoded.
 * @category Errors
 */
export type ListBodyErrorReason = 'MalformedBody' | 'TruncatedBody' | 'ValueTooLarge';

/**
 * A list body that is not one JSON object, ends early, or holds one value larger than allowed.
 * Carries the byte offset where decoding stopped and an excerpt of the bytes around it.
 * @category Errors
 */
export class ListBodyError extends ReasonedError<ListBodyErrorReason> {
  override readonly name = 'ListBodyError';
  /** The body offset (in bytes) at which the problem was found. */
  readonly offset: number;
  readonly bodyExcerpt: string;

  constructor(reason: ListBodyErrorReason, detail: string, offset: number, bodyExcerpt: string, options?: { cause?: unknown }) {
    super(reason, `${detail} at byte ${offset}`, options);
    this.offset = offset;
    this.bodyExcerpt = excerpt(bodyExcerpt);
  }
}

/** Options of a {@link ListBodyDecoder}. */
export interface ListBodyDecoderOptions {
  /** Receives each element of the top-level `items` array, parsed, in order. */
  readonly onItem: (item: unknown) => void;
  /** The largest single value (an item, or any other top-level field) accepted, in bytes. */
  readonly maxValueBytes: number;
}

// Where the scanner is between values. Inside a value, the value scanner's fields say where.
type Expect =
  | 'open' // the `{` of the body
  | 'keyOrEnd' // a key, or `}` of an empty body object
  | 'key'
  | 'colon'
  | 'value' // a top-level field's value (`items` turns into 'itemOrEnd')
  | 'commaOrEnd' // `,` or `}` after a top-level field
  | 'itemOrEnd' // the first item, or `]` of an empty array
  | 'item'
  | 'itemCommaOrEnd'
  | 'done';

// What the value being scanned is for.
type Target = 'key' | 'field' | 'item';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function isDelimiter(b: number): boolean {
  return b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || isSpace(b);
}

/**
 * An incremental decoder for the body of a Kubernetes LIST response (`{"kind":…,"metadata":{…},
 * "items":[…]}`), fed one chunk at a time. A byte scanner finds where each value ends — tracking
 * nesting depth, strings and escapes, never decoding characters (UTF-8 continuation bytes cannot
 * look like JSON punctuation) — and each value is handed to `JSON.parse` on its own. Items go to
 * `onItem` as soon as their last byte arrives; the other top-level fields (whatever their order,
 * before or after `items`) are collected for {@link ListBodyDecoder.end}. Only the bytes of the
 * value in progress are kept, so memory is bounded by the largest item, not the body.
 *
 * The scanner checks the punctuation between values; `JSON.parse` checks each value. Anything
 * else throws a {@link ListBodyError}, after which the decoder must not be used again.
 */
export class ListBodyDecoder {
  readonly #onItem: (item: unknown) => void;
  readonly #maxValueBytes: number;
  readonly #fields: Record<string, unknown> = {};
  #expect: Expect = 'open';
  #key = '';
  #sawItems = false;
  /** Body bytes consumed before the current chunk. */
  #offset = 0;

  // The value in progress (#target !== undefined while one is).
  #target: Target | undefined;
  /** Body offset of the value's first byte. */
  #valueOffset = 0;
  #parts: Buffer[] = [];
  #partBytes = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #primitive = false;

  constructor(options: ListBodyDecoderOptions) {
    this.#onItem = options.onItem;
    this.#maxValueBytes = options.maxValueBytes;
  }

  /** Consumes the next chunk of the body; items it completes are delivered before it returns. */
  write(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.#target !== undefined) {
        i = this.#continueValue(chunk, i, 0);
        continue;
      }
      const b = chunk[i] as number;
      if (isSpace(b)) {
        i++;
        continue;
      }
      i = this.#punctuation(chunk, i, b);
    }
    this.#offset += n;
  }

  /** Checks that the body was complete and returns its top-level fields other than `items`. */
  end(): Record<string, unknown> {
    if (this.#expect !== 'done' || this.#target !== undefined) {
      const wanted = this.#target === undefined ? this.#expect : `the rest of a ${this.#target}`;
      this.#fail('TruncatedBody', `the list body ended early, expecting ${wanted}`, this.#parts[0] ?? Buffer.alloc(0), this.#target === undefined ? this.#offset : this.#valueOffset);
    }
    return this.#fields;
  }

  // Handles one non-space byte between values; returns the next index.
  #punctuation(chunk: Buffer, i: number, b: number): number {
    switch (this.#expect) {
      case 'open':
        if (b !== OPEN_BRACE) this.#unexpected(chunk, i, 'a JSON object');
        this.#expect = 'keyOrEnd';
        return i + 1;
      case 'keyOrEnd':
      case 'key':
        if (b === CLOSE_BRACE && this.#expect === 'keyOrEnd') {
          this.#expect = 'done';
          return i + 1;
        }
        if (b !== QUOTE) this.#unexpected(chunk, i, 'a field name');
        return this.#startValue(chunk, i, 'key');
      case 'colon':
        if (b !== COLON) this.#unexpected(chunk, i, '":"');
        this.#expect = 'value';
        return i + 1;
      case 'value':
        if (this.#key === 'items' && b === OPEN_BRACKET) {
          if (this.#sawItems) this.#unexpected(chunk, i, 'one items array only');
          this.#sawItems = true;
          this.#expect = 'itemOrEnd';
          return i + 1;
        }
        return this.#startValue(chunk, i, 'field');
      case 'commaOrEnd':
        if (b === COMMA) this.#expect = 'key';
        else if (b === CLOSE_BRACE) this.#expect = 'done';
        else this.#unexpected(chunk, i, '"," or "}"');
        return i + 1;
      case 'itemOrEnd':
      case 'item':
        if (b === CLOSE_BRACKET && this.#expect === 'itemOrEnd') {
          this.#expect = 'commaOrEnd';
          return i + 1;
        }
        return this.#startValue(chunk, i, 'item');
      case 'itemCommaOrEnd':
        if (b === COMMA) this.#expect = 'item';
        else if (b === CLOSE_BRACKET) this.#expect = 'commaOrEnd';
        else this.#unexpected(chunk, i, '"," or "]"');
        return i + 1;
      case 'done':
        return this.#unexpected(chunk, i, 'the end of the body');
    }
  }

  #startValue(chunk: Buffer, i: number, target: Target): number {
    const b = chunk[i] as number;
    if (b === CLOSE_BRACE || b === CLOSE_BRACKET || b === COMMA || b === COLON) this.#unexpected(chunk, i, 'a value');
    this.#target = target;
    this.#valueOffset = this.#offset + i;
    this.#depth = b === OPEN_BRACE || b === OPEN_BRACKET ? 1 : 0;
    this.#inString = b === QUOTE;
    this.#escaped = false;
    this.#primitive = this.#depth === 0 && !this.#inString;
    return this.#continueValue(chunk, i + 1, i);
  }

  // Scans the value in progress from `i`; `start` is where its bytes begin in this chunk. Completes
  // the value or keeps this chunk's part of it; returns the next index.
  #continueValue(chunk: Buffer, i: number, start: number): number {
    const end = this.#primitive ? scanPrimitive(chunk, i) : this.#scanNested(chunk, i);
    if (end === -1) {
      this.#keep(chunk.subarray(start));
      return chunk.length;
    }
    this.#complete(chunk, start, end);
    return end;
  }

  // The index just past the value's last byte, or -1 when the value goes on past this chunk. Strings
  // are walked byte by byte: most are a few bytes long, shorter than a native indexOf call costs.
  #scanNested(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let i = from;
    let depth = this.#depth;
    let inString = this.#inString;
    if (this.#escaped) {
      i++; // the escaped byte after a backslash that ended the previous chunk
      this.#escaped = false;
    }
    while (i < n) {
      const b = chunk[i] as number;
      if (inString) {
        if (b === BACKSLASH) {
          i += 2;
          continue;
        }
        if (b === QUOTE) {
          inString = false;
          if (depth === 0) {
            this.#inString = false;
            return i + 1;
          }
        }
      } else if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && --depth === 0) {
        this.#depth = 0;
        return i + 1;
      }
      i++;
    }
    // A backslash as the chunk's last byte escapes the first byte of the next one.
    this.#escaped = i > n;
    this.#depth = depth;
    this.#inString = inString;
    return -1;
  }

  #keep(part: Buffer): void {
    this.#partBytes += part.length;
    if (this.#partBytes > this.#maxValueBytes) this.#tooLarge(part);
    this.#parts.push(part);
  }

  #complete(chunk: Buffer, start: number, end: number): void {
    const target = this.#target as Target;
    const last = chunk.subarray(start, end);
    const size = this.#partBytes + last.length;
    if (size > this.#maxValueBytes) this.#tooLarge(last);
    const text = this.#parts.length === 0 ? chunk.toString('utf8', start, end) : Buffer.concat([...this.#parts, last], size).toString('utf8');
    this.#parts = [];
    this.#partBytes = 0;
    this.#target = undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.#fail('MalformedBody', `a list ${target} is not valid JSON`, Buffer.from(text.slice(0, 400)), this.#valueOffset, err);
    }
    switch (target) {
      case 'key':
        this.#key = value as string;
        this.#expect = 'colon';
        return;
      case 'field':
        // As JSON.parse would, the last of duplicate fields wins.
        this.#fields[this.#key] = value;
        this.#expect = 'commaOrEnd';
        return;
      case 'item':
        this.#expect = 'itemCommaOrEnd';
        this.#onItem(value);
    }
  }

  #tooLarge(part: Buffer): never {
    const what = this.#target === 'item' ? 'an item' : `the field ${JSON.stringify(this.#key)}`;
    return this.#fail('ValueTooLarge', `${what} of the list body exceeds the ${this.#maxValueBytes}-byte limit`, this.#parts[0] ?? part, this.#valueOffset);
  }

  #unexpected(chunk: Buffer, i: number, wanted: string): never {
    const shown = String.fromCharCode(chunk[i] as number);
    return this.#fail('MalformedBody', `expected ${wanted} in the list body, found ${JSON.stringify(shown)}`, chunk.subarray(Math.max(0, i - 40), i + 40), this.#offset + i);
  }

  #fail(reason: ListBodyErrorReason, detail: string, bytes: Buffer, offset: number, cause?: unknown): never {
    this.#expect = 'done';
    this.#target = undefined;
    this.#parts = [];
    // Only the head of the bytes is quoted: a value can be megabytes long.
    const shown = bytes.subarray(0, 400).toString('utf8');
    throw new ListBodyError(reason, detail, offset, shown, cause === undefined ? undefined : { cause });
  }
}

// The end of a number or literal starting before `from`: the index of the delimiter after it, or -1.
function scanPrimitive(chunk: Buffer, from: number): number {
  for (let i = from; i < chunk.length; i++) if (isDelimiter(chunk[i] as number)) return i;
  return -1;
}
