// Finds a Node.js on PATH older than kubecache supports (a build machine's system Node), to check what its users see.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { checkNodeVersion, NodeVersionError } from '../src/node-version.ts';

/** A `node` binary and the version it reports (without the leading "v"). */
export interface NodeBinary {
  readonly path: string;
  readonly version: string;
}

/**
 * The first `node` on PATH, skipping any node_modules directory (where the project's pinned Node
 * lives), or in /usr/bin or /usr/local/bin, that kubecache refuses; undefined when there is none.
 */
export function findOlderNode(): NodeBinary | undefined {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '' && !dir.includes('node_modules'));
  for (const dir of [...dirs, '/usr/bin', '/usr/local/bin']) {
    const path = join(dir, 'node');
    if (!existsSync(path)) continue;
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
    try {
      checkNodeVersion(version);
    } catch (err) {
      if (err instanceof NodeVersionError) return { path, version };
      throw err;
    }
  }
  return undefined;
}
