// Starting the bench server and the measuring workers as child processes, and waiting on them.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatasetSpec } from './dataset.ts';
import type { WorkerTask } from './measure.ts';
import type { WorkerReply } from './worker.ts';

const SERVER_SCRIPT = fileURLToPath(new URL('./server.ts', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** A running bench server. */
export interface ServerHandle {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  stop(): Promise<void>;
}

/** Options of {@link runWorker}. */
export interface WorkerRunOptions {
  /** Kill the worker if it has not replied by then. */
  readonly timeoutMs: number;
}

/** Resolves once `child` has exited. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Resolves with the first IPC message, or rejects when the child exits first or the time runs out. */
export function firstMessage(child: ChildProcess, timeoutMs: number, what: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('message', (msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (code ${code ?? 'none'}, signal ${signal ?? 'none'}) before answering`));
    });
  });
}

/** Forks the server for `spec` and waits until it listens on loopback. */
export async function startServer(spec: DatasetSpec, timeoutMs = 120_000): Promise<ServerHandle> {
  const child = fork(SERVER_SCRIPT, [JSON.stringify(spec)], {
    execArgv: ['--max-old-space-size=8192', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const msg = await firstMessage(child, timeoutMs, 'the bench server');
  const port = typeof msg === 'object' && msg !== null && 'port' in msg ? Number(msg.port) : NaN;
  if (!Number.isInteger(port)) {
    child.kill('SIGKILL');
    throw new Error(`the bench server sent ${JSON.stringify(msg)} instead of its port`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/** Runs one task in a fresh worker process and returns its reply. */
export async function runWorker(task: WorkerTask, options: WorkerRunOptions): Promise<WorkerReply> {
  const child = fork(WORKER_SCRIPT, [JSON.stringify(task)], {
    execArgv: ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    return (await firstMessage(child, options.timeoutMs, `the ${task.contender} worker`)) as WorkerReply;
  } finally {
    await exited(child);
  }
}
