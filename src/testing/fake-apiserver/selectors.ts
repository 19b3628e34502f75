// Request selectors turned into one object predicate: namespace scope, label and field selectors.

import { parseFieldSelector } from '../../api/field-selector.ts';
import { parseLabelSelector } from '../../api/label-selector.ts';
import { SelectorParseError } from '../../api/selector-error.ts';
import type { UnstructuredObject } from '../../api/types.ts';
import { unsupportedFieldMessage } from './field-labels.ts';
import type { ResourceType } from './registry.ts';
import { badRequest } from './status.ts';

/** A predicate over stored objects. */
export type ObjectMatcher = (obj: UnstructuredObject) => boolean;

/** The selection of one list or watch request. */
export interface Selection {
  readonly matches: ObjectMatcher;
  /** True when a label or field selector narrows the result (then no remainingItemCount). */
  readonly filtered: boolean;
}

function parseOrBadRequest<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    // Selector syntax errors are the client's: answer 400 with the parser's message.
    if (err instanceof SelectorParseError) throw badRequest(err.message);
    throw err;
  }
}

/**
 * Builds the predicate of a request. Field labels the kind does not support are a 400 with the
 * real server's text; a namespace in the path restricts the result to that namespace.
 */
export function buildSelection(
  rt: ResourceType,
  namespace: string | undefined,
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
): Selection {
  const labels = labelSelector === undefined || labelSelector === '' ? undefined : parseOrBadRequest(() => parseLabelSelector(labelSelector));
  const fields = fieldSelector === undefined || fieldSelector === '' ? undefined : parseOrBadRequest(() => parseFieldSelector(fieldSelector));
  const getters = rt.fieldLabels.getters;
  for (const req of fields?.requirements ?? []) {
    if (getters[req.field] === undefined) throw badRequest(unsupportedFieldMessage(rt.fieldLabels, req.field));
  }
  const labelsEmpty = labels === undefined || labels.empty;
  const fieldsEmpty = fields === undefined || fields.empty;
  const matches: ObjectMatcher = (obj) => {
    if (namespace !== undefined && obj.metadata?.namespace !== namespace) return false;
    if (!labelsEmpty && labels !== undefined && !labels.matches(obj.metadata?.labels)) return false;
    if (!fieldsEmpty && fields !== undefined && !fields.matches((field) => getters[field]?.(obj))) return false;
    return true;
  };
  return { matches, filtered: !labelsEmpty || !fieldsEmpty };
}
