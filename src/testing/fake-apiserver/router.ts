// URL parsing: which resource, namespace, name and subresource a request path addresses.

/** A request on a resource path (`/api/v1/...` or `/apis/{group}/{version}/...`). */
export interface ResourceRoute {
  readonly type: 'resource';
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  /** Set when the path names a namespace (`/namespaces/{ns}/{resource}`). */
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

/** A discovery or metadata path. */
export type DiscoveryRoute =
  | { readonly type: 'version' }
  | { readonly type: 'coreVersions' }
  | { readonly type: 'groupList' }
  | { readonly type: 'group'; readonly group: string }
  | { readonly type: 'resourceList'; readonly group: string; readonly version: string };

/** Anything the router recognises; `undefined` from {@link route} means 404 page not found. */
export type Route = ResourceRoute | DiscoveryRoute;

// Namespace subresources share the `/namespaces/{ns}/{x}` shape with namespaced collections.
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function resourceRoute(group: string, version: string, parts: readonly string[]): ResourceRoute | undefined {
  let namespace: string | undefined;
  let rest = parts;
  if (parts[0] === 'namespaces' && parts.length >= 3 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? '')) {
    namespace = parts[1];
    rest = parts.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (resource === undefined || resource === '' || extra.length > 0) return undefined;
  const route: { -readonly [K in keyof ResourceRoute]: ResourceRoute[K] } = { type: 'resource', group, version, resource };
  if (namespace !== undefined) route.namespace = namespace;
  if (name !== undefined && name !== '') route.name = name;
  if (subresource !== undefined && subresource !== '') route.subresource = subresource;
  return route;
}

/**
 * Parses a request path as Go's server and the APIServer's router see it: the whole path is
 * URL-decoded, then split on `/` (so `%2F` separates segments); empty segments (trailing
 * slashes) are ignored; `.` and `..` segments are kept as names, never resolved.
 */
export function route(pathname: string): Route | undefined {
  let parts: string[];
  try {
    parts = decodeURIComponent(pathname).split('/').filter((p) => p !== '');
  } catch (err) {
    // A malformed percent-escape cannot name anything we serve.
    if (err instanceof URIError) return undefined;
    throw err;
  }
  const [root, a, b, ...rest] = parts;
  if (root === 'version' && a === undefined) return { type: 'version' };
  if (root === 'api') {
    if (a === undefined) return { type: 'coreVersions' };
    if (a !== 'v1') return undefined;
    if (b === undefined) return { type: 'resourceList', group: '', version: 'v1' };
    return resourceRoute('', 'v1', [b, ...rest]);
  }
  if (root === 'apis') {
    if (a === undefined) return { type: 'groupList' };
    if (b === undefined) return { type: 'group', group: a };
    if (rest.length === 0) return { type: 'resourceList', group: a, version: b };
    return resourceRoute(a, b, rest);
  }
  return undefined;
}

/** The path (still percent-encoded) and query of a request target. */
export interface RequestTarget {
  readonly pathname: string;
  readonly query: URLSearchParams;
}

/**
 * Splits a request target (`/path?query`, or the absolute form a proxy sends) without cleaning
 * the path: WHATWG URL parsing would resolve `/namespaces/../pods` into `/pods`, turning a
 * request for a namespace named `..` into a request for every namespace. Go's server does not.
 */
export function parseRequestTarget(target: string): RequestTarget {
  let rest = target;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (scheme !== null) rest = rest.slice(scheme[0].length);
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  const pathname = question === -1 ? rest : rest.slice(0, question);
  return {
    pathname: pathname.startsWith('/') ? pathname : `/${pathname}`,
    query: new URLSearchParams(question === -1 ? '' : rest.slice(question + 1)),
  };
}
