// The example controller's entry point: parse flags, start replicas (and the fake APIServer with --fake), stop on SIGINT/SIGTERM.

import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { FakeApiServer } from '../../src/testing/index.ts';
import { runDemoScenario } from './demo-scenario.ts';
import { MirrorControllerManager } from './manager.ts';

const usage = `usage: node --import tsx examples/controller/main.ts [--kubeconfig FILE | --fake] [options]

Mirrors every ConfigMap labelled app.kubernetes.io/managed-by=kubecache-example into
<name>-mirror in the same namespace, and deletes the mirror with its source.

  --kubeconfig FILE   cluster to run against (default: $KUBECONFIG or ~/.kube/config)
  --fake              start the fake APIServer in-process, seed ConfigMaps and play a short scenario
  --replicas N        replicas to run in this process, competing for one Lease (default 1; --fake: 2)
  --identity NAME     this process's Lease identity (default: hostname-pid)
  --concurrency N     keys reconciled in parallel by the leader (default 2)
  --help              print this help
`;

interface Flags {
  readonly kubeconfig: string | undefined;
  readonly fake: boolean;
  readonly replicas: number;
  readonly identity: string;
  readonly concurrency: number;
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`--${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function parseFlags(argv: string[]): Flags | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      kubeconfig: { type: 'string' },
      fake: { type: 'boolean' },
      replicas: { type: 'string' },
      identity: { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return undefined;
  const fake = values.fake ?? false;
  if (fake && values.kubeconfig !== undefined) throw new TypeError('--fake and --kubeconfig exclude each other');
  return {
    kubeconfig: values.kubeconfig,
    fake,
    replicas: positive('replicas', values.replicas, fake ? 2 : 1),
    identity: values.identity ?? `${hostname()}-${process.pid}`,
    concurrency: positive('concurrency', values.concurrency, 2),
  };
}

function log(line: string): void {
  const time = new Date().toISOString().slice(11, 23);
  process.stdout.write(`${time} ${line}\n`);
}

/** Aborts on the first SIGINT/SIGTERM; a second one exits at once. */
function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      log(`${signal} again, exiting without a clean stop`);
      process.exit(1);
    }
    log(`${signal}: stopping (in-flight reconciles finish, the lease is released)`);
    controller.abort(new Error(`received ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  if (flags === undefined) {
    process.stdout.write(usage);
    return 0;
  }
  const shutdown = shutdownSignal();
  const server = flags.fake ? await FakeApiServer.start({ tls: true }) : undefined;
  try {
    const kubeConfig = server?.kubeConfig() ?? loadKubeConfig(flags.kubeconfig);
    if (server !== undefined) log(`fake APIServer listening on ${server.url}`);
    // The demo shortens client-go's timings so a hand-over shows within a second or two.
    const timings = flags.fake ? { leaseDuration: 5000, renewDeadline: 3000, retryPeriod: 500 } : {};
    const stops = Array.from({ length: flags.replicas }, () => new AbortController());
    const managers = stops.map((stop, i) => {
      const identity = flags.replicas === 1 ? flags.identity : `${flags.identity}-${i + 1}`;
      const manager = new MirrorControllerManager({ kubeConfig, identity, concurrency: flags.concurrency, log, ...timings });
      shutdown.addEventListener('abort', () => stop.abort(shutdown.reason), { once: true });
      return { manager, identity, stop, done: manager.run(stop.signal) };
    });
    // A replica that fails ends the demo scenario too, and its error is reported below.
    const scenarioStop = new AbortController();
    shutdown.addEventListener('abort', () => scenarioStop.abort(shutdown.reason), { once: true });
    const settled = Promise.allSettled(managers.map((m) => m.done.catch((error: unknown) => {
      scenarioStop.abort(error);
      throw error;
    })));
    if (server !== undefined) await runDemoScenario(kubeConfig, managers, { log, signal: scenarioStop.signal });
    const failure = (await settled).find((r) => r.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  } finally {
    await server?.stop();
  }
  log('stopped');
  return 0;
}

function loadKubeConfig(file: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (file === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(file);
  return kubeConfig;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`controller: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof TypeError) process.stderr.write(`\n${usage}`);
    process.exit(error instanceof TypeError ? 2 : 1);
  },
);
