// Writing large list responses in batches, so serialising 100k items does not stall the event loop.

import type { ServerResponse } from 'node:http';
import { isJsonObject } from './json.ts';

/** Items serialised per batch before yielding to the event loop. */
const BATCH = 1000;

/**
 * Writes `body` as compact JSON plus a newline. A body whose last key is a long `items` array
 * is written in batches (chunked encoding) with a yield to the event loop between them; the
 * bytes are the same as `JSON.stringify(body)`. The items must not change meanwhile (stored
 * objects are frozen, rendered ones are fresh).
 */
export function sendJsonStreamed(res: ServerResponse, code: number, body: unknown): void {
  const items = isJsonObject(body) ? body['items'] : undefined;
  const keys = isJsonObject(body) ? Object.keys(body) : [];
  if (!Array.isArray(items) || items.length <= BATCH || keys[keys.length - 1] !== 'items') {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(`${JSON.stringify(body)}\n`);
    return;
  }
  // The envelope with an empty list ends in `[]}`; the items go between the brackets.
  const head = JSON.stringify({ ...(body as Record<string, unknown>), items: [] });
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.write(head.slice(0, -2));
  let next = 0;
  const step = (): void => {
    if (res.destroyed) return;
    const end = Math.min(items.length, next + BATCH);
    const parts: string[] = [];
    for (let i = next; i < end; i++) parts.push(JSON.stringify(items[i]));
    res.write((next === 0 ? '' : ',') + parts.join(','));
    next = end;
    if (next < items.length) setImmediate(step);
    else res.end(']}\n');
  };
  step();
}
