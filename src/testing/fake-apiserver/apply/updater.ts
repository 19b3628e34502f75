// Field ownership across writes (structured-merge-diff's merge.Updater): an Update takes what it
// changed; an Apply merges its configuration, prunes what its manager stopped applying and, unless
// forced, refuses to change fields other managers own.

import { jsonEqual } from '../json.ts';
import type { TypeNode } from '../schema/type-node.ts';
import { compare, type Comparison } from './compare.ts';
import { FieldSet } from './field-set.ts';
import { mergeValues } from './merge.ts';
import type { Path } from './path-element.ts';
import { removeItems } from './remove-items.ts';
import { toFieldSet } from './to-field-set.ts';

/** The fields one manager owns, at the apiVersion it wrote them with; `applied` for Apply entries. */
export interface VersionedSet {
  readonly set: FieldSet;
  readonly apiVersion: string;
  readonly applied: boolean;
}

/** Every manager's fields, by manager identifier. */
export type ManagerSets = Map<string, VersionedSet>;

/** One field an applier would change that another manager owns. */
export interface Conflict {
  readonly manager: string;
  readonly path: Path;
}

/** An apply refused because it changes fields other managers own (retry with force to take them). */
export class ConflictsError extends Error {
  override readonly name = 'ConflictsError';
  readonly conflicts: readonly Conflict[];
  constructor(conflicts: readonly Conflict[]) {
    super(`apply failed with ${conflicts.length} conflicts`);
    this.conflicts = conflicts;
  }
}

/** What the Updater needs to know about the endpoint it serves. */
export interface UpdaterScope {
  readonly type: TypeNode;
  /** Drops the fields this endpoint resets (status through the main resource, all but status through `/status`). */
  readonly ignore: (set: FieldSet) => FieldSet;
}

function filtered(c: Comparison, ignore: UpdaterScope['ignore']): Comparison {
  return { added: ignore(c.added), modified: ignore(c.modified), removed: ignore(c.removed) };
}

/** Compares old and new, takes changed fields from other managers (or throws their conflicts). */
function update(
  scope: UpdaterScope,
  oldObject: unknown,
  newObject: unknown,
  managers: ManagerSets,
  workflow: string,
  force: boolean,
): { managers: ManagerSets; comparison: Comparison } {
  const comparison = filtered(compare(oldObject, newObject, scope.type), scope.ignore);
  const changed = comparison.modified.union(comparison.added);
  const conflicts = new Map<string, FieldSet>();
  const out: ManagerSets = new Map(managers);
  for (const [manager, owned] of managers) {
    if (manager === workflow) continue;
    const conflict = owned.set.intersection(changed);
    if (!conflict.empty()) conflicts.set(manager, conflict);
  }
  if (!force && conflicts.size > 0) {
    const sorted = [...conflicts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    throw new ConflictsError(sorted.flatMap(([manager, set]) => set.paths().map((path) => ({ manager, path }))));
  }
  for (const [manager, owned] of managers) {
    if (manager === workflow) continue;
    let set = owned.set;
    const conflict = conflicts.get(manager);
    if (conflict !== undefined) set = set.difference(conflict);
    if (!comparison.removed.empty()) set = set.difference(comparison.removed);
    if (set.empty()) out.delete(manager);
    else out.set(manager, { ...owned, set });
  }
  const own = out.get(workflow);
  if (own?.set.empty() === true) out.delete(workflow);
  return { managers: out, comparison };
}

/** A non-apply write by `manager`: it owns what it added or modified, others lose it. */
export function recordUpdate(scope: UpdaterScope, live: unknown, next: unknown, apiVersion: string, managers: ManagerSets, manager: string): ManagerSets {
  const { managers: out, comparison } = update(scope, live, next, managers, manager, true);
  const previous = out.get(manager)?.set ?? new FieldSet();
  const set = scope.ignore(previous.difference(comparison.removed).union(comparison.modified).union(comparison.added));
  if (set.empty()) out.delete(manager);
  else out.set(manager, { set, apiVersion, applied: false });
  return out;
}

// Removes from `merged` what the manager applied last time and no longer does, unless someone else owns it.
function prune(scope: UpdaterScope, merged: unknown, managers: ManagerSets, lastSet: VersionedSet | undefined): unknown {
  if (lastSet === undefined || lastSet.set.empty()) return merged;
  const named = (set: FieldSet): FieldSet => set.ensureNamedFieldsAreMembers(scope.type);
  const fieldsOf = (value: unknown): FieldSet => named(toFieldSet(value, scope.type));
  let pruned = removeItems(merged, named(lastSet.set), scope.type);
  // Add back what any manager (the applier's new configuration included) owns.
  let owned = new FieldSet();
  for (const { set } of managers.values()) owned = owned.union(set);
  const mergedSet = fieldsOf(merged);
  pruned = removeItems(merged, mergedSet.difference(fieldsOf(pruned).union(named(owned))), scope.type);
  // Only remove what the applier owned before: unowned and updater-owned leftovers stay.
  return removeItems(merged, mergedSet.difference(fieldsOf(pruned)).intersection(named(lastSet.set)), scope.type);
}

/**
 * An apply by `manager`: the live object with the configuration merged in, pruned of what the manager
 * applied before and no longer applies, its ownership set to exactly the configuration's fields. Throws
 * ConflictsError when the merge changes fields other managers own and `force` is false; with `force`
 * those fields leave their owners. `object` is undefined when nothing changes.
 */
export function applyConfiguration(
  scope: UpdaterScope,
  live: unknown,
  config: unknown,
  apiVersion: string,
  managers: ManagerSets,
  manager: string,
  force: boolean,
): { object: unknown; managers: ManagerSets } {
  const merged = mergeValues(live, config, scope.type);
  const lastSet = managers.get(manager);
  const applied = new Map(managers);
  applied.set(manager, { set: scope.ignore(toFieldSet(config, scope.type)), apiVersion, applied: true });
  const pruned = prune(scope, merged, applied, lastSet);
  const { managers: out } = update(scope, live, pruned, applied, manager, force);
  return { object: jsonEqual(live, pruned) ? undefined : pruned, managers: out };
}
