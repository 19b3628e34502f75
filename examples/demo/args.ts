// The demo's command line: where to connect, how long to run, how to print.

import { parseArgs } from 'node:util';

/** What `npm start -- [flags]` asked for. */
export interface DemoArgs {
  /** Kubeconfig file of a real cluster (read-only run); undefined with `--cluster` means the default one. */
  readonly kubeconfig: string | undefined;
  /** Run against a real cluster instead of the in-process fake APIServer. */
  readonly cluster: boolean;
  /** Seconds to run once the caches have synced. */
  readonly durationS: number;
  /** One JSON object per line instead of text. */
  readonly json: boolean;
  /** Print usage and exit. */
  readonly help: boolean;
}

/** The text `--help` prints. */
export const USAGE = `usage: npm start -- [--kubeconfig FILE | --cluster] [--duration S] [--json]

Starts a kubecache Cache and shows it at work. Without a cluster it runs an
in-process fake APIServer, seeds it, plays a scripted workload and injects
faults. With a cluster it only reads (no writes, no faults).

  --kubeconfig FILE  read-only run against the cluster of FILE
  --cluster          read-only run against $KUBECONFIG or ~/.kube/config
  --duration S       seconds to run after the caches synced (default 12)
  --json             one JSON object per line
  --help             print this help
`;

/** Parses argv (without node and the script); throws a TypeError naming a bad flag. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      kubeconfig: { type: 'string' },
      cluster: { type: 'boolean' },
      duration: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const durationS = values.duration === undefined ? 12 : Number(values.duration);
  if (!Number.isFinite(durationS) || durationS <= 0) {
    throw new TypeError(`--duration must be a positive number of seconds, got ${JSON.stringify(values.duration)}`);
  }
  return {
    kubeconfig: values.kubeconfig,
    cluster: values.cluster === true || values.kubeconfig !== undefined,
    durationS,
    json: values.json === true,
    help: values.help === true,
  };
}
