// The Table that kubectl's human-readable `get` receives, rendered without a server.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanDuration, parseIncludeObject, renderTable } from '../../src/testing/fake-apiserver/table.ts';
import type { KubeObject } from '../../src/api/types.ts';

const now = new Date('2026-01-10T12:00:00Z');
const PODS = { group: '', resource: 'pods', custom: false };

function pod(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-01-10T11:55:00Z' },
    spec: { containers: [{ name: 'a' }, { name: 'b' }] },
    ...extra,
  } as KubeObject;
}

void describe('humanDuration', () => {
  void it('formats durations with the precision kubectl AGE columns use', () => {
    const cases: [number, string][] = [
      [-5_000, '<invalid>'],
      [-500, '0s'],
      [0, '0s'],
      [119_000, '119s'],
      [125_000, '2m5s'],
      [180_000, '3m'],
      [45 * 60_000, '45m'],
      [5 * 3_600_000 + 20 * 60_000, '5h20m'],
      [30 * 3_600_000, '30h'],
      [3 * 86_400_000 + 4 * 3_600_000, '3d4h'],
      [100 * 86_400_000, '100d'],
      [3 * 365 * 86_400_000 + 30 * 86_400_000, '3y30d'],
      [10 * 365 * 86_400_000, '10y'],
    ];
    for (const [ms, expected] of cases) assert.equal(humanDuration(ms), expected, `${ms} ms`);
  });
});

void describe('renderTable', () => {
  void it('prints pods with NAME READY STATUS RESTARTS AGE and their status', () => {
    const running = pod('web', {
      status: {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { finishedAt: '2026-01-10T11:59:00Z' } } },
          { ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    });
    const table = renderTable(PODS, [running, pod('fresh')], { resourceVersion: '42' }, { now });
    assert.deepEqual(
      table.columnDefinitions?.filter((c) => c.priority === 0).map((c) => c.name),
      ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
    );
    assert.deepEqual(table.rows[0]?.cells.slice(0, 5), ['web', '1/2', 'CrashLoopBackOff', '3 (60s ago)', '5m']);
    assert.deepEqual(table.rows[1]?.cells.slice(0, 5), ['fresh', '0/2', 'Pending', '0', '5m']);
    assert.equal(table.metadata.resourceVersion, '42');
  });

  void it('adds IP, Node, Nominated Node and Readiness Gates as wide columns', () => {
    const scheduled = pod('s', { spec: { containers: [], nodeName: 'node-1' }, status: { podIP: '10.0.0.7' } });
    const table = renderTable(PODS, [scheduled], {}, { now });
    assert.deepEqual(
      table.columnDefinitions?.filter((c) => c.priority === 1).map((c) => c.name),
      ['IP', 'Node', 'Nominated Node', 'Readiness Gates'],
    );
    assert.deepEqual(table.rows[0]?.cells.slice(5), ['10.0.0.7', 'node-1', '<none>', '<none>']);
    assert.equal(table.rows[0]?.cells.length, table.columnDefinitions?.length);
  });

  void it('prints deployments with ready, up-to-date and available replicas', () => {
    const deploy = { metadata: { name: 'd' }, spec: { replicas: 3 }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    const table = renderTable({ group: 'apps', resource: 'deployments', custom: false }, [deploy], {}, { now });
    assert.deepEqual(table.columnDefinitions?.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    assert.deepEqual(table.rows[0]?.cells.slice(0, 5), ['d', '2/3', 3, 2, '<unknown>']);
  });

  void it('prints a pod being deleted as Terminating', () => {
    const deleting = pod('old', { status: { phase: 'Running' } });
    deleting.metadata = { ...deleting.metadata, deletionTimestamp: '2026-01-10T11:59:00Z' };
    assert.equal(renderTable(PODS, [deleting], {}, { now }).rows[0]?.cells[2], 'Terminating');
  });

  void it('prints unknown resources with NAME and AGE like a CRD without printer columns', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } };
    const table = renderTable({ group: 'example.com', resource: 'widgets', custom: true }, [widget], {}, { now });
    assert.deepEqual(table.columnDefinitions?.map((c) => c.name), ['Name', 'Age']);
    assert.deepEqual(table.rows[0]?.cells, ['w1', null]);
  });

  void it('counts configmap keys across data and binaryData', () => {
    const cm = { metadata: { name: 'c', creationTimestamp: '2026-01-08T12:00:00Z' }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
    assert.deepEqual(renderTable({ group: '', resource: 'configmaps', custom: false }, [cm], {}, { now }).rows[0]?.cells, ['c', 3, '2d']);
  });

  void it('carries PartialObjectMetadata rows by default, the full object or nothing on request', () => {
    const p = pod('p');
    const byDefault = renderTable(PODS, [p], {}, { now }).rows[0]?.object;
    assert.deepEqual(byDefault, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata });
    assert.equal(renderTable(PODS, [p], {}, { includeObject: 'Object' }).rows[0]?.object, p);
    assert.equal('object' in (renderTable(PODS, [p], {}, { includeObject: 'None' }).rows[0] ?? {}), false);
  });

  void it('copies continue and remainingItemCount so kubectl can page through a Table', () => {
    const table = renderTable(PODS, [], { resourceVersion: '7', continue: 'tok', remainingItemCount: 3 });
    assert.deepEqual(table.metadata, { resourceVersion: '7', continue: 'tok', remainingItemCount: 3 });
    assert.deepEqual(table.rows, []);
  });

  void it('sends null column definitions for watch rows after the first', () => {
    const table = renderTable(PODS, [pod('p')], {}, { omitColumnDefinitions: true, version: 'v1beta1' });
    assert.equal(table.columnDefinitions, null);
    assert.equal(table.apiVersion, 'meta.k8s.io/v1beta1');
    assert.equal(table.rows[0]?.object?.apiVersion, 'meta.k8s.io/v1beta1');
  });
});

void describe('parseIncludeObject', () => {
  void it('reads includeObject with Metadata as the default', () => {
    assert.equal(parseIncludeObject(null), 'Metadata');
    assert.equal(parseIncludeObject(''), 'Metadata');
    assert.equal(parseIncludeObject('Metadata'), 'Metadata');
    assert.equal(parseIncludeObject('Object'), 'Object');
    assert.equal(parseIncludeObject('None'), 'None');
  });
});
