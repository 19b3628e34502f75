// Namespaces: NAME STATUS AGE.

import type { KubeObject } from '../../../api/types.ts';
import { age, at, str } from './format.ts';
import { ageColumn, column, nameColumn, type Printer } from './printer.ts';

/** The Namespace printer. */
export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'The lifecycle phase of the namespace.'), ageColumn],
  row(ns: KubeObject, now: Date) {
    // A real server moves a deleted namespace's phase to Terminating; the fake only marks it deleted.
    const phase = ns.metadata?.deletionTimestamp !== undefined ? 'Terminating' : str(at(ns, 'status', 'phase'));
    return { cells: [ns.metadata?.name ?? '', phase, age(ns.metadata, now)] };
  },
};
