// ConfigMaps: NAME DATA AGE.

import type { KubeObject } from '../../../api/types.ts';
import { age, at } from './format.ts';
import { ageColumn, column, nameColumn, type Printer } from './printer.ts';

/** How many keys a map holds; 0 when absent. */
export function keyCount(value: unknown): number {
  return typeof value === 'object' && value !== null ? Object.keys(value).length : 0;
}

/** The ConfigMap printer: DATA counts the keys of data and binaryData. */
export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'Number of keys in data and binaryData.'), ageColumn],
  row(cm: KubeObject, now: Date) {
    return { cells: [cm.metadata?.name ?? '', keyCount(at(cm, 'data')) + keyCount(at(cm, 'binaryData')), age(cm.metadata, now)] };
  },
};
