// `npm run bench:working-set`: retained memory, get latency and request cost of cacheFullObjects 'whenRead' vs a full and a metadata-only cache.
//
// Usage: npm run bench:working-set -- [--quick] [--secrets N] [--size BYTES] [--reads N] [--read-ms N] [--modes m1,m2]
// One fake APIServer in this process holds the Secrets; each mode is measured in a fresh worker
// process. Prints one JSON line per mode on stdout, then a Markdown table; progress on stderr.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FakeApiServer } from '../../src/testing/index.ts';
import { exited, firstMessage } from '../processes.ts';
import { markdownReport, MODES, seed, type WorkingSetMode, type WorkingSetResult, type WorkingSetTask } from './scenario.ts';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker.ts', import.meta.url));

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function modesOf(value: string | undefined): WorkingSetMode[] {
  if (value === undefined) return [...MODES];
  const names = value.split(',').filter((s) => s !== '');
  for (const n of names) if (!(MODES as readonly string[]).includes(n)) throw new TypeError(`unknown mode ${JSON.stringify(n)}; expected one of ${MODES.join(', ')}`);
  return names as WorkingSetMode[];
}

async function runMode(task: WorkingSetTask): Promise<WorkingSetResult> {
  const child = fork(WORKER_SCRIPT, [JSON.stringify(task)], {
    execArgv: ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const reply = (await firstMessage(child, 30 * 60_000, `the ${task.mode} worker`)) as { type: 'result'; result: WorkingSetResult } | { type: 'error'; message: string };
    if (reply.type === 'error') throw new Error(`${task.mode} failed:\n${reply.message}`);
    return reply.result;
  } finally {
    await exited(child);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: 'boolean', default: false },
      secrets: { type: 'string' },
      size: { type: 'string' },
      reads: { type: 'string' },
      'read-ms': { type: 'string' },
      modes: { type: 'string' },
    },
  });
  const secrets = positive(values.secrets, values.quick ? 1_000 : 10_000, 'secrets');
  const size = positive(values.size, 64 * 1024, 'size');
  const reads = Math.min(secrets, positive(values.reads, 20, 'reads'));
  const readMs = positive(values['read-ms'], values.quick ? 100 : 500, 'read-ms');
  const server = await FakeApiServer.start();
  try {
    process.stderr.write(`bench:working-set: seeding ${secrets} Secrets of ${size} bytes\n`);
    seed(server, secrets, size);
    const results: WorkingSetResult[] = [];
    for (const mode of modesOf(values.modes)) {
      const started = performance.now();
      const result = await runMode({ mode, kubeConfigYaml: server.kubeConfigYaml(), secrets, reads, readMs, timeoutMs: 120_000 });
      process.stderr.write(`bench:working-set: ${mode} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      process.stdout.write(`${JSON.stringify({ scenario: 'working-set', ...result })}\n`);
      results.push(result);
    }
    const sizes = `${secrets.toLocaleString('en-US')} Secrets of ${(size / 1024).toFixed(0)} KiB, ${reads} read; Node ${process.version}`;
    process.stdout.write(`\n${markdownReport(results, sizes)}\n`);
  } finally {
    await server.stop();
  }
}

await main();
