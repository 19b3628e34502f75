// The per-kind table printers, rendered without a server on a fixed clock.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PrinterColumn } from '../../src/testing/fake-apiserver/registry.ts';
import { renderTable, type Table } from '../../src/testing/fake-apiserver/table.ts';

const now = new Date('2026-01-10T12:00:00Z');
const created = '2026-01-10T11:55:00Z';

function table(group: string, resource: string, object: Record<string, unknown>, printerColumns?: PrinterColumn[]): Table {
  const target = { group, resource, custom: printerColumns !== undefined, ...(printerColumns === undefined ? {} : { printerColumns }) };
  return renderTable(target, [object], {}, { now });
}

function columns(t: Table, priority: number): string[] {
  return (t.columnDefinitions ?? []).filter((c) => c.priority === priority).map((c) => c.name);
}

const template = { spec: { containers: [{ name: 'app', image: 'app:1' }, { name: 'side', image: 'side:2' }] } };

void describe('table printers', () => {
  void it('prints a Service with its type, cluster IP, external IPs and ports', () => {
    const lb = {
      metadata: { name: 'lb', creationTimestamp: created },
      spec: { type: 'LoadBalancer', clusterIPs: ['10.0.0.5'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { app: 'web' } },
    };
    const t = table('', 'services', lb);
    assert.deepEqual(columns(t, 0), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age']);
    assert.deepEqual(t.rows[0]?.cells, ['lb', 'LoadBalancer', '10.0.0.5', '<pending>', '80:30080/TCP,53/UDP', '5m', 'app=web']);
    const plain = table('', 'services', { metadata: { name: 'headless' }, spec: {} });
    assert.deepEqual(plain.rows[0]?.cells.slice(1, 5), ['ClusterIP', '<none>', '<none>', '<none>']);
  });

  void it('prints an Event with last seen, object, source and count', () => {
    const event = {
      metadata: { name: 'web.17f' },
      involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff',
      message: ' Back-off restarting failed container \n',
      type: 'Warning',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2026-01-10T11:00:00Z',
      lastTimestamp: '2026-01-10T11:58:00Z',
      count: 12,
    };
    const t = table('', 'events', event);
    assert.deepEqual(columns(t, 0), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    assert.deepEqual(columns(t, 1), ['Subobject', 'Source', 'First Seen', 'Count', 'Name']);
    assert.deepEqual(t.rows[0]?.cells, ['2m', 'Warning', 'BackOff', 'pod/web-0', 'spec.containers{app}', 'kubelet, node-1', 'Back-off restarting failed container', '60m', 12, 'web.17f']);
    const series = table('', 'events', { metadata: { name: 'e' }, eventTime: '2026-01-10T11:59:00.000000Z', series: { count: 3, lastObservedTime: '2026-01-10T11:59:30.000000Z' }, reportingComponent: 'ctrl' });
    assert.deepEqual([series.rows[0]?.cells[0], series.rows[0]?.cells[5], series.rows[0]?.cells[7], series.rows[0]?.cells[8]], ['30s', 'ctrl', '60s', 3]);
  });

  void it('prints a Node with its readiness, roles, version and wide addresses', () => {
    const node = {
      metadata: { name: 'n1', creationTimestamp: '2026-01-08T12:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': '' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'False' }], nodeInfo: { kubeletVersion: 'v1.32.0' }, addresses: [{ type: 'InternalIP', address: '10.1.0.1' }] },
    };
    const t = table('', 'nodes', node);
    assert.deepEqual(t.rows[0]?.cells, ['n1', 'NotReady,SchedulingDisabled', 'control-plane', '2d', 'v1.32.0', '10.1.0.1', '<none>', '<unknown>', '<unknown>', '<unknown>']);
    assert.deepEqual(table('', 'nodes', { metadata: { name: 'n2' } }).rows[0]?.cells.slice(1, 3), ['Unknown', '<none>']);
  });

  void it('prints the workload kinds with their counts, containers, images and selectors', () => {
    const selector = { matchLabels: { app: 'a' } };
    const rs = table('apps', 'replicasets', { metadata: { name: 'rs' }, spec: { replicas: 3, selector, template }, status: { replicas: 2, readyReplicas: 1 } });
    assert.deepEqual(rs.rows[0]?.cells, ['rs', 3, 2, 1, '<unknown>', 'app,side', 'app:1,side:2', 'app=a']);
    const sts = table('apps', 'statefulsets', { metadata: { name: 'sts' }, spec: { replicas: 3, template }, status: { readyReplicas: 2 } });
    assert.deepEqual(sts.rows[0]?.cells, ['sts', '2/3', '<unknown>', 'app,side', 'app:1,side:2']);
    const ds = table('apps', 'daemonsets', { metadata: { name: 'ds' }, spec: { selector, template: { spec: { ...template.spec, nodeSelector: { disk: 'ssd' } } } }, status: { desiredNumberScheduled: 2, numberReady: 1 } });
    assert.deepEqual(columns(ds, 0), ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age']);
    assert.deepEqual(ds.rows[0]?.cells, ['ds', 2, 0, 1, 0, 0, 'disk=ssd', '<unknown>', 'app,side', 'app:1,side:2', 'app=a']);
    const rc = table('', 'replicationcontrollers', { metadata: { name: 'rc' }, spec: { selector: { app: 'a' }, template } });
    assert.deepEqual(rc.rows[0]?.cells, ['rc', 1, 0, 0, '<unknown>', 'app,side', 'app:1,side:2', 'app=a']);
  });

  void it('prints a Job with its status, completions and duration', () => {
    const done = {
      metadata: { name: 'done' },
      spec: { completions: 3, template, selector: { matchLabels: { 'batch.kubernetes.io/job-name': 'done' } } },
      status: { succeeded: 3, startTime: '2026-01-10T11:50:00Z', completionTime: '2026-01-10T11:52:05Z', conditions: [{ type: 'Complete', status: 'True' }] },
    };
    assert.deepEqual(table('batch', 'jobs', done).rows[0]?.cells.slice(0, 4), ['done', 'Complete', '3/3', '2m5s']);
    const running = { metadata: { name: 'run' }, spec: { parallelism: 2 }, status: { startTime: '2026-01-10T11:59:00Z' } };
    assert.deepEqual(table('batch', 'jobs', running).rows[0]?.cells.slice(0, 4), ['run', 'Running', '0/1 of 2', '60s']);
    const pending = table('batch', 'jobs', { metadata: { name: 'new' }, spec: {} });
    assert.deepEqual(pending.rows[0]?.cells.slice(0, 4), ['new', 'Running', '0/1', '']);
  });

  void it('prints Secrets, ServiceAccounts, Leases and Namespaces, and marks finished pods Completed', () => {
    assert.deepEqual(table('', 'secrets', { metadata: { name: 's' }, data: { a: 'eA==' } }).rows[0]?.cells, ['s', 'Opaque', 1, '<unknown>']);
    assert.deepEqual(table('', 'serviceaccounts', { metadata: { name: 'sa' }, secrets: [{ name: 't' }] }).rows[0]?.cells, ['sa', 1, '<unknown>']);
    assert.deepEqual(table('coordination.k8s.io', 'leases', { metadata: { name: 'l' }, spec: { holderIdentity: 'me' } }).rows[0]?.cells, ['l', 'me', '<unknown>']);
    assert.deepEqual(table('', 'namespaces', { metadata: { name: 'ns' }, status: { phase: 'Active' } }).rows[0]?.cells, ['ns', 'Active', '<unknown>']);
    const succeeded = table('', 'pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { reason: 'Completed', exitCode: 0 } } }] } });
    assert.deepEqual(succeeded.rows[0]?.cells.slice(1, 3), ['0/1', 'Completed']);
    assert.deepEqual(succeeded.rows[0]?.conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });

  void it('prints init progress and readiness gates of a pod', () => {
    const pod = {
      metadata: { name: 'init' },
      spec: { initContainers: [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'c' }], readinessGates: [{ conditionType: 'example.com/ready' }] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0 } } }, { name: 'b', state: { running: {} } }], conditions: [{ type: 'example.com/ready', status: 'True' }] },
    };
    const cells = table('', 'pods', pod).rows[0]?.cells;
    assert.deepEqual([cells?.[1], cells?.[2], cells?.[8]], ['0/1', 'Init:1/2', '1/1']);
  });

  void it('prints kinds without a printer, CustomResourceDefinitions among them, as Name and Created At', () => {
    const crd = table('apiextensions.k8s.io', 'customresourcedefinitions', { metadata: { name: 'a.example.com', creationTimestamp: '2026-01-01T10:00:00.123Z' } });
    assert.deepEqual(crd.columnDefinitions?.map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
    assert.deepEqual(crd.rows[0]?.cells, ['a.example.com', '2026-01-01T10:00:00Z']);
  });

  void it('prints a CustomResource through its printer columns: JSONPath, types, priorities, dates', () => {
    const col = (name: string, type: PrinterColumn['type'], jsonPath: string, priority = 0): PrinterColumn => ({ name, type, jsonPath, priority, format: '', description: `d ${name}` });
    const cols = [
      col('Replicas', 'integer', '.spec.replicas'),
      col('Ready', 'string', '.status.conditions[?(@.type=="Ready")].status'),
      col('Ratio', 'number', '.status.ratio'),
      col('Paused', 'boolean', '.spec.paused'),
      col('Selector', 'string', '.spec.selector', 1),
      col('Missing', 'string', '.status.nothing'),
      col('Started', 'date', '.status.startedAt'),
      col('Bad', 'date', '.status.phase'),
    ];
    const cr = {
      metadata: { name: 'db' },
      spec: { replicas: 2.9, paused: false, selector: { b: 2, a: '<x>' } },
      status: { ratio: 0.00002, phase: 'Running', startedAt: '2026-01-10T11:00:00Z', conditions: [{ type: 'Synced', status: 'False' }, { type: 'Ready', status: 'True' }] },
    };
    const t = table('example.com', 'databases', cr, cols);
    assert.deepEqual(columns(t, 1), ['Selector']);
    assert.deepEqual(t.columnDefinitions?.[1], { name: 'Replicas', type: 'integer', format: '', description: 'd Replicas', priority: 0 });
    assert.deepEqual(t.rows[0]?.cells, ['db', 2, 'True', 0.00002, false, '{"a":"\\u003cx\\u003e","b":2}', null, '60m', '<invalid>']);
    const byDefault = renderTable({ group: 'example.com', resource: 'databases', custom: true }, [{ metadata: { name: 'db', creationTimestamp: created } }], {}, { now });
    assert.deepEqual(byDefault.columnDefinitions?.map((c) => [c.name, c.type]), [['Name', 'string'], ['Age', 'date']]);
    assert.deepEqual(byDefault.rows[0]?.cells, ['db', '5m']);
  });
});
