// ReplicationControllers: NAME DESIRED CURRENT READY AGE, and CONTAINERS IMAGES SELECTOR with -o wide.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, containerCells, formatLabels, int } from './format.ts';
import { ageColumn, column, containerColumns, nameColumn, type Printer } from './printer.ts';

/** The ReplicationController printer (its selector is a plain label map). */
export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'Desired replicas.', { type: 'integer' }),
    column('Current', 'Replicas created.', { type: 'integer' }),
    column('Ready', 'Replicas ready.', { type: 'integer' }),
    ageColumn,
    ...containerColumns,
    column('Selector', 'The labels of the pods the controller manages.', { priority: 1 }),
  ],
  row(rc: KubeObject, now: Date) {
    const [names, images] = containerCells(at(rc, 'spec', 'template', 'spec'));
    return {
      cells: [
        rc.metadata?.name ?? '',
        // A real server defaults spec.replicas to 1; the fake stores what was sent.
        int(at(rc, 'spec', 'replicas'), 1),
        int(at(rc, 'status', 'replicas')),
        int(at(rc, 'status', 'readyReplicas')),
        age(rc.metadata, now),
        names,
        images,
        formatLabels(at(rc, 'spec', 'selector')),
      ],
    };
  },
};
