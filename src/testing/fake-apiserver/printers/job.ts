// Jobs: NAME STATUS COMPLETIONS DURATION AGE, and CONTAINERS IMAGES SELECTOR with -o wide.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, containerCells, formatLabelSelector, humanDuration, int, objects, str } from './format.ts';
import { ageColumn, column, containerColumns, nameColumn, type Printer } from './printer.ts';

// The first condition of a type decides, as upstream's hasJobCondition.
function hasCondition(job: KubeObject, type: string): boolean {
  return objects(job, 'status', 'conditions').find((c) => c['type'] === type)?.['status'] === 'True';
}

function jobStatus(job: KubeObject): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp !== undefined) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(job: KubeObject): string {
  const succeeded = int(at(job, 'status', 'succeeded'));
  const wanted = at(job, 'spec', 'completions');
  if (typeof wanted === 'number') return `${succeeded}/${wanted}`;
  const parallelism = int(at(job, 'spec', 'parallelism'));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function duration(job: KubeObject, now: Date): string {
  const start = Date.parse(str(at(job, 'status', 'startTime')));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(at(job, 'status', 'completionTime')));
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

/** The Job printer. */
export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'Status of the job.'),
    column('Completions', 'Succeeded pods out of the wanted completions.'),
    column('Duration', 'Time the job took, or has run so far.'),
    ageColumn,
    ...containerColumns,
    column('Selector', 'The label selector of the job pods.', { priority: 1 }),
  ],
  row(job: KubeObject, now: Date) {
    const [names, images] = containerCells(at(job, 'spec', 'template', 'spec'));
    const cells = [job.metadata?.name ?? '', jobStatus(job), completions(job), duration(job, now), age(job.metadata, now)];
    return { cells: [...cells, names, images, formatLabelSelector(at(job, 'spec', 'selector'))] };
  },
};
