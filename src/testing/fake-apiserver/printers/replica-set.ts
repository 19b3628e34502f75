// ReplicaSets and ReplicationControllers: NAME DESIRED CURRENT READY AGE, and CONTAINERS IMAGES SELECTOR
// with -o wide. The two print alike; only their selectors differ (a label selector, a label map).

import type { KubeObject } from '../../../api/types.ts';
import { age, at, containerCells, formatLabels, formatLabelSelector, int } from './format.ts';
import { ageColumn, column, containerColumns, nameColumn, type Printer } from './printer.ts';

function replicasPrinter(selectorDescription: string, formatSelector: (selector: unknown) => string): Printer {
  return {
    columns: [
      nameColumn,
      column('Desired', 'Desired replicas.', { type: 'integer' }),
      column('Current', 'Replicas created.', { type: 'integer' }),
      column('Ready', 'Replicas ready.', { type: 'integer' }),
      ageColumn,
      ...containerColumns,
      column('Selector', selectorDescription, { priority: 1 }),
    ],
    row(obj: KubeObject, now: Date) {
      const [names, images] = containerCells(at(obj, 'spec', 'template', 'spec'));
      return {
        cells: [
          obj.metadata?.name ?? '',
          // A real server defaults spec.replicas to 1; the fake stores what was sent.
          int(at(obj, 'spec', 'replicas'), 1),
          int(at(obj, 'status', 'replicas')),
          int(at(obj, 'status', 'readyReplicas')),
          age(obj.metadata, now),
          names,
          images,
          formatSelector(at(obj, 'spec', 'selector')),
        ],
      };
    },
  };
}

/** The ReplicaSet printer. */
export const replicaSetPrinter: Printer = replicasPrinter('The label selector of the pods the replica set manages.', formatLabelSelector);

/** The ReplicationController printer (its selector is a plain label map). */
export const replicationControllerPrinter: Printer = replicasPrinter('The labels of the pods the controller manages.', formatLabels);
