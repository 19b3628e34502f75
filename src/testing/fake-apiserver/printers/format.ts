// Cell formats the built-in printers share: ages, label sets and selectors, container lists.

import { labelSelectorFromMetav1 } from '../../../api/label-selector.ts';
import { SelectorParseError } from '../../../api/selector-error.ts';
import type { ObjectMeta } from '../../../api/types.ts';
import { isJsonObject } from '../json.ts';

/**
 * Formats a duration the way kubectl's AGE column does (apimachinery's `HumanDuration`):
 * `45s`, `3m12s`, `95m`, `5h20m`, `30h`, `2d4h`, `100d`, `2y30d`, `9y`. Precision drops as the
 * duration grows; up to a second in the future (clock skew) prints `0s`, more `<invalid>`.
 */
export function humanDuration(ms: number): string {
  // Go truncates toward zero here (int(d.Seconds())), so -1.5 s is still "0s".
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return withRemainder(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return withRemainder(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return withRemainder(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return withRemainder(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function withRemainder(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/** Time since an RFC 3339 timestamp as `HumanDuration`; absent or unreadable prints `<unknown>`. */
export function since(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const when = new Date(timestamp).getTime();
  return Number.isNaN(when) ? '<unknown>' : humanDuration(now.getTime() - when);
}

/** The Age cell: time since `metadata.creationTimestamp`. */
export function age(meta: ObjectMeta | undefined, now: Date): string {
  return since(meta?.creationTimestamp, now);
}

/** A string, or `<none>` when absent or empty. */
export function orNone(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : '<none>';
}

/** labels.FormatLabels: `k=v` pairs sorted by key and joined by `,`; `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  if (!isJsonObject(labels)) return '<none>';
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${String(labels[k])}`).join(',');
}

/**
 * A metav1.LabelSelector as a selector string (`LabelSelectorAsSelector(...).String()`): ``
 * when absent or empty, `<invalid>` when it cannot be converted.
 */
export function selectorString(selector: unknown, invalid = '<invalid>'): string {
  if (!isJsonObject(selector)) return '';
  try {
    return labelSelectorFromMetav1(selector).toString();
  } catch (err) {
    // The printers show a selector they cannot convert as a marker cell, never as an error.
    if (err instanceof SelectorParseError) return invalid;
    throw err;
  }
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const text = selectorString(selector, '<error>');
  return text === '' ? '<none>' : text;
}

/** The Containers and Images cells: each container's name and image joined by `,`. */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = isJsonObject(podSpec) && Array.isArray(podSpec['containers']) ? podSpec['containers'] : [];
  const names: string[] = [];
  const images: string[] = [];
  for (const c of containers) {
    const container = isJsonObject(c) ? c : {};
    names.push(typeof container['name'] === 'string' ? container['name'] : '');
    images.push(typeof container['image'] === 'string' ? container['image'] : '');
  }
  return [names.join(','), images.join(',')];
}

/** The value at a path of nested objects (`at(pod, 'spec', 'nodeName')`); undefined when absent. */
export function at(value: unknown, ...keys: string[]): unknown {
  let cur = value;
  for (const key of keys) {
    if (!isJsonObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** The array at a path, `[]` when absent; its object items only. */
export function objects(value: unknown, ...keys: string[]): Record<string, unknown>[] {
  const found = at(value, ...keys);
  return Array.isArray(found) ? found.filter(isJsonObject) : [];
}

/** A number at a path, or the fallback (Go's zero value or the server's default). */
export function int(value: unknown, fallback = 0): number {
  return typeof value === 'number' ? value : fallback;
}

/** A string field, `''` when absent (Go's zero value). */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
