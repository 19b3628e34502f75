// Nodes: NAME STATUS ROLES AGE VERSION, and INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME with -o wide.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, objects, str } from './format.ts';
import { ageColumn, column, nameColumn, type Printer } from './printer.ts';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

function nodeStatus(node: KubeObject): string {
  const ready = objects(node, 'status', 'conditions').find((c) => c['type'] === 'Ready');
  const status = [ready === undefined ? 'Unknown' : ready['status'] === 'True' ? 'Ready' : 'NotReady'];
  if (at(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

// Roles come from node-role.kubernetes.io/<role> labels and the legacy kubernetes.io/role label.
function roles(node: KubeObject): string {
  const found = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length) found.add(key.slice(ROLE_PREFIX.length));
    else if (key === 'kubernetes.io/role' && value !== '') found.add(value);
  }
  return found.size === 0 ? '<none>' : [...found].sort().join(',');
}

function address(node: KubeObject, type: string): string {
  return str(objects(node, 'status', 'addresses').find((a) => a['type'] === type)?.['address']) || '<none>';
}

/** The Node printer. */
export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'Whether the node is ready, and whether scheduling is disabled.'),
    column('Roles', 'The roles of the node.'),
    ageColumn,
    column('Version', 'The kubelet version the node reports.'),
    column('Internal-IP', 'The first InternalIP address of the node.', { priority: 1 }),
    column('External-IP', 'The first ExternalIP address of the node.', { priority: 1 }),
    column('OS-Image', 'The OS image the node reports.', { priority: 1 }),
    column('Kernel-Version', 'The kernel version the node reports.', { priority: 1 }),
    column('Container-Runtime', 'The container runtime and version the node reports.', { priority: 1 }),
  ],
  row(node: KubeObject, now: Date) {
    const info = (field: string): string => str(at(node, 'status', 'nodeInfo', field)) || '<unknown>';
    const cells = [node.metadata?.name ?? '', nodeStatus(node), roles(node), age(node.metadata, now), str(at(node, 'status', 'nodeInfo', 'kubeletVersion'))];
    return { cells: [...cells, address(node, 'InternalIP'), address(node, 'ExternalIP'), info('osImage'), info('kernelVersion'), info('containerRuntimeVersion')] };
  },
};
