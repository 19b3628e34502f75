// ReplicaSets: NAME DESIRED CURRENT READY AGE, and CONTAINERS IMAGES SELECTOR with -o wide.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, containerCells, formatLabelSelector, int } from './format.ts';
import { ageColumn, column, containerColumns, nameColumn, type Printer } from './printer.ts';

/** The ReplicaSet printer. */
export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'Desired replicas.', { type: 'integer' }),
    column('Current', 'Replicas created.', { type: 'integer' }),
    column('Ready', 'Replicas ready.', { type: 'integer' }),
    ageColumn,
    ...containerColumns,
    column('Selector', 'The label selector of the pods the replica set manages.', { priority: 1 }),
  ],
  row(rs: KubeObject, now: Date) {
    const [names, images] = containerCells(at(rs, 'spec', 'template', 'spec'));
    return {
      cells: [
        rs.metadata?.name ?? '',
        // A real server defaults spec.replicas to 1; the fake stores what was sent.
        int(at(rs, 'spec', 'replicas'), 1),
        int(at(rs, 'status', 'replicas')),
        int(at(rs, 'status', 'readyReplicas')),
        age(rs.metadata, now),
        names,
        images,
        formatLabelSelector(at(rs, 'spec', 'selector')),
      ],
    };
  },
};
