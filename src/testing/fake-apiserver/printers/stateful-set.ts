// StatefulSets: NAME READY AGE, and CONTAINERS IMAGES with -o wide.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, containerCells, int } from './format.ts';
import { ageColumn, column, containerColumns, nameColumn, type Printer } from './printer.ts';

/** The StatefulSet printer. */
export const statefulSetPrinter: Printer = {
  columns: [nameColumn, column('Ready', 'Ready replicas out of the desired replicas.'), ageColumn, ...containerColumns],
  row(sts: KubeObject, now: Date) {
    const [names, images] = containerCells(at(sts, 'spec', 'template', 'spec'));
    // A real server defaults spec.replicas to 1; the fake stores what was sent.
    const ready = `${int(at(sts, 'status', 'readyReplicas'))}/${int(at(sts, 'spec', 'replicas'), 1)}`;
    return { cells: [sts.metadata?.name ?? '', ready, age(sts.metadata, now), names, images] };
  },
};
