// The opaque continue token of paginated lists, in the real server's format.

import { badRequest } from './status.ts';

/** A decoded continue token: the snapshot version (-1 = latest) and the key to start after. */
export interface ContinueToken {
  readonly rv: number;
  /** Storage key relative to the list's prefix, ending in "\u0000" (start strictly after). */
  readonly start: string;
}

/** Encodes a token as base64url (no padding) of `{"v":"meta.k8s.io/v1","rv":N,"start":"..."}`. */
export function encodeContinue(token: ContinueToken): string {
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start });
  return Buffer.from(json, 'utf8').toString('base64url');
}

function invalid(detail: string): Error {
  return badRequest(`invalid continue token: continue key is not valid: ${detail}`);
}

/** Decodes a token; a malformed one is a 400 BadRequest with the real server's wording. */
export function decodeContinue(value: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch (err) {
    // An undecodable token is the client's error; report it as such.
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid('not an object');
  const t = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (t.v !== 'meta.k8s.io/v1') throw invalid(`server does not recognize this encoded key version "${String(t.v)}"`);
  if (typeof t.rv !== 'number' || !Number.isInteger(t.rv) || t.rv === 0) throw invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof t.start !== 'string' || t.start === '' || t.start.includes('..')) throw invalid('encoded start key is invalid');
  const start = t.start.startsWith('/') ? t.start.slice(1) : t.start;
  return { rv: t.rv, start };
}
