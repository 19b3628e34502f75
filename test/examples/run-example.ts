// Runs an example or the demo as a child process, as a user would, and collects its output.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (children run there, as the npm scripts do). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a finished child printed, and how it ended. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node <script> ...args` from the repository root with the Node running this test (the
 * pinned one, which runs TypeScript as the npm scripts do); `onStdout` sees the output so far
 * after each chunk (to signal the child, say). Kills the child and rejects if it has not exited
 * within `timeoutMs` (a hang must fail the test, not the run). Stdout is not a TTY, so the demo prints no color.
 */
export function runExample(
  script: string,
  args: readonly string[] = [],
  options: { timeoutMs?: number; onStdout?: (soFar: string, child: ChildProcess) => void } = {},
): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 45_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not exit within ${timeoutMs} ms; stdout so far:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
