// Runs the real kubectl binary for tests: one kubeconfig and cache dir per server, a timeout on every call.

import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** Where kubectl is, or undefined when it is not installed (tests then skip with a reason). */
export const kubectlPath: string | undefined = ['/usr/bin', ...(process.env['PATH'] ?? '').split(delimiter)]
  .filter((dir) => dir !== '')
  .map((dir) => join(dir, 'kubectl'))
  .find((candidate) => existsSync(candidate));

/**
 * Another kubectl minor version installed beside the default one (gcloud's dispatcher ships
 * `kubectl.1.27` … `kubectl.1.33` next to `kubectl`), or undefined when it is not.
 */
export function kubectlMinor(minor: number): string | undefined {
  if (kubectlPath === undefined) return undefined;
  const dir = dirname(realpathSync(kubectlPath));
  const candidate = join(dir, `kubectl.1.${minor}`);
  return existsSync(candidate) ? candidate : undefined;
}

/** The skip reason for node:test when kubectl is absent, else false. */
export const skipWithoutKubectl: string | false =
  kubectlPath === undefined ? 'kubectl is not installed (looked in /usr/bin and PATH)' : false;

/** The outcome of one kubectl run. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/** A kubectl bound to one kubeconfig and its own discovery cache, in a temp dir removed by `dispose`. */
export class Kubectl {
  readonly dir: string;
  readonly kubeconfig: string;
  /** The kubectl binary this instance runs; the default one unless another version was asked for. */
  readonly binary: string | undefined;

  private constructor(dir: string, kubeconfig: string, binary: string | undefined = kubectlPath) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.binary = binary;
  }

  /** Writes `kubeconfigYaml` into a fresh temp dir; `binary` picks another kubectl (see {@link kubectlMinor}). */
  static async create(kubeconfigYaml: string, binary?: string): Promise<Kubectl> {
    const dir = await mkdtemp(join(tmpdir(), 'kubecache-kubectl-'));
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, kubeconfigYaml, { mode: 0o600 });
    return new Kubectl(dir, kubeconfig, binary);
  }

  /** Uses an existing kubeconfig file (the CLI's `--kubeconfig` output). */
  static async forFile(kubeconfig: string): Promise<Kubectl> {
    const dir = await mkdtemp(join(tmpdir(), 'kubecache-kubectl-'));
    return new Kubectl(dir, kubeconfig);
  }

  private args(args: readonly string[]): string[] {
    return ['--kubeconfig', this.kubeconfig, '--cache-dir', join(this.dir, 'cache'), '--request-timeout=10s', ...args];
  }

  private get env(): NodeJS.ProcessEnv {
    // HOME points into the temp dir so nothing under the real ~/.kube is read or written.
    return { ...process.env, HOME: this.dir, KUBECACHEDIR: join(this.dir, 'cache') };
  }

  /** Runs kubectl to completion; never rejects on a non-zero exit (the result carries the code). */
  run(args: readonly string[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<KubectlResult> {
    const binary = this.binary ?? requireKubectl();
    return new Promise((resolve, reject) => {
      execFile(
        binary,
        this.args(args),
        { env: this.env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err !== null && typeof err.code !== 'number') {
            reject(new Error(`kubectl ${args.join(' ')} did not finish: ${err.message}\n${stderr}`, { cause: err }));
            return;
          }
          resolve({ code: err === null ? 0 : Number(err.code), stdout, stderr });
        },
      );
    });
  }

  /** Runs kubectl and fails with its stderr unless it exits 0; returns stdout. */
  async ok(args: readonly string[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const result = await this.run(args, timeoutMs);
    if (result.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    }
    return result.stdout;
  }

  /** Starts a long-running kubectl (e.g. `get -w`); the caller kills it, `stopAll` is the safety net. */
  spawn(args: readonly string[]): StreamingKubectl {
    const child = spawn(requireKubectl(), this.args(args), { env: this.env, stdio: 'pipe' });
    return new StreamingKubectl(child);
  }

  /** Removes the temp dir. */
  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

function requireKubectl(): string {
  if (kubectlPath === undefined) throw new Error('kubectl is not installed');
  return kubectlPath;
}

/** A running kubectl whose output can be awaited line by line. */
export class StreamingKubectl {
  /** The kubectl process. */
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything kubectl printed on stdout so far. */
  stdout = '';
  /** Everything kubectl printed on stderr so far. */
  stderr = '';
  /** Settles with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;

  constructor(child: ChildProcessWithoutNullStreams) {
    this.child = child;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Resolves once stdout matches `pattern`; rejects after `timeoutMs` or if kubectl exits first. */
  waitForOutput(pattern: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (!pattern.test(this.stdout)) return false;
        cleanup();
        resolve(this.stdout);
        return true;
      };
      const onExit = (code: number | null): void => {
        if (check()) return;
        cleanup();
        reject(new Error(`kubectl exited (${code}) before printing ${pattern}: ${this.stdout}\n${this.stderr}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`kubectl did not print ${pattern} within ${timeoutMs} ms: ${this.stdout}\n${this.stderr}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.stdout.off('data', check);
        this.child.off('exit', onExit);
      };
      this.child.stdout.on('data', check);
      this.child.once('exit', onExit);
      check();
    });
  }

  /** Resolves with the exit code, killing kubectl if it has not exited within `timeoutMs`. */
  async waitForExit(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return outcome;
    this.kill();
    throw new Error(`kubectl did not exit within ${timeoutMs} ms: ${this.stdout}\n${this.stderr}`);
  }

  /** Kills kubectl if it still runs and waits for it to be gone. */
  async stop(): Promise<void> {
    this.kill();
    await this.exited;
  }

  private kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
