// Runs the official Kubernetes Python client (Debian's python3-kubernetes) against the fake
// APIServer: scripts/python-client/oracle.py makes typed calls, pages, watches, scales, evicts and
// applies, and asserts what a real kube-apiserver answers. Not in `npm test` (it needs apt); CI
// installs the package and runs it (.ci/run).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '../src/testing/index.ts';

// Debian's package installs for the system interpreter; a python3 earlier on PATH (pyenv) may not see it.
const CANDIDATES = ['/usr/bin/python3', 'python3'];

function pythonWithClient(): string | undefined {
  return CANDIDATES.find((python) => spawnSync(python, ['-c', 'import kubernetes'], { stdio: 'ignore' }).status === 0);
}

const python = pythonWithClient();
if (python === undefined) {
  console.error('python-client-oracle: no python3 can import kubernetes; install it with `apt-get install python3-kubernetes`');
  process.exit(1);
}
const version = execFileSync(python, ['-c', 'import kubernetes; print(kubernetes.__version__)'], { encoding: 'utf8' }).trim();
console.log(`python-client-oracle: kubernetes ${version} (${python})`);

const server = await FakeApiServer.start();
const dir = mkdtempSync(join(tmpdir(), 'kubecache-python-'));
try {
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeConfigYaml());
  // Asynchronous, so the in-process server keeps answering while the client runs.
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(python, [new URL('python-client/oracle.py', import.meta.url).pathname, kubeconfig], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('close', resolve);
  });
  process.exitCode = code ?? 1;
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
