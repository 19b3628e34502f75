// DaemonSets: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, and CONTAINERS IMAGES SELECTOR with -o wide.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, containerCells, formatLabelSelector, formatLabels, int } from './format.ts';
import { ageColumn, column, containerColumns, nameColumn, type Printer } from './printer.ts';

/** The DaemonSet printer. */
export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'Nodes that should run the daemon pod.', { type: 'integer' }),
    column('Current', 'Nodes running at least one daemon pod.', { type: 'integer' }),
    column('Ready', 'Nodes whose daemon pod is ready.', { type: 'integer' }),
    column('Up-to-date', 'Nodes running the current pod template.', { type: 'integer' }),
    column('Available', 'Nodes whose daemon pod is available.', { type: 'integer' }),
    column('Node Selector', 'The node selector of the pod template.'),
    ageColumn,
    ...containerColumns,
    column('Selector', 'The label selector of the pods the daemon set manages.', { priority: 1 }),
  ],
  row(ds: KubeObject, now: Date) {
    const podSpec = at(ds, 'spec', 'template', 'spec');
    const [names, images] = containerCells(podSpec);
    const count = (field: string): number => int(at(ds, 'status', field));
    return {
      cells: [
        ds.metadata?.name ?? '',
        count('desiredNumberScheduled'),
        count('currentNumberScheduled'),
        count('numberReady'),
        count('updatedNumberScheduled'),
        count('numberAvailable'),
        formatLabels(at(podSpec, 'nodeSelector')),
        age(ds.metadata, now),
        names,
        images,
        formatLabelSelector(at(ds, 'spec', 'selector')),
      ],
    };
  },
};
