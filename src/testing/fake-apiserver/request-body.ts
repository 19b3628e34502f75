// Reads a request body under the real APIServer's size limit.

import type { IncomingMessage } from 'node:http';
import { StatusError } from '../../api/errors.ts';

/** The real server's `MaxRequestBodyBytes` (3 MiB): a larger write is refused with 413. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

function tooLarge(): StatusError {
  return StatusError.of(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`, {});
}

/**
 * The body as UTF-8 text. Rejects with a 413 StatusError once it exceeds
 * {@link MAX_REQUEST_BODY_BYTES} (at once when Content-Length announces it), and with an Error
 * when the client aborts mid-body. Past the limit the rest of the upload is discarded unread,
 * so a hostile client cannot grow the server's memory.
 */
export function readRequestBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BODY_BYTES) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      chunks.length = 0;
      reject(tooLarge());
      // Keep the stream flowing with no listener: the remainder is read and dropped.
      req.resume();
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client closed the request before its body ended'));
    });
  });
}
