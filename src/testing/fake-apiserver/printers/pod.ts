// Pods: NAME READY STATUS RESTARTS AGE, and IP NODE NOMINATED-NODE READINESS-GATES with -o wide.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, humanDuration, int, objects, orNone, str } from './format.ts';
import { ageColumn, column, nameColumn, type Printer, type PrintedRow, type TableRowCondition } from './printer.ts';

type Json = Record<string, unknown>;

const completed: Readonly<Record<string, TableRowCondition>> = {
  Succeeded: { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  Failed: { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
};

/** Restart counts and the latest restart time, summed over container statuses. */
class Restarts {
  count = 0;
  last = 0;

  add(status: Json): void {
    this.count += int(status['restartCount']);
    const finished = str(at(status, 'lastState', 'terminated', 'finishedAt'));
    const when = finished === '' ? Number.NaN : new Date(finished).getTime();
    if (!Number.isNaN(when) && when > this.last) this.last = when;
  }
}

function isRestartable(container: Json | undefined): boolean {
  return container?.['restartPolicy'] === 'Always';
}

function hasCondition(pod: KubeObject, type: string): boolean {
  return objects(pod, 'status', 'conditions').some((c) => c['type'] === type && c['status'] === 'True');
}

function terminatedReason(terminated: Json, prefix: string): string {
  const reason = str(terminated['reason']);
  if (reason !== '') return `${prefix}${reason}`;
  const signal = int(terminated['signal']);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${int(terminated['exitCode'])}`;
}

interface PodState {
  reason: string;
  ready: number;
  total: number;
  restarts: Restarts;
}

// Init containers: the first one not done decides the status (`Init:0/2`, `Init:CrashLoopBackOff`).
function initStatus(pod: KubeObject, state: PodState, restartable: Restarts): boolean {
  const inits = objects(pod, 'spec', 'initContainers');
  const specs = new Map(inits.map((c) => [str(c['name']), c]));
  const statuses = objects(pod, 'status', 'initContainerStatuses');
  for (const [i, container] of statuses.entries()) {
    state.restarts.add(container);
    const sidecar = isRestartable(specs.get(str(container['name'])));
    if (sidecar) restartable.add(container);
    const terminated = at(container, 'state', 'terminated') as Json | undefined;
    const waiting = str(at(container, 'state', 'waiting', 'reason'));
    if (terminated !== undefined && int(terminated['exitCode']) === 0) continue;
    if (sidecar && container['started'] === true) {
      if (container['ready'] === true) state.ready += 1;
      continue;
    }
    if (terminated !== undefined) state.reason = terminatedReason(terminated, 'Init:');
    else if (waiting !== '' && waiting !== 'PodInitializing') state.reason = `Init:${waiting}`;
    else state.reason = `Init:${i}/${inits.length}`;
    return true;
  }
  return false;
}

function containerStatus(pod: KubeObject, state: PodState): void {
  let running = false;
  const statuses = objects(pod, 'status', 'containerStatuses');
  // Walked backwards, so the first container's state wins, as upstream.
  for (const container of [...statuses].reverse()) {
    state.restarts.add(container);
    const waiting = str(at(container, 'state', 'waiting', 'reason'));
    const terminated = at(container, 'state', 'terminated') as Json | undefined;
    if (waiting !== '') state.reason = waiting;
    else if (terminated !== undefined) state.reason = terminatedReason(terminated, '');
    else if (container['ready'] === true && at(container, 'state', 'running') !== undefined) {
      running = true;
      state.ready += 1;
    }
  }
  if (state.reason === 'Completed' && running) state.reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
}

function readinessGates(pod: KubeObject): string {
  const gates = objects(pod, 'spec', 'readinessGates');
  if (gates.length === 0) return '<none>';
  const conditions = objects(pod, 'status', 'conditions');
  const met = gates.filter((g) => conditions.find((c) => c['type'] === g['conditionType'])?.['status'] === 'True').length;
  return `${met}/${gates.length}`;
}

function printPod(pod: KubeObject, now: Date): PrintedRow {
  const phase = str(at(pod, 'status', 'phase'));
  // A real server stores every pod with a phase (Pending on create); the fake keeps what was sent.
  const state: PodState = { reason: str(at(pod, 'status', 'reason')) || phase || 'Pending', ready: 0, total: 0, restarts: new Restarts() };
  state.total = objects(pod, 'spec', 'containers').length + objects(pod, 'spec', 'initContainers').filter(isRestartable).length;
  if (objects(pod, 'status', 'conditions').some((c) => c['type'] === 'PodScheduled' && c['reason'] === 'SchedulingGated')) state.reason = 'SchedulingGated';
  const restartable = new Restarts();
  const initializing = initStatus(pod, state, restartable);
  if (!initializing || hasCondition(pod, 'Initialized')) {
    state.restarts = restartable;
    containerStatus(pod, state);
  }
  if (pod.metadata?.deletionTimestamp !== undefined) {
    if (at(pod, 'status', 'reason') === 'NodeLost') state.reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') state.reason = 'Terminating';
  }
  const { count, last } = state.restarts;
  const restarts = count !== 0 && last !== 0 ? `${count} (${humanDuration(now.getTime() - last)} ago)` : String(count);
  const ips = objects(pod, 'status', 'podIPs');
  const row: PrintedRow = {
    cells: [
      pod.metadata?.name ?? '',
      `${state.ready}/${state.total}`,
      state.reason,
      restarts,
      age(pod.metadata, now),
      orNone(ips[0]?.['ip'] ?? at(pod, 'status', 'podIP')),
      orNone(at(pod, 'spec', 'nodeName')),
      orNone(at(pod, 'status', 'nominatedNodeName')),
      readinessGates(pod),
    ],
  };
  const condition = completed[phase];
  if (condition !== undefined) row.conditions = [condition];
  return row;
}

/** The Pod printer of kube-apiserver 1.32 (READY counts running, ready containers and started sidecars). */
export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'Ready containers out of all containers of the pod.'),
    column('Status', 'The pod phase, or the container state that explains it.'),
    column('Restarts', 'Container restarts, and how long ago the latest one was.'),
    ageColumn,
    column('IP', 'IP address allocated to the pod.', { priority: 1 }),
    column('Node', 'The node the pod is scheduled onto.', { priority: 1 }),
    column('Nominated Node', 'The node the scheduler nominated for the pod when it preempted others.', { priority: 1 }),
    column('Readiness Gates', 'Pod conditions the pod readiness also waits for.', { priority: 1 }),
  ],
  row: printPod,
};
