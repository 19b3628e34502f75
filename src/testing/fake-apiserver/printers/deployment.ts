// Deployments: NAME READY UP-TO-DATE AVAILABLE AGE, and CONTAINERS IMAGES SELECTOR with -o wide.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, containerCells, int, selectorString } from './format.ts';
import { ageColumn, column, containerColumns, nameColumn, type Printer } from './printer.ts';

function printDeployment(d: KubeObject, now: Date): { cells: (string | number)[] } {
  // A real server defaults spec.replicas to 1; the fake stores what was sent.
  const desired = int(at(d, 'spec', 'replicas'), 1);
  const [names, images] = containerCells(at(d, 'spec', 'template', 'spec'));
  return {
    cells: [
      d.metadata?.name ?? '',
      `${int(at(d, 'status', 'readyReplicas'))}/${desired}`,
      int(at(d, 'status', 'updatedReplicas')),
      int(at(d, 'status', 'availableReplicas')),
      age(d.metadata, now),
      names,
      images,
      selectorString(at(d, 'spec', 'selector')),
    ],
  };
}

/** The Deployment printer (its Up-to-date and Available columns are typed string, cells numbers, as upstream). */
export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'Ready replicas out of the desired replicas.'),
    column('Up-to-date', 'Replicas running the current pod template.'),
    column('Available', 'Replicas available to serve.'),
    ageColumn,
    ...containerColumns,
    column('Selector', 'The label selector of the pods the deployment manages.', { priority: 1 }),
  ],
  row: printDeployment,
};
