// The faults of the chaos harness: their kinds, a seeded sequence covering all of them, and injecting one.

import type { FakeApiServer } from '../../src/testing/index.ts';

/** The fault kinds the harness injects. */
export type FaultType =
  | 'dropWatchesClean'
  | 'dropWatchesAbrupt'
  | 'compact'
  | 'listFail500'
  | 'listFail403'
  | 'watchFail500'
  | 'watchFail403'
  | 'latency'
  | 'restart';

/** Every fault kind, in a fixed order. */
export const FAULT_TYPES: readonly FaultType[] = [
  'dropWatchesClean',
  'dropWatchesAbrupt',
  'compact',
  'listFail500',
  'listFail403',
  'watchFail500',
  'watchFail403',
  'latency',
  'restart',
];

/** Injects one random fault; latency stays on until the next fault. */
export async function injectFault(server: FakeApiServer, type: FaultType, random: () => number): Promise<void> {
  const resource = random() < 0.5 ? 'configmaps' : 'widgets.example.com';
  const count = 1 + Math.floor(random() * 3);
  server.faults.latency(0);
  switch (type) {
    case 'dropWatchesClean':
      server.faults.dropWatches();
      return;
    case 'dropWatchesAbrupt':
      server.faults.dropWatches({ abrupt: true });
      return;
    case 'compact':
      server.faults.compact();
      return;
    case 'listFail500':
    case 'listFail403':
    case 'watchFail500':
    case 'watchFail403': {
      const verb = type.startsWith('list') ? 'list' : 'watch';
      server.faults.failNext({ verb, resource, status: type.endsWith('500') ? 500 : 403, count });
      return;
    }
    case 'latency':
      server.faults.latency(5 + Math.floor(random() * 50));
      return;
    case 'restart':
      await server.restart();
      return;
  }
}

/** Fault types in seeded rounds: each round is a fresh shuffle of every type, so all of them occur. */
export function faultSequence(random: () => number): () => FaultType {
  let round: FaultType[] = [];
  return () => {
    if (round.length === 0) {
      round = [...FAULT_TYPES];
      for (let i = round.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [round[i], round[j]] = [round[j]!, round[i]!];
      }
    }
    return round.pop() ?? 'compact';
  };
}
