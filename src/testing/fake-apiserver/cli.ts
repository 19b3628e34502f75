#!/usr/bin/env node
// kubecache-fake-apiserver: runs the fake APIServer as a process, for kubectl and other languages' clients.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { resolveOptions, type FakeApiServerOptions } from './options.ts';
import type { FakeApiServer } from './server.ts';

const usage = `usage: kubecache-fake-apiserver [--port N] [--host ADDR] [--kubeconfig FILE] [--tls] [--token T] [--history-window N]

Starts a fake Kubernetes APIServer on a loopback address and prints its URL as the only line on
stdout. Serves until SIGINT or SIGTERM, then stops and exits 0.

  --port N              port to listen on; 0 picks a free one (default 0)
  --host ADDR           loopback address to bind (default 127.0.0.1)
  --kubeconfig FILE     write a kubeconfig for this server to FILE (for kubectl --kubeconfig)
  --tls                 serve HTTPS with a CA generated at start (the kubeconfig carries it)
  --token T             require "Authorization: Bearer T" on every request
  --history-window N    watch events kept before compaction; older resourceVersions get 410
  --help                print this help
`;

/** A command line that cannot be run: reported with the usage, exit status 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface CliOptions {
  help: boolean;
  kubeconfig: string | undefined;
  server: FakeApiServerOptions;
}

const flags = {
  port: { type: 'string' },
  host: { type: 'string' },
  kubeconfig: { type: 'string' },
  tls: { type: 'boolean' },
  token: { type: 'string' },
  'history-window': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function integerFlag(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

// The return type is parseArgs' own, inferred from `flags`.
function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: flags, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

function parseCli(argv: string[]): CliOptions {
  const { values } = parseFlags(argv);
  const port = integerFlag('port', values.port, 0, 65535);
  const historyWindow = integerFlag('history-window', values['history-window'], 1, Number.MAX_SAFE_INTEGER);
  const server: FakeApiServerOptions = {
    tls: values.tls ?? false,
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.token === undefined ? {} : { token: values.token }),
    ...(historyWindow === undefined ? {} : { historyWindow }),
  };
  try {
    // The server's own option checks (loopback host, non-empty token) are usage errors here.
    resolveOptions(server);
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
  return { help: values.help ?? false, kubeconfig: values.kubeconfig, server };
}

async function startServer(options: FakeApiServerOptions): Promise<FakeApiServer> {
  // Loaded only now so that usage errors and --help answer without loading the server and client-node.
  const { FakeApiServer } = await import('./server.ts');
  return FakeApiServer.start(options);
}

function stopOnSignal(server: FakeApiServer): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal while stopping: the user wants out now.
      process.stderr.write(`kubecache-fake-apiserver: ${signal} again, exiting without a clean stop\n`);
      process.exit(1);
    }
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`kubecache-fake-apiserver: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** kubecache's Node.js version check; on an older Node, the error's message (one line) instead of a stack. */
async function nodeVersionProblem(): Promise<string | undefined> {
  try {
    // The check runs when the module is evaluated; a dynamic import turns its throw into a rejection here.
    await import('../../node-version.ts');
    return undefined;
  } catch (err) {
    // Not `instanceof`: the class lives in the module whose evaluation failed.
    if (err instanceof Error && err.name === 'NodeVersionError') return err.message;
    throw err;
  }
}

async function main(argv: string[]): Promise<number> {
  const versionProblem = await nodeVersionProblem();
  if (versionProblem !== undefined) {
    process.stderr.write(`kubecache-fake-apiserver: ${versionProblem}\n`);
    return 1;
  }
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`kubecache-fake-apiserver: ${err.message}\n\n${usage}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage);
    return 0;
  }
  const server = await startServer(options.server);
  stopOnSignal(server);
  if (options.kubeconfig !== undefined) {
    // The token and CA are in it: readable by the owner only, as kubectl writes its own.
    await writeFile(options.kubeconfig, server.kubeConfigYaml(), { mode: 0o600 });
  }
  // The URL line is the readiness signal: everything a client needs exists before it is printed.
  process.stdout.write(`${server.url}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    // Exit now only on failure or --help; a running server keeps the process alive until a signal.
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`kubecache-fake-apiserver: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
