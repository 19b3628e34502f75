// The library version, sent in the User-Agent header.

/** kubecache's version; kept equal to package.json's by the release script's check. */
export const KUBECACHE_VERSION = '0.1.0';
