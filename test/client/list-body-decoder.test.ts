// ListBodyDecoder: list bodies decoded item by item, whatever the chunk boundaries; typed errors for bad bodies.

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { InvalidResponseError } from '../../src/client/errors.ts';
import { ListBodyDecoder, ListBodyError } from '../../src/client/list-body-decoder.ts';
import { readListBody } from '../../src/client/response.ts';

interface Decoded {
  readonly items: unknown[];
  readonly fields: Record<string, unknown>;
}

function decodeChunks(chunks: readonly Buffer[], maxValueBytes = 1 << 20): Decoded {
  const items: unknown[] = [];
  const decoder = new ListBodyDecoder({ onItem: (item) => items.push(item), maxValueBytes });
  for (const chunk of chunks) decoder.write(chunk);
  return { items, fields: decoder.end() };
}

function expected(body: string): Decoded {
  const { items, ...fields } = JSON.parse(body) as { items?: unknown[] };
  return { items: items ?? [], fields };
}

function failure(chunks: readonly Buffer[], maxValueBytes?: number): { error: ListBodyError; items: unknown[] } {
  const items: unknown[] = [];
  const decoder = new ListBodyDecoder({ onItem: (item) => items.push(item), maxValueBytes: maxValueBytes ?? 1 << 20 });
  try {
    for (const chunk of chunks) decoder.write(chunk);
    decoder.end();
  } catch (error) {
    assert.ok(error instanceof ListBodyError, `expected a ListBodyError, got ${String(error)}`);
    return { error, items };
  }
  assert.fail('expected the body to be rejected');
}

// Strings with every escape form, escaped backslashes before quotes, brackets and braces inside
// strings, multi-byte UTF-8 (2, 3 and 4 bytes), numbers, literals and nesting.
const TRICKY_ITEM = {
  metadata: { name: 'ä-日本語-🚀', namespace: 'default', resourceVersion: '7', labels: { 'a/b': 'x\\"y' } },
  data: {
    quote: 'say "hi"',
    backslashes: 'C:\\dir\\',
    before_quote: '\\\\"',
    brackets: '{[}]"]}{',
    escapes: '\b\f\n\r\t\u0000\u001f\u2028/',
    unicode: '\u00e9\ud83d\ude80',
  },
  spec: { replicas: 3, ratio: -1.5e-3, on: true, off: false, none: null, nested: [[1, [2, { x: [] }]], {}] },
};

// The tricky item written with explicit \uXXXX escapes as well, as some encoders do.
const ESCAPED_ITEM = '{"metadata":{"name":"\\u00e4\\ud83d\\ude80","resourceVersion":"8"},"data":{"k":"\\\\\\"\\/"}}';

const BODY = [
  '{"kind":"ConfigMapList","apiVersion":"v1",\n "metadata":{"resourceVersion":"42","continue":"tok\\"en"},',
  ` "items" : [ ${JSON.stringify(TRICKY_ITEM)} ,\n\t${ESCAPED_ITEM},{"metadata":{"name":"plain"}}, 7, "s", null, [] ] }\n`,
].join('');

