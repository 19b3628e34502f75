// The User-Agent version constant follows package.json.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { it } from 'node:test';
import { KUBECACHE_VERSION } from '../../src/client/version.ts';

void it('sends the version package.json declares in the user agent', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(KUBECACHE_VERSION, pkg.version);
});
