// Leases: NAME HOLDER AGE.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, str } from './format.ts';
import { ageColumn, column, nameColumn, type Printer } from './printer.ts';

/** The Lease printer. */
export const leasePrinter: Printer = {
  columns: [nameColumn, column('Holder', 'The identity of the lease holder.'), ageColumn],
  row(lease: KubeObject, now: Date) {
    return { cells: [lease.metadata?.name ?? '', str(at(lease, 'spec', 'holderIdentity')), age(lease.metadata, now)] };
  },
};