void describe('ListBodyDecoder', () => {
  void it('decodes a body split at every byte into two chunks exactly as JSON.parse does', () => {
    const bytes = Buffer.from(BODY);
    const want = expected(BODY);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const got = decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)]);
      assert.deepEqual(got, want, `split at byte ${cut}`);
    }
  });

  void it('decodes a body fed one byte at a time, splitting every escape and UTF-8 character', () => {
    const bytes = Buffer.from(BODY);
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    assert.deepEqual(decodeChunks(chunks), expected(BODY));
  });

  void it('decodes runs of backslashes before a quote at every split point', () => {
    for (let run = 0; run <= 5; run++) {
      const value = `${'\\'.repeat(run)}"${'\\'.repeat(run)}`;
      const body = JSON.stringify({ metadata: { resourceVersion: '1' }, items: [{ v: value }, { v: '\\' }] });
      const bytes = Buffer.from(body);
      for (let cut = 0; cut <= bytes.length; cut++) {
        assert.deepEqual(decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)]), expected(body), `run ${run}, split at ${cut}`);
      }
    }
  });

  void it('reads metadata and other fields that come after the items, and any field order', () => {
    const body = '{"items":[{"a":1},{"a":2}],"metadata":{"resourceVersion":"9","remainingItemCount":0},"apiVersion":"v1","kind":"PodList"}';
    const got = decodeChunks([Buffer.from(body)]);
    assert.deepEqual(got.items, [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(got.fields, { metadata: { resourceVersion: '9', remainingItemCount: 0 }, apiVersion: 'v1', kind: 'PodList' });
  });

  void it('accepts an empty items array, a missing one, and an empty body object', () => {
    assert.deepEqual(decodeChunks([Buffer.from('{"metadata":{"resourceVersion":"1"},"items":[]}')]), { items: [], fields: { metadata: { resourceVersion: '1' } } });
    assert.deepEqual(decodeChunks([Buffer.from(' { "metadata" : { } } ')]), { items: [], fields: { metadata: {} } });
    assert.deepEqual(decodeChunks([Buffer.from('{}')]), { items: [], fields: {} });
  });

  void it('keeps a non-array items value as a field for the caller to reject', () => {
    assert.deepEqual(decodeChunks([Buffer.from('{"items":null,"n":12.5e1}')]), { items: [], fields: { items: null, n: 125 } });
  });

  void it('delivers each item as soon as its last byte arrives, before the rest of the body', () => {
    const items: unknown[] = [];
    const decoder = new ListBodyDecoder({ onItem: (item) => items.push(item), maxValueBytes: 1024 });
    decoder.write(Buffer.from('{"metadata":{"resourceVersion":"1"},"items":[{"n":1},{"n":'));
    assert.deepEqual(items, [{ n: 1 }]);
    decoder.write(Buffer.from('2}'));
    assert.deepEqual(items, [{ n: 1 }, { n: 2 }]);
    decoder.write(Buffer.from(']}'));
    assert.deepEqual(decoder.end(), { metadata: { resourceVersion: '1' } });
  });

  const malformed: readonly [string, string, RegExp][] = [
    ['a missing comma between items', '{"items":[{"a":1} {"a":2}]}', /expected "," or "\]"/],
    ['a trailing comma in items', '{"items":[{"a":1},]}', /expected a value/],
    ['an unquoted key', '{items:[]}', /expected a field name/],
    ['a missing colon', '{"items" []}', /expected ":"/],
    ['an item that is not JSON', '{"items":[{"a":}]}', /item is not valid JSON/],
    ['mismatched brackets inside an item', '{"items":[{"a":[1}],"metadata":{}]}', /item is not valid JSON/],
    ['a bad literal field', '{"kind":nope}', /field is not valid JSON/],
    ['bytes after the body', '{"items":[]} {"items":[]}', /expected the end of the body/],
    ['a body that is an array', '[{"a":1}]', /expected a JSON object/],
    ['two items arrays', '{"items":[{"a":1}],"items":[{"a":2}]}', /one items array only/],
  ];
  for (const [what, body, message] of malformed) {
    void it(`rejects ${what} with MalformedBody and its offset`, () => {
      const { error } = failure([Buffer.from(body)]);
      assert.equal(error.reason, 'MalformedBody');
      assert.match(error.message, message);
      assert.ok(error.offset >= 0 && error.offset < body.length, `offset ${error.offset}`);
      assert.ok(error.bodyExcerpt.length > 0);
    });
  }

  void it('rejects a body that ends early, wherever it ends, with TruncatedBody', () => {
    const body = Buffer.from(BODY.trimEnd());
    for (let end = 0; end < body.length; end++) {
      const { error } = failure([body.subarray(0, end)]);
      assert.equal(error.reason, 'TruncatedBody', `cut at ${end}: ${error.message}`);
    }
  });

  void it('delivers the items before a malformed one, then stops', () => {
    const { error, items } = failure([Buffer.from('{"items":[{"a":1},{"a":2},{"a":}, {"a":4}]}')]);
    assert.equal(error.reason, 'MalformedBody');
    assert.deepEqual(items, [{ a: 1 }, { a: 2 }]);
    assert.equal(error.offset, 26);
  });

  void it('rejects one item over maxValueBytes with ValueTooLarge as soon as it passes the limit', () => {
    const small = JSON.stringify({ v: 'x'.repeat(50) });
    const large = JSON.stringify({ v: 'x'.repeat(500) });
    const body = `{"items":[${small},${small},${large},${small}]}`;
    assert.equal(decodeChunks([Buffer.from(`{"items":[${small},${small}]}`)], 100).items.length, 2, 'items under the limit pass');
    const { error, items } = failure([Buffer.from(body.slice(0, 200)), Buffer.from(body.slice(200))], 100);
    assert.equal(error.reason, 'ValueTooLarge');
    assert.match(error.message, /an item of the list body exceeds the 100-byte limit/);
    assert.equal(items.length, 2);
    const field = failure([Buffer.from(`{"metadata":${large}}`)], 100).error;
    assert.equal(field.reason, 'ValueTooLarge');
    assert.match(field.message, /the field "metadata"/);
  });
});

void describe('readListBody', () => {
  function source(chunks: readonly Buffer[], maxBytes = 1 << 20): Parameters<typeof readListBody>[0] {
    return { body: Readable.from(chunks), statusCode: 200, contentType: 'application/json', maxBytes, redact: (text) => text.replaceAll('secret', '<redacted>') };
  }

  void it('yields to the event loop once a slice of decoding time is used up, before the list resolves', async () => {
    const body = Buffer.from(JSON.stringify({ metadata: { resourceVersion: '3' }, items: Array.from({ length: 50 }, (_, n) => ({ n })) }));
    const chunks = Array.from({ length: Math.ceil(body.length / 16) }, (_, i) => body.subarray(i * 16, i * 16 + 16));
    let clock = 0;
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    const items: unknown[] = [];
    // Every chunk "costs" 1 ms on the fake clock; the slice is 5 ms.
    const fields = await readListBody(source(chunks), { onItem: (item) => items.push(item), sliceMs: 5, now: () => (clock += 1) });
    order.push('list');
    assert.deepEqual(order, ['other work', 'list']);
    assert.equal(items.length, 50);
    assert.deepEqual(fields, { metadata: { resourceVersion: '3' } });
  });

  void it('turns a malformed body into InvalidResponseError MalformedResponse with a redacted excerpt and the cause', async () => {
    const err = await readListBody(source([Buffer.from('{"items":[{"token":"secret"} oops]}')]), { onItem: () => undefined }).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidResponseError);
    assert.equal(err.reason, 'MalformedResponse');
    assert.equal(err.code, 200);
    assert.ok(err.cause instanceof ListBodyError);
    assert.doesNotMatch(err.bodyExcerpt, /secret/);
  });

  void it('turns an item over the limit into InvalidResponseError ResponseTooLarge', async () => {
    const err = await readListBody(source([Buffer.from(`{"items":[{"v":"${'x'.repeat(200)}"}]}`)], 64), { onItem: () => undefined }).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidResponseError);
    assert.equal(err.reason, 'ResponseTooLarge');
  });
});
