// Events: LAST SEEN TYPE REASON OBJECT MESSAGE, and SUBOBJECT SOURCE FIRST SEEN COUNT NAME with -o wide.

import type { KubeObject } from '../../../api/types.ts';
import { at, int, since, str } from './format.ts';
import { column, type Printer } from './printer.ts';

function source(event: KubeObject): string {
  const component = str(at(event, 'source', 'component')) || str(at(event, 'reportingComponent'));
  const host = str(at(event, 'source', 'host')) || str(at(event, 'reportingInstance'));
  return host === '' ? component : `${component}, ${host}`;
}

function printEvent(event: KubeObject, now: Date): { cells: (string | number)[] } {
  // Events of the events.k8s.io API carry eventTime and series instead of the legacy timestamps.
  const first = str(at(event, 'firstTimestamp')) === '' ? since(at(event, 'eventTime'), now) : since(at(event, 'firstTimestamp'), now);
  let last = str(at(event, 'lastTimestamp')) === '' ? first : since(at(event, 'lastTimestamp'), now);
  let count = int(at(event, 'count'));
  const series = at(event, 'series');
  if (series !== undefined && series !== null) {
    last = since(at(series, 'lastObservedTime'), now);
    count = int(at(series, 'count'));
  } else if (count === 0) {
    count = 1;
  }
  const kind = str(at(event, 'involvedObject', 'kind')).toLowerCase();
  const name = str(at(event, 'involvedObject', 'name'));
  return {
    cells: [
      last,
      str(at(event, 'type')),
      str(at(event, 'reason')),
      name === '' ? kind : `${kind}/${name}`,
      str(at(event, 'involvedObject', 'fieldPath')),
      source(event),
      str(at(event, 'message')).trim(),
      first,
      count,
      event.metadata?.name ?? '',
    ],
  };
}

/** The Event printer: its Name column comes last and only with -o wide. */
export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'Time since the event was last observed.'),
    column('Type', 'The type of the event (Normal, Warning).'),
    column('Reason', 'Why the event happened, in CamelCase.'),
    column('Object', 'The object the event is about, as kind/name.'),
    column('Subobject', 'The part of the object the event is about.', { priority: 1 }),
    column('Source', 'The component (and host) that reported the event.', { priority: 1 }),
    column('Message', 'A description of the event.'),
    column('First Seen', 'Time since the event was first observed.', { priority: 1 }),
    column('Count', 'How many times the event was observed.', { priority: 1 }),
    column('Name', 'The name of the event object.', { priority: 1, format: 'name' }),
  ],
  row: printEvent,
};
