// Which printer renders a kind's Table: the built-in printers by group and resource, CRD columns, or the default.

import type { PrinterColumn } from '../registry.ts';
import { configMapPrinter } from './config-map.ts';
import { customResourcePrinter } from './custom-resource.ts';
import { daemonSetPrinter } from './daemon-set.ts';
import { defaultPrinter } from './default.ts';
import { deploymentPrinter } from './deployment.ts';
import { eventPrinter } from './event.ts';
import { jobPrinter } from './job.ts';
import { leasePrinter } from './lease.ts';
import { namespacePrinter } from './namespace.ts';
import { nodePrinter } from './node.ts';
import { podPrinter } from './pod.ts';
import type { Printer } from './printer.ts';
import { replicaSetPrinter, replicationControllerPrinter } from './replica-set.ts';
import { secretPrinter } from './secret.ts';
import { servicePrinter } from './service.ts';
import { serviceAccountPrinter } from './service-account.ts';
import { statefulSetPrinter } from './stateful-set.ts';

export type { Cell, Printer, PrintedRow, TableColumnDefinition, TableRowCondition } from './printer.ts';

/** What picks a printer: a kind's group and plural, whether it is a CustomResource, its CRD columns. */
export interface PrintTarget {
  readonly group: string;
  readonly resource: string;
  readonly custom: boolean;
  readonly printerColumns?: readonly PrinterColumn[];
}

// Keyed by `group/resource`, so a CRD reusing a built-in plural never gets its printer.
const BUILT_IN: ReadonlyMap<string, Printer> = new Map([
  ['/pods', podPrinter],
  ['/services', servicePrinter],
  ['/events', eventPrinter],
  ['/namespaces', namespacePrinter],
  ['/nodes', nodePrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['batch/jobs', jobPrinter],
  ['coordination.k8s.io/leases', leasePrinter],
]);

const customPrinters = new WeakMap<readonly PrinterColumn[], Printer>();
const customWithoutColumns = customResourcePrinter(undefined);

/** The printer of a kind: its built-in printer, its CRD's columns, or Name and Created At. */
export function printerFor(target: PrintTarget): Printer {
  if (target.custom) {
    const columns = target.printerColumns;
    if (columns === undefined || columns.length === 0) return customWithoutColumns;
    let printer = customPrinters.get(columns);
    if (printer === undefined) {
      printer = customResourcePrinter(columns);
      customPrinters.set(columns, printer);
    }
    return printer;
  }
  return BUILT_IN.get(`${target.group}/${target.resource}`) ?? defaultPrinter;
}
