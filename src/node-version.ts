// The Node.js version check: every entry point imports this module first, so an older Node fails here, clearly.
//
// ES modules evaluate their imports depth-first in source order, so an entry whose first import is
// this file runs the check before any module that loads client-node or undici is evaluated. On an
// older Node those die while loading with errors that name neither Node nor kubecache (undici 8:
// "Cannot read properties of undefined (reading 'bind')").

import { ReasonedError } from './api/reasoned-error.ts';

/**
 * The oldest Node.js kubecache runs on, as package.json `engines` says: client-node 2.x's undici needs it.
 * @category Errors
 */
export const MIN_NODE_VERSION = '22.19.0';

/**
 * Importing kubecache (any entry point) or running its CLI on a Node.js older than
 * {@link MIN_NODE_VERSION} throws this, before anything else is loaded. Not retryable: upgrade Node.
 * A static `import` cannot catch it; `await import('kubecache')` rejects with it.
 * @category Errors
 */
export class NodeVersionError extends ReasonedError<'UnsupportedNodeVersion'> {
  override readonly name = 'NodeVersionError';
  /** The oldest version kubecache runs on, e.g. `22.19.0`. */
  readonly required: string;
  /** The running version, e.g. `20.20.2`. */
  readonly found: string;

  constructor(required: string, found: string) {
    super('UnsupportedNodeVersion', `kubecache needs Node.js ≥ ${shortVersion(required)} (found ${found})`);
    this.required = required;
    this.found = found;
  }
}

/**
 * Throws {@link NodeVersionError} when `found` (a `process.versions.node` string) is older than {@link MIN_NODE_VERSION}.
 * @category Errors
 */
export function checkNodeVersion(found: string): void {
  const have = versionParts(found);
  const need = versionParts(MIN_NODE_VERSION);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a > b) return;
    if (a < b) throw new NodeVersionError(MIN_NODE_VERSION, found);
  }
}

function versionParts(version: string): number[] {
  // process.versions.node has no leading "v"; accept one anyway, and ignore a pre-release suffix.
  return version.replace(/^v/, '').split(/[.-]/, 3).map((part) => Number.parseInt(part, 10) || 0);
}

function shortVersion(version: string): string {
  return version.replace(/\.0$/, '');
}

checkNodeVersion(process.versions.node);
