// Secrets: NAME TYPE DATA AGE.

import type { KubeObject } from '../../../api/types.ts';
import { keyCount } from './config-map.ts';
import { age, at, str } from './format.ts';
import { ageColumn, column, nameColumn, type Printer } from './printer.ts';

/** The Secret printer. */
export const secretPrinter: Printer = {
  columns: [nameColumn, column('Type', 'The type of the secret.'), column('Data', 'Number of keys in data.'), ageColumn],
  row(secret: KubeObject, now: Date) {
    // A real server defaults an empty type to Opaque.
    const type = str(at(secret, 'type')) || 'Opaque';
    return { cells: [secret.metadata?.name ?? '', type, keyCount(at(secret, 'data')), age(secret.metadata, now)] };
  },
};
