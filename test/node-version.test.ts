// The Node.js version check: the rule itself, and each entry point and the CLI run on an older system Node.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findOlderNode } from '../scripts/older-node.ts';
import { checkNodeVersion, MIN_NODE_VERSION, NodeVersionError } from '../src/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const oldNode = findOlderNode();
const skipWithoutOldNode = oldNode === undefined ? `no Node.js older than ${MIN_NODE_VERSION} on PATH` : false;

void describe('the Node.js version check', () => {
  void it('refuses a Node.js older than 22.19 with a NodeVersionError naming both versions', () => {
    for (const found of ['20.20.2', '22.18.0', '22.9.1', 'v18.0.0']) {
      assert.throws(
        () => checkNodeVersion(found),
        (err: unknown) => {
          assert.ok(err instanceof NodeVersionError, found);
          assert.equal(err.reason, 'UnsupportedNodeVersion');
          assert.equal(err.required, '22.19.0');
          assert.equal(err.found, found);
          assert.equal(err.message, `kubecache needs Node.js ≥ 22.19 (found ${found})`);
          return true;
        },
      );
    }
  });

  void it('accepts 22.19 and anything newer', () => {
    for (const found of ['22.19.0', '22.19.1', '22.20.0', '23.0.0', '24.21.0', '25.0.0-nightly2026']) {
      assert.doesNotThrow(() => checkNodeVersion(found), found);
    }
  });

  void it('requires the version package.json engines declares', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    assert.equal(pkg.engines.node, `>=${MIN_NODE_VERSION.replace(/\.0$/, '')}`);
  });

  void it('throws NodeVersionError from each entry point on an older system Node, before undici loads', { skip: skipWithoutOldNode }, () => {
    const node = oldNode?.path ?? assert.fail('no old node');
    for (const entry of ['src/index.ts', 'src/testing/index.ts']) {
      const run = spawnSync(node, ['--import', 'tsx', '--input-type=module', '-e', `await import('./${entry}')`], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(run.status, 1, entry);
      assert.match(run.stderr, new RegExp(`NodeVersionError: kubecache needs Node\\.js ≥ 22\\.19 \\(found ${oldNode?.version}\\)`), entry);
      assert.doesNotMatch(run.stderr, /undici/, entry);
    }
  });

  void it('makes the CLI print one line naming both versions and exit 1 on an older system Node', { skip: skipWithoutOldNode }, () => {
    const node = oldNode?.path ?? assert.fail('no old node');
    const run = spawnSync(node, ['--import', 'tsx', 'src/testing/fake-apiserver/cli.ts', '--port', '0'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `kubecache-fake-apiserver: kubecache needs Node.js ≥ 22.19 (found ${oldNode?.version})\n`);
    assert.equal(run.stdout, '');
  });
});
