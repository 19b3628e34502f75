// The library version, sent in the User-Agent header.

/** kubecache's version; test/client/version.test.ts keeps it equal to package.json's. */
export const KUBECACHE_VERSION = '0.1.0';
