// ServiceAccounts: NAME SECRETS AGE.

import type { KubeObject } from '../../../api/types.ts';
import { age, objects } from './format.ts';
import { ageColumn, column, nameColumn, type Printer } from './printer.ts';

/** The ServiceAccount printer. */
export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, column('Secrets', 'Number of secrets the service account lists.'), ageColumn],
  row(sa: KubeObject, now: Date) {
    return { cells: [sa.metadata?.name ?? '', objects(sa, 'secrets').length, age(sa.metadata, now)] };
  },
};
