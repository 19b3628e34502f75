// The kubecache-fake-apiserver command: URL line, kubeconfig file, clean stop on signals, usage errors.

import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Kubectl, skipWithoutKubectl } from './kubectl-run.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliPath = join(repoRoot, 'src/testing/fake-apiserver/cli.ts');
const WAIT_MS = 20_000;

/** The CLI as a child process, with its output collected. */
class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** Runs the CLI with `args`; `command` replaces how it is started (default: this Node with tsx on the source). */
  constructor(args: readonly string[], command: readonly string[] = [process.execPath, '--import', 'tsx', cliPath]) {
    // The project's pinned Node runs the tests, so process.execPath is new enough for the CLI too.
    // A process group of its own, so that kill() also reaches the CLI when npm started it.
    const [file = process.execPath, ...rest] = command;
    this.child = spawn(file, [...rest, ...args], { cwd: repoRoot, stdio: 'pipe', detached: true });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    // 'close', not 'exit': 'exit' can come before the last stderr chunk has been read from the pipe.
    this.exited = new Promise((resolve) => this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal })));
  }

  /** Resolves with the first stdout line: the server URL. */
  firstLine(): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no URL line within ${WAIT_MS} ms; stderr: ${this.stderr}`)), WAIT_MS);
      const onData = (): void => {
        const end = this.stdout.indexOf('\n');
        if (end >= 0) done(undefined, this.stdout.slice(0, end));
      };
      const onExit = (code: number | null): void => done(new Error(`exited ${code} before printing; stderr: ${this.stderr}`));
      const done = (err?: Error, line?: string): void => {
        clearTimeout(timer);
        this.child.stdout.off('data', onData);
        this.child.off('exit', onExit);
        if (line !== undefined) resolve(line);
        else reject(err ?? new Error('no line'));
      };
      this.child.stdout.on('data', onData);
      this.child.once('exit', onExit);
      onData();
    });
  }

  /** Resolves with the exit code; kills the process and fails if it does not exit in time. */
  async exitCode(): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), WAIT_MS)));
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.kill();
      assert.fail(`the CLI did not exit within ${WAIT_MS} ms; stderr: ${this.stderr}`);
    }
    return outcome.code;
  }

  kill(): void {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) process.kill(-pid, 'SIGKILL');
  }
}

void describe('kubecache-fake-apiserver CLI', () => {
  let dir: string;
  const started: CliProcess[] = [];
  const run = (args: readonly string[], command?: readonly string[]): CliProcess => {
    const cli = new CliProcess(args, command);
    started.push(cli);
    return cli;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubecache-cli-'));
  });
  after(async () => {
    for (const cli of started) cli.kill();
    await Promise.all(started.map((cli) => cli.exited));
    await rm(dir, { recursive: true, force: true });
  });

  void it('prints only its URL, serves requests, and exits 0 on SIGTERM', async () => {
    const cli = run(['--port', '0']);
    const url = await cli.firstLine();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const version = await fetch(`${url}/version`);
    assert.equal(version.status, 200);
    assert.ok(((await version.json()) as { gitVersion?: string }).gitVersion);
    const pods = await fetch(`${url}/api/v1/namespaces/default/pods`);
    assert.equal(((await pods.json()) as { kind?: string }).kind, 'PodList');
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exitCode(), 0, cli.stderr);
    assert.equal(cli.stdout, `${url}\n`, 'exactly one line on stdout');
  });

  void it('exits 0 on SIGINT too', async () => {
    const cli = run([]);
    await cli.firstLine();
    cli.child.kill('SIGINT');
    assert.equal(await cli.exitCode(), 0, cli.stderr);
  });

  void it('rejects unknown flags and bad values with usage on stderr and exit 2', async () => {
    const cases = [['--bogus'], ['--port', 'eighty'], ['--port', '70000'], ['--history-window', '0'], ['extra'], ['--host', '10.1.2.3'], ['--token=']];
    const clis = cases.map((args) => ({ args, cli: run(args) }));
    for (const { args, cli } of clis) {
      assert.equal(await cli.exitCode(), 2, `${args.join(' ')}: ${cli.stderr}`);
      assert.match(cli.stderr, /usage: kubecache-fake-apiserver/, args.join(' '));
      assert.equal(cli.stdout, '', args.join(' '));
    }
  });

  void it('prints usage on stdout for --help and exits 0', async () => {
    const cli = run(['--help']);
    assert.equal(await cli.exitCode(), 0);
    assert.match(cli.stdout, /--kubeconfig FILE/);
  });

  void it("runs with the README's command inside the clone and writes a kubeconfig client-node loads for plain HTTP", async () => {
    // client-node 2.x refuses an http:// server unless the kubeconfig says insecure-skip-tls-verify.
    const kubeconfig = join(dir, 'http-kubeconfig');
    const cli = run(['--port', '0', '--kubeconfig', kubeconfig], ['npm', 'run', '--silent', 'fake-apiserver', '--']);
    const url = await cli.firstLine();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    assert.equal(kc.getCurrentCluster()?.server, url);
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
    assert.ok(namespaces.items.some((ns) => ns.metadata?.name === 'default'));
    const created = await kc.makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'via-file' } } });
    assert.equal(created.metadata?.name, 'via-file');
    // Ctrl-C in a terminal signals the whole foreground group: npm, its shell and the CLI.
    process.kill(-(cli.child.pid ?? assert.fail('no pid')), 'SIGINT');
    await cli.exitCode();
    await assert.rejects(fetch(`${url}/version`), 'the server stopped with npm');
  });

  void it('writes a kubeconfig kubectl can use, over TLS with a token', { skip: skipWithoutKubectl }, async () => {
    const kubeconfig = join(dir, 'tls-kubeconfig');
    const cli = run(['--port', '0', '--tls', '--token', 'cli-token', '--history-window', '50', '--kubeconfig', kubeconfig]);
    const url = await cli.firstLine();
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await stat(kubeconfig)).mode & 0o777, 0o600);
    assert.match(await readFile(kubeconfig, 'utf8'), /cli-token/);
    const kubectl = await Kubectl.forFile(kubeconfig);
    try {
      assert.match(await kubectl.ok(['get', 'namespaces', '-o', 'name']), /^namespace\/default$/m);
      // `create -f` sends JSON; `kubectl create configmap` would send protobuf, which the fake does not speak.
      const file = join(dir, 'cm.json');
      await writeFile(file, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-cli' }, data: { a: 'b' } }));
      assert.match(await kubectl.ok(['create', '-f', file]), /configmap\/from-cli created/);
      assert.match(await kubectl.ok(['get', 'configmaps']), /^from-cli\s+1\s/m);
    } finally {
      await kubectl.dispose();
    }
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exitCode(), 0, cli.stderr);
  });
});
