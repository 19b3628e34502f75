// Accept-header negotiation: plain JSON, PartialObjectMetadata(List), Table, or aggregated discovery; others are skipped.

import { notAcceptable } from './status.ts';

/** The response representation a request negotiated. */
export type Representation =
  | { readonly as: 'json' }
  | { readonly as: 'metadata'; readonly version: 'v1' | 'v1beta1' }
  | { readonly as: 'table'; readonly version: 'v1' | 'v1beta1' };

/** What a discovery root (`/api`, `/apis`) answers with. */
export type DiscoveryRepresentation = { readonly as: 'legacy' } | { readonly as: 'aggregated'; readonly version: 'v2' | 'v2beta1' };

interface Clause {
  readonly mediaType: string;
  readonly params: ReadonlyMap<string, string>;
}

function parseAccept(header: string): Clause[] {
  const clauses: Clause[] = [];
  for (const raw of header.split(',')) {
    const [mediaType = '', ...rest] = raw.split(';').map((p) => p.trim());
    const params = new Map<string, string>();
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
    }
    if (params.get('q') === '0') continue;
    clauses.push({ mediaType: mediaType.toLowerCase(), params });
  }
  return clauses;
}

/**
 * Picks the first clause of `accept` the fake can serve, in header order. Protobuf, YAML and
 * transforms that do not fit the target (`as=PartialObjectMetadata` on a list) are skipped
 * rather than refused; when nothing fits the answer is 406 NotAcceptable.
 *
 * @param target whether the response is a single object, a list, or a watch stream of objects
 */
export function negotiate(accept: string | undefined, target: 'object' | 'list' | 'watch'): Representation {
  if (accept === undefined || accept.trim() === '') return { as: 'json' };
  for (const clause of parseAccept(accept)) {
    if (!isJson(clause)) continue;
    const as = clause.params.get('as');
    if (as === undefined) return { as: 'json' };
    if (clause.params.get('g') !== 'meta.k8s.io') continue;
    const v = clause.params.get('v');
    if (v !== 'v1' && v !== 'v1beta1') continue;
    if (as === 'Table') return { as: 'table', version: v };
    const wanted = target === 'list' ? 'PartialObjectMetadataList' : 'PartialObjectMetadata';
    if (as === wanted) return { as: 'metadata', version: v };
  }
  throw notAcceptable();
}

function isJson(clause: Clause): boolean {
  return clause.mediaType === 'application/json' || clause.mediaType === '*/*' || clause.mediaType === 'application/*';
}

/**
 * Picks the representation of `/api` or `/apis`: `APIGroupDiscoveryList` (v2 or v2beta1, any
 * `profile`) when a clause asks for it before a plain JSON one, else the legacy document. Other
 * transforms are skipped; when nothing fits the answer is 406 NotAcceptable.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryRepresentation {
  if (accept === undefined || accept.trim() === '') return { as: 'legacy' };
  for (const clause of parseAccept(accept)) {
    if (!isJson(clause)) continue;
    const as = clause.params.get('as');
    if (as === undefined) return { as: 'legacy' };
    const v = clause.params.get('v');
    if (as === 'APIGroupDiscoveryList' && clause.params.get('g') === 'apidiscovery.k8s.io' && (v === 'v2' || v === 'v2beta1')) {
      return { as: 'aggregated', version: v };
    }
  }
  throw notAcceptable();
}
