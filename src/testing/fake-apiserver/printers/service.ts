// Services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, and SELECTOR with -o wide.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, formatLabels, int, objects, str } from './format.ts';
import { ageColumn, column, nameColumn, type Printer } from './printer.ts';

function loadBalancerIngress(svc: KubeObject): string[] {
  const seen = new Set<string>();
  for (const ingress of objects(svc, 'status', 'loadBalancer', 'ingress')) {
    const address = str(ingress['ip']) || str(ingress['hostname']);
    if (address !== '') seen.add(address);
  }
  return [...seen];
}

function externalIP(svc: KubeObject, type: string): string {
  const external = (at(svc, 'spec', 'externalIPs') as unknown[] | undefined)?.filter((ip) => typeof ip === 'string') ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const all = [...loadBalancerIngress(svc), ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(at(svc, 'spec', 'externalName'));
    default:
      return '<unknown>';
  }
}

function ports(svc: KubeObject): string {
  const pieces = objects(svc, 'spec', 'ports').map((p) => {
    // A real server defaults the protocol to TCP; the fake stores what was sent.
    const protocol = str(p['protocol']) || 'TCP';
    const nodePort = int(p['nodePort']);
    return nodePort > 0 ? `${int(p['port'])}:${nodePort}/${protocol}` : `${int(p['port'])}/${protocol}`;
  });
  return pieces.length > 0 ? pieces.join(',') : '<none>';
}

/** The Service printer. */
export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'The IP address of the service inside the cluster.'),
    column('External-IP', 'Addresses the service is reachable at from outside the cluster.'),
    column('Port(s)', 'The ports the service exposes.'),
    ageColumn,
    column('Selector', 'The labels of the pods traffic is routed to.', { priority: 1 }),
  ],
  row(svc: KubeObject, now: Date) {
    // A real server defaults the type to ClusterIP and the clusterIPs from clusterIP.
    const type = str(at(svc, 'spec', 'type')) || 'ClusterIP';
    const clusterIPs = at(svc, 'spec', 'clusterIPs');
    const clusterIP = (Array.isArray(clusterIPs) ? str(clusterIPs[0]) : '') || str(at(svc, 'spec', 'clusterIP')) || '<none>';
    const cells = [svc.metadata?.name ?? '', type, clusterIP, externalIP(svc, type), ports(svc), age(svc.metadata, now)];
    return { cells: [...cells, formatLabels(at(svc, 'spec', 'selector'))] };
  },
};
